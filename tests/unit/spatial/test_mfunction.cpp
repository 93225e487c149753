// Marcon–Puech M and its density m: a 4-point case worked by hand (unweighted and weighted),
// the grid path against O(n²) loops (univariate, bivariate, weighted, lon/lat), identical
// results for 1 and 2 threads, and the counterfactual bands around a random industry.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <random>

#include "agglo/core/error.hpp"
#include "agglo/spatial/mfunction.hpp"
#include "test_dbmss_reference.hpp"

using namespace agglo;
using namespace agglo::spatial;

namespace {

MSpec four_points() {
  // a1 (0,0) A, a2 (1,0) A, b1 (0,2) B, c (10,0) C
  MSpec s;
  s.x = {0, 1, 0, 10};
  s.y = {0, 0, 2, 0};
  s.in_a = {1, 1, 0, 0};
  s.in_b = s.in_a;
  s.max_distance = 10;
  s.points = 21;  // r = 0, 0.5, …, 10
  s.bandwidth = 0.7;
  return s;
}

MSpec random_spec(std::size_t n, std::uint32_t seed, bool geographic) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(0, 1);
  MSpec s;
  for (std::size_t i = 0; i < n; ++i) {
    const bool clumped = i % 4 == 0;
    double x = clumped ? 0.3 + 0.05 * u(g) : u(g), y = clumped ? 0.6 + 0.05 * u(g) : u(g);
    if (geographic) x = 179.5 + x, y = 45 + y;  // across the antimeridian
    if (x > 180) x -= 360;
    s.x.push_back(geographic ? x : 100 * x);
    s.y.push_back(geographic ? y : 100 * y);
    s.in_a.push_back(clumped || i % 9 == 0);
    s.in_b.push_back(i % 3 == 1);
    s.weight.push_back(1 + static_cast<double>(g() % 30));
  }
  s.geographic = geographic;
  s.max_distance = geographic ? 60 : 40;
  s.points = 41;
  return s;
}

}  // namespace

TEST(MFunction, FourPointsByHand) {
  auto s = four_points();
  const auto r = mfunction(s);
  // r = 0.5: no reference point has a neighbour → NaN
  EXPECT_TRUE(std::isnan(r.m[1]));
  // r = 1: each A point sees only the other A point: Σ ratios = 2; Σ (W_A − 1)/(W − 1) = 2/3
  EXPECT_NEAR(r.m[2], 3.0, 1e-14);
  // r = 2: a1 sees a2 and b1 (1/2), a2 sees a1 (1): 1.5 / (2/3)
  EXPECT_NEAR(r.m[4], 2.25, 1e-14);
  // r = 10: both see all three others (1/3 each): (2/3) / (2/3)
  EXPECT_NEAR(r.m[20], 1.0, 1e-14);
  // weighted: a1 = 2, a2 = 3, b1 = 1, c = 4 employees; denominators 3/8 + 2/7
  s.weight = {2, 3, 1, 4};
  const auto w = mfunction(s);
  EXPECT_NEAR(w.m[2], 2.0 / (3.0 / 8 + 2.0 / 7), 1e-14);
  EXPECT_NEAR(w.m[4], (3.0 / 4 + 1.0) / (3.0 / 8 + 2.0 / 7), 1e-14);
  // the density agrees with the brute-force kernel sums
  const auto bf = mfunction_bruteforce(s);
  for (std::size_t g = 0; g < s.points; ++g) EXPECT_NEAR(w.density[g], bf.density[g], 1e-7) << g;
}

TEST(MFunction, GridMatchesBruteForce) {
  for (bool geo : {false, true})
    for (int variant = 0; variant < 3; ++variant) {
      auto s = random_spec(400, 3 + variant, geo);
      if (variant == 0) s.in_b = s.in_a, s.weight.clear();  // univariate, unweighted
      if (variant == 1) s.in_b = s.in_a;                    // univariate, weighted
      const auto fast = mfunction(s);
      s.bandwidth = fast.bandwidth;
      const auto bf = mfunction_bruteforce(s);
      for (std::size_t g = 0; g < s.points; ++g) {
        if (std::isnan(bf.m[g])) {
          EXPECT_TRUE(std::isnan(fast.m[g]));
        } else {
          EXPECT_NEAR(fast.m[g], bf.m[g], 1e-10 * std::max(1.0, bf.m[g])) << "geo " << geo << " variant " << variant << " g " << g;
        }
        if (!std::isnan(bf.density[g])) EXPECT_NEAR(fast.density[g], bf.density[g], 1e-6 * std::max(1.0, bf.density[g]));
      }
    }
}

TEST(MFunction, ThreadsAndBands) {
  auto s = random_spec(600, 8, false);
  s.in_b = s.in_a;  // univariate: the clumped industry around itself
  s.simulations = 49;
  s.seed = 11;
  auto run = [&](int threads) {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, threads);
    return mfunction(s);
  };
  const auto a = run(1), b = run(2);
  // bitwise equality (NaN where M is undefined counts as equal)
  auto same = [](const std::vector<double>& x, const std::vector<double>& y) {
    if (x.size() != y.size()) return false;
    for (std::size_t k = 0; k < x.size(); ++k)
      if (!(x[k] == y[k] || (std::isnan(x[k]) && std::isnan(y[k])))) return false;
    return true;
  };
  EXPECT_TRUE(same(a.m, b.m));
  EXPECT_TRUE(same(a.density, b.density));
  EXPECT_TRUE(same(a.m_bands.global_upper, b.m_bands.global_upper));
  EXPECT_TRUE(same(a.density_bands.local_lower, b.density_bands.local_lower));
  ASSERT_FALSE(same(a.m, a.m_bands.global_upper));  // the helper can fail
  // the reference industry is clumped: M exceeds the global band at small r
  bool above = false;
  for (std::size_t g = 1; g < 10; ++g) above = above || a.m[g] > a.m_bands.global_upper[g];
  EXPECT_TRUE(above);
  // the simulated M hover around 1 at the largest r
  EXPECT_LT(a.m_bands.local_lower.back(), 1.05);
  EXPECT_GT(a.m_bands.local_upper.back(), 0.95);
}

TEST(MFunction, BadInput) {
  auto s = four_points();
  s.in_a = {1, 0, 0, 0};
  s.in_b = s.in_a;
  EXPECT_THROW(mfunction(s), Error);
  s = four_points();
  s.max_distance = 0;
  EXPECT_THROW(mfunction(s), Error);
}

// dbmss 2.11-0's Mhat (Marcon et al. 2015; tests/reference/spatial_distance/dbmss_reference.R)
// on tests/cli/good/dist_points.csv, r = 0, 3, …, 300, through the `agglo mfunction` operation:
// univariate LOC weighted by employees and unweighted, bivariate LOC → RND. dbmss leaves a
// reference point without neighbours within r out of both sums, as agglo, and M is NaN at r = 0
// in both. Measured agreement 4.4e-15.
TEST(MFunction, AgreesWithDbmss) {
  using namespace agglo::test_dbmss;
  const auto ref = read_numbers(path("reference/spatial_distance/dbmss_mhat.csv"));
  ASSERT_EQ(ref.at("distance").size(), 101u);
  const std::string pts = path("cli/good/dist_points.csv");
  const core::ParamMap base{{"establishments", pts}, {"industry", "LOC"}, {"simulations", "0"}, {"max-distance", "300"}};
  struct Case {
    std::string column;
    core::ParamMap extra;
  };
  for (const auto& c : {Case{"LOC_weighted", {}}, Case{"LOC_unweighted", {{"weight", "none"}}},
                        Case{"LOC_RND_weighted", {{"neighbour-industry", "RND"}}}}) {
    auto m = base;
    for (const auto& [k, v] : c.extra) m[k] = v;
    const auto got = run_column("mfunction", m, "m");
    const auto dist = run_column("mfunction", m, "distance");
    const auto& want = ref.at(c.column);
    ASSERT_EQ(got.size(), want.size());
    std::size_t finite = 0;
    for (std::size_t g = 0; g < got.size(); ++g) {
      EXPECT_NEAR(dist[g], ref.at("distance")[g], 1e-12);
      EXPECT_EQ(std::isnan(got[g]), std::isnan(want[g])) << c.column << " r = " << dist[g];
      if (std::isnan(want[g])) continue;
      EXPECT_NEAR(got[g], want[g], 1e-12 * (1 + std::fabs(want[g]))) << c.column << " r = " << dist[g];
      ++finite;
    }
    EXPECT_EQ(finite, 100u) << c.column;  // only r = 0 is undefined
  }
}
