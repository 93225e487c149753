// Queen and rook contiguity from shared polygon vertices (see weights_contiguity.hpp).
#include "agglo/spatial/weights_contiguity.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "agglo/core/error.hpp"
#include "agglo/parallel/cancel.hpp"

namespace agglo::spatial {

namespace {

struct Vertex {
  std::int64_t cx, cy;  // snap-grid cell
  double x, y;
  std::uint32_t region;
};

// Each region's vertices once: exact duplicates (ring-closing vertices, vertices shared by two
// rings of the same region) are removed so they cannot count twice.
std::vector<std::pair<double, double>> unique_vertices(const PolygonVertices& p, std::size_t r) {
  std::vector<std::pair<double, double>> v;
  v.reserve(p.offset[r + 1] - p.offset[r]);
  for (std::size_t k = p.offset[r]; k < p.offset[r + 1]; ++k) v.emplace_back(p.x[k], p.y[k]);
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

bool within_snap(double x1, double y1, double x2, double y2, double snap) {
  const double dx = x1 - x2, dy = y1 - y2;
  if (std::fabs(dx) > snap || std::fabs(dy) > snap) return false;
  return std::hypot(dx, dy) <= snap;
}

// Pairs (a < b) that share at least `need` vertex pairs → weights.
SpatialWeights from_counts(std::size_t n, std::vector<std::pair<std::uint32_t, std::uint32_t>>& hits,
                           std::size_t need) {
  std::sort(hits.begin(), hits.end());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> links;
  for (std::size_t s = 0; s < hits.size();) {
    std::size_t e = s;
    while (e < hits.size() && hits[e] == hits[s]) ++e;
    if (e - s >= need) links.push_back(hits[s]);
    s = e;
  }
  return weights_from_pairs(n, std::move(links));
}

void check_snap(double snap) {
  if (!(snap >= 0) || !std::isfinite(snap))
    throw_usage(ErrorCode::invalid_option_value, "the snap tolerance must be a finite number ≥ 0",
                "spdep's default is 1.49e-8 (sqrt of the machine epsilon)");
}

}  // namespace

SpatialWeights contiguity_weights(const PolygonVertices& p, Contiguity rule, double snap) {
  check_snap(snap);
  const std::size_t n = p.size();
  // The grid cell is at least the snap distance (so shared vertices are in the same or adjacent
  // cells) and at least 1e-12 of the coordinate scale (so cell indices fit in 64 bits). Its size
  // only decides which pairs are compared; every candidate is confirmed by its distance.
  double scale = 0;
  for (std::size_t k = 0; k < p.x.size(); ++k) scale = std::max({scale, std::fabs(p.x[k]), std::fabs(p.y[k])});
  const double h = std::max({snap, scale * 1e-12, 1e-300});
  std::vector<Vertex> v;
  v.reserve(p.x.size());
  for (std::size_t r = 0; r < n; ++r)
    for (const auto& [x, y] : unique_vertices(p, r))
      v.push_back({static_cast<std::int64_t>(std::floor(x / h)), static_cast<std::int64_t>(std::floor(y / h)), x, y,
                   static_cast<std::uint32_t>(r)});
  auto key = [](const Vertex& a) { return std::tie(a.cx, a.cy); };
  std::sort(v.begin(), v.end(), [&](const Vertex& a, const Vertex& b) {
    return std::tie(a.cx, a.cy, a.region, a.x, a.y) < std::tie(b.cx, b.cy, b.region, b.x, b.y);
  });
  parallel::check_cancelled();
  // Each unordered vertex pair (u, v) of different regions within snap is one hit for the
  // region pair; visiting v only when its position in the sorted list is after u's counts it once.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> hits;
  for (std::size_t u = 0; u < v.size(); ++u) {
    for (std::int64_t dx = -1; dx <= 1; ++dx)
      for (std::int64_t dy = -1; dy <= 1; ++dy) {
        const Vertex probe{v[u].cx + dx, v[u].cy + dy, 0, 0, 0};
        auto lo = std::lower_bound(v.begin(), v.end(), probe, [&](const Vertex& a, const Vertex& b) { return key(a) < key(b); });
        for (auto it = lo; it != v.end() && key(*it) == key(probe); ++it) {
          const auto w = static_cast<std::size_t>(it - v.begin());
          if (w <= u || it->region == v[u].region) continue;
          if (!within_snap(v[u].x, v[u].y, it->x, it->y, snap)) continue;
          hits.emplace_back(std::min(v[u].region, it->region), std::max(v[u].region, it->region));
        }
      }
    if ((u & 0xFFFF) == 0) parallel::check_cancelled();
  }
  return from_counts(n, hits, rule == Contiguity::queen ? 1 : 2);
}

SpatialWeights contiguity_bruteforce(const PolygonVertices& p, Contiguity rule, double snap) {
  check_snap(snap);
  const std::size_t n = p.size();
  std::vector<std::vector<std::pair<double, double>>> u(n);
  for (std::size_t r = 0; r < n; ++r) u[r] = unique_vertices(p, r);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> links;
  const std::size_t need = rule == Contiguity::queen ? 1 : 2;
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b) {
      std::size_t c = 0;
      for (const auto& [xa, ya] : u[a])
        for (const auto& [xb, yb] : u[b]) c += within_snap(xa, ya, xb, yb, snap);
      if (c >= need) links.emplace_back(static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b));
    }
  return weights_from_pairs(n, std::move(links));
}

}  // namespace agglo::spatial
