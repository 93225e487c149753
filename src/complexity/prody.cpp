// PRODY and EXPY; see include/agglo/complexity/prody.hpp.
#include "agglo/complexity/prody.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace agglo::complexity {

Prody prody_expy(const ExportMatrix& x, const Rca& r, const std::vector<double>& gdp) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t L = x.values.rows(), P = x.values.cols();
  Prody out;
  out.prody.assign(P, nan);
  out.expy.assign(L, nan);
  std::vector<std::string> missing;
  std::vector<bool> use(L, false);
  for (std::size_t c = 0; c < L; ++c) {
    if (r.location_excluded[c]) continue;
    if (c < gdp.size() && std::isfinite(gdp[c])) use[c] = true;
    else missing.push_back(x.locations[c]);
  }
  if (!missing.empty()) {
    std::string names;
    for (const auto& n : missing) names += (names.empty() ? "" : ", ") + n;
    out.warnings.push_back(fmt::format("{} location(s) have no GDP per capita and are left out of PRODY (EXPY is still given): {}",
                                       missing.size(), names));
  }
  // Σ_c' X_c'p / X_c' and Σ_c (X_cp / X_c) Y_c over locations with Y.
  std::vector<double> share_sum(P, 0.0), weighted(P, 0.0);
  for (std::size_t c = 0; c < L; ++c) {
    if (!use[c]) continue;
    const double xc = r.location_total[c];
    for (std::size_t p = 0; p < P; ++p) {
      const double s = x.values(c, p) / xc;
      share_sum[p] += s;
      weighted[p] += s * gdp[c];
    }
  }
  for (std::size_t p = 0; p < P; ++p)
    if (!r.product_excluded[p] && share_sum[p] > 0) out.prody[p] = weighted[p] / share_sum[p];
  for (std::size_t c = 0; c < L; ++c) {
    if (r.location_excluded[c]) continue;
    const double xc = r.location_total[c];
    double e = 0;
    for (std::size_t p = 0; p < P; ++p)
      if (std::isfinite(out.prody[p]) && x.values(c, p) > 0) e += (x.values(c, p) / xc) * out.prody[p];
    out.expy[c] = e;
  }
  return out;
}

}  // namespace agglo::complexity
