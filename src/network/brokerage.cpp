// Gould–Fernandez brokerage (definitions and null model in brokerage.hpp).
#include "agglo/network/brokerage.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace agglo::network {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Role of an open two-path by the groups of source, broker, target.
inline int role(std::int64_t gi, std::int64_t gb, std::int64_t gk) {
  if (gi == gb && gk == gb) return 0;  // coordinator
  if (gi == gk) return 1;              // itinerant
  if (gi == gb) return 2;              // representative
  if (gk == gb) return 3;              // gatekeeper
  return 4;                            // liaison
}

double choose2(double x) { return x * (x - 1) / 2; }

}  // namespace

BrokerageMoments brokerage_group_moments(const std::vector<double>& n, std::size_t i, double d) {
  double N = 0;
  for (double x : n) N += x;
  const double ni = n[i];
  const double k = d * d * (1 - d);      // probability of one open two-path
  const double keep = 1 - k;
  const double a3 = std::pow(d, 3) * std::pow(1 - d, 3);
  double s_nn1 = 0, s_nn1n2 = 0, s_other = 0, s_other2 = 0, s_liaison = 0;
  for (std::size_t j = 0; j < n.size(); ++j) {
    if (j == i) continue;
    s_nn1 += n[j] * (n[j] - 1);
    s_nn1n2 += n[j] * (n[j] - 1) * (n[j] - 2);
    s_other += n[j];
    s_other2 += n[j] * n[j];
    s_liaison += n[j] * choose2(N - n[j] - ni);
  }
  BrokerageMoments m;
  m.expected[0] = k * (ni - 1) * (ni - 2);
  m.sd[0] = m.expected[0] * keep + 2 * (ni - 1) * (ni - 2) * (ni - 3) * a3;
  m.expected[1] = k * s_nn1;
  m.sd[1] = m.expected[1] * keep + 2 * s_nn1n2 * a3;
  m.expected[2] = k * (N - ni) * (ni - 1);
  m.sd[2] = m.expected[2] * keep + 2 * ((ni - 1) * choose2(N - ni) + (N - ni) * choose2(ni - 1)) * a3;
  m.expected[3] = m.expected[2];
  m.sd[3] = m.sd[2];
  m.expected[4] = k * (s_other * s_other - s_other2);
  m.sd[4] = m.expected[4] * keep + 4 * s_liaison * a3;
  m.expected[5] = k * (N - 1) * (N - 2);
  m.sd[5] = m.expected[5] * keep + 2 * (N - 1) * (N - 2) * (N - 3) * a3;
  for (auto& v : m.sd) v = std::sqrt(std::max(0.0, v));
  return m;
}

BrokerageMoments brokerage_global_moments(const std::vector<double>& n, double d) {
  double N = 0, p1 = 0, p2 = 0;
  for (double x : n) { N += x; p1 += x; p2 += x * x; }
  const double k = d * d * (1 - d), keep = 1 - k;
  const double a = std::pow(d, 3) * std::pow(1 - d, 3), b = std::pow(d, 4) * std::pow(1 - d, 2),
               c = std::pow(d, 5) * (1 - d);
  BrokerageMoments m;
  double s1 = 0, v1 = 0, s2 = 0, v2a = 0, v2b = 0, v3 = 0, t0 = 0, t1 = 0;
  for (double x : n) {
    s1 += x * (x - 1) * (x - 2);
    v1 += x * (x - 1) * (x - 2) * ((4 * x - 10) * a - 4 * (x - 3) * b + (x - 3) * c);
    s2 += x * (N - x) * (x - 1);
    // Σ_{x,y} x·y·(x−1)·((2x+2y−6)a + (N−x−1)c) = Σ_x x(x−1)[((2x−6)p1 + 2p2)a + (N−x−1)p1·c]
    v2a += x * (x - 1) * (((2 * x - 6) * p1 + 2 * p2) * a + (N - x - 1) * p1 * c);
    v2b += x * x * (x - 1) * ((4 * x - 6) * a + (N - x - 1) * c);
    v3 += x * (N - x) * (x - 1) * ((N - 3) * a + (x - 2) * c);
    // Over ordered triples of distinct groups: T0 = Σ n_i n_j n_k, T1 = Σ n_i n_j n_k · n_j.
    const double rest = (p1 - x) * (p1 - x) - (p2 - x * x);
    t0 += x * rest;
    t1 += x * x * rest;
  }
  m.expected[0] = k * s1;
  m.sd[0] = m.expected[0] * keep + v1;
  m.expected[1] = k * s2;
  m.sd[1] = m.expected[1] * keep + v2a - v2b;
  m.expected[2] = k * s2;
  m.sd[2] = m.expected[2] * keep + v3;
  m.expected[3] = m.expected[2];
  m.sd[3] = m.sd[2];
  // Σ_{x,y} x y (N−x−y) − Σ n²(N−2n) = N p1² − 2 p1 p2 − Σ n²(N−2n)
  double s5 = N * p1 * p1 - 2 * p1 * p2;
  for (double x : n) s5 -= x * x * (N - 2 * x);
  m.expected[4] = k * s5;
  // sna's triple loop Σ_{i,j,k distinct} n_i n_j n_k [(4(N−n_j) − 2(n_i+n_k+1))a
  //   − (4(N−n_k) − 2(n_i+n_j+1))b + (N − (n_i+n_k+1))c], summed in closed form with T0, T1.
  m.sd[4] = m.expected[4] * keep + (a - b) * ((4 * N - 2) * t0 - 8 * t1) + c * ((N - 1) * t0 - 2 * t1);
  m.expected[5] = k * N * (N - 1) * (N - 2);
  m.sd[5] = m.expected[5] * keep +
            N * (N - 1) * (N - 2) * ((4 * N - 10) * a - 4 * (N - 3) * b + (N - 3) * c);
  for (auto& v : m.sd) v = std::sqrt(std::max(0.0, v));
  return m;
}

Brokerage brokerage(const Graph& g, const std::vector<std::int32_t>& group, std::size_t n_groups) {
  const std::size_t n = g.n;
  Brokerage out;
  out.raw.assign(n, {});
  out.z.assign(n, {});
  out.group_size.assign(n_groups, 0);
  for (auto x : group)
    if (x >= 0) ++out.group_size[static_cast<std::size_t>(x)];
  for (auto s : out.group_size) out.grouped_nodes += s;
  struct Scratch {
    std::vector<std::int64_t> a, b, ab;  // per group: in-, out-, in∩out-neighbours
    std::vector<std::uint32_t> touched;
    std::vector<char> in_b;              // marker: node is an out-neighbour of the broker
  };
  tbb::enumerable_thread_specific<Scratch> scratch([&] {
    Scratch s;
    s.a.assign(n_groups, 0);
    s.b.assign(n_groups, 0);
    s.ab.assign(n_groups, 0);
    s.in_b.assign(n, 0);
    return s;
  });
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, static_cast<std::uint32_t>(n), 256), [&](const auto& r) {
    auto& s = scratch.local();
    for (auto v = r.begin(); v != r.end(); ++v) {
      // Brokers without a group: a group id no endpoint has.
      const std::int64_t gb = group[v] >= 0 ? group[v] : -2;
      const auto A = g.in(v), B = g.out(v);
      std::int64_t na = 0, nbk = 0, nab = 0;
      auto touch = [&](std::uint32_t x) {
        if (s.a[x] == 0 && s.b[x] == 0 && s.ab[x] == 0) s.touched.push_back(x);
      };
      for (auto k : B) {
        s.in_b[k] = 1;
        if (group[k] < 0) continue;
        touch(static_cast<std::uint32_t>(group[k]));
        ++s.b[group[k]];
        ++nbk;
      }
      for (auto i : A) {
        if (group[i] < 0) continue;
        touch(static_cast<std::uint32_t>(group[i]));
        ++s.a[group[i]];
        ++na;
        if (s.in_b[i]) { ++s.ab[group[i]]; ++nab; }
      }
      // All ordered pairs (i ∈ A, k ∈ B, i ≠ k) by role, from the group counts.
      std::int64_t S = 0;
      for (auto x : s.touched) S += s.a[x] * s.b[x];
      const std::int64_t ag = gb >= 0 ? s.a[gb] : 0, bg = gb >= 0 ? s.b[gb] : 0,
                         abg = gb >= 0 ? s.ab[gb] : 0;
      std::array<std::int64_t, 5> cnt{};
      cnt[0] = ag * bg - abg;
      cnt[1] = (S - ag * bg) - (nab - abg);
      cnt[2] = ag * (nbk - bg);
      cnt[3] = (na - ag) * bg;
      cnt[4] = (na - ag) * (nbk - bg) - (S - ag * bg);
      // Subtract closed pairs: i → k present. Scan the shorter of out(i) and B.
      for (auto i : A) {
        if (group[i] < 0) continue;
        const auto oi = g.out(i);
        auto closed = [&](std::uint32_t k) {
          if (k == i || group[k] < 0) return;
          --cnt[static_cast<std::size_t>(role(group[i], gb, group[k]))];
        };
        if (oi.size() <= B.size()) {
          for (auto k : oi)
            if (s.in_b[k]) closed(k);
        } else {
          for (auto k : B)
            if (std::binary_search(oi.begin(), oi.end(), k)) closed(k);
        }
      }
      for (auto k : B) s.in_b[k] = 0;
      for (auto x : s.touched) s.a[x] = s.b[x] = s.ab[x] = 0;
      s.touched.clear();
      std::int64_t total = 0;
      for (int r5 = 0; r5 < 5; ++r5) {
        out.raw[v][r5] = static_cast<double>(cnt[r5]);
        total += cnt[r5];
      }
      out.raw[v][5] = static_cast<double>(total);
    }
  });
  // Null model.
  const double N = static_cast<double>(out.grouped_nodes);
  const double arcs = static_cast<double>(g.directed ? g.edges() : 2 * g.edges());
  const double nn = static_cast<double>(n);
  out.density = nn > 1 ? arcs / (nn * (nn - 1)) : 0.0;
  std::vector<double> sizes(out.group_size.begin(), out.group_size.end());
  out.group_moments.resize(n_groups);
  for (std::size_t i = 0; i < n_groups; ++i) out.group_moments[i] = brokerage_group_moments(sizes, i, out.density);
  for (std::size_t v = 0; v < n; ++v)
    for (int r6 = 0; r6 < 6; ++r6) {
      if (group[v] < 0) { out.z[v][r6] = nan; continue; }
      const auto& m = out.group_moments[static_cast<std::size_t>(group[v])];
      out.z[v][r6] = m.sd[r6] > 0 ? (out.raw[v][r6] - m.expected[r6]) / m.sd[r6] : nan;
    }
  (void)N;
  const auto gm = brokerage_global_moments(sizes, out.density);
  for (int r6 = 0; r6 < 6; ++r6) {
    double sum = 0;
    for (std::size_t v = 0; v < n; ++v) sum += out.raw[v][r6];
    out.global_raw[r6] = sum;
    out.global_expected[r6] = gm.expected[r6];
    out.global_sd[r6] = gm.sd[r6];
    out.global_z[r6] = gm.sd[r6] > 0 ? (sum - gm.expected[r6]) / gm.sd[r6] : nan;
  }
  return out;
}

}  // namespace agglo::network
