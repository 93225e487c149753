// Getis–Ord G*_i (see include/agglo/spatial/getis.hpp).
#include "agglo/spatial/getis.hpp"

#include <cmath>

#include "agglo/spatial/moran.hpp"

namespace agglo::spatial {

GetisOrd getis_ord_star(const std::vector<double>& x, const SpatialWeights& w) {
  const std::size_t N = x.size();
  const double n = static_cast<double>(N);
  double mean = 0;
  for (double v : x) mean += v;
  mean /= n;
  double s2 = 0;
  for (double v : x) s2 += (v - mean) * (v - mean);
  s2 /= n;
  GetisOrd g;
  g.z.resize(N), g.p_normal.resize(N);
  for (std::size_t i = 0; i < N; ++i) {
    // Binary weights with self: W*_i = k_i + 1 = S*_1i.
    double lag = x[i];
    for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) lag += x[w.neighbour[e]];
    const double W = static_cast<double>(w.cardinality(i) + 1);
    const double var = s2 * (n * W - W * W) / (n - 1);
    g.z[i] = (lag - mean * W) / std::sqrt(var);
    g.p_normal[i] = normal_p_two_sided(g.z[i]);
  }
  return g;
}

}  // namespace agglo::spatial
