// The Fitness–Complexity algorithm; see include/agglo/complexity/fitness.hpp.
#include "agglo/complexity/fitness.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace agglo::complexity {

Fitness fitness_complexity(const Presence& m, int max_iterations, double tolerance) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  Fitness f;
  std::vector<double> F(m.locations, nan), Q(m.products, nan), Fn(m.locations, nan), Qn(m.products, nan);
  std::size_t nl = 0, np = 0;
  for (std::size_t c = 0; c < m.locations; ++c)
    if (m.diversity[c] > 0) F[c] = 1, ++nl;
  for (std::size_t p = 0; p < m.products; ++p)
    if (m.ubiquity[p] > 0) Q[p] = 1, ++np;
  if (nl == 0 || np == 0) {
    f.fitness = F, f.complexity = Q, f.converged = true;
    return f;
  }
  for (int it = 1; it <= max_iterations; ++it) {
    // Both updates use the previous iterate (the simultaneous form of Tacchella et al.).
    double sf = 0, sq = 0;
    for (std::size_t c = 0; c < m.locations; ++c) {
      if (m.diversity[c] == 0) continue;
      double acc = 0;
      for (auto k = m.loc_ptr[c]; k < m.loc_ptr[c + 1]; ++k) acc += Q[m.loc_products[k]];
      Fn[c] = acc;
      sf += acc;
    }
    for (std::size_t p = 0; p < m.products; ++p) {
      if (m.ubiquity[p] == 0) continue;
      double acc = 0;
      for (auto k = m.prod_ptr[p]; k < m.prod_ptr[p + 1]; ++k) acc += 1.0 / F[m.prod_locations[k]];
      Qn[p] = 1.0 / acc;
      sq += Qn[p];
    }
    const double mf = sf / nl, mq = sq / np;
    double change = 0;
    for (std::size_t c = 0; c < m.locations; ++c)
      if (m.diversity[c] > 0) {
        Fn[c] /= mf;
        change = std::max(change, std::fabs(Fn[c] - F[c]));
      }
    for (std::size_t p = 0; p < m.products; ++p)
      if (m.ubiquity[p] > 0) {
        Qn[p] /= mq;
        change = std::max(change, std::fabs(Qn[p] - Q[p]));
      }
    std::swap(F, Fn);
    std::swap(Q, Qn);
    f.iterations = it;
    f.last_change = change;
    if (change < tolerance) {
      f.converged = true;
      break;
    }
  }
  f.fitness = std::move(F);
  f.complexity = std::move(Q);
  return f;
}

}  // namespace agglo::complexity
