// agglo::stats — ordinary least squares, the shared linear-model building block (DESIGN.md:
// "estimation is shared"). Used by the spatial econometric models (spatial_model.hpp), whose
// concentrated likelihoods are OLS fits of transformed data, and by their LM diagnostics.
//
// The fit is by a column-pivoted Householder QR of the n × k design (Golub & Van Loan 2013,
// §5.4), so a rank-deficient design is detected (|R_jj| ≤ tol · |R_11|, the rule of R's lm with
// tol = 1e-7) rather than silently solved; the aliased columns are reported so the caller can
// name them. Cost O(n k²) time, O(n k) memory.
#pragma once

#include <cstddef>
#include <vector>

namespace agglo::stats {

struct OlsFit {
  std::size_t n = 0, k = 0;
  std::vector<double> beta;       // k coefficients
  std::vector<double> fitted;     // X β
  std::vector<double> residuals;  // y − X β
  double sse = 0;                 // Σ e_i²
  std::vector<double> xtx_inv;    // (X'X)^{-1}, k × k row-major
  std::size_t rank = 0;
  std::vector<std::size_t> aliased;  // columns linearly dependent on earlier ones (empty = full rank)
};

// X is given by columns (X[j][i] = x_ij). When the design is rank deficient, beta/xtx_inv are
// empty and `aliased` lists the offending columns; nothing is thrown.
OlsFit ols(const std::vector<double>& y, const std::vector<std::vector<double>>& X);

// Only the residual sum of squares of y on X (same QR; for profile likelihoods).
double ols_sse(const std::vector<double>& y, const std::vector<std::vector<double>>& X);

}  // namespace agglo::stats
