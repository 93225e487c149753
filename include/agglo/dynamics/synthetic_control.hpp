// agglo::dynamics — the synthetic control method (Abadie & Gardeazabal 2003; Abadie, Diamond &
// Hainmueller 2010, JASA 105(490)) for one treated region, on outcomes only:
//
//   w* = argmin_w Σ_{t < T0} (y_1t − Σ_j w_j y_jt)²   subject to  w_j ≥ 0, Σ_j w_j = 1,
//   gap_t = y_1t − Σ_j w*_j y_jt,   att = mean of gap_t over t ≥ T0,
//   RMSPE_pre = √(mean_{t<T0} gap_t²), RMSPE_post likewise; ratio = RMSPE_post / RMSPE_pre.
//
// In-space placebos (Abadie et al. 2010, §3.3): every donor in turn is treated as if it were
// the treated unit, with the other donors (not the treated unit) as its donor pool; the
// permutation p-value is the share of all units (treated included) whose ratio is at least
// the treated unit's.
//
// This is the outcome-path variant: every pre-treatment outcome is a predictor with equal
// weight (V = I), which is what the Synth package's nested optimisation reduces to when the
// predictors are the pre-treatment outcomes themselves (Kaul, Klößner, Pfeifer & Schieler
// 2022 show covariates are then irrelevant). The simplex-constrained least squares is solved
// by accelerated projected gradient (FISTA, Beck & Teboulle 2009) with the exact Euclidean
// projection onto the simplex (Duchi et al. 2008): the problem is convex, so the iterations
// converge to the global minimum; they stop when the objective changes by less than 1e-14
// relative (or after max_iterations). No external QP solver is needed (GLPK solves only
// linear programmes).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/dynamics/staggered_did.hpp"

namespace agglo::dynamics {

struct SynthControlOptions {
  bool placebos = true;
  int max_iterations = 200000;
  double tolerance = 1e-14;
};

struct Placebo {
  std::size_t unit = 0;
  double pre_rmspe = 0, post_rmspe = 0, ratio = 0;
};

struct SynthControlResult {
  std::vector<std::size_t> donors;     // unit indices of the donor pool
  std::vector<double> weights;         // one per donor
  std::vector<double> treated_path, synthetic_path, gap;  // per period
  double pre_rmspe = 0, post_rmspe = 0, ratio = 0, att = 0;
  double placebo_p = 0;                // NaN without placebos
  std::vector<Placebo> placebos;       // the treated unit first, then the donors
  int iterations = 0;
  std::vector<std::string> warnings;
};

// Simplex-constrained least squares: argmin ||b − A w||², w ≥ 0, Σ w = 1; A is m × J
// column-major (A[j * m + i]). Returns the weights and sets `iterations`.
std::vector<double> simplex_least_squares(const std::vector<double>& A, std::size_t m, std::size_t J,
                                          const std::vector<double>& b, int max_iterations, double tolerance,
                                          int* iterations = nullptr);

// `panel.cohort` is ignored; `treated` indexes panel units; periods ≥ treatment_time are post.
SynthControlResult synthetic_control(const PanelData& panel, std::size_t treated, std::int64_t treatment_time,
                                     const SynthControlOptions& options = {});

}  // namespace agglo::dynamics

namespace agglo::dynamics {

// Synthetic difference in differences (Arkhangelsky, Athey, Hirshberg, Imbens & Wager 2021,
// AER 111(12), Algorithm 1) for N_tr treated units (treated from T0 on) and the others as
// controls:
//   σ̂ = sd of the controls' first differences before T0, ζ = (N_tr T_post)^{1/4} σ̂
//   unit weights  (ω0, ω) = argmin Σ_{t<T0} (ω0 + Σ_j ω_j Y_jt − ȳ_tr,t)² + ζ² T_pre ||ω||², ω ∈ simplex
//   time weights  (λ0, λ) = argmin Σ_j (λ0 + Σ_{t<T0} λ_t Y_jt − ȳ_j,post)² + (10⁻⁶ σ̂)² N_co ||λ||², λ ∈ simplex
//   τ = (ȳ_tr,post − Σ_t λ_t ȳ_tr,t) − Σ_j ω_j (ȳ_j,post − Σ_t λ_t Y_jt)
// The free intercepts are removed by centring (over periods for ω, over units for λ), the
// ridge term by stacking √(ζ² T_pre) I under the design; both programmes are solved by
// simplex_least_squares (R's synthdid uses Frank–Wolfe with a looser stop, so weights agree
// with it only to the optimiser's tolerance). Standard error: the placebo method (synthdid's
// vcov(method = "placebo")): `placebos` times, N_tr controls drawn at random (stream (seed,
// "sdid placebo", b)) play the treated, τ_b is re-estimated on the controls only, and
// se = √((B−1)/B) · sd(τ_b). Needs more controls than treated units.
struct SdidResult {
  double att = 0, std_error = 0;
  std::vector<std::size_t> controls;
  std::vector<double> unit_weights;   // per control
  std::vector<double> time_weights;   // per pre-treatment period
  double zeta = 0, sigma = 0;
  std::size_t placebos = 0;
};
SdidResult synthetic_did(const PanelData& panel, const std::vector<std::size_t>& treated, std::int64_t treatment_time,
                         std::size_t placebos, std::uint64_t seed);

}  // namespace agglo::dynamics
