// agglo::complexity — the Fitness–Complexity algorithm (Tacchella, Cristelli, Caldarelli,
// Gabrielli & Pietronero 2012, Sci. Rep. 2:723):
//   F̃_c^(n) = Σ_p M_cp Q_p^(n−1),        F_c^(n) = F̃_c^(n) / ⟨F̃^(n)⟩_c
//   Q̃_p^(n) = 1 / Σ_c M_cp / F_c^(n−1),  Q_p^(n) = Q̃_p^(n) / ⟨Q̃^(n)⟩_p
// from F^(0) = Q^(0) = 1, iterated until max |Δ| < tolerance or `max_iterations`. Known
// behaviour: the least fit locations and their products drift slowly towards 0; the ranking
// settles long before. Locations with diversity 0 and products with ubiquity 0 get NaN.
// Complexity: O(nnz) per iteration.
#pragma once

#include <vector>

#include "agglo/complexity/rca.hpp"

namespace agglo::complexity {

struct Fitness {
  std::vector<double> fitness;     // F_c (mean 1 over active locations)
  std::vector<double> complexity;  // Q_p (mean 1 over active products)
  int iterations = 0;
  bool converged = false;
  double last_change = 0;          // max |Δ| at the last iteration
};

Fitness fitness_complexity(const Presence& m, int max_iterations = 200, double tolerance = 1e-9);

}  // namespace agglo::complexity
