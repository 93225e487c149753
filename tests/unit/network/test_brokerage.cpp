// Gould–Fernandez brokerage: the issue's example, brute-force agreement and sna's null moments.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <random>

#include "agglo/network/brokerage.hpp"
#include "network_test_util.hpp"

using namespace agglo;
using namespace agglo::network;
using agglo::network::test::graph;

namespace {

// Enumerates every two-path i → v → k (i ≠ k, no i → k) and classifies it: the definition.
std::vector<std::array<double, 6>> brute(const Graph& g, const std::vector<std::int32_t>& group) {
  std::vector<std::array<double, 6>> out(g.n, std::array<double, 6>{});
  for (std::uint32_t v = 0; v < g.n; ++v)
    for (auto i : g.in(v))
      for (auto k : g.out(v)) {
        if (i == k || g.has_tie(i, k) || group[i] < 0 || group[k] < 0) continue;
        const auto gi = group[i], gk = group[k];
        const std::int64_t gb = group[v] >= 0 ? group[v] : -2;
        int r = gi == gb && gk == gb ? 0 : gi == gk ? 1 : gi == gb ? 2 : gk == gb ? 3 : 4;
        out[v][static_cast<std::size_t>(r)] += 1;
        out[v][5] += 1;
      }
  return out;
}

}  // namespace

TEST(NetworkBrokerage, IssueExample) {
  // A→B, A→C, B→C, B→D, C→D, D→A with groups A,B = 1 and C,D = 2 (A..D = 0..3).
  const auto g = graph(4, {{0, 1}, {0, 2}, {1, 2}, {1, 3}, {2, 3}, {3, 0}}, true);
  const auto b = brokerage(g, {0, 0, 1, 1}, 2);
  using R = std::array<double, 6>;
  // columns w_I, w_O, b_IO, b_OI, b_O, total
  EXPECT_EQ(b.raw[0], (R{0, 1, 0, 1, 0, 2}));  // A: itinerant (D→A→C), gatekeeper (D→A→B)
  EXPECT_EQ(b.raw[1], (R{0, 0, 1, 0, 0, 1}));  // B: representative (A→B→D); A→B→C closed by A→C
  EXPECT_EQ(b.raw[2], (R{0, 0, 0, 1, 0, 1}));  // C: gatekeeper (A→C→D); B→C→D closed by B→D
  EXPECT_EQ(b.raw[3], (R{0, 1, 1, 0, 0, 2}));  // D: itinerant (B→D→A), representative (C→D→A)
  // Null model by hand: N = 4, 6 arcs, d = 6/12 = 1/2, k = d²(1−d) = 1/8, groups of 2.
  EXPECT_DOUBLE_EQ(b.density, 0.5);
  const auto& m = b.group_moments[0];
  EXPECT_NEAR(m.expected[0], 0.0, 1e-15);   // (n−1)(n−2) = 0
  EXPECT_NEAR(m.expected[1], 0.25, 1e-15);  // k · 2·1
  EXPECT_NEAR(m.expected[2], 0.25, 1e-15);  // k · (N−n)(n−1) = k·2
  EXPECT_NEAR(m.expected[4], 0.0, 1e-15);   // k · (2² − 2²)
  EXPECT_NEAR(m.expected[5], 0.75, 1e-15);  // k · 3·2
  // Var[w_O] = E(1−k) + 2 Σ n(n−1)(n−2) d³(1−d)³ = 0.25·0.875 = 0.21875.
  EXPECT_NEAR(m.sd[1], std::sqrt(0.21875), 1e-15);
  EXPECT_NEAR(b.z[0][1], (1 - 0.25) / std::sqrt(0.21875), 1e-12);
  EXPECT_DOUBLE_EQ(b.global_raw[5], 6.0);
}

TEST(NetworkBrokerage, AgreesWithBruteForceDirectedUndirectedAndMissingGroups) {
  std::mt19937_64 rng(11);
  for (bool directed : {true, false})
    for (int trial = 0; trial < 4; ++trial) {
      const std::uint32_t n = 60;
      std::vector<std::pair<std::uint32_t, std::uint32_t>> ties;
      for (std::uint32_t a = 0; a < n; ++a)
        for (std::uint32_t b = directed ? 0 : a + 1; b < n; ++b)
          if (a != b && rng() % 100 < 9) ties.emplace_back(a, b);
      // A hub to exercise the binary-search branch.
      for (std::uint32_t b = 1; b < n; b += 2)
        if (!directed || rng() % 2) ties.emplace_back(0, b);
      std::sort(ties.begin(), ties.end());
      ties.erase(std::unique(ties.begin(), ties.end()), ties.end());
      auto g = graph(n, ties, directed);
      std::vector<std::int32_t> group(n);
      for (auto& x : group) x = static_cast<std::int32_t>(rng() % 4) - (trial == 3 ? 1 : 0);  // −1 = none
      const auto fast = brokerage(g, group, 4);
      const auto ref = brute(g, group);
      for (std::uint32_t v = 0; v < n; ++v) EXPECT_EQ(fast.raw[v], ref[v]) << "node " << v << " directed " << directed;
    }
}

TEST(NetworkBrokerage, ThreadCountDoesNotMatter) {
  std::mt19937_64 rng(3);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ties;
  for (std::uint32_t a = 0; a < 2000; ++a)
    for (int k = 0; k < 5; ++k) ties.emplace_back(a, static_cast<std::uint32_t>(rng() % 2000));
  ties.erase(std::remove_if(ties.begin(), ties.end(), [](auto p) { return p.first == p.second; }), ties.end());
  std::sort(ties.begin(), ties.end());
  ties.erase(std::unique(ties.begin(), ties.end()), ties.end());
  const auto g = graph(2000, ties, true);
  std::vector<std::int32_t> group(2000);
  for (std::size_t v = 0; v < group.size(); ++v) group[v] = static_cast<std::int32_t>(v % 7);
  Brokerage one, two;
  {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 1);
    one = brokerage(g, group, 7);
  }
  {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 2);
    two = brokerage(g, group, 7);
  }
  EXPECT_EQ(one.raw, two.raw);
  EXPECT_EQ(one.global_raw, two.global_raw);
}

TEST(NetworkBrokerage, GlobalMomentsClosedFormsMatchSnaLoops) {
  // sna::brokerage computes the global liaison variance by a triple loop over groups and the
  // itinerant variance with outer(); brokerage.cpp sums them in closed form. Literal
  // translation of sna's loops here.
  const std::vector<double> n = {5, 3, 7, 2, 9};
  const double d = 0.13, N = 26;
  const double a = std::pow(d, 3) * std::pow(1 - d, 3), b = std::pow(d, 4) * std::pow(1 - d, 2),
               c = std::pow(d, 5) * (1 - d), k = d * d * (1 - d);
  double e2 = 0, v2 = 0, e5a = 0, e5b = 0, v5 = 0;
  for (double x : n) e2 += x * (N - x) * (x - 1);
  e2 *= k;
  for (double x : n)
    for (double y : n) v2 += x * y * (x - 1) * ((2 * x + 2 * y - 6) * a + (N - x - 1) * c);
  for (double x : n) v2 -= x * x * (x - 1) * ((4 * x - 6) * a + (N - x - 1) * c);
  v2 += e2 * (1 - k);
  for (double x : n)
    for (double y : n) e5a += x * y * (N - x - y);
  for (double x : n) e5b += x * x * (N - 2 * x);
  const double e5 = k * (e5a - e5b);
  v5 = e5 * (1 - k);
  for (std::size_t i = 0; i < n.size(); ++i)
    for (std::size_t j = 0; j < n.size(); ++j)
      for (std::size_t l = 0; l < n.size(); ++l)
        if (i != j && j != l && i != l)
          v5 += n[i] * n[j] * n[l] *
                ((4 * (N - n[j]) - 2 * (n[i] + n[l] + 1)) * a - (4 * (N - n[l]) - 2 * (n[i] + n[j] + 1)) * b +
                 (N - (n[i] + n[l] + 1)) * c);
  const auto m = brokerage_global_moments(n, d);
  EXPECT_NEAR(m.expected[1], e2, 1e-9);
  EXPECT_NEAR(m.sd[1], std::sqrt(v2), 1e-9);
  EXPECT_NEAR(m.expected[4], e5, 1e-9);
  EXPECT_NEAR(m.sd[4], std::sqrt(v5), 1e-9);
  // Global expectations are the sums of the per-node ones (linearity).
  for (int r : {0, 1, 2, 4, 5}) {
    double s = 0;
    for (std::size_t i = 0; i < n.size(); ++i) s += n[i] * brokerage_group_moments(n, i, d).expected[static_cast<std::size_t>(r)];
    EXPECT_NEAR(m.expected[static_cast<std::size_t>(r)], s, 1e-9) << r;
  }
}
