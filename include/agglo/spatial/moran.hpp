// agglo::spatial — Moran's I: the global index of spatial autocorrelation (Moran 1950,
// "Notes on continuous stochastic phenomena", Biometrika 37:17–23) with the moments of Cliff &
// Ord (1981, "Spatial Processes: Models and Applications", Pion, ch. 1–2), and its local
// version, the LISA I_i (Anselin 1995, "Local indicators of spatial association — LISA",
// Geographical Analysis 27:93–115).
//
// Notation: x_i the value of region i, x̄ the mean over all n regions, z_i = x_i − x̄,
// m2 = Σ z_i² / n, w_ij the weights (weights.hpp), W_i = Σ_j w_ij, W2_i = Σ_j w_ij².
//
// Global (spdep::moran.test, adjust.n = TRUE): with n' = n − (number of islands),
//   I     = (n' / S0) · Σ_i Σ_j w_ij z_i z_j / Σ_i z_i²
//   E[I]  = −1 / (n' − 1)
//   Var_N[I] = (n'² S1 − n' S2 + 3 S0²) / (S0² (n'² − 1)) − E[I]²                (normality)
//   Var_R[I] = [n'((n'² − 3n' + 3) S1 − n' S2 + 3 S0²) − b2 ((n'² − n') S1 − 2n' S2 + 6 S0²)]
//              / ((n' − 1)(n' − 2)(n' − 3) S0²) − E[I]²                           (randomisation)
//   with b2 = n Σ z⁴ / (Σ z²)² (the kurtosis, over all n), z = (I − E[I]) / sqrt(Var).
//
// Local (spdep::localmoran defaults: conditional = TRUE, mlvar = TRUE):
//   I_i      = (z_i / m2) · Σ_j w_ij z_j
//   E[I_i]   = −z_i² W_i / ((n − 1) m2)
//   Var[I_i] = (z_i / m2)² · n/(n − 2) · (W2_i − W_i²/(n − 1)) · (m2 − z_i²/(n − 1))
// (the moments of I_i conditional on x_i under random permutation of the other n − 1 values —
// the same null hypothesis as the conditional permutation test of hotspots.hpp; Sokal, Oden &
// Thomson 1998, Geographical Analysis 30:331–354). Islands: I_i = 0 (zero lag), E = Var = 0,
// z undefined (NaN).
//
// All functions are O(n + links) and need Σ z_i² > 0 (a constant value is rejected by the caller).
#pragma once

#include <vector>

#include "agglo/spatial/weights.hpp"

namespace agglo::spatial {

struct GlobalMoran {
  double I = 0, expected = 0;
  double var_normal = 0, var_random = 0;
  double z_normal = 0, z_random = 0;
  double p_normal = 0, p_random = 0;  // two-sided normal p-values
  double p_random_greater = 0;       // one-sided (I > E[I]), spdep moran.test's default alternative
  double kurtosis = 0;               // b2
  std::size_t n_used = 0;            // n' (islands removed)
};

GlobalMoran global_moran(const std::vector<double>& x, const SpatialWeights& w);

// I of values already centred (z), for the permutation test: (n'/S0) Σ z_i lag_i / Σ z².
double moran_statistic(const std::vector<double>& z, const SpatialWeights& w, double n_used, double S0);

struct LocalMoran {
  std::vector<double> I, expected, variance, z, p_normal;  // p two-sided
};

LocalMoran local_moran(const std::vector<double>& x, const SpatialWeights& w);

// Two-sided normal p-value 2·(1 − Φ(|z|)) = erfc(|z|/√2); NaN for NaN.
double normal_p_two_sided(double z);

}  // namespace agglo::spatial
