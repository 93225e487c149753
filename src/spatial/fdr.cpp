// Benjamini–Hochberg adjusted p-values (see include/agglo/spatial/fdr.hpp).
#include "agglo/spatial/fdr.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace agglo::spatial {

std::vector<double> benjamini_hochberg(const std::vector<double>& p) {
  std::vector<double> out(p.size(), std::nan(""));
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!std::isnan(p[i])) idx.push_back(i);
  const double m = static_cast<double>(idx.size());
  // Largest p first; stable so equal p-values keep input order (the result does not depend on
  // it: equal p-values get equal adjusted values through the running minimum).
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
  double running = 1.0;
  for (std::size_t r = 0; r < idx.size(); ++r) {
    const double rank = m - static_cast<double>(r);  // rank of p[idx[r]] in ascending order
    running = std::min(running, m / rank * p[idx[r]]);
    out[idx[r]] = std::min(1.0, running);
  }
  return out;
}

}  // namespace agglo::spatial
