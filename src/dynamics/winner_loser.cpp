// The winner/loser design of Greenstone, Hornbeck & Moretti (2010): see
// include/agglo/dynamics/winner_loser.hpp and docs/methods/dynamics.md §6.
#include "agglo/dynamics/winner_loser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "agglo/core/error.hpp"
#include "agglo/stats/fixed_effects.hpp"

namespace agglo::dynamics {

namespace {

// Renumbers ids 0 … m − 1 in order of first appearance; returns m.
std::uint32_t compact(std::vector<std::uint32_t>& ids) {
  std::map<std::uint32_t, std::uint32_t> to;
  for (auto& v : ids) v = to.emplace(v, static_cast<std::uint32_t>(to.size())).first->second;
  return static_cast<std::uint32_t>(to.size());
}

}  // namespace

AnchorResult winner_loser(const AnchorPanel& p, const AnchorOptions& o) {
  if (o.lead > -1 || o.lag < 0)
    throw_input(ErrorCode::invalid_value, fmt::format("the window {} … {} must include the year before the opening (−1) and the "
                                                      "opening year (0)", o.lead, o.lag));
  AnchorResult res;
  // --- the rows in the window
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < p.y.size(); ++i) {
    const auto tau = p.year[i] - p.opening[i];
    if (tau >= o.lead && tau <= o.lag) rows.push_back(i);
  }
  if (rows.empty())
    throw_input(ErrorCode::empty_input, fmt::format("no plant-year lies within {} … {} years of its case's opening", o.lead, o.lag));
  const std::size_t n = rows.size();
  res.rows = n;
  // every case needs winners and losers in the window
  std::vector<std::array<std::size_t, 2>> per_case(p.cases, {0, 0});
  for (auto i : rows) ++per_case[p.case_id[i]][p.winner[i] ? 1 : 0];
  std::size_t used_cases = 0;
  for (std::uint32_t c = 0; c < p.cases; ++c) {
    if (per_case[c][0] + per_case[c][1] == 0) continue;
    ++used_cases;
    if (per_case[c][1] == 0 || per_case[c][0] == 0)
      throw_input(ErrorCode::invalid_value,
                  fmt::format("case {} has {} in the window: winners are compared with their own case's losers", c + 1,
                              per_case[c][1] == 0 ? "no plant in the winning county" : "no plant in a losing county"),
                  {}, "drop the case, or check the winner column (1 = winning county)");
  }
  res.cases = used_cases;
  // --- fixed effects: plant (× case) and case × year
  stats::Factor unit{"plant", {}, 0}, case_year{"case × year", {}, 0};
  std::vector<std::uint32_t> cluster;
  for (auto i : rows) {
    unit.level.push_back(p.unit[i]);
    case_year.level.push_back(static_cast<std::uint32_t>(p.case_id[i]) * 4096u +
                              static_cast<std::uint32_t>(p.year[i] - p.opening[i] - o.lead));
    cluster.push_back(p.cluster.empty() ? p.unit[i] : p.cluster[i]);
  }
  unit.levels = compact(unit.level);
  case_year.levels = compact(case_year.level);
  compact(cluster);
  res.units = unit.levels;
  {
    std::vector<char> w(unit.levels, 0);
    for (std::size_t r = 0; r < n; ++r) w[unit.level[r]] = p.winner[rows[r]];
    res.winner_units = static_cast<std::size_t>(std::count(w.begin(), w.end(), 1));
  }
  std::vector<double> y(n), W(n), tau(n), post(n);
  for (std::size_t r = 0; r < n; ++r) {
    const auto i = rows[r];
    y[r] = p.y[i];
    W[r] = p.winner[i] ? 1 : 0;
    tau[r] = static_cast<double>(p.year[i] - p.opening[i]);
    post[r] = tau[r] >= 0 ? 1 : 0;
  }
  auto covs = [&] {
    std::vector<std::vector<double>> X;
    for (const auto& c : p.covariates) {
      std::vector<double> v(n);
      for (std::size_t r = 0; r < n; ++r) v[r] = c[rows[r]];
      X.push_back(std::move(v));
    }
    return X;
  };
  auto product = [&](std::initializer_list<const std::vector<double>*> f) {
    std::vector<double> v(n, 1.0);
    for (const auto* x : f)
      for (std::size_t r = 0; r < n; ++r) v[r] *= (*x)[r];
    return v;
  };
  auto terms = [&](const stats::FixedEffectsFit& fit, const std::vector<std::string>& names) {
    std::vector<AnchorTerm> out;
    for (std::size_t j = 0; j < names.size(); ++j) out.push_back({names[j], fit.beta[j], fit.std_error[j]});
    for (const auto j : fit.aliased)
      res.warnings.push_back(fmt::format("term '{}' is absorbed by the plant and case × year effects and was left out", names[j]));
    return out;
  };
  // --- Model 1: mean shift
  {
    std::vector<std::vector<double>> X{product({&W, &post})};
    auto c = covs();
    X.insert(X.end(), c.begin(), c.end());
    std::vector<std::string> names{"winner_x_post"};
    names.insert(names.end(), p.covariate_names.begin(), p.covariate_names.end());
    const auto fit = stats::fixed_effects_ols(y, std::move(X), {unit, case_year}, cluster);
    res.clusters = fit.clusters;
    res.mean_shift = terms(fit, names);
  }
  // --- Model 2: trend break, and the effect after `lag` years by the delta method
  {
    std::vector<std::vector<double>> X{product({&W, &tau}), product({&W, &post}), product({&W, &tau, &post})};
    auto c = covs();
    X.insert(X.end(), c.begin(), c.end());
    std::vector<std::string> names{"winner_x_trend", "winner_x_post", "winner_x_trend_x_post"};
    names.insert(names.end(), p.covariate_names.begin(), p.covariate_names.end());
    const auto fit = stats::fixed_effects_ols(y, std::move(X), {unit, case_year}, cluster);
    res.trend_break = terms(fit, names);
    const double h = static_cast<double>(o.lag);
    const auto V = [&](std::size_t a, std::size_t b) { return fit.vcov[a * fit.k + b]; };
    res.effect_after = fit.beta[1] + h * fit.beta[2];
    res.effect_after_se = std::sqrt(V(1, 1) + 2 * h * V(1, 2) + h * h * V(2, 2));
  }
  // --- the event study: W × 1{τ = k}, k ≠ −1
  {
    std::vector<std::vector<double>> X;
    for (std::int64_t k = o.lead; k <= o.lag; ++k) {
      if (k == -1) continue;
      std::vector<double> v(n);
      for (std::size_t r = 0; r < n; ++r) v[r] = W[r] * (tau[r] == static_cast<double>(k));
      X.push_back(std::move(v));
      res.event_time.push_back(k);
    }
    auto c = covs();
    X.insert(X.end(), c.begin(), c.end());
    const auto fit = stats::fixed_effects_ols(y, std::move(X), {unit, case_year}, cluster);
    for (std::size_t q = 0; q < res.event_time.size(); ++q) {
      res.event_estimate.push_back(fit.beta[q]);
      res.event_std_error.push_back(fit.std_error[q]);
    }
  }
  if (res.clusters < 30)
    res.warnings.push_back(fmt::format(
        "{} clusters: cluster-robust standard errors are unreliable with few clusters (GHM cluster by county over 47 cases)",
        res.clusters));
  return res;
}

}  // namespace agglo::dynamics
