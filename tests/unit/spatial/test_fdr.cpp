// Benjamini–Hochberg adjusted p-values against R's p.adjust(p, "BH") (ties, NA) and against the
// definition min_{k ≥ i} m p_(k)/k computed by brute force.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "agglo/spatial/fdr.hpp"
#include "test_hotspots_reference.hpp"

using namespace agglo;
using namespace agglo::test_hotspots;

TEST(HotspotsFdr, EqualsRPAdjust) {
  auto ref = read_csv(reference("bh.csv"));
  std::vector<double> p, bh;
  for (std::size_t i = 0; i < ref["p"].size(); ++i) p.push_back(num(ref["p"][i])), bh.push_back(num(ref["bh"][i]));
  const auto a = spatial::benjamini_hochberg(p);
  ASSERT_EQ(a.size(), bh.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(bh[i]))
      EXPECT_TRUE(std::isnan(a[i]));
    else
      EXPECT_NEAR(a[i], bh[i], 1e-15) << i;
  }
}

TEST(HotspotsFdr, MatchesBruteForceDefinition) {
  std::mt19937_64 g(5);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> p(300);
  for (auto& v : p) v = std::pow(u(g), 3);
  for (std::size_t i = 0; i < 20; ++i) p[i + 100] = p[i];  // ties
  const auto a = spatial::benjamini_hochberg(p);
  std::vector<double> s = p;
  std::sort(s.begin(), s.end());
  const double m = static_cast<double>(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    // rank of p[i]: the largest position k (1-based) with s[k-1] == p[i] gives the smallest m p/k
    double best = 1;
    for (std::size_t k = 0; k < s.size(); ++k)
      if (s[k] >= p[i]) best = std::min(best, m * s[k] / static_cast<double>(k + 1));
    EXPECT_NEAR(a[i], best, 1e-14) << i;
  }
}
