// agglo::stats — variance-based sensitivity analysis: Sobol' (1993) first-order and total
// indices from the Saltelli design (Saltelli 2002; Saltelli et al. 2010).
//
// Design: two independent N × k sample matrices A and B of the k inputs, and for each input i
// the matrix A_B^(i) (A with column i taken from B). With f evaluated on every row:
//   V     = variance of {f(A), f(B)}                                (2N values, divisor 2N − 1)
//   S_i   = (1/N) Σ_n (f(B)_n − μ) [f(A_B^(i))_n − f(A)_n] / V       (Saltelli et al. 2010, eq. b;
//           centring f(B) on the mean μ of {f(A), f(B)} keeps the expectation and cuts the variance)
//   ST_i  = (1/2N) Σ_n [f(A)_n − f(A_B^(i))_n]² / V                 (Jansen 1999)
// N (k + 2) evaluations in all. With V = 0 (f constant) every index is 0.
// Check: f = x1 + 2 x2 + 3 x3 with independent U(0,1) inputs has S_i = ST_i = a_i²/Σ a² =
// 1/14, 4/14, 9/14 (tests/unit/stats/test_stats.cpp).
#pragma once

#include <span>
#include <vector>

namespace agglo::stats {

struct SobolIndices {
  std::vector<double> first;  // S_i
  std::vector<double> total;  // ST_i
  double variance = 0;        // V
};

// f_a, f_b: N values each; f_ab[i]: N values of f(A_B^(i)).
SobolIndices sobol_indices(std::span<const double> f_a, std::span<const double> f_b,
                           const std::vector<std::vector<double>>& f_ab);

}  // namespace agglo::stats
