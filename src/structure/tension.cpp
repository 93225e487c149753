// Structural tensions between linked industries (include/agglo/structure/tension.hpp).
#include "agglo/structure/tension.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "agglo/core/error.hpp"
#include "agglo/stats/time_series.hpp"

namespace agglo::structure {

TensionResult structural_tension(const std::vector<std::vector<double>>& y, const std::vector<long long>& years,
                                 const std::vector<double>& link, std::size_t h) {
  const std::size_t k = y.size(), T = years.size();
  AGGLO_ASSERT(link.size() == k * k);
  if (h < 1 || T < h + 3)
    throw_input(ErrorCode::invalid_value,
                fmt::format("{} years are too few for {}-year tensions (need at least {})", T, h, h + 3), {},
                "use a shorter --tension-window or longer series");
  const double nan = std::nan("");
  TensionResult r;
  for (std::size_t t = h; t < T; ++t) r.years.push_back(years[t]);
  std::vector<double> num(T - h, 0.0);
  double weight = 0;
  std::vector<double> d(T);
  for (std::size_t p = 0; p < k; ++p)
    for (std::size_t q = p + 1; q < k; ++q) {
      const double w = link[p * k + q];
      if (!(w > 0)) continue;
      PairTension pt;
      pt.a = p;
      pt.b = q;
      pt.link = w;
      for (std::size_t t = 0; t < T; ++t) d[t] = y[p][t] - y[q][t];
      std::size_t peak = h;
      for (std::size_t t = h; t < T; ++t) {
        const double g = d[t] - d[t - h];
        num[t - h] += w * std::abs(g);
        if (std::abs(g) > std::abs(d[peak] - d[peak - h])) peak = t;
      }
      weight += w;
      pt.peak_gap = d[peak] - d[peak - h];
      pt.peak_year = years[peak];
      pt.leader = pt.peak_gap >= 0 ? p : q;
      pt.closed_share = peak + h < T && pt.peak_gap != 0 ? 1.0 - std::abs(d[peak + h] - d[peak - h]) / std::abs(pt.peak_gap) : nan;
      // The Dickey–Fuller regression of Δd on d_{t−1} with a constant (adf_test with 0 lags
      // reports the t statistic; ρ is recomputed here by the same OLS).
      double sx = 0, sy = 0, sxx = 0, sxy = 0;
      const double n = static_cast<double>(T - 1);
      for (std::size_t t = 1; t < T; ++t) {
        const double x = d[t - 1], dy = d[t] - d[t - 1];
        sx += x;
        sy += dy;
        sxx += x * x;
        sxy += x * dy;
      }
      const double var = sxx - sx * sx / n;
      pt.reversion = var > 0 ? (sxy - sx * sy / n) / var : nan;
      pt.half_life = pt.reversion < 0 && pt.reversion > -1 ? std::log(0.5) / std::log(1.0 + pt.reversion)
                     : pt.reversion <= -1                  ? 0.0
                                                           : std::numeric_limits<double>::infinity();
      pt.adf_p = var > 0 ? stats::adf_test(d, 0).p_value : nan;
      r.pairs.push_back(pt);
    }
  r.index.assign(T - h, nan);
  if (weight > 0)
    for (std::size_t t = 0; t < T - h; ++t) r.index[t] = num[t] / weight;
  return r;
}

}  // namespace agglo::structure
