// Sun & Abraham (2021) interaction-weighted event study (see include/agglo/dynamics/event_study.hpp;
// formulas in docs/methods/dynamics.md §3b). The saturated regression is fitted by the shared
// fixed-effects least squares of stats (unit and period effects absorbed, clustered by unit).
#include "agglo/dynamics/event_study.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "agglo/core/error.hpp"
#include "agglo/stats/fixed_effects.hpp"

namespace agglo::dynamics {

SunAbrahamResult sun_abraham(const PanelData& in, EventControl control) {
  SunAbrahamResult res;
  res.control = control;
  const std::size_t T = in.periods.size();
  if (T < 2) throw_input(ErrorCode::invalid_value, "the panel has fewer than two periods: no difference can be taken");
  // --- the cohorts, cleaned as for Callaway–Sant'Anna
  CleanCohorts cleaned = clean_cohorts(in);
  const std::vector<std::size_t>& keep = cleaned.keep;
  const std::vector<std::int64_t>& G = cleaned.cohort;
  res.dropped_units = cleaned.dropped;
  res.warnings = std::move(cleaned.warnings);
  std::map<std::int64_t, std::size_t> size;  // cohort → units
  for (auto g : G) ++size[g];
  const bool any_never = size.count(0) > 0;
  if (size.size() == (any_never ? 1u : 0u))
    throw_input(ErrorCode::invalid_value, "no unit is treated within the panel's periods: there is no effect to estimate", {},
                "the cohort column gives the first treated period (0 = never treated)");
  std::size_t T_used = T;
  if (control == EventControl::never_treated) {
    if (!any_never)
      throw_input(ErrorCode::invalid_value, "no never-treated unit (cohort 0): the never-treated comparison group is empty", {},
                  "use --control last-treated: the last cohort to adopt is the comparison, and the periods from its "
                  "adoption on are left out (Sun & Abraham 2021)");
  } else {
    if (any_never)
      res.warnings.push_back("--control last-treated: the never-treated units are kept as controls too, beside the last cohort");
    res.control_cohort = size.rbegin()->first;
    while (T_used > 0 && in.periods[T_used - 1] >= res.control_cohort) --T_used;
    if (size.size() - (any_never ? 1 : 0) < 2)
      throw_input(ErrorCode::invalid_value, "only one treated cohort and no never-treated unit: nothing to compare with", {},
                  "an event study needs never-treated units or a later-treated cohort as the comparison");
    if (T_used < 2)
      throw_input(ErrorCode::invalid_value,
                  fmt::format("fewer than two periods before the last cohort adopts ({}): the last-treated comparison has no "
                              "pre-period",
                              res.control_cohort));
  }
  res.periods_used = T_used;
  const std::size_t n = keep.size();
  res.units = n;
  // --- the design: one dummy per treated cohort × period except the cohort's reference period
  std::vector<std::vector<double>> X;
  std::vector<EventCell> cells;
  for (const auto& [g, units] : size) {
    if (g == 0 || g == res.control_cohort) continue;
    std::size_t ref = 0;  // last period before g
    for (std::size_t t = 0; t < T_used; ++t)
      if (in.periods[t] < g) ref = t;
    for (std::size_t t = 0; t < T_used; ++t) {
      if (t == ref) continue;
      EventCell c;
      c.cohort = g;
      c.time = in.periods[t];
      c.event_time = in.periods[t] - g;
      c.units = units;
      std::vector<double> col(n * T_used, 0.0);
      for (std::size_t r = 0; r < n; ++r)
        if (G[r] == g) col[r * T_used + t] = 1;
      X.push_back(std::move(col));
      cells.push_back(c);
    }
  }
  std::vector<double> y(n * T_used);
  stats::Factor unit{"unit", std::vector<std::uint32_t>(n * T_used), static_cast<std::uint32_t>(n)};
  stats::Factor period{"period", std::vector<std::uint32_t>(n * T_used), static_cast<std::uint32_t>(T_used)};
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t t = 0; t < T_used; ++t) {
      y[r * T_used + t] = in.y[keep[r] * T + t];
      unit.level[r * T_used + t] = static_cast<std::uint32_t>(r);
      period.level[r * T_used + t] = static_cast<std::uint32_t>(t);
    }
  const auto cluster = unit.level;
  const auto fit = stats::fixed_effects_ols(std::move(y), std::move(X), {unit, period}, cluster);
  res.clusters = fit.clusters;
  const std::size_t K = cells.size();
  std::vector<bool> ok(K);
  for (std::size_t q = 0; q < K; ++q) {
    cells[q].estimate = fit.beta[q];
    cells[q].std_error = fit.std_error[q];
    ok[q] = std::isfinite(fit.beta[q]);
  }
  if (!fit.aliased.empty())
    res.warnings.push_back(fmt::format("{} cohort × period cell(s) could not be estimated (aliased with the fixed effects)",
                                       fit.aliased.size()));
  // --- the interaction-weighted averages: Σ w δ, variance w'Vw
  auto combine = [&](const std::vector<double>& w, double& est, double& se) {
    est = 0;
    double v = 0;
    for (std::size_t a = 0; a < K; ++a) {
      if (w[a] == 0) continue;
      est += w[a] * fit.beta[a];
      for (std::size_t b = 0; b < K; ++b)
        if (w[b] != 0) v += w[a] * w[b] * fit.vcov[a * K + b];
    }
    se = std::sqrt(v);
  };
  std::map<std::int64_t, std::vector<std::size_t>> by_event;
  for (std::size_t q = 0; q < K; ++q)
    if (ok[q]) by_event[cells[q].event_time].push_back(q);
  for (const auto& [e, members] : by_event) {
    double total = 0;
    for (auto q : members) total += static_cast<double>(cells[q].units);
    std::vector<double> w(K, 0.0);
    for (auto q : members) w[q] = static_cast<double>(cells[q].units) / total;
    double est = 0, se = 0;
    combine(w, est, se);
    res.event_time.push_back(e);
    res.att.push_back(est);
    res.std_error.push_back(se);
  }
  {
    double total = 0;
    std::vector<double> w(K, 0.0);
    for (std::size_t q = 0; q < K; ++q)
      if (ok[q] && cells[q].event_time >= 0) w[q] = static_cast<double>(cells[q].units), total += w[q];
    if (total == 0)
      throw_input(ErrorCode::invalid_value, "no post-treatment cell could be estimated", {},
                  "the treated cohorts must adopt within the periods used");
    for (auto& x : w) x /= total;
    combine(w, res.att_post, res.att_post_se);
  }
  res.cells = std::move(cells);
  PanelData kept;  // the static TWFE on the same units, for comparison
  kept.periods = in.periods;
  kept.cohort = G;
  for (auto i : keep) kept.y.insert(kept.y.end(), in.y.begin() + static_cast<std::ptrdiff_t>(i * T),
                                    in.y.begin() + static_cast<std::ptrdiff_t>((i + 1) * T));
  res.twfe = twfe_coefficient(kept);
  res.bacon = bacon_decomposition(kept);
  return res;
}

}  // namespace agglo::dynamics
