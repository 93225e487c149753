// Responses → design matrix (rules in include/agglo/survey/model_frame.hpp).
#include "agglo/survey/model_frame.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "agglo/core/error.hpp"
#include "agglo/survey/responses.hpp"

namespace agglo::survey {

namespace {

struct Term {
  std::string label;    // as written: "log(firm_employees)"
  std::string column;   // the column it reads
  enum { plain, log, log1p } transform = plain;
  bool categorical = false;
};

Term parse_term(const std::string& p, const std::vector<std::string>& categorical) {
  Term t;
  t.label = p;
  t.column = p;
  for (auto [prefix, kind] : {std::pair{"log(", Term::log}, std::pair{"log1p(", Term::log1p}}) {
    const std::string pre = prefix;
    if (p.size() > pre.size() + 1 && p.compare(0, pre.size(), pre) == 0 && p.back() == ')') {
      t.column = p.substr(pre.size(), p.size() - pre.size() - 1);
      t.transform = kind;
    }
  }
  t.categorical = std::find(categorical.begin(), categorical.end(), p) != categorical.end() || p == "scope";
  if (t.categorical && t.transform != Term::plain)
    throw_usage(ErrorCode::invalid_option_value, fmt::format("'{}': a categorical predictor cannot be transformed", p));
  return t;
}

}  // namespace

ModelFrame load_model_frame(const std::string& path, const ModelSpec& spec) {
  if (spec.outcome.empty()) throw_usage(ErrorCode::missing_option, "the model needs an outcome (--outcome)");
  if (spec.predictors.empty() && !spec.intercept)
    throw_usage(ErrorCode::missing_option, "the model needs predictors (--predictors) or an intercept");
  std::vector<Term> terms;
  for (const auto& p : spec.predictors) {
    if (p == spec.outcome)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("'{}' is the outcome and cannot be a predictor too", p));
    for (const auto& t : terms)
      if (t.label == p) throw_usage(ErrorCode::invalid_option_value, fmt::format("predictor '{}' is listed twice", p));
    terms.push_back(parse_term(p, spec.categorical));
  }
  for (const auto& c : spec.categorical)
    if (std::find(spec.predictors.begin(), spec.predictors.end(), c) == spec.predictors.end())
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--categorical '{}' is not one of the predictors", c));
  std::map<std::string, std::string> baseline;
  for (const auto& b : spec.baselines) {
    const auto eq = b.find('=');
    if (eq == std::string::npos || eq == 0)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--baseline '{}': expected VARIABLE=LEVEL", b));
    const auto var = b.substr(0, eq);
    if (std::none_of(terms.begin(), terms.end(), [&](const Term& t) { return t.categorical && t.label == var; }))
      throw_usage(ErrorCode::invalid_option_value,
                  fmt::format("--baseline '{}': {} is not a categorical predictor (list it in --categorical)", b, var));
    baseline[var] = b.substr(eq + 1);
  }

  ResponseRequest req;
  req.rules = spec.rules;
  req.numeric.push_back(spec.outcome);
  for (const auto& t : terms) (t.categorical ? req.text : req.numeric).push_back(t.column);
  if (!spec.weight.empty()) req.numeric.push_back(spec.weight);
  if (!spec.cluster.empty()) req.text.push_back(spec.cluster);
  auto R = read_responses(path, req);
  const std::size_t n = R.rows;
  ModelFrame F;
  F.rows_read = n;

  // Listwise deletion.
  std::vector<char> ok(n, 1);
  std::vector<std::pair<std::string, std::size_t>> missing;
  auto mark_num = [&](const std::string& c) {
    std::size_t m = 0;
    const auto& v = R.numbers.at(c);
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isfinite(v[i])) ok[i] = 0, ++m;
    if (m) missing.emplace_back(c, m);
  };
  auto mark_text = [&](const std::string& c) {
    std::size_t m = 0;
    const auto& v = R.texts.at(c);
    for (std::size_t i = 0; i < n; ++i)
      if (v[i].empty()) ok[i] = 0, ++m;
    if (m) missing.emplace_back(c, m);
  };
  mark_num(spec.outcome);
  for (const auto& t : terms) t.categorical ? mark_text(t.column) : mark_num(t.column);
  if (!spec.weight.empty()) mark_num(spec.weight);
  if (!spec.cluster.empty()) mark_text(spec.cluster);
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < n; ++i)
    if (ok[i]) rows.push_back(i);
  const std::size_t m = rows.size();
  F.rows_used = m;
  if (m < n) {
    std::string what;
    for (const auto& [c, k] : missing) what += fmt::format("{}{}: {}", what.empty() ? "" : ", ", c, k);
    F.warnings.push_back(fmt::format("{} of {} rows have a missing value and were left out (listwise deletion; empty "
                                     "cells by column: {})",
                                     n - m, n, what));
  }
  if (m == 0)
    throw_input(ErrorCode::empty_input,
                fmt::format("no row of {} has every model variable filled in ({} rows read)", path, n), {path, 0, 0, ""},
                "check the column names, or leave out the predictor that is always empty");

  // Outcome: 0 or 1.
  const auto& yv = R.numbers.at(spec.outcome);
  F.y.resize(m);
  for (std::size_t r = 0; r < m; ++r) {
    const double v = yv[rows[r]];
    if (v != 0 && v != 1)
      throw_input(ErrorCode::invalid_value,
                  fmt::format("outcome '{}' must be binary (0 or 1), found {}", spec.outcome, v),
                  R.where(spec.outcome, rows[r]), "recode the outcome to 0/1, e.g. 1 for firms that innovated");
    F.y[r] = v;
  }
  if (!spec.weight.empty()) {
    const auto& wv = R.numbers.at(spec.weight);
    F.weights.resize(m);
    for (std::size_t r = 0; r < m; ++r) {
      const double v = wv[rows[r]];
      if (!(v > 0))
        throw_input(ErrorCode::invalid_value, fmt::format("survey weight {} is not > 0", v), R.where(spec.weight, rows[r]),
                    "probability weights must be positive; leave the row out or fix the weight");
      F.weights[r] = v;
    }
  }
  if (!spec.cluster.empty()) {
    std::map<std::string, std::uint32_t> ids;
    const auto& cv = R.texts.at(spec.cluster);
    F.cluster.resize(m);
    for (std::size_t r = 0; r < m; ++r) {
      auto [it, fresh] = ids.emplace(cv[rows[r]], static_cast<std::uint32_t>(ids.size()));
      F.cluster[r] = it->second;
    }
  }

  // Design columns.
  stats::Design& D = F.design;
  D.rows = m;
  if (spec.intercept) D.add("const", std::vector<double>(m, 1.0));
  int group_id = 0;
  for (const auto& t : terms) {
    if (!t.categorical) {
      auto& v = R.numbers.at(t.column);
      const bool shared = t.column == spec.outcome || t.column == spec.weight ||
                          std::count_if(terms.begin(), terms.end(), [&](const Term& u) { return u.column == t.column; }) > 1;
      if (m == n && t.transform == Term::plain && !shared) {
        D.add(t.label, std::move(v));  // every row kept: the column read is the design column
        continue;
      }
      std::vector<double> col(m);
      for (std::size_t r = 0; r < m; ++r) {
        double x = v[rows[r]];
        if (t.transform == Term::log) {
          if (!(x > 0))
            throw_input(ErrorCode::invalid_value, fmt::format("{} needs values > 0, found {}", t.label, x),
                        R.where(t.column, rows[r]), "use log1p(" + t.column + ") for counts with zeros");
          x = std::log(x);
        } else if (t.transform == Term::log1p) {
          if (!(x > -1))
            throw_input(ErrorCode::invalid_value, fmt::format("{} needs values > −1, found {}", t.label, x),
                        R.where(t.column, rows[r]));
          x = std::log1p(x);
        }
        col[r] = x;
      }
      D.add(t.label, std::move(col));
      continue;
    }
    const auto& v = R.texts.at(t.column);
    std::vector<std::string> levels;
    {
      std::vector<std::string> all;
      for (auto r : rows) all.push_back(v[r]);
      std::sort(all.begin(), all.end());
      all.erase(std::unique(all.begin(), all.end()), all.end());
      levels = all;
    }
    if (t.column == "scope" && !R.in_file("scope")) {
      std::vector<std::string> ordered;
      for (const char* s : {"regional", "national", "international"})
        if (std::find(levels.begin(), levels.end(), s) != levels.end()) ordered.push_back(s);
      levels = ordered;
    }
    if (auto b = baseline.find(t.label); b != baseline.end()) {
      auto it = std::find(levels.begin(), levels.end(), b->second);
      if (it == levels.end())
        throw_usage(ErrorCode::invalid_option_value,
                    fmt::format("--baseline {}={}: no such level in the estimation sample (levels: {})", t.label, b->second,
                                fmt::join(levels, ", ")));
      std::rotate(levels.begin(), it, it + 1);
    }
    if (levels.size() < 2)
      F.warnings.push_back(fmt::format("categorical predictor {} has a single level ({}) in the estimation sample: no "
                                       "dummy is made for it",
                                       t.label, levels.empty() ? "" : levels[0]));
    if (levels.size() > 1000)
      throw_input(ErrorCode::invalid_value,
                  fmt::format("categorical predictor {} has {} levels; is it really a category?", t.label, levels.size()),
                  R.where(t.column, 0));
    std::map<std::string, std::size_t> pos;
    for (std::size_t l = 0; l < levels.size(); ++l) pos[levels[l]] = l;
    std::vector<std::vector<double>> dummies(levels.size() > 0 ? levels.size() - 1 : 0, std::vector<double>(m, 0.0));
    for (std::size_t r = 0; r < m; ++r) {
      const auto l = pos[v[rows[r]]];
      if (l > 0) dummies[l - 1][r] = 1;
    }
    for (std::size_t l = 1; l < levels.size(); ++l) D.add(t.label + "=" + levels[l], std::move(dummies[l - 1]), group_id);
    ++group_id;
    F.levels.emplace_back(t.label, levels);
  }
  return F;
}

}  // namespace agglo::survey
