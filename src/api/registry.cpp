#include <fmt/format.h>

#include <algorithm>

#include "agglo/api/operation.hpp"
#include "agglo/io/code_names.hpp"
#include "agglo/io/input_settings.hpp"
#include "builtin.hpp"

namespace agglo::api {

namespace detail {

void add_input_options(std::vector<core::OptionSpec>& options) {
  // Path options that are not tables read through io::read_table (directories, outputs,
  // checkpoints) do not make an operation a table reader.
  auto reads_tables = [&] {
    for (const auto& o : options)
      if (o.type == core::OptionType::path && o.name != "data-dir" && o.name != "hulls" && o.name != "checkpoint" &&
          o.name != "resume" && o.name != "workspace" && o.name != "web-dir")
        return true;
    return false;
  };
  if (!reads_tables()) return;
  for (const auto& spec : io::input_option_specs()) {
    bool declared = false;
    for (const auto& o : options) declared = declared || o.name == spec.name;
    if (!declared) options.push_back(spec);
  }
}

Result run_operation(const core::ParamMap& params, const std::vector<core::OptionSpec>& own, Context& ctx,
                     const std::function<Result(const core::ParamMap&)>& body) {
  io::InputSettings settings;
  core::ParamMap rest;
  for (const auto& [k, v] : params) {
    bool mine = false;
    for (const auto& o : own) mine = mine || o.name == k;
    if (!mine && io::is_input_option(k)) io::apply_input_option(settings, k, v);
    else rest.emplace(k, v);
  }
  // An operation's own --layer (validate, hotspots) also chooses the layer of its GDAL inputs.
  if (auto it = params.find("layer"); it != params.end()) settings.layer = it->second;
  io::ScopedInput scope(std::move(settings));
  Result r = body(rest);
  for (auto& n : scope.notes())
    if (std::find(r.warnings.begin(), r.warnings.end(), n) == r.warnings.end()) r.warnings.push_back(n);
  if (ctx.names)
    for (auto& [name, table] : r.tables) io::add_code_names(table);
  return r;
}

}  // namespace detail

Registry& Registry::global() {
  // Registration is explicit (not through static initialisers), so operations living in a
  // static library are never dropped by the linker and the order is deterministic.
  static Registry r = [] {
    Registry reg;
    register_builtin_operations(reg);
    return reg;
  }();
  return r;
}

void Registry::add(Operation op) {
  AGGLO_ASSERT(find(op.name) == nullptr);
  ops_.push_back(std::move(op));
}

const Operation* Registry::find(const std::string& name) const {
  for (const auto& op : ops_)
    if (op.name == name) return &op;
  return nullptr;
}

}  // namespace agglo::api
