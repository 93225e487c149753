// agglo::spatial — the Getis–Ord local statistic G*_i, "with self" (Ord & Getis 1995, "Local
// spatial autocorrelation statistics: distributional issues and an application", Geographical
// Analysis 27:286–306; Getis & Ord 1992, Geographical Analysis 24:189–206).
//
// G*_i counts region i itself among its neighbours: with w*_ij = w_ij for j ≠ i and w*_ii = 1
// (binary weights plus self), W*_i = Σ_j w*_ij, S*_1i = Σ_j w*_ij², x̄ the mean and
// s² = Σ (x_j − x̄)² / n over all n regions, the standardised statistic is
//
//   G*_i = (Σ_j w*_ij x_j − x̄ W*_i) / ( s · sqrt[(n S*_1i − W*_i²) / (n − 1)] ),
//
// a z-value (Ord & Getis 1995, eq. 14), which is what spdep::localG returns for a neighbour list
// with include.self() and what PySAL calls Zs of G_Local(star=True). It is unchanged when
// row i's weights are multiplied by a constant, so binary-with-self and row-standardised-with-
// self weights (1/(k_i + 1)) give the same G*_i; this function uses the binary form. Large
// positive values mark clusters of high values (hot spots), large negative ones cold spots.
// For an island G*_i = (x_i − x̄)/s. O(n + links).
#pragma once

#include <vector>

#include "agglo/spatial/weights.hpp"

namespace agglo::spatial {

struct GetisOrd {
  std::vector<double> z;         // G*_i (standardised)
  std::vector<double> p_normal;  // two-sided normal p-value
};

GetisOrd getis_ord_star(const std::vector<double>& x, const SpatialWeights& w);

}  // namespace agglo::spatial
