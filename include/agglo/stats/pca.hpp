// agglo::stats — principal components for weighting (OECD/JRC Handbook, Nardo et al. 2008,
// section 6.1 "Weights based on principal components analysis or factor analysis").
#pragma once

#include <cstddef>
#include <vector>

namespace agglo::stats {

struct FirstComponent {
  std::vector<double> loadings;  // per variable: correlation with the component, √λ₁ · v_j
  std::vector<double> weights;   // squared loadings scaled to sum to one: v_j² (Σ v_j² = 1)
  double eigenvalue = 0;         // λ₁ of the correlation matrix
  double explained = 0;          // λ₁ / k, the share of the total variance
  std::size_t rows_used = 0;     // complete rows
  bool negative_loading = false; // some variable loads against the others (after the sign fix)
};

// The first principal component of the correlation matrix of `columns` (k variables of n
// observations each; rows with a NaN are dropped listwise). The eigenvector's sign is fixed so
// that Σ v_j > 0, i.e. the loadings are positive where the variables agree; `negative_loading`
// flags a variable that still loads negatively. Weights are the normalised squared loadings of
// this one factor (the handbook's rule for one retained factor). A constant column or fewer
// than k + 1 complete rows gives equal weights and eigenvalue 0. O(n k² + k³) (Eigen's
// self-adjoint eigen solver).
FirstComponent first_principal_component(const std::vector<std::vector<double>>& columns);

}  // namespace agglo::stats
