// Kaplan–Meier curves (include/agglo/stats/kaplan_meier.hpp).
#include "agglo/stats/kaplan_meier.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/error.hpp"

namespace agglo::stats {

std::vector<KmCurve> kaplan_meier(std::span<const double> start, std::span<const double> stop,
                                  std::span<const std::uint8_t> event, std::span<const std::uint32_t> group,
                                  std::size_t groups, double level) {
  const std::size_t n = stop.size();
  AGGLO_ASSERT(event.size() == n && group.size() == n && (start.empty() || start.size() == n));
  // two-sided normal quantile by bisection on erfc
  double lo = 0, hi = 10;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (std::erfc(mid / std::sqrt(2.0)) > 1 - level ? lo : hi) = mid;
  }
  const double z = (lo + hi) / 2;
  std::vector<std::vector<std::size_t>> members(groups);
  for (std::size_t i = 0; i < n; ++i) members[group[i]].push_back(i);
  std::vector<KmCurve> out(groups);
  for (std::size_t g = 0; g < groups; ++g) {
    auto idx = members[g];
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return stop[a] < stop[b]; });
    std::vector<double> starts;
    if (!start.empty()) {
      for (auto i : idx) starts.push_back(start[i]);
      std::sort(starts.begin(), starts.end());
    }
    double S = 1, var = 0;
    out[g].median = std::numeric_limits<double>::quiet_NaN();
    std::size_t p = 0;
    while (p < idx.size()) {
      const double t = stop[idx[p]];
      std::size_t e = p;
      double d = 0, c = 0;
      while (e < idx.size() && stop[idx[e]] == t) (event[idx[e]] ? d : c) += 1, ++e;
      // at risk: exit ≥ t, minus (counting process) those entering at or after t
      double nr = static_cast<double>(idx.size() - p);
      if (!start.empty())
        nr -= static_cast<double>(starts.end() - std::lower_bound(starts.begin(), starts.end(), t));
      if (d > 0) {
        S *= 1 - d / nr;
        var += nr > d ? d / (nr * (nr - d)) : std::numeric_limits<double>::infinity();
      }
      KmRow row;
      row.time = t;
      row.at_risk = nr;
      row.events = d;
      row.censored = c;
      row.survival = S;
      const double sl = std::sqrt(var);
      row.std_error = S * sl;
      row.lower = S > 0 && std::isfinite(sl) ? std::exp(std::log(S) - z * sl) : std::numeric_limits<double>::quiet_NaN();
      row.upper = S > 0 && std::isfinite(sl) ? std::min(1.0, std::exp(std::log(S) + z * sl)) : std::numeric_limits<double>::quiet_NaN();
      if (std::isnan(out[g].median) && S <= 0.5) out[g].median = t;
      out[g].rows.push_back(row);
      p = e;
    }
  }
  return out;
}

}  // namespace agglo::stats
