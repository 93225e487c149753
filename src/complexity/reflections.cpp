// The method of reflections; see include/agglo/complexity/reflections.hpp.
#include "agglo/complexity/reflections.hpp"

#include <cmath>
#include <limits>

#include "agglo/complexity/eigen_complexity.hpp"

namespace agglo::complexity {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// k_p = (1/k_p,0) Σ_c M_cp k_c over products with ubiquity > 0 (others NaN).
std::vector<double> to_products(const Presence& m, const std::vector<double>& kc) {
  std::vector<double> kp(m.products, nan);
  for (std::size_t p = 0; p < m.products; ++p) {
    if (m.ubiquity[p] == 0) continue;
    double acc = 0;
    for (auto k = m.prod_ptr[p]; k < m.prod_ptr[p + 1]; ++k) acc += kc[m.prod_locations[k]];
    kp[p] = acc / m.ubiquity[p];
  }
  return kp;
}

std::vector<double> to_locations(const Presence& m, const std::vector<double>& kp) {
  std::vector<double> kc(m.locations, nan);
  for (std::size_t c = 0; c < m.locations; ++c) {
    if (m.diversity[c] == 0) continue;
    double acc = 0;
    for (auto k = m.loc_ptr[c]; k < m.loc_ptr[c + 1]; ++k) acc += kp[m.loc_products[k]];
    kc[c] = acc / m.diversity[c];
  }
  return kc;
}

void zscore(std::vector<double>& v) {
  std::vector<double> none;
  normalise(v, none, Normalisation::own);
}

}  // namespace

Reflections reflections(const Presence& m, int iterations) {
  Reflections r;
  const int n = std::max(2, iterations + (iterations % 2));
  r.iterations = n;
  std::vector<double> kc0(m.locations, nan), kp0(m.products, nan);
  for (std::size_t c = 0; c < m.locations; ++c)
    if (m.diversity[c] > 0) kc0[c] = m.diversity[c];
  for (std::size_t p = 0; p < m.products; ++p)
    if (m.ubiquity[p] > 0) kp0[p] = m.ubiquity[p];
  r.avg_ubiquity = to_locations(m, kp0);   // k_c,1
  r.avg_diversity = to_products(m, kc0);   // k_p,1
  // The chain k_c,0 → k_p,1 → k_c,2 → … → k_c,N → k_p,N+1, z-scored at every step.
  std::vector<double> kc = kc0, kp;
  zscore(kc);
  for (int step = 1; step <= n; step += 2) {
    kp = to_products(m, kc);  // k_p,step
    zscore(kp);
    kc = to_locations(m, kp);  // k_c,step+1
    zscore(kc);
  }
  kp = to_products(m, kc);  // k_p,N+1
  zscore(kp);
  r.eci = std::move(kc);
  r.pci = std::move(kp);
  return r;
}

}  // namespace agglo::complexity
