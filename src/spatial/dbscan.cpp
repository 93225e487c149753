// DBSCAN with a uniform grid index (see include/agglo/spatial/dbscan.hpp for the definitions).
//
// The grid. Points are placed in square cells of side h ≥ eps, so two points within eps of
// each other lie in the same or in adjacent cells and a neighbourhood query visits the 3×3
// block of cells around a point (O(n) memory: the points sorted by cell plus one hash table of
// occupied cells). For lon/lat the grid is built on the points' 3-D positions on the sphere
// (x = R cosφ cosλ, y = R cosφ sinλ, z = R sinφ) with h ≥ the chord 2R sin(eps/2R) of an arc
// of eps km, visiting the 3×3×3 block. This is the equirectangular idea made exact: it needs
// no latitude-dependent margin, and it has no seam at the antimeridian and no singularity at
// the poles. Either way the cell side carries a relative safety margin of 1e-6 (far above the
// rounding of the cell computation), and each candidate pair is confirmed with the exact
// distance (Euclidean or haversine), so the grid never changes the result, only the work.
// When the data span more than 1e8 cells per axis the cells are widened (still ≥ eps), which
// keeps cell coordinates in 32 bits.
//
// The phases, each a TBB parallel loop over cells whose output per point does not depend on
// the order of execution:
//   1. neighbourhood mass of every point (count or sum of weights, the point included);
//      core = mass ≥ min_points;
//   2. connected components of core points with a lock-free union–find (every link goes from
//      the larger root to the smaller, so the components, and hence the result, are the same
//      for any interleaving);
//   3. each non-core point joins the cluster of its first core neighbour in input order.
// Clusters are then numbered in input order of their first core point.
#include "agglo/spatial/dbscan.hpp"

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
  bool operator()(std::size_t i, std::size_t j) const {
    if (geographic) {
      const double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
      return dx * dx + dy * dy + dz * dz <= eps;
    }
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
  const int dims = p.geographic ? 3 : 2;
  std::vector<std::array<double, 3>> pos(n);
  double h;
  if (p.geographic) {
    const double R = geo::earth_radius_km;
    tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) {
      double ux, uy, uz;
      unit_vector(x_in[i], y_in[i], ux, uy, uz);
      pos[i] = {R * ux + R, R * uy + R, R * uz + R};
    });
    const double chord = R * std::sqrt(chord2(p.eps));
    h = std::max(chord * (1 + 1e-6) + 1e-9, 2 * R * 1e-8);
  } else {
    const auto [xmin, xmax] = std::minmax_element(x_in.begin(), x_in.end());
    const auto [ymin, ymax] = std::minmax_element(y_in.begin(), y_in.end());
    const double range = std::max(*xmax - *xmin, *ymax - *ymin);
    h = std::max(p.eps * (1 + 1e-6), range * 1e-8);
    const double x0 = *xmin, y0 = *ymin;
    tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) { pos[i] = {x_in[i] - x0, y_in[i] - y0, 0}; });
  }
  std::vector<Key> key(n);
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) {
    for (int d = 0; d < 3; ++d)
      key[i][d] = static_cast<std::int32_t>(std::min(std::floor(pos[i][d] / h), 2e9));
  });
  pos = {};

  // ---- points sorted by cell (ties by input index: deterministic) ---------------------------
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  tbb::parallel_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return key[a] != key[b] ? key[a] < key[b] : a < b;
  });
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
  std::vector<std::uint32_t> cell_start;  // cell c holds sorted points [start[c], start[c+1])
  std::vector<Key> cell_key;
  for (std::size_t s = 0; s < n; ++s)
    if (s == 0 || key[order[s]] != key[order[s - 1]]) {
      cell_start.push_back(static_cast<std::uint32_t>(s));
      cell_key.push_back(key[order[s]]);
    }
  const std::size_t cells = cell_key.size();
  cell_start.push_back(static_cast<std::uint32_t>(n));
  key = {};

  // Open-addressing table: occupied cell key → cell index.
  std::size_t cap = 16;
  while (cap < 2 * cells) cap <<= 1;
  std::vector<std::int32_t> table(cap, -1);
  for (std::size_t c = 0; c < cells; ++c) {
    std::size_t slot = hash_key(cell_key[c]) & (cap - 1);
    while (table[slot] >= 0) slot = (slot + 1) & (cap - 1);
    table[slot] = static_cast<std::int32_t>(c);
  }
  auto lookup = [&](const Key& k) -> std::int32_t {
    std::size_t slot = hash_key(k) & (cap - 1);
    for (;; slot = (slot + 1) & (cap - 1)) {
      const std::int32_t c = table[slot];
      if (c < 0 || cell_key[c] == k) return c;
    }
  };
  // Occupied neighbour cells of each cell (3×3 or 3×3×3 block, the cell itself included),
  // stored compactly: the neighbours of cell c are nb[nb_start[c] .. nb_start[c+1]).
  const int span = dims == 3 ? 27 : 9;
  std::vector<std::int32_t> nb_full(cells * span, -1);
  tbb::parallel_for(std::size_t(0), cells, [&](std::size_t c) {
    int k = 0;
    const Key& base = cell_key[c];
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = (dims == 3 ? -1 : 0); dz <= (dims == 3 ? 1 : 0); ++dz) {
          const Key q{base[0] + dx, base[1] + dy, base[2] + dz};
          const std::int32_t o = lookup(q);
          if (o >= 0) nb_full[c * span + k++] = o;
        }
  });
  table = {};

  const Within within{xs.data(), ys.data(), zs.data(), p.geographic ? chord2(p.eps) : p.eps, p.geographic};
  // Calls f(t) for every sorted point t within eps of sorted point s (s itself included).
  auto for_neighbours = [&](std::size_t c, std::size_t s, auto&& f) {
    for (int k = 0; k < span; ++k) {
      const std::int32_t o = nb_full[c * span + k];
      if (o < 0) break;
      for (std::uint32_t t = cell_start[o]; t < cell_start[o + 1]; ++t)
        if (within(s, t)) f(t);
    }
  };

  // ---- 1. neighbourhood mass → core points ---------------------------------------------------
  std::vector<std::uint8_t> core(n, 0);
  tbb::parallel_for(std::size_t(0), cells, [&](std::size_t c) {
    for (std::uint32_t s = cell_start[c]; s < cell_start[c + 1]; ++s) {
      // Weights are ≥ 0, so the mass only grows: stop as soon as the point is core.
      double mass = 0;
      for (int k = 0; k < span && mass < p.min_points; ++k) {
        const std::int32_t o = nb_full[c * span + k];
        if (o < 0) break;
        for (std::uint32_t t = cell_start[o]; t < cell_start[o + 1] && mass < p.min_points; ++t)
          if (within(s, t)) mass += ws.empty() ? 1.0 : ws[t];
      }
      core[s] = mass >= p.min_points;
    }
  });

  // ---- 2. components of core points -----------------------------------------------------------
  UnionFind uf(n);
  tbb::parallel_for(std::size_t(0), cells, [&](std::size_t c) {
    for (std::uint32_t s = cell_start[c]; s < cell_start[c + 1]; ++s) {
      if (!core[s]) continue;
      for_neighbours(c, s, [&](std::uint32_t t) {
        if (t < s && core[t]) uf.unite(s, t);
      });
    }
  });

  // ---- 3. border points: the first core neighbour in input order ------------------------------
  constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> anchor(n, none);  // sorted index of the core point that decides s
  tbb::parallel_for(std::size_t(0), cells, [&](std::size_t c) {
    for (std::uint32_t s = cell_start[c]; s < cell_start[c + 1]; ++s) {
      if (core[s]) {
        anchor[s] = s;
        continue;
      }
      std::uint32_t best = none;
      for_neighbours(c, s, [&](std::uint32_t t) {
        if (core[t] && (best == none || order[t] < order[best])) best = t;
      });
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
    const std::uint32_t r = uf.find(s);
    if (root_label[r] < 0) root_label[r] = next++;
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
