// Spatial weights in compressed sparse rows (see include/agglo/spatial/weights.hpp).
#include "agglo/spatial/weights.hpp"

#include <algorithm>

namespace agglo::spatial {

std::size_t SpatialWeights::islands() const {
  std::size_t c = 0;
  for (std::size_t i = 0; i < n; ++i) c += cardinality(i) == 0;
  return c;
}

namespace {

// Whether j lists i, by binary search in j's sorted row.
bool has_link(const SpatialWeights& w, std::uint32_t j, std::uint32_t i) {
  const auto b = w.neighbour.begin() + static_cast<std::ptrdiff_t>(w.offset[j]);
  const auto e = w.neighbour.begin() + static_cast<std::ptrdiff_t>(w.offset[j + 1]);
  return std::binary_search(b, e, i);
}

void compute_symmetric(SpatialWeights& w) {
  w.symmetric = true;
  for (std::size_t i = 0; i < w.n && w.symmetric; ++i)
    for (std::size_t k = w.offset[i]; k < w.offset[i + 1]; ++k)
      if (!has_link(w, w.neighbour[k], static_cast<std::uint32_t>(i))) {
        w.symmetric = false;
        break;
      }
}

}  // namespace

SpatialWeights weights_from_lists(const std::vector<std::vector<std::uint32_t>>& lists) {
  SpatialWeights w;
  w.n = lists.size();
  w.offset.assign(w.n + 1, 0);
  for (std::size_t i = 0; i < w.n; ++i) {
    std::vector<std::uint32_t> row = lists[i];
    std::sort(row.begin(), row.end());
    row.erase(std::unique(row.begin(), row.end()), row.end());
    row.erase(std::remove(row.begin(), row.end(), static_cast<std::uint32_t>(i)), row.end());
    w.neighbour.insert(w.neighbour.end(), row.begin(), row.end());
    w.offset[i + 1] = w.neighbour.size();
  }
  w.weight.assign(w.neighbour.size(), 1.0);
  compute_symmetric(w);
  return w;
}

SpatialWeights weights_from_pairs(std::size_t n, std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs) {
  const std::size_t m = pairs.size();
  pairs.reserve(2 * m);
  for (std::size_t k = 0; k < m; ++k) pairs.emplace_back(pairs[k].second, pairs[k].first);
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  SpatialWeights w;
  w.n = n;
  w.offset.assign(n + 1, 0);
  for (const auto& [i, j] : pairs)
    if (i != j) ++w.offset[i + 1];
  for (std::size_t i = 0; i < n; ++i) w.offset[i + 1] += w.offset[i];
  w.neighbour.reserve(pairs.size());
  for (const auto& [i, j] : pairs)
    if (i != j) w.neighbour.push_back(j);  // pairs are sorted by (i, j): rows come out in order
  w.weight.assign(w.neighbour.size(), 1.0);
  w.symmetric = true;
  return w;
}

void transform(SpatialWeights& w, WeightsTransform t) {
  w.transform = t;
  for (std::size_t i = 0; i < w.n; ++i) {
    const std::size_t k = w.cardinality(i);
    const double v = t == WeightsTransform::row && k > 0 ? 1.0 / static_cast<double>(k) : 1.0;
    for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) w.weight[e] = v;
  }
}

WeightsConstants weights_constants(const SpatialWeights& w) {
  WeightsConstants c;
  std::vector<double> row(w.n, 0.0), col(w.n, 0.0);
  for (std::size_t i = 0; i < w.n; ++i)
    for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) {
      const std::uint32_t j = w.neighbour[e];
      const double wij = w.weight[e];
      c.S0 += wij;
      row[i] += wij;
      col[j] += wij;
      // S1 = ½ Σ_i Σ_j (w_ij + w_ji)²: each ordered pair (i, j) contributes ½ (w_ij + w_ji)².
      // Look w_ji up in j's sorted row (0 when j does not list i).
      double wji = 0;
      const auto b = w.neighbour.begin() + static_cast<std::ptrdiff_t>(w.offset[j]);
      const auto en = w.neighbour.begin() + static_cast<std::ptrdiff_t>(w.offset[j + 1]);
      const auto it = std::lower_bound(b, en, static_cast<std::uint32_t>(i));
      if (it != en && *it == i) wji = w.weight[static_cast<std::size_t>(it - w.neighbour.begin())];
      c.S1 += 0.5 * (wij + wji) * (wij + wji);
      // A pair listed only as (i, j) also has the term for (j, i) = ½ (w_ji + w_ij)² with the
      // same value; add it here because row j will not visit it.
      if (wji == 0) c.S1 += 0.5 * wij * wij;
    }
  for (std::size_t i = 0; i < w.n; ++i) c.S2 += (row[i] + col[i]) * (row[i] + col[i]);
  return c;
}

std::vector<double> spatial_lag(const SpatialWeights& w, const std::vector<double>& x) {
  std::vector<double> y(w.n, 0.0);
  for (std::size_t i = 0; i < w.n; ++i) {
    double s = 0;
    for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) s += w.weight[e] * x[w.neighbour[e]];
    y[i] = s;
  }
  return y;
}

std::string to_string(WeightsTransform t) { return t == WeightsTransform::row ? "row" : "binary"; }

}  // namespace agglo::spatial
