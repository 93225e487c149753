// Spatial weights: queen/rook contiguity on a hand-drawn grid, against the O(n²) all-pairs
// reference on random polygon meshes, and against spdep::poly2nb on the 3,191 real US counties
// (identical neighbour lists); knn and distance bands against brute force (projected and
// lon/lat) and knn against spdep::knearneigh; the Cliff–Ord constants against dense loops; bad
// input.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <random>

#include "agglo/core/error.hpp"
#include "agglo/spatial/weights.hpp"
#include "agglo/spatial/weights_contiguity.hpp"
#include "agglo/spatial/weights_distance.hpp"
#include "test_hotspots_reference.hpp"

using namespace agglo;
using namespace agglo::spatial;
using namespace agglo::test_hotspots;

namespace {

// An nx × ny grid of unit squares (each ring closed: first vertex repeated), optionally jittered
// at the shared grid nodes (the same jitter for every square touching a node, so neighbours
// still share vertices exactly) and with some squares dropped (holes in the mesh → islands).
PolygonVertices grid(std::size_t nx, std::size_t ny, unsigned seed = 0, double drop = 0,
                     std::vector<std::size_t>* kept = nullptr) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(-0.3, 0.3), v(0, 1);
  std::vector<std::pair<double, double>> node((nx + 1) * (ny + 1));
  for (std::size_t j = 0; j <= ny; ++j)
    for (std::size_t i = 0; i <= nx; ++i)
      node[j * (nx + 1) + i] = {static_cast<double>(i) + (seed ? u(g) : 0), static_cast<double>(j) + (seed ? u(g) : 0)};
  PolygonVertices p;
  for (std::size_t j = 0; j < ny; ++j)
    for (std::size_t i = 0; i < nx; ++i) {
      if (drop > 0 && v(g) < drop) continue;
      if (kept) kept->push_back(j * nx + i);
      const std::size_t a = j * (nx + 1) + i, b = a + 1, c = a + nx + 2, d = a + nx + 1;
      for (std::size_t q : {a, b, c, d, a}) p.add_vertex(node[q].first, node[q].second);
      p.end_region();
    }
  return p;
}

bool same(const SpatialWeights& a, const SpatialWeights& b) {
  return a.n == b.n && a.offset == b.offset && a.neighbour == b.neighbour && a.weight == b.weight;
}

std::vector<std::uint32_t> row(const SpatialWeights& w, std::size_t i) {
  return {w.neighbour.begin() + static_cast<std::ptrdiff_t>(w.offset[i]),
          w.neighbour.begin() + static_cast<std::ptrdiff_t>(w.offset[i + 1])};
}

PointSet random_points(unsigned seed, std::size_t n, bool geographic) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(0, 1);
  PointSet p;
  p.geographic = geographic;
  for (std::size_t i = 0; i < n; ++i) {
    if (geographic) {  // a patch straddling the antimeridian, and a few points near the pole
      double lon = 175 + 10 * u(g);
      if (lon > 180) lon -= 360;
      p.x.push_back(lon);
      p.y.push_back(i % 50 == 0 ? 88 + 2 * u(g) : 50 + 10 * u(g));
    } else {
      p.x.push_back(1000 * u(g));
      p.y.push_back(1000 * u(g));
    }
  }
  return p;
}

}  // namespace

TEST(HotspotsWeights, QueenAndRookOnAThreeByThreeGridByHand) {
  const auto p = grid(3, 3);
  const auto q = contiguity_weights(p, Contiguity::queen, 0);
  const auto r = contiguity_weights(p, Contiguity::rook, 0);
  // Squares numbered row by row from the bottom left: 0 1 2 / 3 4 5 / 6 7 8.
  EXPECT_EQ(row(q, 4), (std::vector<std::uint32_t>{0, 1, 2, 3, 5, 6, 7, 8}));
  EXPECT_EQ(row(r, 4), (std::vector<std::uint32_t>{1, 3, 5, 7}));
  EXPECT_EQ(row(q, 0), (std::vector<std::uint32_t>{1, 3, 4}));
  EXPECT_EQ(row(r, 0), (std::vector<std::uint32_t>{1, 3}));
  EXPECT_EQ(q.links(), 40u);  // 12 rook pairs + 8 diagonal pairs, both directions
  EXPECT_EQ(r.links(), 24u);
  EXPECT_TRUE(q.symmetric);
  EXPECT_EQ(q.islands(), 0u);
}

TEST(HotspotsWeights, ContiguityMatchesAllPairsReferenceOnRandomMeshes) {
  for (unsigned seed : {1u, 2u, 3u}) {
    std::vector<std::size_t> kept;
    const auto p = grid(13, 11, seed, 0.15, &kept);
    for (auto rule : {Contiguity::queen, Contiguity::rook})
      for (double snap : {0.0, 1e-8, 0.05}) {
        const auto fast = contiguity_weights(p, rule, snap);
        const auto slow = contiguity_bruteforce(p, rule, snap);
        EXPECT_TRUE(same(fast, slow)) << "seed " << seed << " snap " << snap;
      }
  }
  // A snap larger than the jitter differences joins squares that only nearly touch.
  PolygonVertices two;
  for (auto [x, y] : std::vector<std::pair<double, double>>{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}) two.add_vertex(x, y);
  two.end_region();
  for (auto [x, y] : std::vector<std::pair<double, double>>{{1.001, 0}, {2, 0}, {2, 1}, {1.001, 1}, {1.001, 0}}) two.add_vertex(x, y);
  two.end_region();
  EXPECT_EQ(contiguity_weights(two, Contiguity::rook, 1e-8).links(), 0u);
  EXPECT_EQ(contiguity_weights(two, Contiguity::rook, 0.002).links(), 2u);
  EXPECT_TRUE(same(contiguity_weights(two, Contiguity::rook, 0.002), contiguity_bruteforce(two, Contiguity::rook, 0.002)));
}

TEST(HotspotsWeights, RookNeedsTwoDistinctSharedVerticesNotARepeatedOne) {
  // Two triangles touching in one point that is also the closing vertex of both rings: queen
  // neighbours, not rook neighbours.
  PolygonVertices p;
  for (auto [x, y] : std::vector<std::pair<double, double>>{{1, 1}, {0, 0}, {1, 0}, {1, 1}}) p.add_vertex(x, y);
  p.end_region();
  for (auto [x, y] : std::vector<std::pair<double, double>>{{1, 1}, {2, 2}, {1, 2}, {1, 1}}) p.add_vertex(x, y);
  p.end_region();
  EXPECT_EQ(contiguity_weights(p, Contiguity::queen, 0).links(), 2u);
  EXPECT_EQ(contiguity_weights(p, Contiguity::rook, 0).links(), 0u);
}

TEST(HotspotsWeights, QueenAndRookEqualSpdepPoly2nbOnUsCounties) {
  const auto c = counties();
  ASSERT_EQ(c.ids.size(), 3191u);
  ASSERT_TRUE(c.has_polygons);
  const auto q = contiguity_weights(c.polygons, Contiguity::queen, 1.4901161193847656e-08);
  const auto r = contiguity_weights(c.polygons, Contiguity::rook, 1.4901161193847656e-08);
  const auto q_ref = pairs_of(reference("queen_nb.csv"));
  const auto r_ref = pairs_of(reference("rook_nb.csv"));
  EXPECT_EQ(q_ref.size(), 18848u);
  EXPECT_EQ(pairs_of(q, c.ids), q_ref);
  EXPECT_EQ(pairs_of(r, c.ids), r_ref);
  EXPECT_EQ(q.islands(), 3u);
  EXPECT_TRUE(q.symmetric);
}

TEST(HotspotsWeights, KnnAndDistanceBandMatchBruteForce) {
  for (bool geo : {false, true})
    for (unsigned seed : {4u, 5u}) {
      const auto p = random_points(seed, 400, geo);
      for (std::size_t k : {1u, 4u, 9u}) EXPECT_TRUE(same(knn_weights(p, k), knn_bruteforce(p, k))) << geo << " k " << k;
      for (double d : geo ? std::vector<double>{20, 80, 300} : std::vector<double>{15, 60, 200}) {
        const auto w = distance_band_weights(p, d);
        EXPECT_TRUE(same(w, distance_band_bruteforce(p, d))) << geo << " d " << d;
        EXPECT_TRUE(w.symmetric);
      }
    }
  // Ties at the k-th distance go to the smaller index: points on a line at unit spacing.
  PointSet line;
  for (int i = 0; i < 7; ++i) line.x.push_back(i), line.y.push_back(0);
  const auto w = knn_weights(line, 2);
  EXPECT_EQ(row(w, 3), (std::vector<std::uint32_t>{2, 4}));
  EXPECT_EQ(row(knn_weights(line, 3), 3), (std::vector<std::uint32_t>{1, 2, 4}));
  EXPECT_FALSE(knn_weights(line, 1).symmetric);
}

TEST(HotspotsWeights, KnnEqualsSpdepKnearneighOnCountyPoints) {
  const auto r = spatial::read_hotspot_regions(reference("county_values.csv"), "", "fips", "log_area");
  ASSERT_TRUE(r.points.geographic);
  const auto w = knn_weights(r.points, 6);
  EXPECT_EQ(pairs_of(w, r.ids), pairs_of(reference("knn6_nb.csv")));
}

TEST(HotspotsWeights, SameForOneAndTwoThreads) {
  const auto p = random_points(9, 3000, true);
  SpatialWeights a, b;
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    a = knn_weights(p, 7);
  }
  {
    tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
    b = knn_weights(p, 7);
  }
  EXPECT_TRUE(same(a, b));
}

TEST(HotspotsWeights, CliffOrdConstantsMatchDenseLoops) {
  const auto p = random_points(11, 60, false);
  for (auto t : {WeightsTransform::binary, WeightsTransform::row}) {
    auto w = knn_weights(p, 4);  // asymmetric on purpose
    transform(w, t);
    std::vector<std::vector<double>> d(60, std::vector<double>(60, 0.0));
    for (std::size_t i = 0; i < 60; ++i)
      for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) d[i][w.neighbour[e]] = w.weight[e];
    double S0 = 0, S1 = 0, S2 = 0;
    for (std::size_t i = 0; i < 60; ++i) {
      double ri = 0, ci = 0;
      for (std::size_t j = 0; j < 60; ++j) {
        S0 += d[i][j];
        S1 += 0.5 * (d[i][j] + d[j][i]) * (d[i][j] + d[j][i]);
        ri += d[i][j], ci += d[j][i];
      }
      S2 += (ri + ci) * (ri + ci);
    }
    const auto c = weights_constants(w);
    EXPECT_NEAR(c.S0, S0, 1e-12 * S0);
    EXPECT_NEAR(c.S1, S1, 1e-12 * S1);
    EXPECT_NEAR(c.S2, S2, 1e-12 * S2);
  }
}

TEST(HotspotsWeights, BadParametersAreUsageErrors) {
  const auto p = random_points(3, 10, false);
  EXPECT_THROW(knn_weights(p, 10), Error);  // k ≥ n
  EXPECT_THROW(knn_weights(p, 0), Error);
  EXPECT_THROW(distance_band_weights(p, 0), Error);
  EXPECT_THROW(distance_band_weights(p, -1), Error);
  EXPECT_THROW(distance_band_weights(p, std::nan("")), Error);
  EXPECT_THROW(contiguity_weights(grid(2, 2), Contiguity::queen, -1), Error);
  try {
    knn_weights(p, 12);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
  }
}
