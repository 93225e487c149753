// Entries, exits and the relatedness-principle test; see include/agglo/complexity/panel_dynamics.hpp.
#include "agglo/complexity/panel_dynamics.hpp"

#include <algorithm>
#include <cmath>

namespace agglo::complexity {

PanelDynamics panel_dynamics(const std::vector<Snapshot>& years, std::size_t locations, std::size_t products) {
  PanelDynamics out;
  // (density at the start, entered?) of every candidate cell, pooled over year pairs; counted
  // first so the vector (hundreds of MB for a large panel) is allocated once.
  std::size_t count = 0;
  for (std::size_t t = 0; t + 1 < years.size(); ++t)
    for (std::size_t i = 0; i < locations * products; ++i)
      count += years[t].present[i] == 0 && years[t + 1].present[i] <= 1;
  std::vector<std::pair<double, bool>> candidates;
  candidates.reserve(count);
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
  // Deciles by rank: cell k of n in ascending density goes to decile ⌊10k/n⌋+1, and a run of
  // equal densities takes the decile of its first member (equal densities are never split).
  // The first member of x's run sits at f = #{densities < x}, so
  //   decile(x) = ⌊10 f / n⌋ + 1 = 1 + #{d ∈ 1..9 : f ≥ r_d},  r_d = ⌈d n / 10⌉,
  // and f ≥ r_d exactly when the r_d-th smallest density s_(r_d) is < x. The nine order
  // statistics come from nth_element on shrinking ranges: O(n) instead of a sort.
  // nth_element permutes the candidates themselves (the tally below does not need their order).
  const std::size_t n = candidates.size();
  const auto by_density = [](const auto& x, const auto& y) { return x.first < y.first; };
  double cut[9];
  auto from = candidates.begin();
  for (std::size_t d = 1; d <= 9; ++d) {
    const std::size_t r = (d * n + 9) / 10;  // ≥ 1 since n ≥ 1
    const auto at = candidates.begin() + static_cast<std::ptrdiff_t>(r - 1);
    std::nth_element(from, at, candidates.end(), by_density);
    cut[d - 1] = at->first;
    from = at;
  }
  EntryDecile rows[10];
  bool any[10] = {};
  for (const auto& [x, entered] : candidates) {
    int d = 0;
    while (d < 9 && cut[d] < x) ++d;
    auto& row = rows[d];
    if (!any[d] || x < row.density_min) row.density_min = x;
    if (!any[d] || x > row.density_max) row.density_max = x;
    any[d] = true;
    ++row.candidates;
    row.entries += entered;
  }
  for (int d = 0; d < 10; ++d) {
    if (!any[d]) continue;
    rows[d].decile = d + 1;
    rows[d].probability = static_cast<double>(rows[d].entries) / static_cast<double>(rows[d].candidates);
    out.deciles.push_back(rows[d]);
  }
  return out;
}

}  // namespace agglo::complexity
