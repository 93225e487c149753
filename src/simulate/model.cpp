// The model registry and parameter resolution shared by every model.
#include "agglo/simulate/model.hpp"

#include <fmt/format.h>

#include <cmath>

#include "agglo/core/error.hpp"
#include "agglo/core/options.hpp"

namespace agglo::simulate {

const std::vector<double>& Analytic::at(const std::string& name) const {
  for (const auto& [n, v] : values)
    if (n == name) return v;
  AGGLO_ASSERT(false && "analytic value not found");
  static const std::vector<double> none;
  return none;
}

double RunResult::metric(const std::string& name) const {
  for (const auto& [n, v] : metrics)
    if (n == name) return v;
  AGGLO_ASSERT(false && "metric not found");
  return 0.0;
}

namespace {

struct Entry {
  std::string name;
  std::unique_ptr<Model> model;
};

const std::vector<Entry>& registry() {
  static const std::vector<Entry> r = [] {
    std::vector<Entry> v;
    v.push_back({"polya", make_polya()});
    v.push_back({"arthur", make_arthur()});
    v.push_back({"arthur-location", make_arthur_location()});
    v.push_back({"krugman", make_krugman()});
    v.push_back({"brenner", make_brenner()});
    v.push_back({"granovetter", make_granovetter()});
    v.push_back({"schelling", make_schelling()});
    v.push_back({"percolation", make_percolation()});
    v.push_back({"ecosystem", make_ecosystem()});
    return v;
  }();
  return r;
}

std::string param_list(const Model& m) {
  std::string s;
  for (const auto& p : m.parameters()) s += (s.empty() ? "" : ", ") + p.name;
  return s;
}

}  // namespace

std::vector<std::string> model_names() {
  std::vector<std::string> v;
  for (const auto& e : registry()) v.push_back(e.name);
  return v;
}

const Model& find_model(const std::string& name) {
  for (const auto& e : registry())
    if (e.name == name) return *e.model;
  throw_usage(ErrorCode::invalid_option_value, fmt::format("unknown model '{}'", name),
              fmt::format("valid models: {}", fmt::join(model_names(), ", ")));
}

const ParamSpec* find_param(const Model& m, const std::string& name) {
  static thread_local std::vector<ParamSpec> cache;
  cache = m.parameters();
  for (const auto& p : cache)
    if (p.name == name) return &p;
  return nullptr;
}

void check_param(const Model& m, const std::string& name, double v) {
  const auto specs = m.parameters();
  for (const auto& p : specs) {
    if (p.name != name) continue;
    if (!std::isfinite(v) || v < p.min || v > p.max)
      throw_usage(ErrorCode::invalid_option_value,
                  fmt::format("parameter {}={} of model {} is out of range", name, v, m.name()),
                  fmt::format("{} ({}) must lie in [{}, {}]", name, p.doc, p.min, p.max));
    if (p.integer && v != std::floor(v))
      throw_usage(ErrorCode::invalid_option_value,
                  fmt::format("parameter {}={} of model {} must be a whole number", name, v, m.name()),
                  p.doc);
    return;
  }
  throw_usage(ErrorCode::invalid_option_value,
              fmt::format("unknown parameter '{}' for model {}", name, m.name()),
              fmt::format("parameters of {}: {}", m.name(), param_list(m)));
}

Params resolve_params(const Model& m, const std::vector<std::string>& assignments) {
  Params p;
  for (const auto& s : m.parameters()) p[s.name] = s.value;
  for (const auto& entry : assignments) {
    for (const auto& a : core::parse_list(entry)) {
      const auto eq = a.find('=');
      if (eq == std::string::npos || eq == 0)
        throw_usage(ErrorCode::invalid_option_value,
                    fmt::format("--param '{}' is not name=value", a),
                    fmt::format("e.g. --param {}=…; parameters of {}: {}", m.parameters().front().name,
                                m.name(), param_list(m)));
      const auto name = a.substr(0, eq);
      if (!p.count(name))
        throw_usage(ErrorCode::invalid_option_value,
                    fmt::format("unknown parameter '{}' for model {}", name, m.name()),
                    fmt::format("parameters of {}: {}", m.name(), param_list(m)));
      const double v = core::parse_real("param " + name, a.substr(eq + 1));
      check_param(m, name, v);
      p[name] = v;
    }
  }
  m.check(p);
  return p;
}

}  // namespace agglo::simulate
