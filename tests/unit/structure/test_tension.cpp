// Structural tensions: a planted gap that opens and closes is found where it was planted, and
// the block's index peaks there; a gap that never closes is not called resolved.
#include <gtest/gtest.h>

#include <cmath>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/structure/tension.hpp"

namespace {

using agglo::structure::structural_tension;

std::vector<long long> years(std::size_t T) {
  std::vector<long long> y;
  for (std::size_t t = 0; t < T; ++t) y.push_back(1980 + static_cast<long long>(t));
  return y;
}

TEST(Tension, PlantedGapOpensAndClosesByHand) {
  // Industry 0 runs 0.06 a year ahead of 1 in 1990–1995 (gap 0.30), and 1 catches up in 1995–2000.
  const std::size_t T = 40;
  std::vector<std::vector<double>> y(2, std::vector<double>(T, 0.0));
  for (std::size_t t = 0; t < T; ++t) {
    const double yr = 1980.0 + static_cast<double>(t);
    y[0][t] = yr >= 1995 ? 0.30 : yr > 1990 ? 0.06 * (yr - 1990) : 0.0;
    y[1][t] = yr >= 2000 ? 0.30 : yr > 1995 ? 0.06 * (yr - 1995) : 0.0;
  }
  const auto r = structural_tension(y, years(T), {0, 0.2, 0.2, 0}, 5);
  ASSERT_EQ(r.pairs.size(), 1u);
  const auto& p = r.pairs[0];
  EXPECT_NEAR(p.peak_gap, 0.30, 1e-12);
  EXPECT_EQ(p.peak_year, 1995);
  EXPECT_EQ(p.leader, 0u);
  EXPECT_NEAR(p.closed_share, 1.0, 1e-12);  // d(2000) − d(1990) = 0
  // The index is |g_t| (one pair): 0.30 in 1995, and 0 after 2005 when both are level again.
  ASSERT_EQ(r.years.front(), 1985);
  EXPECT_NEAR(r.index[1995 - 1985], 0.30, 1e-12);
  EXPECT_NEAR(r.index[2010 - 1985], 0.0, 1e-12);
}

TEST(Tension, MeanRevertingGapResolvesRandomWalkGapDoesNot) {
  const std::size_t T = 60;
  agglo::core::Stream rng(7, 1);
  // Mean-reverting: d_t = 0.5 d_{t−1} + e (half-life ln ½ / ln ½ = 1 year).
  std::vector<std::vector<double>> a(2, std::vector<double>(T, 0.0)), b = a;
  double d = 0, walk = 0;
  for (std::size_t t = 0; t < T; ++t) {
    d = 0.5 * d + 0.05 * rng.normal();
    a[0][t] = d;
    walk += 0.05 * rng.normal();
    b[0][t] = walk;
  }
  const auto ra = structural_tension(a, years(T), {0, 1, 1, 0}, 5);
  EXPECT_LT(ra.pairs[0].adf_p, 0.01);
  EXPECT_NEAR(ra.pairs[0].reversion, -0.5, 0.2);
  EXPECT_LT(ra.pairs[0].half_life, 2.5);
  const auto rb = structural_tension(b, years(T), {0, 1, 1, 0}, 5);
  EXPECT_GT(rb.pairs[0].adf_p, 0.05);
  EXPECT_GT(rb.pairs[0].half_life, ra.pairs[0].half_life);
}

TEST(Tension, UnlinkedPairsAndShortSeries) {
  std::vector<std::vector<double>> y(3, std::vector<double>(20, 0.0));
  const auto r = structural_tension(y, years(20), {0, 0.1, 0, 0.1, 0, 0, 0, 0, 0}, 5);
  EXPECT_EQ(r.pairs.size(), 1u);  // only 0–1 is linked
  const auto none = structural_tension(y, years(20), std::vector<double>(9, 0.0), 5);
  EXPECT_TRUE(none.pairs.empty());
  EXPECT_TRUE(std::isnan(none.index[0]));
  EXPECT_THROW(structural_tension(y, years(7), std::vector<double>(9, 0.0), 5), agglo::Error);
}

}  // namespace
