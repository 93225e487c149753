// Specialisation indices against values computed by hand (worked in the comments).
#include <gtest/gtest.h>

#include <cmath>

#include "agglo/core/error.hpp"
#include "agglo/measure/specialisation.hpp"

using namespace agglo;
using namespace agglo::measure;

namespace {
// E = [[10, 20, 70], [30, 60, 10]]: E_r = (100, 100), E_i = (40, 80, 80), E = 200,
// national shares (0.2, 0.4, 0.4).
RegionIndustryMatrix two_by_three() {
  RegionIndustryMatrix m;
  m.regions = {"R1", "R2"};
  m.industries = {"A", "B", "C"};
  m.values = data::DenseMatrix(2, 3);
  const double v[2][3] = {{10, 20, 70}, {30, 60, 10}};
  for (int r = 0; r < 2; ++r)
    for (int i = 0; i < 3; ++i) m.values(r, i) = v[r][i];
  return m;
}
}  // namespace

TEST(Specialisation, LocationQuotientsAndShares) {
  const auto s = specialisation(two_by_three());
  // s_1 = (0.1, 0.2, 0.7) → LQ_1 = (0.5, 0.5, 1.75); s_2 = (0.3, 0.6, 0.1) → LQ_2 = (1.5, 1.5, 0.25).
  const double lq[2][3] = {{0.5, 0.5, 1.75}, {1.5, 1.5, 0.25}};
  for (int r = 0; r < 2; ++r)
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(s.lq(r, i), lq[r][i], 1e-12) << r << i;
  EXPECT_NEAR(s.region_share(0, 2), 0.7, 1e-12);
  EXPECT_NEAR(s.industry_share(0, 2), 70.0 / 80.0, 1e-12);
  EXPECT_TRUE(s.warnings.empty());
}

TEST(Specialisation, RegionSummaries) {
  const auto s = specialisation(two_by_three());
  // Krugman_1 = |0.1−0.2| + |0.2−0.4| + |0.7−0.4| = 0.6; Hoover = half of it.
  EXPECT_NEAR(s.krugman_r[0], 0.6, 1e-12);
  EXPECT_NEAR(s.hoover_r[0], 0.3, 1e-12);
  EXPECT_NEAR(s.krugman_r[1], 0.6, 1e-12);
  EXPECT_EQ(s.diversity_r[0], 1);
  EXPECT_EQ(s.diversity_r[1], 2);
  // Gini_1: industries by LQ (A, B, C): X = (0.2, 0.6, 1), Y = (0.1, 0.3, 1);
  // Σ ΔX (Y_k + Y_k−1) = 0.2·0.1 + 0.4·0.4 + 0.4·1.3 = 0.70 → G = 0.30.
  EXPECT_NEAR(s.gini_r[0], 0.30, 1e-12);
}

TEST(Specialisation, IndustrySummaries) {
  const auto s = specialisation(two_by_three());
  // Industry A: x = (0.25, 0.75) vs regional weights (0.5, 0.5): Hoover = ½(0.25 + 0.25).
  EXPECT_NEAR(s.hoover_i[0], 0.25, 1e-12);
  EXPECT_EQ(s.ubiquity_i[0], 1);
  // Locational Gini of A: regions by LQ (R1, R2): X = (0.5, 1), Y = (0.25, 1): 1 − (0.125 + 0.625).
  EXPECT_NEAR(s.gini_i[0], 0.25, 1e-12);
  // Industry C: x = (0.875, 0.125): Hoover 0.375; Gini: order (R2, R1): 1 − (0.0625 + 0.5625).
  EXPECT_NEAR(s.hoover_i[2], 0.375, 1e-12);
  EXPECT_NEAR(s.gini_i[2], 0.375, 1e-12);
}

TEST(Specialisation, TradedDenominator) {
  // Traded A, B and local C: E_r^T = (30, 90), E^T = 120. A and B have the same 1:2 split in
  // both regions, so their traded LQ is exactly 1; C's is (70/30)/(80/120) = 3.5 in R1.
  const auto s = specialisation(two_by_three(), Denominator::traded,
                                {data::IndustryKind::traded, data::IndustryKind::traded, data::IndustryKind::local});
  EXPECT_NEAR(s.lq(0, 0), 1.0, 1e-12);
  EXPECT_NEAR(s.lq(1, 1), 1.0, 1e-12);
  EXPECT_NEAR(s.lq(0, 2), 3.5, 1e-12);
  EXPECT_THROW(specialisation(two_by_three(), Denominator::traded, {}), Error);
}

TEST(Specialisation, DegenerateInputsAreDefinedAndReported) {
  RegionIndustryMatrix m;
  m.regions = {"R1", "EMPTY", "R3"};
  m.industries = {"A", "NOWHERE"};
  m.values = data::DenseMatrix(3, 2, 0.0);
  m.values(0, 0) = 5;
  m.values(2, 0) = 5;
  const auto s = specialisation(m);
  EXPECT_TRUE(s.region_excluded[1]);
  EXPECT_TRUE(s.industry_excluded[1]);
  EXPECT_EQ(s.warnings.size(), 2u);
  EXPECT_NE(s.warnings[0].find("EMPTY"), std::string::npos);
  EXPECT_NE(s.warnings[1].find("NOWHERE"), std::string::npos);
  EXPECT_NEAR(s.lq(0, 0), 1.0, 1e-12);
  EXPECT_TRUE(std::isnan(s.lq(1, 0)));
  // A single region: every LQ is 1, with a warning.
  RegionIndustryMatrix one;
  one.regions = {"ONLY"};
  one.industries = {"A", "B"};
  one.values = data::DenseMatrix(1, 2, 3.0);
  const auto o = specialisation(one);
  EXPECT_NEAR(o.lq(0, 1), 1.0, 1e-12);
  EXPECT_NEAR(o.gini_r[0], 0.0, 1e-12);
  ASSERT_EQ(o.warnings.size(), 1u);
  // Nothing at all: an input error, not NaN.
  RegionIndustryMatrix zero = one;
  zero.values = data::DenseMatrix(1, 2, 0.0);
  EXPECT_THROW(specialisation(zero), Error);
}

TEST(Specialisation, LorenzGiniExtremes) {
  EXPECT_NEAR(lorenz_gini({0.5, 0.5}, {0.5, 0.5}), 0.0, 1e-12);
  // Everything in a unit holding a share ε of the reference: G → 1 − ε.
  EXPECT_NEAR(lorenz_gini({0.0, 1.0}, {0.99, 0.01}), 0.99, 1e-12);
}

TEST(Specialisation, WithoutSummariesTheLqsAreTheSame) {
  const auto full = specialisation(two_by_three());
  const auto lean = specialisation(two_by_three(), Denominator::total, {}, /*summaries=*/false);
  for (int r = 0; r < 2; ++r)
    for (int i = 0; i < 3; ++i) EXPECT_EQ(lean.lq(r, i), full.lq(r, i));
  EXPECT_EQ(lean.diversity_r, full.diversity_r);
  EXPECT_TRUE(std::isnan(lean.gini_r[0]));
  EXPECT_EQ(lean.gini_i.size(), 3u);
  EXPECT_TRUE(std::isnan(lean.hoover_i[2]));
}
