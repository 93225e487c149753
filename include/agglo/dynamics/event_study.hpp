// agglo::dynamics — the interaction-weighted event study of Sun & Abraham (2021, J. Econometrics
// 225(2), 175–199), the event-study counterpart of Callaway & Sant'Anna for staggered adoption.
//
// A dynamic two-way fixed effects regression with one lead/lag dummy per relative period is
// biased under heterogeneous effects: each coefficient mixes other periods' and other cohorts'
// effects (Sun & Abraham, Proposition 3). Their fix saturates the regression in cohort ×
// relative period and averages afterwards:
//
//   y_it = α_i + λ_t + Σ_{g ∉ C} Σ_{ℓ ≠ r_g} δ_gℓ 1{G_i = g} 1{t − g = ℓ} + e_it        (eq. 29)
//
// with C the control cohort — the never treated (default) or, when there are none, the last
// treated cohort, whose treated periods t ≥ g_max are then left out — and r_g = (last period
// before g) − g, the reference relative period (−1 for yearly data). δ̂_gℓ estimates CATT_{g,ℓ}, the
// average effect ℓ periods after adoption in cohort g. The interaction-weighted estimator of
// the effect at relative period ℓ is
//
//   ν̂_ℓ = Σ_g Pr̂(G = g | G ∈ 𝒢_ℓ) δ̂_gℓ,                                                (eq. 30)
//
// 𝒢_ℓ the cohorts with a cell at ℓ, the shares by units. The post-treatment average weights
// every cell with ℓ ≥ 0 by its cohort's size (fixest's aggregate(agg = "ATT")).
// Standard errors: cluster-robust by unit (CR1, stats::fixed_effects_ols), the aggregates by
// w'Vw with the shares taken as fixed (fixest's aggregate(); Sun & Abraham's Proposition 6 adds
// the shares' own sampling variance, which is small when cohorts are large).
// With never-treated controls in a balanced panel, δ̂_gℓ equals Callaway–Sant'Anna's ATT(g, g+ℓ)
// with the universal base period g − 1 (tested).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/dynamics/staggered_did.hpp"

namespace agglo::dynamics {

enum class EventControl { never_treated, last_treated };

struct EventCell {
  std::int64_t cohort = 0, time = 0, event_time = 0;
  double estimate = 0, std_error = 0;
  std::size_t units = 0;  // units of the cohort
};

struct SunAbrahamResult {
  std::vector<EventCell> cells;            // δ̂_gℓ, ordered by cohort then period
  std::vector<std::int64_t> event_time;    // ν̂_ℓ by relative period (reference periods left out)
  std::vector<double> att, std_error;
  double att_post = 0, att_post_se = 0;    // over the post-treatment cells, by cohort size
  EventControl control = EventControl::never_treated;
  std::int64_t control_cohort = 0;         // 0 = never treated; else the last-treated cohort
  std::size_t units = 0, dropped_units = 0, periods_used = 0, clusters = 0;
  double twfe = 0;                         // the static TWFE coefficient on the same units, all periods
  std::vector<BaconTerm> bacon;            // and its Goodman-Bacon decomposition
  std::vector<std::string> warnings;
};

// Throws agglo::Error (input): no treated cohort, no never-treated unit with never_treated
// controls (the hint names last_treated), a single cohort and no never treated, fewer than
// two periods before the last cohort with last_treated.
SunAbrahamResult sun_abraham(const PanelData& panel, EventControl control);

}  // namespace agglo::dynamics
