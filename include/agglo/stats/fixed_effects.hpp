// agglo::stats — least squares with absorbed fixed effects and cluster-robust standard errors,
// the shared building block of the panel estimators (Sun–Abraham event study, the
// winner/loser design of an anchor plant, the entry model's linear probability model).
//
// Model   y_i = x_i'β + Σ_f α_f[l_f(i)] + e_i, with F factors (unit, period, case × year …), each
//         observation i in level l_f(i) of factor f. The α are not estimated: by the
//         Frisch–Waugh–Lovell theorem β̂ is the OLS coefficient of the residualised ỹ on the
//         residualised X̃, both projected off every factor's dummies.
// Absorb  the method of alternating projections (Guimarães & Portugal 2010, Stata J. 10(4);
//         Gaure 2013, CSDA 66, 8–18: R's lfe / fixest / reghdfe): subtract the mean within each
//         level of factor 1, then of factor 2, …, and repeat the sweep until the largest mean
//         removed is below tolerance × (1 + rms of the column). One factor, or a balanced
//         two-way panel, is exact after one sweep (the second only confirms it).
// Fit     β̂ = (X̃'X̃)⁻¹X̃'ỹ by a Cholesky of X̃'X̃ taken column by column in the given order: a
//         column whose residual after projection on the earlier kept columns is below 10⁻¹⁰ of
//         its own sum of squares is aliased (R's lm rule, in the spirit of tol = 1e-7 on the
//         norm), left out and reported; so is a column the fixed effects absorb (its residual sum
//         of squares below 10⁻²⁰ of the raw one: only the projections' rounding is left).
// Vcov    iid: s² (X̃'X̃)⁻¹, s² = Σ e² / (n − k − K_fe), K_fe = Σ_f L_f − (F − 1) (levels of the
//         factors less the redundant constants);
//         cluster (Liang & Zeger 1986; CR1): (X̃'X̃)⁻¹ (Σ_g S_g S_g') (X̃'X̃)⁻¹ · G/(G−1) · (n−1)/(n−K)
//         with S_g = Σ_{i∈g} x̃_i e_i and K = k + K_fe less the levels of the factors nested in the
//         clusters (fixest's default small-sample correction, ssc(adj = TRUE, fixef.K = "nested",
//         cluster.adj = TRUE); Stata's reghdfe likewise).
// Cost    O(n F) per sweep and column, O(n k²) for X̃'X̃, O(k³) for the solve; memory O(n k).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace agglo::stats {

struct Factor {
  std::string name;                  // for messages ("unit", "case × year")
  std::vector<std::uint32_t> level;  // level of each observation, 0 … levels − 1
  std::uint32_t levels = 0;
};

// Residualises `v` on the dummies of every factor, in place. Returns the number of sweeps.
// Throws agglo::Error (internal) if `max_sweeps` pass without convergence.
std::size_t absorb(std::vector<double>& v, const std::vector<Factor>& factors, double tolerance = 1e-13,
                   std::size_t max_sweeps = 100000);

struct FixedEffectsFit {
  std::size_t n = 0, k = 0;             // observations, coefficients (including aliased ones)
  std::vector<double> beta, std_error;  // NaN for aliased columns
  std::vector<double> vcov;             // k × k row-major (NaN rows/columns for aliased)
  std::vector<std::size_t> aliased;     // columns left out
  std::vector<double> residuals;        // e = ỹ − X̃β̂
  double sse = 0;
  std::size_t clusters = 0;             // 0: iid variance
  std::size_t fe_dof = 0;               // K_fe, as above
  std::size_t dof_k = 0;                // the K of the small-sample factor
  std::size_t sweeps = 0;               // most sweeps any column needed
};

// X by columns (X[j][i]); `cluster` empty = iid variance, else a group id per observation.
FixedEffectsFit fixed_effects_ols(std::vector<double> y, std::vector<std::vector<double>> X,
                                  const std::vector<Factor>& factors, const std::vector<std::uint32_t>& cluster,
                                  double tolerance = 1e-13);

}  // namespace agglo::stats
