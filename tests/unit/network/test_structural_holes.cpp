// Burt's constraint and effective size against the hand values and networkx 2.8.8.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>

#include "agglo/network/structural_holes.hpp"
#include "network_test_util.hpp"

using namespace agglo;
using namespace agglo::network;
using agglo::network::test::graph;

TEST(NetworkStructuralHoles, StarCentre) {
  // Star with 4 leaves: p = 1/4 each, no indirect paths: c = 4·(1/4)² = 0.25; ES = 4 − 0 = 4.
  const auto g = graph(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}});
  const auto s = structural_holes(g);
  EXPECT_NEAR(s.constraint[0], 0.25, 1e-12);
  EXPECT_NEAR(s.effective_size[0], 4.0, 1e-12);
  // A leaf has one alter: c = 1, ES = 1.
  EXPECT_NEAR(s.constraint[1], 1.0, 1e-12);
  EXPECT_NEAR(s.effective_size[1], 1.0, 1e-12);
}

TEST(NetworkStructuralHoles, CompleteGraphK4) {
  // K4: p = 1/3; indirect for each alter = 2·(1/3)(1/3) = 2/9; c = 3·(1/3 + 2/9)² = 25/27.
  const auto g = graph(4, {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}});
  const auto s = structural_holes(g);
  for (int v = 0; v < 4; ++v) {
    EXPECT_NEAR(s.constraint[v], 25.0 / 27.0, 1e-12);  // 0.925926
    EXPECT_NEAR(s.effective_size[v], 1.0, 1e-12);       // 3 − 2·3/3
  }
}

TEST(NetworkStructuralHoles, EgoWithTwoAlterTies) {
  // Ego 0 with alters a..e = 1..5 and ties a–b, c–d: ES = 5 − 2·2/5 = 4.2 (Borgatti);
  // c = 2·(1/5+1/10)²·2 + (1/5)² = 4·0.09 + 0.04 = 0.4.
  const auto g = graph(6, {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {1, 2}, {3, 4}});
  const auto s = structural_holes(g);
  EXPECT_NEAR(s.effective_size[0], 4.2, 1e-12);
  EXPECT_NEAR(s.constraint[0], 0.4, 1e-12);
}

TEST(NetworkStructuralHoles, IsolatesAreNaN) {
  const auto g = graph(3, {{0, 1}});
  const auto s = structural_holes(g);
  EXPECT_TRUE(std::isnan(s.constraint[2]));
  EXPECT_TRUE(std::isnan(s.effective_size[2]));
}

TEST(NetworkStructuralHoles, KarateMatchesNetworkx) {
  // Reference: networkx 2.8.8, G = nx.Graph(nx.karate_club_graph().edges()) (unweighted),
  // nx.constraint(G) and nx.effective_size(G), printed with 10 significant digits.
  const double c_ref[34] = {0.1554232976, 0.279535108, 0.1851766397, 0.3966596472, 0.5294174383, 0.477484809,
                            0.477484809, 0.4427115885, 0.3036007137, 0.5, 0.5294174383, 1, 0.6225043403,
                            0.3233354167, 0.5736795944, 0.5736795944, 0.78125, 0.5908685378, 0.5736795944,
                            0.3737193501, 0.5736795944, 0.5908685378, 0.5736795944, 0.3058237216, 0.4598765432,
                            0.4598765432, 0.6709018166, 0.2850692042, 0.3869131531, 0.4494090013, 0.3460064639,
                            0.2445754037, 0.2492233623, 0.1564186851};
  const double e_ref[34] = {13.75, 6.333333333, 7.8, 2.666666667, 1.666666667, 2.5, 2.5, 1, 3, 2, 1.666666667, 1,
                            1, 2.6, 1, 1, 1, 1, 1, 2.333333333, 1, 1, 1, 3.4, 2.333333333, 2.333333333, 1, 3.5,
                            2.333333333, 2, 2.5, 5, 9.833333333, 15.23529412};
  const auto net = test::karate();
  const auto g = Graph::from_actor_network(net, GraphOptions{});
  const auto s = structural_holes(g);
  for (std::uint32_t v = 0; v < 34; ++v) {
    const auto id = std::stoi(std::string(net.ids.name(v)));
    EXPECT_NEAR(s.constraint[v], c_ref[id], 1e-9) << "node " << id;
    EXPECT_NEAR(s.effective_size[v], e_ref[id], 1e-8) << "node " << id;
  }
  EXPECT_NEAR(s.constraint[*net.ids.find("0")], 0.155423, 1e-6);
  EXPECT_NEAR(s.effective_size[*net.ids.find("0")], 13.75, 1e-12);
}

TEST(NetworkStructuralHoles, WeightedDirectedMatchesNetworkx) {
  // Mutual-tie semantics on a weighted digraph. Reference: networkx 2.8.8 on this DiGraph
  // (random.Random(7), 12 nodes, 40 arcs, weights 1–5), nx.constraint(D, weight='weight') and
  // nx.effective_size(D, weight='weight') (general Burt formula with normalised mutual weights).
  const std::vector<std::array<int, 3>> arcs = {
      {0, 1, 5}, {0, 8, 4}, {0, 9, 5}, {1, 3, 4}, {1, 6, 1}, {1, 8, 1}, {1, 9, 3}, {2, 5, 4}, {2, 7, 1}, {2, 8, 1},
      {3, 0, 3}, {3, 1, 5}, {3, 2, 4}, {3, 5, 3}, {4, 6, 4}, {4, 8, 3}, {4, 9, 1}, {5, 2, 4}, {5, 4, 3}, {5, 7, 2},
      {5, 9, 5}, {6, 0, 1}, {6, 1, 4}, {6, 10, 1}, {7, 5, 2}, {7, 10, 3}, {8, 1, 2}, {8, 2, 2}, {8, 6, 4}, {8, 9, 4},
      {9, 0, 4}, {9, 3, 1}, {9, 7, 2}, {9, 10, 4}, {10, 1, 4}, {10, 2, 5}, {11, 1, 3}, {11, 3, 2}, {11, 5, 4}, {11, 7, 5}};
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ties;
  std::vector<double> w;
  for (auto [a, b, x] : arcs) {
    ties.emplace_back(a, b);
    w.push_back(x);
  }
  const auto g = graph(12, ties, true, w);
  const double c_ref[12] = {0.489512700581, 0.315812862412, 0.333343548711, 0.41773230344, 0.439379105482,
                            0.301896033534, 0.441688365709, 0.456844577206, 0.375688001105, 0.335320987191,
                            0.302298807483, 0.449468074116};
  const double e_ref[12] = {3.19924242424, 5.62916666667, 4.30158730159, 4.51098484848, 2.99772727273,
                            5.16275720165, 3.55740740741, 3.66796296296, 4.64656084656, 6.23946360153,
                            4.36094771242, 3.0869047619};
  const auto s = structural_holes(g);
  for (int v = 0; v < 12; ++v) {
    EXPECT_NEAR(s.constraint[v], c_ref[v], 1e-10) << v;
    EXPECT_NEAR(s.effective_size[v], e_ref[v], 1e-10) << v;
  }
}

TEST(NetworkStructuralHoles, HubPathAgreesAndThreadCountDoesNotMatter) {
  // A hub of degree 300 with a ring among its alters forces the binary-search branch (deg q >
  // deg i); results must equal a naive O(d³) evaluation, for 1 and for 2 threads.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ties;
  const std::uint32_t n = 301;
  for (std::uint32_t v = 1; v < n; ++v) ties.emplace_back(0, v);
  for (std::uint32_t v = 1; v + 1 < n; ++v) ties.emplace_back(v, v + 1);
  for (std::uint32_t v = 1; v + 7 < n; v += 5) ties.emplace_back(v, v + 7);
  const auto g = graph(n, ties);
  auto naive = [&](std::uint32_t i) {
    auto w = [&](std::uint32_t a, std::uint32_t b) { return g.has_tie(a, b) ? 1.0 : 0.0; };
    auto p = [&](std::uint32_t a, std::uint32_t b) { return w(a, b) / static_cast<double>(g.nb(a).size()); };
    double c = 0;
    for (auto j : g.nb(i)) {
      double ind = 0;
      for (auto q : g.nb(i)) ind += p(i, q) * p(q, j);
      c += (p(i, j) + ind) * (p(i, j) + ind);
    }
    return c;
  };
  std::vector<double> one, two;
  {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 1);
    one = structural_holes(g).constraint;
  }
  {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 2);
    two = structural_holes(g).constraint;
  }
  for (std::uint32_t v : {0u, 1u, 2u, 150u, 300u}) EXPECT_NEAR(one[v], naive(v), 1e-12) << v;
  EXPECT_EQ(one, two);
}
