// Entries, exits and the relatedness-principle test; see include/agglo/complexity/panel_dynamics.hpp.
#include "agglo/complexity/panel_dynamics.hpp"

#include <algorithm>
#include <cmath>

namespace agglo::complexity {

PanelDynamics panel_dynamics(const std::vector<Snapshot>& years, std::size_t locations, std::size_t products) {
  PanelDynamics out;
  // (density at the start, entered?) of every candidate cell, pooled over year pairs.
  std::vector<std::pair<double, bool>> candidates;
  double sum_in = 0, sum_out = 0;
  for (std::size_t t = 0; t + 1 < years.size(); ++t) {
    const auto& a = years[t];
    const auto& b = years[t + 1];
    for (std::size_t c = 0; c < locations; ++c) {
      LocationChange ch;
      ch.year_from = a.year;
      ch.year_to = b.year;
      ch.location = static_cast<std::uint32_t>(c);
      bool observed = false;
      for (std::size_t p = 0; p < products; ++p) {
        const auto x = a.present[c * products + p], y = b.present[c * products + p];
        if (x > 1 || y > 1) continue;  // not observed in one of the years
        observed = true;
        if (x == 0 && y == 1) ++ch.entries;
        if (x == 1 && y == 0) ++ch.exits;
        if (x == 1 && y == 1) ++ch.kept;
        if (x == 0) {
          const double d = a.density(c, p);
          candidates.emplace_back(d, y == 1);
          (y == 1 ? sum_in : sum_out) += d;
        }
      }
      if (observed) out.changes.push_back(ch);
    }
  }
  out.candidates = candidates.size();
  for (const auto& c : candidates) out.entries += c.second;
  if (out.entries) out.mean_density_entered = sum_in / out.entries;
  if (out.candidates > out.entries) out.mean_density_not_entered = sum_out / (out.candidates - out.entries);
  if (candidates.empty()) return out;
  // Deciles by rank: cell k of n goes to decile ⌊10k/n⌋+1; ties at a boundary stay together
  // (a tie run is assigned the decile of its first member) so equal densities are never split.
  std::sort(candidates.begin(), candidates.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  const std::size_t n = candidates.size();
  std::vector<int> dec(n);
  for (std::size_t k = 0; k < n; ++k) {
    dec[k] = static_cast<int>(10 * k / n) + 1;
    if (k > 0 && candidates[k].first == candidates[k - 1].first) dec[k] = dec[k - 1];
  }
  for (int d = 1; d <= 10; ++d) {
    EntryDecile row;
    row.decile = d;
    bool any = false;
    for (std::size_t k = 0; k < n; ++k) {
      if (dec[k] != d) continue;
      if (!any) row.density_min = candidates[k].first;
      row.density_max = candidates[k].first;
      any = true;
      ++row.candidates;
      row.entries += candidates[k].second;
    }
    if (!any) continue;
    row.probability = static_cast<double>(row.entries) / static_cast<double>(row.candidates);
    out.deciles.push_back(row);
  }
  return out;
}

}  // namespace agglo::complexity
