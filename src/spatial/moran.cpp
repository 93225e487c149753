// Global and local Moran's I with their analytical moments (see include/agglo/spatial/moran.hpp).
#include "agglo/spatial/moran.hpp"

#include <cmath>
#include <limits>

namespace agglo::spatial {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> centred(const std::vector<double>& x) {
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  std::vector<double> z(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) z[i] = x[i] - mean;
  return z;
}
}  // namespace

double normal_p_two_sided(double z) {
  if (std::isnan(z)) return kNaN;
  return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

double moran_statistic(const std::vector<double>& z, const SpatialWeights& w, double n_used, double S0) {
  double zz = 0, cross = 0;
  for (std::size_t i = 0; i < w.n; ++i) {
    zz += z[i] * z[i];
    double lag = 0;
    for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) lag += w.weight[e] * z[w.neighbour[e]];
    cross += z[i] * lag;
  }
  return (n_used / S0) * cross / zz;
}

GlobalMoran global_moran(const std::vector<double>& x, const SpatialWeights& w) {
  GlobalMoran g;
  const auto z = centred(x);
  const auto c = weights_constants(w);
  const double n_all = static_cast<double>(x.size());
  const double n = static_cast<double>(x.size() - w.islands());
  g.n_used = x.size() - w.islands();
  g.I = moran_statistic(z, w, n, c.S0);
  double z2 = 0, z4 = 0;
  for (double v : z) z2 += v * v, z4 += v * v * v * v;
  g.kurtosis = n_all * z4 / (z2 * z2);
  g.expected = -1.0 / (n - 1);
  const double S02 = c.S0 * c.S0, nn = n * n, E2 = g.expected * g.expected;
  g.var_normal = (nn * c.S1 - n * c.S2 + 3 * S02) / (S02 * (nn - 1)) - E2;
  const double a = n * (c.S1 * (nn - 3 * n + 3) - n * c.S2 + 3 * S02);
  const double b = g.kurtosis * (c.S1 * (nn - n) - 2 * n * c.S2 + 6 * S02);
  g.var_random = (a - b) / ((n - 1) * (n - 2) * (n - 3) * S02) - E2;
  g.z_normal = (g.I - g.expected) / std::sqrt(g.var_normal);
  g.z_random = g.var_random > 0 ? (g.I - g.expected) / std::sqrt(g.var_random) : kNaN;
  g.p_normal = normal_p_two_sided(g.z_normal);
  g.p_random = normal_p_two_sided(g.z_random);
  g.p_random_greater = std::isnan(g.z_random) ? kNaN : 0.5 * std::erfc(g.z_random / std::sqrt(2.0));
  return g;
}

LocalMoran local_moran(const std::vector<double>& x, const SpatialWeights& w) {
  const std::size_t N = x.size();
  const double n = static_cast<double>(N);
  const auto z = centred(x);
  double m2 = 0;
  for (double v : z) m2 += v * v;
  m2 /= n;
  const auto lag = spatial_lag(w, z);
  LocalMoran r;
  r.I.resize(N), r.expected.resize(N), r.variance.resize(N), r.z.resize(N), r.p_normal.resize(N);
  for (std::size_t i = 0; i < N; ++i) {
    double Wi = 0, W2i = 0;
    for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) Wi += w.weight[e], W2i += w.weight[e] * w.weight[e];
    const double zi = z[i];
    r.I[i] = (zi / m2) * lag[i];
    r.expected[i] = -(zi * zi * Wi) / ((n - 1) * m2);
    r.variance[i] = (zi / m2) * (zi / m2) * (n / (n - 2)) * (W2i - Wi * Wi / (n - 1)) * (m2 - zi * zi / (n - 1));
    r.z[i] = r.variance[i] > 0 ? (r.I[i] - r.expected[i]) / std::sqrt(r.variance[i]) : kNaN;
    r.p_normal[i] = normal_p_two_sided(r.z[i]);
  }
  return r;
}

}  // namespace agglo::spatial
