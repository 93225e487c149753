#include "agglo/stats/sensitivity.hpp"

#include <cmath>

#include "agglo/core/error.hpp"

namespace agglo::stats {

SobolIndices sobol_indices(std::span<const double> f_a, std::span<const double> f_b,
                           const std::vector<std::vector<double>>& f_ab) {
  const std::size_t n = f_a.size();
  AGGLO_ASSERT(f_b.size() == n);
  SobolIndices s;
  s.first.assign(f_ab.size(), 0.0);
  s.total.assign(f_ab.size(), 0.0);
  if (n < 2) return s;
  double sum = 0;
  for (std::size_t r = 0; r < n; ++r) sum += f_a[r] + f_b[r];
  const double mu = sum / static_cast<double>(2 * n);
  double ss = 0;
  for (std::size_t r = 0; r < n; ++r) ss += (f_a[r] - mu) * (f_a[r] - mu) + (f_b[r] - mu) * (f_b[r] - mu);
  s.variance = ss / static_cast<double>(2 * n - 1);
  if (!(s.variance > 0)) return s;
  for (std::size_t i = 0; i < f_ab.size(); ++i) {
    AGGLO_ASSERT(f_ab[i].size() == n);
    double first = 0, total = 0;
    for (std::size_t r = 0; r < n; ++r) {
      // f(B) centred on μ: same expectation (E f(A_B) = E f(A)), far smaller variance.
      first += (f_b[r] - mu) * (f_ab[i][r] - f_a[r]);
      const double d = f_a[r] - f_ab[i][r];
      total += d * d;
    }
    s.first[i] = first / static_cast<double>(n) / s.variance;
    s.total[i] = total / static_cast<double>(2 * n) / s.variance;
  }
  return s;
}

}  // namespace agglo::stats
