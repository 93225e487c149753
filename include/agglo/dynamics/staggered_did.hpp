// agglo::dynamics — difference in differences with staggered adoption: the group-time average
// treatment effects of Callaway & Sant'Anna (2021, J. Econometrics 225(2), 200–230) and their
// aggregations, as the R package `did` computes them without covariates (att_gt with
// est_method irrelevant, base_period = "varying", then aggte).
//
//   ATT(g,t) = E[Y_t − Y_b | G = g] − E[Y_t − Y_b | C]            (unconditional parallel trends)
//     b = g − 1 for t ≥ g (the last pre-treatment period), b = t − 1 for t < g (pre-trends,
//     R's "varying" base period); C = never treated (G = 0), or not yet treated by max(t, b)
//     (G > max(t, b), G ≠ g) with control = not_yet_treated.
//   Influence function of unit i (n units in all, n_gt in cohort g or the controls):
//     ψ_i = (n / n_gt) [ D_i (ΔY_i − μ_D) / p_D − C_i (ΔY_i − μ_C) / p_C ],  p = shares in the
//     subsample; se(ATT(g,t)) = √(Σ_i ψ_i²) / n  (R's analytic, bstrap = FALSE).
//   Aggregations θ = Σ_k w_k ATT_k with weights from the cohort shares π_g = P(G = g), and the
//   influence function Σ_k w_k ψ_k + Σ_k ATT_k ω_k, ω the influence of the estimated weights
//   (R's wif()):  simple (post-treatment cells weighted by π_g), dynamic (by event time
//   e = t − g; overall = mean over e ≥ 0), group (per cohort: mean over its post cells;
//   overall weighted by π_g), calendar (per period: post cells weighted by π_g; overall =
//   mean over periods).
//   Multiplier bootstrap (R's mboot): B draws of Rademacher weights v_i per unit,
//     θ*_b = Σ_i v_i ψ_i / n; bootstrap se = IQR(θ*) / (Φ⁻¹(0.75) − Φ⁻¹(0.25)); the uniform
//     band's critical value is the (1 − α) quantile of max_k |θ*_bk| / se_k. Draw b uses the
//     stream (seed, "did multiplier bootstrap", b): the same for any thread count.
//   Also the two-way fixed effects coefficient of y_it = α_i + λ_t + β D_it + e_it (D_it =
//   1[G_i > 0, t ≥ G_i]), which is biased when effects differ across cohorts or grow with
//   exposure (Goodman-Bacon 2021; de Chaisemartin & D'Haultfœuille 2020) — reported for
//   comparison only.
//
// Input: a balanced panel (every unit observed in every period once). Periods are integers
// (years). Units first treated in or before the first period are dropped (no pre-period, as
// R does, with a warning); cohorts after the last period count as never treated (warning).
// Errors (agglo::Error, input): gaps, duplicates, a cohort that changes within a unit, no
// never-treated unit with control = never_treated, no treated cohort.
// Cost O(n T K) for K cells; the bootstrap O(B n K / threads).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace agglo::dynamics {

enum class ControlGroup { never_treated, not_yet_treated };

struct PanelData {
  std::vector<std::string> unit_names;     // units 0…n−1
  std::vector<std::int64_t> periods;       // sorted, distinct
  std::vector<std::int64_t> cohort;        // per unit: first treated period, 0 = never
  std::vector<double> y;                   // n × T, row = unit (y[i * T + t])
};

struct DidOptions {
  ControlGroup control = ControlGroup::never_treated;
  std::int64_t bootstrap = 1000;   // multiplier-bootstrap draws (0 = none)
  double alpha = 0.05;
  std::uint64_t seed = 0;
  int threads = 0;
};

struct AttCell {
  std::int64_t group = 0, time = 0, base = 0;
  double att = 0, std_error = 0, bootstrap_se = 0;
  std::size_t n_treated = 0, n_control = 0;
  bool post = false;
};

struct Aggregate {
  std::vector<std::int64_t> key;           // event time, cohort or period
  std::vector<double> att, std_error, bootstrap_se;
  double overall = 0, overall_se = 0, overall_bootstrap_se = 0;
  double critical_value = 0;               // uniform band over the keys (bootstrap)
};

// One 2×2 comparison of the Goodman-Bacon decomposition (see bacon_decomposition below).
struct BaconTerm {
  std::string type;                  // "treated_vs_never", "earlier_vs_later", "later_vs_earlier"
  std::int64_t treated = 0, control = 0;  // cohorts; control 0 = never treated
  double estimate = 0, weight = 0;
};

struct DidResult {
  std::vector<AttCell> cells;
  double critical_value = 0;               // uniform band over the ATT(g,t) cells
  double att_simple = 0, att_simple_se = 0, att_simple_bootstrap_se = 0;
  Aggregate dynamic, group, calendar;
  double twfe = 0;                         // two-way fixed effects β
  std::vector<BaconTerm> bacon;            // its Goodman-Bacon decomposition
  std::size_t units = 0, dropped_units = 0, never_treated = 0;
  std::vector<std::string> warnings;
};

// The units an estimator keeps and their cohorts: a cohort after the last period counts as
// never treated (0); a unit first treated in or before the first period has no pre-treatment
// period and is dropped (R's did does the same); the warnings say how many of each.
struct CleanCohorts {
  std::vector<std::size_t> keep;     // units kept, in panel order
  std::vector<std::int64_t> cohort;  // their cohorts
  std::size_t dropped = 0;
  std::vector<std::string> warnings;
};
CleanCohorts clean_cohorts(const PanelData& panel);

// Checks the panel (see above) and estimates everything.
DidResult callaway_santanna(const PanelData& panel, const DidOptions& options);

// The two-way fixed effects coefficient on a balanced panel (within transformation).
double twfe_coefficient(const PanelData& panel);

// The Goodman-Bacon (2021, Theorem 1) decomposition of that coefficient into 2×2 DiDs, on a
// balanced panel with periods 1…T, cohorts k (first treated t_k > first period), shares n_k
// of the units, D̄_k = (T − t_k + 1)/T the share of periods treated, U the never treated:
//   treated vs never treated   β_kU = ΔY_k − ΔY_U (post = t ≥ t_k, pre = before),
//                              s_kU ∝ (n_k + n_U)² n_kU (1 − n_kU) D̄_k (1 − D̄_k)
//   earlier k vs later l       β^k_kl on periods before t_l (l not yet treated: a clean control),
//   (k < l)                    s ∝ ((n_k + n_l)(1 − D̄_l))² n_kl (1 − n_kl) (D̄_k − D̄_l)/(1 − D̄_l) · (1 − D̄_k)/(1 − D̄_l)
//   later l vs earlier k       β^l_kl on periods from t_k, the already-treated k as control (the
//                              comparison that biases TWFE under dynamic effects),
//                              s ∝ ((n_k + n_l) D̄_k)² n_kl (1 − n_kl) D̄_l/D̄_k · (D̄_k − D̄_l)/D̄_k
// with n_ab = n_a/(n_a + n_b), each weight divided by V̂^D, the variance of the double-demeaned
// treatment dummy, so that Σ s = 1 and Σ s β = the TWFE coefficient exactly (tested).
std::vector<BaconTerm> bacon_decomposition(const PanelData& panel);

}  // namespace agglo::dynamics
