// agglo::geo — PairGrid, the shared pair-distance kernel of the distance-based measures
// (K-density, M, Ripley's K; issue 5, "one fast pair-distance kernel").
//
// Problem. The distance-based measures need, for a set of n points and a largest distance r,
// every pair (i, j) with d(i, j) ≤ r together with d, without ever holding an n×n distance
// matrix. PairGrid finds these pairs with a uniform grid and hands them to a callback.
//
// The grid (the idea of src/spatial/dbscan.cpp, made reusable). Points are placed in square
// cells of side h ≥ r, so two points within r of each other lie in the same or in adjacent
// cells, and the pairs of a cell are found in its 3×3 block. For lon/lat (geographic) the grid
// is built on the points' 3-D positions on the sphere, R·(cosφ cosλ, cosφ sinλ, sinφ), with
// h ≥ the chord 2R sin(r/2R) of an arc of r km, and the block is 3×3×3: there is no seam at
// the antimeridian and no singularity at the poles. The cell side carries a relative safety
// margin of 1e-6, and every candidate pair is confirmed with the exact distance, so the grid
// only decides the work, never the result. When the data span more than 1e8 cells per axis
// the cells are widened (still ≥ r), which keeps cell coordinates in 32 bits. An r larger than
// the data's extent (or +∞) simply gives one cell: every pair is visited.
//
// Distances. Projected x,y: Euclidean, d = √(Δx² + Δy²), in the coordinates' unit.
// Geographic lon/lat in degrees: great-circle km on the sphere of radius geo::earth_radius_km,
// computed from the unit vectors u as d = 2R·asin(|u_i − u_j| / 2), which is the haversine
// formula's own quantity (a = (|Δu|/2)²) and agrees with geo::haversine_km to rounding. The
// same expression is used by distance(), by every visit and by the tests' brute force.
//
// Determinism. for_each_pair_parallel() splits the work into tasks fixed by the data alone
// (ranges of points in cell order with about equal numbers of candidate pairs), never by the
// thread count, and gives each task its own State; the states come back in task order. A
// caller that reduces them in that order gets bit-identical results for any number of threads.
//
// Memory is O(n + cells): sorted coordinates, the permutation, cell starts and a 3×3(×3)
// neighbour list per occupied cell.
#pragma once

#include <tbb/parallel_for.h>

#include "agglo/parallel/cancel.hpp"
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <vector>

#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"

namespace agglo::geo {

class PairGrid {
 public:
  // x,y projected coordinates, or lon/lat degrees when geographic (distances in great-circle
  // km). r = the largest distance any query will ask for (> 0; +∞ visits every pair).
  PairGrid(std::span<const double> x, std::span<const double> y, bool geographic, double r);

  std::size_t size() const { return n_; }
  double radius() const { return r_; }
  bool geographic() const { return geo_; }
  // Number of occupied cells (1 when r exceeds the data's extent).
  std::size_t cells() const { return cell_key_.size(); }

  // Exact distance between input points i and j (Euclidean, or great-circle km).
  double distance(std::size_t i, std::size_t j) const { return dist_sorted(sorted_of_[i], sorted_of_[j]); }

  // Every unordered pair i < j (input indices) with d ≤ radius(), once: f(i, j, d).
  template <class F>
  void for_each_pair(F&& f) const {
    for (std::size_t k = 0; k + 1 < task_start_.size(); ++k)
      visit_task(k, [&](std::uint32_t s, std::uint32_t t, double d) {
        const std::uint32_t i = order_[s], j = order_[t];
        if (i < j) f(std::size_t(i), std::size_t(j), d);
        else f(std::size_t(j), std::size_t(i), d);
      });
  }

  // Every j ≠ i with d(i, j) ≤ radius(): f(j, d). Order: by cell, then by input index within
  // a cell (fixed for given data).
  template <class F>
  void for_each_neighbour(std::size_t i, F&& f) const {
    const std::uint32_t s = sorted_of_[i];
    const std::uint32_t c = cell_of_[s];
    for (int k = 0; k < span_; ++k) {
      const std::int32_t o = nb_[std::size_t(c) * span_ + k];
      if (o < 0) break;
      for (std::uint32_t t = cell_start_[o]; t < cell_start_[o + 1]; ++t) {
        if (t == s) continue;
        const double d = dist_sorted(s, t);
        if (d <= r_) f(std::size_t(order_[t]), d);
      }
    }
  }

  // Every point j within r (≤ radius()) of the location (x0, y0) (lon/lat when geographic):
  // f(j, d).
  template <class F>
  void query(double x0, double y0, double r, F&& f) const {
    if (!(r > 0) || r > r_)
      throw_usage(ErrorCode::invalid_option_value, "PairGrid::query: radius must be in (0, radius()]");
    double p[3];
    if (geo_) {
      double ux, uy, uz;
      unit_vector(x0, y0, ux, uy, uz);
      p[0] = ux, p[1] = uy, p[2] = uz;
    } else {
      p[0] = x0, p[1] = y0, p[2] = 0;
    }
    const Key base = key_of(p);
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = (dims_ == 3 ? -1 : 0); dz <= (dims_ == 3 ? 1 : 0); ++dz) {
          const std::int32_t o = lookup(Key{sat_add(base[0], dx), sat_add(base[1], dy), sat_add(base[2], dz)});
          if (o < 0) continue;
          for (std::uint32_t t = cell_start_[o]; t < cell_start_[o + 1]; ++t) {
            const double d = dist_point(p, t);
            if (d <= r) f(std::size_t(order_[t]), d);
          }
        }
  }

  // Parallel over tasks with TBB; one State per task from make(); f(State&, i, j, d) for every
  // unordered pair i < j with d ≤ radius(). Returns the states in task order, which depends on
  // the data only, so a reduction over them in order does not depend on the thread count.
  template <class State, class Make, class F>
  std::vector<State> for_each_pair_parallel(Make&& make, F&& f) const {
    const std::size_t T = task_start_.empty() ? 0 : task_start_.size() - 1;
    std::vector<State> states;
    states.reserve(T);
    for (std::size_t k = 0; k < T; ++k) states.push_back(make());
    tbb::parallel_for(std::size_t(0), T, [&](std::size_t k) {
      State& st = states[k];
      visit_task(k, [&](std::uint32_t s, std::uint32_t t, double d) {
        const std::uint32_t i = order_[s], j = order_[t];
        if (i < j) f(st, std::size_t(i), std::size_t(j), d);
        else f(st, std::size_t(j), std::size_t(i), d);
      });
    }, tbb::simple_partitioner());
    parallel::check_loop_completed();  // a cancelled enclosing loop leaves states partial
    return states;
  }

  // The fast path for histogram kernels. Points are stored sorted by cell; order()[s] is the
  // input index of sorted position s. f(State&, s, t0, d, m) receives runs of candidates in
  // SORTED positions: the pairs (s, t0+q), q < m, with their exact distances d[q] — including
  // candidates beyond radius(), which the caller must skip (with radius() = +∞ there are
  // none). Every unordered pair is in exactly one run. Tasks and states as in
  // for_each_pair_parallel().
  const std::vector<std::uint32_t>& order() const { return order_; }
  template <class State, class Make, class F>
  std::vector<State> for_each_run_parallel(Make&& make, F&& f) const {
    const std::size_t T = tasks();
    std::vector<State> states;
    states.reserve(T);
    for (std::size_t k = 0; k < T; ++k) states.push_back(make());
    tbb::parallel_for(std::size_t(0), T, [&](std::size_t k) {
      State& st = states[k];
      visit_runs(k, [&](std::uint32_t s, std::uint32_t t0, const double* d, std::uint32_t m) { f(st, std::size_t(s), std::size_t(t0), d, std::size_t(m)); });
    }, tbb::simple_partitioner());
    parallel::check_loop_completed();
    return states;
  }

  // Number of tasks for_each_pair_parallel() uses (fixed by the data).
  std::size_t tasks() const { return task_start_.empty() ? 0 : task_start_.size() - 1; }

 private:
  using Key = std::array<std::int32_t, 3>;

  static std::int32_t sat_add(std::int32_t a, int d) {
    const std::int64_t v = std::int64_t(a) + d;
    return static_cast<std::int32_t>(std::clamp<std::int64_t>(v, std::numeric_limits<std::int32_t>::min(),
                                                              std::numeric_limits<std::int32_t>::max()));
  }
  static void unit_vector(double lon, double lat, double& ux, double& uy, double& uz) {
    const auto u = geo::unit_vector(lon, lat);
    ux = u[0], uy = u[1], uz = u[2];
  }
  static std::uint64_t hash_key(const Key& k) {
    std::uint64_t h = static_cast<std::uint32_t>(k[0]);
    h = h * 0x9E3779B97F4A7C15ULL ^ static_cast<std::uint32_t>(k[1]);
    h = h * 0x9E3779B97F4A7C15ULL ^ static_cast<std::uint32_t>(k[2]);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
  }
  // Great-circle km from a squared unit-sphere chord.
  static double arc_km(double c2) { return 2 * earth_radius_km * std::asin(std::min(1.0, std::sqrt(c2) * 0.5)); }

  double dist_sorted(std::uint32_t s, std::uint32_t t) const {
    const double dx = xs_[s] - xs_[t], dy = ys_[s] - ys_[t];
    if (geo_) {
      const double dz = zs_[s] - zs_[t];
      return arc_km(dx * dx + dy * dy + dz * dz);
    }
    return std::sqrt(dx * dx + dy * dy);
  }
  double dist_point(const double* p, std::uint32_t t) const {
    const double dx = p[0] - xs_[t], dy = p[1] - ys_[t];
    if (geo_) {
      const double dz = p[2] - zs_[t];
      return arc_km(dx * dx + dy * dy + dz * dz);
    }
    return std::sqrt(dx * dx + dy * dy);
  }
  // Cell key of a position (projected x,y; or unit vector).
  Key key_of(const double* p) const {
    Key k{0, 0, 0};
    for (int d = 0; d < dims_; ++d) {
      const double g = geo_ ? earth_radius_km * p[d] + earth_radius_km : p[d] - origin_[d];
      k[d] = static_cast<std::int32_t>(std::clamp(std::floor(g / h_), -2e9, 2e9));
    }
    return k;
  }
  std::int32_t lookup(const Key& k) const {
    std::size_t slot = hash_key(k) & (table_.size() - 1);
    for (;; slot = (slot + 1) & (table_.size() - 1)) {
      const std::int32_t c = table_[slot];
      if (c < 0 || cell_key_[c] == k) return c;
    }
  }

  // Visits the candidate runs of task k: for every sorted point s in the task, the later
  // points of its own cell and every point of its higher-numbered neighbour cells, in runs of
  // consecutive sorted positions. The distances of a run are computed into a buffer first (a
  // loop the compiler vectorises): g(s, t0, d, m) gets the sorted positions t0..t0+m−1 and
  // their distances from s, including those beyond r.
  template <class G>
  void visit_runs(std::size_t k, G&& g) const {
    constexpr std::uint32_t B = 256;
    double buf[B];
    const double* X = xs_.data();
    const double* Y = ys_.data();
    const double* Z = zs_.data();
    auto run = [&](std::uint32_t s, std::uint32_t a, std::uint32_t b) {
      const double xs = X[s], ys = Y[s];
      for (std::uint32_t lo = a; lo < b; lo += B) {
        const std::uint32_t hi = std::min(b, lo + B), m = hi - lo;
        if (geo_) {
          const double zs = Z[s];
          for (std::uint32_t q = 0; q < m; ++q) {
            const double dx = xs - X[lo + q], dy = ys - Y[lo + q], dz = zs - Z[lo + q];
            buf[q] = dx * dx + dy * dy + dz * dz;
          }
          for (std::uint32_t q = 0; q < m; ++q) buf[q] = arc_km(buf[q]);
        } else {
          for (std::uint32_t q = 0; q < m; ++q) {
            const double dx = xs - X[lo + q], dy = ys - Y[lo + q];
            buf[q] = std::sqrt(dx * dx + dy * dy);
          }
        }
        g(s, lo, static_cast<const double*>(buf), m);
      }
    };
    // Own-cell pairs in tiles of T later points, so a tile's coordinates stay in the L1 cache
    // while every point of the task's stretch of the cell is run against it (a large cell —
    // one cell holds everything when r exceeds the extent — would otherwise stream the whole
    // cell from memory once per point). The visit order is fixed by the data.
    constexpr std::uint32_t T = 2048;
    for (std::uint32_t a = task_start_[k]; a < task_start_[k + 1];) {
      const std::uint32_t c = cell_of_[a];
      const std::uint32_t b = std::min(task_start_[k + 1], cell_start_[c + 1]);  // [a, b) in cell c
      const std::uint32_t end = cell_start_[c + 1];
      for (std::uint32_t t0 = a + 1; t0 < end; t0 += T) {
        const std::uint32_t t1 = std::min(end, t0 + T);
        for (std::uint32_t s = a; s < b && s + 1 < t1; ++s) run(s, std::max(s + 1, t0), t1);
      }
      for (std::uint32_t s = a; s < b; ++s)
        for (int q = 0; q < span_; ++q) {
          const std::int32_t o = nb_[std::size_t(c) * span_ + q];
          if (o < 0) break;
          if (static_cast<std::uint32_t>(o) > c) run(s, cell_start_[o], cell_start_[o + 1]);
        }
      a = b;
    }
  }
  // The pairs of task k within r: g(s, t, d) in sorted positions.
  template <class G>
  void visit_task(std::size_t k, G&& g) const {
    visit_runs(k, [&](std::uint32_t s, std::uint32_t t0, const double* d, std::uint32_t m) {
      for (std::uint32_t q = 0; q < m; ++q)
        if (d[q] <= r_) g(s, t0 + q, d[q]);
    });
  }

  std::size_t n_ = 0;
  bool geo_ = false;
  double r_ = 0;
  double h_ = 1;
  int dims_ = 2;
  int span_ = 9;
  double origin_[3] = {0, 0, 0};
  std::vector<double> xs_, ys_, zs_;        // sorted by cell: projected x,y or unit vectors
  std::vector<std::uint32_t> order_;        // sorted position → input index
  std::vector<std::uint32_t> sorted_of_;    // input index → sorted position
  std::vector<std::uint32_t> cell_of_;      // sorted position → cell
  std::vector<std::uint32_t> cell_start_;   // cell c holds sorted [start[c], start[c+1])
  std::vector<Key> cell_key_;
  std::vector<std::int32_t> table_;         // open addressing: key → cell
  std::vector<std::int32_t> nb_;            // span_ neighbour cells per cell (−1 padded)
  std::vector<std::uint32_t> task_start_;   // task k = sorted points [start[k], start[k+1])
};

inline PairGrid::PairGrid(std::span<const double> x, std::span<const double> y, bool geographic, double r)
    : n_(x.size()), geo_(geographic), r_(r) {
  if (!(r > 0) || std::isnan(r))
    throw_usage(ErrorCode::invalid_option_value, "the largest pair distance must be > 0");
  AGGLO_ASSERT(x.size() == y.size());
  AGGLO_ASSERT(n_ < std::numeric_limits<std::uint32_t>::max() / 2);
  dims_ = geo_ ? 3 : 2;
  span_ = geo_ ? 27 : 9;
  const std::size_t n = n_;
  std::vector<std::array<double, 3>> pos(n);
  if (geo_) {
    tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) {
      unit_vector(x[i], y[i], pos[i][0], pos[i][1], pos[i][2]);
    });
    // Chord (in km on the sphere of radius R) of an arc of r km; the whole sphere beyond πR.
    const double half = r / (2 * earth_radius_km);
    const double chord = half >= std::acos(-1.0) / 2 ? 2 * earth_radius_km : 2 * earth_radius_km * std::sin(half);
    h_ = std::max(chord * (1 + 1e-6) + 1e-9, 2 * earth_radius_km * 1e-8);
  } else {
    double range = 0;
    if (n > 0) {
      const auto [xmin, xmax] = std::minmax_element(x.begin(), x.end());
      const auto [ymin, ymax] = std::minmax_element(y.begin(), y.end());
      range = std::max(*xmax - *xmin, *ymax - *ymin);
      origin_[0] = *xmin;
      origin_[1] = *ymin;
    }
    h_ = std::max(r * (1 + 1e-6), range * 1e-8);
    tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) { pos[i] = {x[i], y[i], 0}; });
  }
  std::vector<Key> key(n);
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) { key[i] = key_of(pos[i].data()); });

  // Points sorted by cell, ties by input index (deterministic).
  order_.resize(n);
  std::iota(order_.begin(), order_.end(), 0u);
  tbb::parallel_sort(order_.begin(), order_.end(), [&](std::uint32_t a, std::uint32_t b) {
    return key[a] != key[b] ? key[a] < key[b] : a < b;
  });
  xs_.resize(n);
  ys_.resize(n);
  if (geo_) zs_.resize(n);
  sorted_of_.resize(n);
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t s) {
    const auto& p = pos[order_[s]];
    xs_[s] = p[0];
    ys_[s] = p[1];
    if (geo_) zs_[s] = p[2];
    sorted_of_[order_[s]] = static_cast<std::uint32_t>(s);
  });
  pos = {};
  cell_of_.resize(n);
  for (std::size_t s = 0; s < n; ++s) {
    if (s == 0 || key[order_[s]] != key[order_[s - 1]]) {
      cell_start_.push_back(static_cast<std::uint32_t>(s));
      cell_key_.push_back(key[order_[s]]);
    }
    cell_of_[s] = static_cast<std::uint32_t>(cell_key_.size() - 1);
  }
  const std::size_t cells = cell_key_.size();
  cell_start_.push_back(static_cast<std::uint32_t>(n));
  key = {};

  std::size_t cap = 16;
  while (cap < 2 * cells) cap <<= 1;
  table_.assign(cap, -1);
  for (std::size_t c = 0; c < cells; ++c) {
    std::size_t slot = hash_key(cell_key_[c]) & (cap - 1);
    while (table_[slot] >= 0) slot = (slot + 1) & (cap - 1);
    table_[slot] = static_cast<std::int32_t>(c);
  }
  nb_.assign(cells * span_, -1);
  tbb::parallel_for(std::size_t(0), cells, [&](std::size_t c) {
    int k = 0;
    const Key& b = cell_key_[c];
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = (dims_ == 3 ? -1 : 0); dz <= (dims_ == 3 ? 1 : 0); ++dz) {
          const std::int32_t o = lookup(Key{sat_add(b[0], dx), sat_add(b[1], dy), sat_add(b[2], dz)});
          if (o >= 0) nb_[c * span_ + k++] = o;
        }
    // Ascending cell order, so the visit order inside a task is fixed.
    std::sort(nb_.begin() + static_cast<std::ptrdiff_t>(c * span_), nb_.begin() + static_cast<std::ptrdiff_t>(c * span_ + k));
  });

  // Tasks: cut the sorted points into runs of about equal candidate-pair work. The number of
  // tasks depends on the total work only (one task per ~2^20 candidate pairs, at most 64, so
  // callers may keep a sizeable State, such as a histogram, per task).
  std::vector<std::uint64_t> upper(cells, 0);  // points in higher-numbered neighbour cells
  for (std::size_t c = 0; c < cells; ++c)
    for (int q = 0; q < span_; ++q) {
      const std::int32_t o = nb_[c * span_ + q];
      if (o < 0) break;
      if (static_cast<std::size_t>(o) > c) upper[c] += cell_start_[o + 1] - cell_start_[o];
    }
  auto work = [&](std::size_t s) {
    const std::uint32_t c = cell_of_[s];
    return std::uint64_t(cell_start_[c + 1] - s - 1) + upper[c] + 1;
  };
  std::uint64_t total = 0;
  for (std::size_t s = 0; s < n; ++s) total += work(s);
  const std::uint64_t T = std::clamp<std::uint64_t>(total >> 20, 1, 64);
  task_start_.push_back(0);
  std::uint64_t acc = 0, next = 1;
  for (std::size_t s = 0; s < n; ++s) {
    acc += work(s);
    if (next < T && acc * T >= next * total) {
      task_start_.push_back(static_cast<std::uint32_t>(s + 1));
      while (next < T && acc * T >= next * total) ++next;
    }
  }
  if (task_start_.back() != n) task_start_.push_back(static_cast<std::uint32_t>(n));
  if (n == 0) task_start_.push_back(0);
}

}  // namespace agglo::geo
