// DBSCAN on a grid of small cells (see include/agglo/spatial/dbscan.hpp for the definitions):
// the grid algorithm of Gunawan (2013, "A faster algorithm for DBSCAN", MSc thesis, TU
// Eindhoven) and de Berg, Gunawan & Roeloffzen (2017, "Faster DB-scan and HDB-scan in low-
// dimensional Euclidean spaces", ISAAC), in the parallel form of Wang, Gu & Shun (2020,
// "Theoretically-efficient and practical parallel DBSCAN", SIGMOD): cells so small that all
// points of a cell are within eps of each other.
//
// The grid. Projected points go into square cells of side h = eps/√2 (diagonal = eps). Lon/lat
// points go into cubic cells on their 3-D positions on the sphere (x = R cosφ cosλ,
// y = R cosφ sinλ, z = R sinφ) of side h = c/√3, c = 2R sin(eps/2R) the chord of an arc of
// eps km (space diagonal = c); the great-circle test d ≤ eps is exactly the chord test
// |p − q| ≤ c, so again two points of one cell are neighbours. This is the equirectangular
// idea made exact: no latitude-dependent margin, no seam at the antimeridian, no singularity at
// the poles. The side carries a relative safety margin of 1e-6 (far above the rounding of the
// cell computation) on the small side, so "same cell ⇒ within eps" holds for the computed
// distances too. A point's eps-ball reaches the cells at offset d with
//   Σᵢ max(|dᵢ| − 1, 0)² h² ≤ eps²   (the gap between the two cells, per axis),
// again with a 1e-6 margin, now on the large side: offsets up to ±2 per axis, the 5×5 block in
// the plane and 5×5×5 on the sphere. Each candidate pair is confirmed with the exact distance
// (Euclidean, or the haversine quantity from unit vectors), so the grid decides the work, never
// the result. When the data span more than 1e8 cells per axis the cells are widened (keeping cell
// coordinates in 32 bits); then the within-a-cell guarantee is lost and it is simply not used.
//
// Cells are sorted lexicographically by their integer key, so the cells of a "column" (all
// axes but the last fixed) are contiguous and sorted by the last axis, and a neighbour block is
// a few contiguous ranges of cells, one per neighbouring column. Those ranges are found by a
// merge-like sweep down each pair of columns (two pointers per neighbouring column), not by one
// hash look-up per neighbour cell; only columns are looked up.
//
// The phases, each a TBB parallel loop over columns of cells whose output per point does not
// depend on the order of execution:
//   1. core points. A cell whose mass (count, or sum of the non-negative weights) is
//      ≥ min_points makes all its points core with no distance computed: each one's
//      neighbourhood contains the whole cell. Every other point sums the mass of its
//      neighbours over the neighbouring cells (cells whose box is beyond eps of the point are
//      skipped), stopping as soon as the mass reaches min_points (weights are ≥ 0, so the
//      mass only grows);
//   2. clusters = connected components of core points, with a lock-free union–find on core
//      points. The core points of one cell are one component (all within eps of each other).
//      Two neighbouring cells with core points are joined when a bichromatic closest-pair test
//      finds any pair of their core points within eps (early exit at the first such pair;
//      skipped when the two cells are already in one component). The adjacent cells (offsets
//      in {−1, 0, 1}) are linked in a first pass and the farther ones in a second, so in a dense
//      region the farther tests are mostly skipped. Every link goes from the larger root to the
//      smaller, so the root of a component is its smallest member whatever the interleaving, and
//      the components are those of the "within eps" graph on core points: the result is the
//      same for any thread count;
//   3. each non-core point joins the cluster of its first core neighbour in input order (the
//      smallest input index among the core points within eps), or is noise.
// Clusters are then numbered in input order of their first core point.
#include "agglo/spatial/dbscan.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"

namespace agglo::spatial {

namespace {

void check(const std::vector<double>& x, const std::vector<double>& y,
           const std::vector<double>& w, const DbscanParams& p) {
  if (!(p.eps > 0) || !std::isfinite(p.eps))
    throw_usage(ErrorCode::invalid_option_value, "--eps must be a distance > 0",
                "eps is in km for lon/lat points and in the coordinates' unit for x,y");
  if (!(p.min_points >= 1) || !std::isfinite(p.min_points))
    throw_usage(ErrorCode::invalid_option_value, "--min-points must be ≥ 1",
                "the point itself counts, as in sklearn and R dbscan: 1 makes every point a core point");
  AGGLO_ASSERT(x.size() == y.size());
  AGGLO_ASSERT(w.empty() || w.size() == x.size());
  // The early exits (a point is core once its mass reaches min_points; a cell whose own mass
  // reaches it is core as a whole) need masses that only grow: weights finite and ≥ 0.
  for (double v : w)
    if (!(v >= 0) || !std::isfinite(v))
      throw_usage(ErrorCode::invalid_option_value, "DBSCAN weights must be finite and ≥ 0",
                  "the weight is a point's share of a neighbourhood's mass, as sklearn's sample_weight");
}

// The exact distance test shared by the grid and the brute-force paths. Projected: Euclidean
// distance ≤ eps. Lon/lat: the haversine formula's own quantity
//   a = sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2) = (|u₁ − u₂| / 2)²,
// with u the points' unit vectors, and d = 2R asin(√a) ≤ eps ⇔ |u₁ − u₂|² ≤ (2 sin(eps/2R))².
// Computing a from the unit vectors is the same great-circle test as geo::haversine_km with no
// trigonometry per pair (and, for metre-scale distances, with absolute error ~1e-16 R).
struct Within {
  const double* x;  // projected x, or unit-vector x
  const double* y;
  const double* z;  // unit-vector z (geographic only)
  double eps;       // projected: eps; geographic: the squared chord threshold
  bool geographic;
  // Projected: the decision is geo::euclidean (std::hypot) ≤ eps. dx² + dy² is within a few
  // ulps of hypot², so outside a relative band of 1e-9 around eps² it decides the same way
  // without the libm call; inside the band hypot decides, so the answer is exactly hypot's.
  // (Far from under- and overflow only: otherwise the band is everything.)
  bool plain = eps > 1e-100 && eps < 1e100;
  double lo2 = plain ? eps * eps * (1 - 1e-9) : -1.0;
  double hi2 = plain ? eps * eps * (1 + 1e-9) : std::numeric_limits<double>::infinity();
  bool operator()(std::size_t i, std::size_t j) const {
    if (geographic) {
      const double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
      return dx * dx + dy * dy + dz * dz <= eps;
    }
    const double dx = x[j] - x[i], dy = y[j] - y[i], d2 = dx * dx + dy * dy;
    if (d2 < lo2) return true;
    if (d2 > hi2 && d2 <= std::numeric_limits<double>::max()) return false;
    return geo::euclidean(x[i], y[i], x[j], y[j]) <= eps;
  }
};

// Squared unit-sphere chord of an arc of eps km (4 = the whole sphere).
double chord2(double eps_km) {
  const double half = eps_km / (2 * geo::earth_radius_km);
  if (half >= std::acos(-1.0) / 2) return 4.0 * (1 + 1e-12);
  const double c = 2 * std::sin(half);
  return c * c;
}

void unit_vector(double lon, double lat, double& ux, double& uy, double& uz) {
  const auto u = geo::unit_vector(lon, lat);
  ux = u[0], uy = u[1], uz = u[2];
}

using Key = std::array<std::int32_t, 3>;
// Lexicographic comparisons written out (std::array's go through memcmp, the top of a
// profile of the sort).
inline bool same(const Key& a, const Key& b) { return a[0] == b[0] && a[1] == b[1] && a[2] == b[2]; }
inline bool before(const Key& a, const Key& b) {
  if (a[0] != b[0]) return a[0] < b[0];
  if (a[1] != b[1]) return a[1] < b[1];
  return a[2] < b[2];
}

std::uint64_t hash_key(const Key& k) {
  std::uint64_t h = static_cast<std::uint32_t>(k[0]);
  h = h * 0x9E3779B97F4A7C15ULL ^ static_cast<std::uint32_t>(k[1]);
  h = h * 0x9E3779B97F4A7C15ULL ^ static_cast<std::uint32_t>(k[2]);
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ULL;
  return h ^ (h >> 32);
}

// Lock-free union–find over point indices; unite() always links the larger root under the
// smaller, so the root of a component is its smallest member whatever the interleaving.
struct UnionFind {
  std::vector<std::atomic<std::uint32_t>> parent;
  explicit UnionFind(std::size_t n) : parent(n) {
    for (std::size_t i = 0; i < n; ++i) parent[i].store(static_cast<std::uint32_t>(i), std::memory_order_relaxed);
  }
  std::uint32_t find(std::uint32_t a) {
    for (;;) {
      std::uint32_t p = parent[a].load(std::memory_order_relaxed);
      if (p == a) return a;
      std::uint32_t gp = parent[p].load(std::memory_order_relaxed);
      if (gp != p) parent[a].compare_exchange_weak(p, gp, std::memory_order_relaxed);  // halving
      a = gp;
    }
  }
  void unite(std::uint32_t a, std::uint32_t b) {
    for (;;) {
      a = find(a);
      b = find(b);
      if (a == b) return;
      if (a < b) std::swap(a, b);
      std::uint32_t expected = a;
      if (parent[a].compare_exchange_strong(expected, b, std::memory_order_acq_rel)) return;
    }
  }
};

}  // namespace

DbscanResult dbscan(const std::vector<double>& x_in, const std::vector<double>& y_in,
                    const std::vector<double>& w_in, const DbscanParams& p) {
  check(x_in, y_in, w_in, p);
  const std::size_t n = x_in.size();
  DbscanResult res;
  res.label.assign(n, -1);
  res.core.assign(n, 0);
  if (n == 0) return res;
  AGGLO_ASSERT(n < std::numeric_limits<std::uint32_t>::max());

  // ---- grid coordinates -------------------------------------------------------------------
  // Grid space: g = (position − origin) / h, so a point's cell is floor(g) per axis.
  const int dims = p.geographic ? 3 : 2;
  const int last = dims - 1;  // the axis along which a column's cells are sorted
  const double R = geo::earth_radius_km;
  const double reach = p.geographic ? R * std::sqrt(chord2(p.eps)) : p.eps;  // in grid-space units·h
  const double h_small = reach / std::sqrt(double(dims)) * (1 - 1e-6);
  double h, x0 = 0, y0 = 0;
  if (p.geographic) {
    h = std::max(h_small, 2 * R * 1e-8);
  } else {
    const auto [xmin, xmax] = std::minmax_element(x_in.begin(), x_in.end());
    const auto [ymin, ymax] = std::minmax_element(y_in.begin(), y_in.end());
    // The floor on h keeps ≤ 1e8 cells per axis and keeps h far above the rounding of
    // x − x0 (a few ulps of the largest coordinate magnitude).
    const double scale = std::max({*xmax - *xmin, *ymax - *ymin, std::abs(*xmin), std::abs(*xmax),
                                   std::abs(*ymin), std::abs(*ymax)});
    h = std::max(h_small, scale * 1e-8);
    x0 = *xmin, y0 = *ymin;
  }
  // Every pair of points in one cell is within eps (unless the cells had to be widened).
  const bool cell_is_clique = h == h_small;
  // q: the squared reach in cells, with the safety margin on the large side.
  const double q = std::pow(reach * (1 + 1e-6) / h, 2) + 1e-9;
  const int r = static_cast<int>(std::floor(std::sqrt(q))) + 1;  // largest offset per axis

  std::vector<Key> key(n);
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) {
    double g[3] = {0, 0, 0};
    if (p.geographic) {
      double ux, uy, uz;
      unit_vector(x_in[i], y_in[i], ux, uy, uz);
      g[0] = (R * ux + R) / h, g[1] = (R * uy + R) / h, g[2] = (R * uz + R) / h;
    } else {
      g[0] = (x_in[i] - x0) / h, g[1] = (y_in[i] - y0) / h;
    }
    for (int d = 0; d < 3; ++d) key[i][d] = static_cast<std::int32_t>(std::min(std::floor(g[d]), 2e9));
  });

  // ---- points sorted by cell (ties by input index: deterministic) ---------------------------
  // (key, index) records are sorted rather than indices into `key`: no indirection in the
  // comparisons.
  struct Rec { Key k; std::uint32_t i; };
  std::vector<Rec> rec(n);
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) { rec[i] = {key[i], static_cast<std::uint32_t>(i)}; });
  key = {};
  tbb::parallel_sort(rec.begin(), rec.end(), [](const Rec& a, const Rec& b) {
    return !same(a.k, b.k) ? before(a.k, b.k) : a.i < b.i;
  });
  std::vector<std::uint32_t> order(n);
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t s) { order[s] = rec[s].i; });
  // Sorted copies of coordinates and weights, so a cell's points are contiguous in memory.
  // Geographic points are kept as unit vectors (see Within).
  std::vector<double> xs(n), ys(n), zs(p.geographic ? n : 0), ws(w_in.empty() ? 0 : n);
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t s) {
    if (p.geographic) {
      unit_vector(x_in[order[s]], y_in[order[s]], xs[s], ys[s], zs[s]);
    } else {
      xs[s] = x_in[order[s]];
      ys[s] = y_in[order[s]];
    }
    if (!w_in.empty()) ws[s] = w_in[order[s]];
  });
  // Grid-space coordinate of sorted point s on axis d (the expression the keys came from).
  auto grid = [&](std::uint32_t s, int d) -> double {
    if (p.geographic) return (R * (d == 0 ? xs[s] : d == 1 ? ys[s] : zs[s]) + R) / h;
    return d == 0 ? (xs[s] - x0) / h : (ys[s] - y0) / h;
  };
  std::vector<std::uint32_t> cell_start;  // cell c holds sorted points [start[c], start[c+1])
  std::vector<Key> cell_key;
  for (std::size_t s = 0; s < n; ++s)
    if (s == 0 || !same(rec[s].k, rec[s - 1].k)) {
      cell_start.push_back(static_cast<std::uint32_t>(s));
      cell_key.push_back(rec[s].k);
    }
  const std::size_t cells = cell_key.size();
  cell_start.push_back(static_cast<std::uint32_t>(n));
  rec = {};

  // Squared gap, in cells, between sorted point s and the box of cell o: the point's eps-ball
  // can reach o only when this is ≤ q.
  auto gap2 = [&](std::uint32_t s, std::uint32_t o) {
    double sum = 0;
    for (int d = 0; d < dims; ++d) {
      const double g = grid(s, d), lo = cell_key[o][d];
      const double gap = g < lo ? lo - g : g > lo + 1 ? g - lo - 1 : 0.0;
      sum += gap * gap;
    }
    return sum;
  };

  // ---- columns: runs of cells equal on every axis but the last ------------------------------
  auto column_of = [&](Key k) {
    k[last] = 0;
    return k;
  };
  std::vector<std::uint32_t> col_start;
  std::vector<Key> col_key;
  for (std::size_t c = 0; c < cells; ++c)
    if (c == 0 || !same(column_of(cell_key[c]), column_of(cell_key[c - 1]))) {
      col_start.push_back(static_cast<std::uint32_t>(c));
      col_key.push_back(column_of(cell_key[c]));
    }
  const std::size_t cols = col_key.size();
  col_start.push_back(static_cast<std::uint32_t>(cells));
  std::size_t cap = 16;
  while (cap < 2 * cols) cap <<= 1;
  std::vector<std::int32_t> table(cap, -1);  // open addressing: column key → column index
  for (std::size_t c = 0; c < cols; ++c) {
    std::size_t slot = hash_key(col_key[c]) & (cap - 1);
    while (table[slot] >= 0) slot = (slot + 1) & (cap - 1);
    table[slot] = static_cast<std::int32_t>(c);
  }
  auto lookup = [&](const Key& k) -> std::int32_t {
    std::size_t slot = hash_key(k) & (cap - 1);
    for (;; slot = (slot + 1) & (cap - 1)) {
      const std::int32_t c = table[slot];
      if (c < 0 || same(col_key[c], k)) return c;
    }
  };

  // Column offsets (on the axes before the last) that the reach touches, each with its reach
  // along the last axis: max(|d_last| − 1, 0)² ≤ q − Σ_other max(|dᵢ| − 1, 0)².
  struct ColOffset { int dx, dy, reach; bool adjacent; };
  std::vector<ColOffset> offsets;
  auto excess = [](int d) { return std::max(std::abs(d) - 1, 0); };
  for (int dx = -r; dx <= r; ++dx)
    for (int dy = (dims == 3 ? -r : 0); dy <= (dims == 3 ? r : 0); ++dy) {
      const double rest = q - double(excess(dx) * excess(dx) + excess(dy) * excess(dy));
      if (rest < 0) continue;
      const int rl = std::min(r, static_cast<int>(std::floor(std::sqrt(rest))) + 1);
      offsets.push_back({dx, dy, rl, std::abs(dx) <= 1 && std::abs(dy) <= 1});
    }
  const std::size_t n_off = offsets.size();

  // For every cell of column `ci` in order, calls f(c, ranges, count): ranges[k] = {first cell,
  // end cell, offset index} of the neighbouring cells in one neighbouring column. A sweep with
  // two pointers per neighbouring column, all moving forward.
  struct Range { std::uint32_t lo, hi; std::uint32_t off; };
  auto sweep_column = [&](std::size_t ci, auto&& f) {
    std::array<std::uint32_t, 32> lo{}, hi{}, end{};
    std::array<std::int32_t, 32> which{};
    std::array<Range, 32> ranges{};
    AGGLO_ASSERT(n_off <= 32);
    const Key base = col_key[ci];
    for (std::size_t k = 0; k < n_off; ++k) {
      Key q2 = base;
      q2[0] += offsets[k].dx;
      if (dims == 3) q2[1] += offsets[k].dy;
      which[k] = lookup(q2);
      if (which[k] >= 0) lo[k] = hi[k] = col_start[which[k]], end[k] = col_start[which[k] + 1];
    }
    for (std::uint32_t c = col_start[ci]; c < col_start[ci + 1]; ++c) {
      const std::int64_t kl = cell_key[c][last];
      int m = 0;
      for (std::size_t k = 0; k < n_off; ++k) {
        if (which[k] < 0) continue;
        const std::int64_t rl = offsets[k].reach;
        while (lo[k] < end[k] && cell_key[lo[k]][last] < kl - rl) ++lo[k];
        if (hi[k] < lo[k]) hi[k] = lo[k];
        while (hi[k] < end[k] && cell_key[hi[k]][last] <= kl + rl) ++hi[k];
        if (lo[k] < hi[k]) ranges[m++] = {lo[k], hi[k], static_cast<std::uint32_t>(k)};
      }
      f(c, ranges, m);
    }
  };
  auto for_columns = [&](auto&& f) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cols), [&](const tbb::blocked_range<std::size_t>& rg) {
      for (std::size_t ci = rg.begin(); ci != rg.end(); ++ci) sweep_column(ci, f);
    });
  };

  const Within within{xs.data(), ys.data(), zs.data(), p.geographic ? chord2(p.eps) : p.eps, p.geographic};
  auto mass_of = [&](std::uint32_t t) { return ws.empty() ? 1.0 : ws[t]; };

  // ---- 1. core points -------------------------------------------------------------------------
  std::vector<std::uint8_t> core(n, 0);
  for_columns([&](std::uint32_t c, const auto& ranges, int m) {
    if (cell_is_clique) {
      double cell_mass = 0;
      for (std::uint32_t s = cell_start[c]; s < cell_start[c + 1]; ++s) cell_mass += mass_of(s);
      if (cell_mass >= p.min_points) {
        for (std::uint32_t s = cell_start[c]; s < cell_start[c + 1]; ++s) core[s] = 1;
        return;
      }
    }
    for (std::uint32_t s = cell_start[c]; s < cell_start[c + 1]; ++s) {
      double mass = 0;
      for (int k = 0; k < m && mass < p.min_points; ++k)
        for (std::uint32_t o = ranges[k].lo; o < ranges[k].hi && mass < p.min_points; ++o) {
          if (o != c && gap2(s, o) > q) continue;
          for (std::uint32_t t = cell_start[o]; t < cell_start[o + 1] && mass < p.min_points; ++t)
            if (within(s, t)) mass += mass_of(t);
        }
      core[s] = mass >= p.min_points;
    }
  });

  // ---- 2. components of core points -----------------------------------------------------------
  constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> first_core(cells, none);  // first core point (sorted index) of a cell
  tbb::parallel_for(std::size_t(0), cells, [&](std::size_t c) {
    for (std::uint32_t s = cell_start[c]; s < cell_start[c + 1]; ++s)
      if (core[s]) {
        first_core[c] = s;
        break;
      }
  });
  UnionFind uf(n);
  if (cell_is_clique) {
    // One cell's core points are one component.
    tbb::parallel_for(std::size_t(0), cells, [&](std::size_t c) {
      if (first_core[c] == none) return;
      for (std::uint32_t s = first_core[c] + 1; s < cell_start[c + 1]; ++s)
        if (core[s]) uf.unite(s, first_core[c]);
    });
    // Bichromatic closest pair with early exit: is any core point of a within eps of a core
    // point of b? Points of a whose gap to b's box exceeds the reach are skipped.
    auto linked = [&](std::uint32_t a, std::uint32_t b) {
      for (std::uint32_t s = first_core[a]; s < cell_start[a + 1]; ++s) {
        if (!core[s] || gap2(s, b) > q) continue;
        for (std::uint32_t t = first_core[b]; t < cell_start[b + 1]; ++t)
          if (core[t] && within(s, t)) return true;
      }
      return false;
    };
    for (const bool adjacent_pass : {true, false})
      for_columns([&](std::uint32_t c, const auto& ranges, int m) {
        if (first_core[c] == none) return;
        const std::int64_t kl = cell_key[c][last];
        for (int k = 0; k < m; ++k)
          for (std::uint32_t o = std::max(ranges[k].lo, c + 1); o < ranges[k].hi; ++o) {
            if (first_core[o] == none) continue;
            const bool adjacent = offsets[ranges[k].off].adjacent && std::abs(cell_key[o][last] - kl) <= 1;
            if (adjacent != adjacent_pass) continue;
            if (uf.find(first_core[c]) == uf.find(first_core[o])) continue;
            if (linked(c, o)) uf.unite(first_core[c], first_core[o]);
          }
      });
  } else {
    // Widened cells: link every pair of core points within eps, as a plain grid would.
    for_columns([&](std::uint32_t c, const auto& ranges, int m) {
      for (std::uint32_t s = cell_start[c]; s < cell_start[c + 1]; ++s) {
        if (!core[s]) continue;
        for (int k = 0; k < m; ++k)
          for (std::uint32_t o = ranges[k].lo; o < ranges[k].hi && o <= c; ++o)
            for (std::uint32_t t = cell_start[o]; t < cell_start[o + 1] && t < s; ++t)
              if (core[t] && within(s, t)) uf.unite(s, t);
      }
    });
  }

  // ---- 3. border points: the first core neighbour in input order ------------------------------
  std::vector<std::uint32_t> anchor(n, none);  // sorted index of the core point that decides s
  for_columns([&](std::uint32_t c, const auto& ranges, int m) {
    for (std::uint32_t s = cell_start[c]; s < cell_start[c + 1]; ++s) {
      if (core[s]) {
        anchor[s] = s;
        continue;
      }
      std::uint32_t best = none;
      for (int k = 0; k < m; ++k)
        for (std::uint32_t o = ranges[k].lo; o < ranges[k].hi; ++o) {
          if (first_core[o] == none || (o != c && gap2(s, o) > q)) continue;
          for (std::uint32_t t = first_core[o]; t < cell_start[o + 1]; ++t)
            if (core[t] && (best == none || order[t] < order[best]) && within(s, t)) best = t;
        }
      anchor[s] = best;
    }
  });

  // ---- numbering: clusters in input order of their first core point ---------------------------
  std::vector<std::uint32_t> sorted_of(n);
  for (std::size_t s = 0; s < n; ++s) sorted_of[order[s]] = static_cast<std::uint32_t>(s);
  std::vector<std::int32_t> root_label(n, -1);
  std::int32_t next = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t s = sorted_of[i];
    if (!core[s]) continue;
    res.core[i] = 1;
    const std::uint32_t rt = uf.find(s);
    if (root_label[rt] < 0) root_label[rt] = next++;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t a = anchor[sorted_of[i]];
    res.label[i] = a == none ? -1 : root_label[uf.find(a)];
    if (res.label[i] < 0) ++res.noise;
  }
  res.clusters = static_cast<std::size_t>(next);
  return res;
}

DbscanResult dbscan_bruteforce(const std::vector<double>& x, const std::vector<double>& y,
                               const std::vector<double>& w, const DbscanParams& p) {
  check(x, y, w, p);
  const std::size_t n = x.size();
  std::vector<double> ux(x), uy(y), uz(p.geographic ? n : 0);
  if (p.geographic)
    for (std::size_t i = 0; i < n; ++i) unit_vector(x[i], y[i], ux[i], uy[i], uz[i]);
  const Within within{ux.data(), uy.data(), uz.data(), p.geographic ? chord2(p.eps) : p.eps, p.geographic};
  DbscanResult res;
  res.label.assign(n, -1);
  res.core.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    double mass = 0;
    for (std::size_t j = 0; j < n; ++j)
      if (within(i, j)) mass += w.empty() ? 1.0 : w[j];
    res.core[i] = mass >= p.min_points;
  }
  // Ester et al.'s ExpandCluster from each unlabelled core point in input order, over core
  // points only; border points are attached afterwards by the first-core-neighbour rule.
  std::int32_t next = 0;
  std::vector<std::size_t> stack;
  for (std::size_t i = 0; i < n; ++i) {
    if (!res.core[i] || res.label[i] >= 0) continue;
    res.label[i] = next;
    stack.assign(1, i);
    while (!stack.empty()) {
      const std::size_t a = stack.back();
      stack.pop_back();
      for (std::size_t j = 0; j < n; ++j)
        if (res.core[j] && res.label[j] < 0 && within(a, j)) {
          res.label[j] = next;
          stack.push_back(j);
        }
    }
    ++next;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (res.core[i]) continue;
    for (std::size_t j = 0; j < n; ++j)
      if (res.core[j] && within(i, j)) {
        res.label[i] = res.label[j];
        break;
      }
  }
  for (auto l : res.label) res.noise += l < 0;
  res.clusters = static_cast<std::size_t>(next);
  return res;
}

}  // namespace agglo::spatial
