// agglo::stats — hand values, a reference implementation (scipy) and analytic results.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/stats/descriptive.hpp"
#include "agglo/stats/linear_program.hpp"
#include "agglo/stats/pca.hpp"
#include "agglo/stats/sensitivity.hpp"
#include "agglo/stats/transform.hpp"

namespace st = agglo::stats;
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

TEST(StatsDescriptive, MomentsByHand) {
  const std::vector<double> x{1, 2, 3, 4, 100};
  EXPECT_DOUBLE_EQ(st::mean(x), 22);
  // d = −21, −20, −19, −18, 78: Σd² = 441+400+361+324+6084 = 7610, s = √(7610/4)
  EXPECT_NEAR(st::sd(x), std::sqrt(7610.0 / 4), 1e-12);
  // Σd³ = −9261 − 8000 − 6859 − 5832 + 474552 = 444600; g1 = √5·444600/7610^1.5
  const double g1 = std::sqrt(5.0) * 444600 / std::pow(7610.0, 1.5);
  EXPECT_NEAR(st::skewness(x), g1 * std::sqrt(20.0) / 3, 1e-12);
  // Σd⁴ = 194481+160000+130321+104976+37015056 = 37604834; r = 5·Σd⁴/Σd²²
  const double r = 5 * 37604834.0 / (7610.0 * 7610.0);
  EXPECT_NEAR(st::kurtosis(x), ((6) * (r - 3) + 6) * 4 / (3.0 * 2.0), 1e-12);
  // NaN skipped
  EXPECT_DOUBLE_EQ(st::mean(std::vector<double>{1, kNaN, 3}), 2);
  EXPECT_TRUE(std::isnan(st::skewness(std::vector<double>{1, 2})));
}

TEST(StatsDescriptive, RanksQuantilesCorrelation) {
  const std::vector<double> x{3, 1, 3, kNaN, 2};
  const auto r = st::average_ranks(x);
  EXPECT_DOUBLE_EQ(r[0], 3.5);
  EXPECT_DOUBLE_EQ(r[1], 1);
  EXPECT_DOUBLE_EQ(r[2], 3.5);
  EXPECT_TRUE(std::isnan(r[3]));
  EXPECT_DOUBLE_EQ(r[4], 2);
  const auto d = st::descending_min_ranks(x);
  EXPECT_EQ(d, (std::vector<int>{1, 4, 1, 0, 3}));
  EXPECT_DOUBLE_EQ(st::quantile(std::vector<double>{1, 2, 3, 4}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(st::quantile(std::vector<double>{1, 2, 3, 4, 10}, 0.9), 4 + 0.6 * 6);  // h = 3.6
  EXPECT_NEAR(st::pearson(std::vector<double>{1, 2, 3, 4}, std::vector<double>{2, 4, 6, 8.5}), 0.9983814394570298, 1e-12);
  EXPECT_TRUE(std::isnan(st::pearson(std::vector<double>{1, 1, 1}, std::vector<double>{1, 2, 3})));
}

TEST(StatsDescriptive, CronbachAlphaByHand) {
  // Items (1,2,3), (2,3,4), (1,3,5): variances 1, 1, 4; totals 4, 8, 12 → variance 16.
  // α = 3/2 · (1 − 6/16) = 0.9375.
  EXPECT_DOUBLE_EQ(st::cronbach_alpha({{1, 2, 3}, {2, 3, 4}, {1, 3, 5}}), 0.9375);
}

TEST(StatsTransform, WinsoriseOnePointByHand) {
  // 1…9 and 100: skewness 3.12, kurtosis 9.80 fail the rule; pulling 100 down to 9 gives
  // skewness −0.15, which passes. One high point treated.
  std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8, 9, 100};
  const auto t = st::winsorise(x);
  EXPECT_EQ(t.winsorised_high, 1u);
  EXPECT_EQ(t.winsorised_low, 0u);
  EXPECT_FALSE(t.logged);
  EXPECT_DOUBLE_EQ(t.values[9], 9);
  EXPECT_NEAR(t.skew_before, 3.1188957452390875, 1e-12);
  EXPECT_NEAR(t.kurt_before, 9.799244716163662, 1e-12);
  EXPECT_NEAR(t.skew_after, -0.15146310708295863, 1e-12);
  // A variable that passes is left alone.
  const auto u = st::winsorise(std::vector<double>{1, 2, 3, 4, 5});
  EXPECT_EQ(u.winsorised_high + u.winsorised_low, 0u);
  // With max_points 0 the rule cannot be met, so the log fall-back applies: ln(x − 1 + 1).
  const auto l = st::winsorise(x, 2, 3.5, 0, true);
  EXPECT_TRUE(l.logged);
  EXPECT_NEAR(l.values[9], std::log(100.0), 1e-12);
  EXPECT_NEAR(l.values[0], 0, 1e-15);
}

TEST(StatsTransform, BoxCoxHandValuesAndScipyLambda) {
  const auto t = st::box_cox(std::vector<double>{4, 9, 1}, 0.5, "x");
  EXPECT_DOUBLE_EQ(t.values[0], 2);   // (√4 − 1)/0.5
  EXPECT_DOUBLE_EQ(t.values[1], 4);   // (√9 − 1)/0.5
  EXPECT_DOUBLE_EQ(t.values[2], 0);
  const auto z = st::box_cox(std::vector<double>{1, std::exp(1.0)}, 0, "x");
  EXPECT_NEAR(z.values[1], 1, 1e-15);
  // Maximum-likelihood λ against scipy.stats.boxcox 1.10 (Debian python3-scipy).
  EXPECT_NEAR(st::box_cox(std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 100}, kNaN, "x").lambda, -0.2851470284993791, 1e-6);
  EXPECT_NEAR(st::box_cox(std::vector<double>{0.5, 1.2, 2.3, 3.1, 4.8, 7.9, 12.5, 20.1}, kNaN, "x").lambda, 0.11999911076788507,
              1e-6);
  EXPECT_THROW(st::box_cox(std::vector<double>{1, 0, 2}, kNaN, "x"), agglo::Error);
}

TEST(StatsPca, TwoVariablesHaveEqualWeights) {
  // For two variables with correlation r > 0 the first eigenvector is (1, 1)/√2 and λ₁ = 1 + r.
  const std::vector<double> a{1, 2, 3, 4, 5}, b{2, 1, 4, 3, 6};
  const double r = st::pearson(a, b);
  const auto pc = st::first_principal_component({a, b});
  EXPECT_NEAR(pc.weights[0], 0.5, 1e-12);
  EXPECT_NEAR(pc.weights[1], 0.5, 1e-12);
  EXPECT_NEAR(pc.eigenvalue, 1 + r, 1e-12);
  EXPECT_NEAR(pc.explained, (1 + r) / 2, 1e-12);
  EXPECT_NEAR(pc.loadings[0], std::sqrt((1 + r) / 2), 1e-12);
  EXPECT_FALSE(pc.negative_loading);
  // A third variable unrelated to the others gets a small weight; one against them is flagged.
  const std::vector<double> c{-1, -2, -3, -4, -5.5};
  const auto pc3 = st::first_principal_component({a, b, c});
  EXPECT_TRUE(pc3.negative_loading);
  EXPECT_NEAR(pc3.weights[0] + pc3.weights[1] + pc3.weights[2], 1, 1e-12);
}

TEST(StatsLinearProgram, SmallProgrammeByHand) {
  // max 3x + 2y s.t. x + y ≤ 4, x + 3y ≤ 6, x ≤ 3 → vertex (3, 1), objective 11.
  st::LinearProgram lp;
  lp.objective = {3, 2};
  lp.col_hi = {3, st::LinearProgram::inf};
  lp.col_lo = {0, 0};
  lp.rows = {{1, 1}, {1, 3}};
  lp.row_lo = {-st::LinearProgram::inf, -st::LinearProgram::inf};
  lp.row_hi = {4, 6};
  const auto s = st::solve_lp(lp);
  ASSERT_TRUE(s.optimal);
  EXPECT_NEAR(s.objective, 11, 1e-9);
  EXPECT_NEAR(s.x[0], 3, 1e-9);
  EXPECT_NEAR(s.x[1], 1, 1e-9);
  // Infeasible: x ≥ 5 and x ≤ 3.
  st::LinearProgram bad;
  bad.objective = {1};
  bad.col_hi = {3};
  bad.rows = {{1}};
  bad.row_lo = {5};
  bad.row_hi = {st::LinearProgram::inf};
  EXPECT_FALSE(st::solve_lp(bad).optimal);
}

TEST(StatsSensitivity, SobolOfLinearFunctionIsAnalytic) {
  // y = x1 + 2 x2 + 3 x3, x_i ~ U(0,1): V_i = a_i²/12, V = 14/12 → S_i = ST_i = 1/14, 4/14, 9/14.
  const std::size_t N = 1 << 15;
  const double a[3] = {1, 2, 3};
  std::vector<double> fa(N), fb(N);
  std::vector<std::vector<double>> fab(3, std::vector<double>(N));
  for (std::size_t r = 0; r < N; ++r) {
    agglo::core::Stream sa(7, 1, r), sb(7, 2, r);
    double A[3], B[3];
    for (int i = 0; i < 3; ++i) {
      A[i] = sa.uniform();
      B[i] = sb.uniform();
    }
    auto f = [&](const double* x) { return a[0] * x[0] + a[1] * x[1] + a[2] * x[2]; };
    fa[r] = f(A);
    fb[r] = f(B);
    for (int i = 0; i < 3; ++i) {
      double m[3] = {A[0], A[1], A[2]};
      m[i] = B[i];
      fab[static_cast<std::size_t>(i)][r] = f(m);
    }
  }
  const auto s = st::sobol_indices(fa, fb, fab);
  const double expect[3] = {1.0 / 14, 4.0 / 14, 9.0 / 14};
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(s.first[static_cast<std::size_t>(i)], expect[i], 0.02) << i;
    EXPECT_NEAR(s.total[static_cast<std::size_t>(i)], expect[i], 0.02) << i;
  }
  EXPECT_NEAR(s.variance, 14.0 / 12, 0.03);
  // A constant function has no variance and zero indices.
  std::vector<double> c(8, 1.0);
  const auto z = st::sobol_indices(c, c, {c});
  EXPECT_EQ(z.first[0], 0);
}
