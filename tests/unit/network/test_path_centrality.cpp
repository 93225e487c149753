// Parallel betweenness and closeness (src/network/detail/path_centrality.cpp) against igraph 0.10
// (igraph_betweenness, igraph_closeness with IGRAPH_OUT and normalized = true: the functions
// agglo called before), against a brute-force count over all pairs on tiny graphs, and for
// byte-identical results on 1 and 2 threads.
#include <gtest/gtest.h>
#include <igraph/igraph.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <set>

#include "agglo/network/centrality.hpp"
#include "network_test_util.hpp"

using namespace agglo::network;

namespace {

using Ties = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

// A random graph in two components of `n/2 − 2` and `n/2` nodes plus two isolated nodes, with
// about `per_node` ties per node; weights from {1, 2, 3, 6} so that 1/weight lengths tie in
// value but not in binary (1/3 + 1/6 vs 1/2, 1/6 + 1/6 + 1/6 vs 1/2 …), which exercises the
// tolerance igraph applies to equal lengths.
struct Case {
  Ties ties;
  std::vector<double> w;
};
Case random_case(std::uint32_t n, double per_node, bool directed, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
  Case c;
  const std::uint32_t half = n / 2 - 2;
  const double ws[] = {1, 2, 3, 6};
  const auto add_in = [&](std::uint32_t lo, std::uint32_t hi, std::size_t count) {
    std::uniform_int_distribution<std::uint32_t> node(lo, hi - 1);
    for (std::size_t i = 0; i < count; ++i) {
      auto a = node(rng), b = node(rng);
      if (a == b) continue;
      if (!directed && a > b) std::swap(a, b);
      if (!seen.insert({a, b}).second) continue;
      c.ties.emplace_back(a, b);
      c.w.push_back(ws[rng() % 4]);
    }
  };
  add_in(0, half, static_cast<std::size_t>(per_node * half));
  add_in(half, n - 2, static_cast<std::size_t>(per_node * (n - 2 - half)));
  return c;
}

// igraph's answers on the same graph, lengths 1/weight when `lengths`, normalised as ours.
struct Reference {
  std::vector<double> betweenness, closeness;
};
Reference igraph_reference(std::uint32_t n, const Case& c, bool directed, bool lengths) {
  igraph_t g;
  igraph_vector_int_t edges;
  igraph_vector_int_init(&edges, static_cast<igraph_integer_t>(2 * c.ties.size()));
  igraph_vector_t len;
  igraph_vector_init(&len, static_cast<igraph_integer_t>(c.ties.size()));
  for (std::size_t e = 0; e < c.ties.size(); ++e) {
    VECTOR(edges)[2 * e] = c.ties[e].first;
    VECTOR(edges)[2 * e + 1] = c.ties[e].second;
    VECTOR(len)[e] = 1.0 / c.w[e];
  }
  igraph_create(&g, &edges, n, directed);
  igraph_vector_t res;
  igraph_vector_init(&res, 0);
  Reference r;
  igraph_betweenness(&g, &res, igraph_vss_all(), directed, lengths ? &len : nullptr);
  const double norm = (n - 1.0) * (n - 2.0) / (directed ? 1.0 : 2.0);
  for (std::uint32_t v = 0; v < n; ++v) r.betweenness.push_back(VECTOR(res)[v] / norm);
  igraph_closeness(&g, &res, nullptr, nullptr, igraph_vss_all(), IGRAPH_OUT, lengths ? &len : nullptr, true);
  for (std::uint32_t v = 0; v < n; ++v) r.closeness.push_back(VECTOR(res)[v]);
  igraph_vector_destroy(&res);
  igraph_vector_destroy(&len);
  igraph_vector_int_destroy(&edges);
  igraph_destroy(&g);
  return r;
}

void expect_close(double got, double want, double rel, const std::string& what) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": " << got;
    return;
  }
  EXPECT_LE(std::fabs(got - want), rel * std::max(1e-300, std::fabs(want)) + 1e-15) << what << ": " << got << " vs " << want;
}

CentralityOptions exact(bool lengths) {
  CentralityOptions o;
  o.betweenness = BetweennessMode::exact;
  o.path_weights = lengths;
  o.eigenvector = false;
  return o;
}

}  // namespace

TEST(PathCentrality, EqualsIgraphOnRandomGraphs) {
  std::uint64_t seed = 11;
  for (bool directed : {false, true})
    for (bool lengths : {false, true})
      for (double per_node : {1.2, 3.0, 8.0}) {
        const std::uint32_t n = 80;
        const auto c = random_case(n, per_node, directed, ++seed);
        const auto g = test::graph(n, c.ties, directed, c.w);
        const auto got = centrality(g, exact(lengths));
        const auto want = igraph_reference(n, c, directed, lengths);
        const std::string tag = std::string(directed ? "directed" : "undirected") + (lengths ? " lengths" : " hops") +
                                " per_node " + std::to_string(per_node);
        for (std::uint32_t v = 0; v < n; ++v) {
          expect_close(got.betweenness[v], want.betweenness[v], 1e-9, tag + " betweenness " + std::to_string(v));
          expect_close(got.closeness[v], want.closeness[v], 1e-9, tag + " closeness " + std::to_string(v));
        }
      }
}

// Brute force: all-pairs distances and path counts by repeated relaxation over ties (Bellman–
// Ford style, exact on these lengths: 1 and 1/2 are exact binary fractions), then
//   b(v) = Σ_{s ≠ v ≠ t, s ≠ t, σ_st > 0} σ_sv σ_vt / σ_st   when d_sv + d_vt = d_st,
// halved for an undirected graph, and closeness (r − 1) / Σ_t d_st.
TEST(PathCentrality, EqualsBruteForceOnTinyGraphs) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 40; ++trial) {
    const bool directed = trial % 2, lengths = trial % 4 >= 2;
    const std::uint32_t n = 4 + static_cast<std::uint32_t>(rng() % 6);
    Ties ties;
    std::vector<double> w;
    for (std::uint32_t a = 0; a < n; ++a)
      for (std::uint32_t b = directed ? 0 : a + 1; b < n; ++b)
        if (a != b && rng() % 3 == 0) {
          ties.emplace_back(a, b);
          w.push_back(rng() % 2 ? 1.0 : 2.0);
        }
    if (ties.empty()) continue;
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<std::vector<double>> d(n, std::vector<double>(n, inf));
    std::vector<std::vector<double>> sigma(n, std::vector<double>(n, 0));
    for (std::uint32_t s = 0; s < n; ++s) {
      d[s][s] = 0;
      sigma[s][s] = 1;
      // Dijkstra-free: relax until stable for distances, then count paths in distance order.
      for (std::uint32_t it = 0; it < n; ++it)
        for (std::size_t e = 0; e < ties.size(); ++e)
          for (int dir = 0; dir < (directed ? 1 : 2); ++dir) {
            const auto u = dir ? ties[e].second : ties[e].first, v = dir ? ties[e].first : ties[e].second;
            const double l = lengths ? 1.0 / w[e] : 1.0;
            d[s][v] = std::min(d[s][v], d[s][u] + l);
          }
      std::vector<std::uint32_t> by(n);
      std::iota(by.begin(), by.end(), 0u);
      std::sort(by.begin(), by.end(), [&](auto a, auto b) { return d[s][a] < d[s][b]; });
      for (auto v : by) {
        if (v == s || d[s][v] == inf) continue;
        for (std::size_t e = 0; e < ties.size(); ++e)
          for (int dir = 0; dir < (directed ? 1 : 2); ++dir) {
            const auto a = dir ? ties[e].second : ties[e].first, b = dir ? ties[e].first : ties[e].second;
            const double l = lengths ? 1.0 / w[e] : 1.0;
            if (b == v && d[s][a] + l == d[s][v]) sigma[s][v] += sigma[s][a];
          }
      }
    }
    std::vector<double> bet(n, 0), clo(n);
    for (std::uint32_t s = 0; s < n; ++s) {
      double sum = 0, r = 0;
      for (std::uint32_t t = 0; t < n; ++t) {
        if (d[s][t] == inf) continue;
        sum += d[s][t];
        ++r;
        if (t == s) continue;
        for (std::uint32_t v = 0; v < n; ++v)
          if (v != s && v != t && d[s][v] + d[v][t] == d[s][t]) bet[v] += sigma[s][v] * sigma[v][t] / sigma[s][t];
      }
      clo[s] = sum == 0 ? std::nan("") : (r - 1) / sum;
    }
    const double norm = (n - 1.0) * (n - 2.0);  // ordered pairs counted: directed norm, undirected 2·(½ norm)
    const auto got = centrality(test::graph(n, ties, directed, w), exact(lengths));
    for (std::uint32_t v = 0; v < n; ++v) {
      expect_close(got.betweenness[v], bet[v] / norm, 1e-12, "trial " + std::to_string(trial) + " betweenness " + std::to_string(v));
      expect_close(got.closeness[v], clo[v], 1e-12, "trial " + std::to_string(trial) + " closeness " + std::to_string(v));
    }
  }
}

TEST(PathCentrality, ByteIdenticalOnOneAndTwoThreads) {
  for (bool directed : {false, true})
    for (bool lengths : {false, true})
      for (auto mode : {BetweennessMode::exact, BetweennessMode::sampled}) {
        const std::uint32_t n = 600;
        const auto c = random_case(n, 4.0, directed, 99);
        const auto g = test::graph(n, c.ties, directed, c.w);
        auto o = exact(lengths);
        o.betweenness = mode;
        o.samples = 300;
        Centrality one, two;
        {
          tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 1);
          one = centrality(g, o);
        }
        {
          tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 2);
          two = centrality(g, o);
        }
        EXPECT_EQ(0, std::memcmp(one.betweenness.data(), two.betweenness.data(), n * sizeof(double)));
        EXPECT_EQ(0, std::memcmp(one.closeness.data(), two.closeness.data(), n * sizeof(double)));
      }
}

// Sampled betweenness: the estimate is (n/k) Σ_{s ∈ S} δ_s; with closeness beyond the budget the
// search runs from the k sources only, within it from all n (closeness) with only the k
// accumulating — both must give the same estimate. The Hoeffding bound is reported and the
// estimate lies within the simultaneous bound of the exact value here (it holds with
// probability ≥ 95 %; this seed is fixed).
TEST(PathCentrality, SampledEstimateAndErrorBound) {
  const std::uint32_t n = 400;
  const auto c = random_case(n, 3.0, false, 7);
  const auto g = test::graph(n, c.ties, false, c.w);
  auto o = exact(true);
  const auto ex = centrality(g, o);
  o.betweenness = BetweennessMode::sampled;
  o.samples = 100;
  const auto within = centrality(g, o);
  o.exact_budget = 0;  // closeness off, searches from the sample only
  const auto beyond = centrality(g, o);
  EXPECT_TRUE(std::isnan(ex.betweenness_error_per_node));
  ASSERT_TRUE(std::isfinite(within.betweenness_error_all_nodes));
  EXPECT_NEAR(within.betweenness_error_per_node, n / (n - 1.0) * std::sqrt(std::log(2 / 0.05) / 200), 1e-15);
  for (std::uint32_t v = 0; v < n; ++v) {
    EXPECT_NEAR(within.betweenness[v], beyond.betweenness[v], 1e-12 * std::max(1.0, within.betweenness[v]));
    EXPECT_LE(std::fabs(within.betweenness[v] - ex.betweenness[v]), within.betweenness_error_all_nodes);
  }
  EXPECT_TRUE(std::isnan(beyond.closeness[0]));
}
