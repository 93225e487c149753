// agglo::stats::fixed_effects_ols — absorbed fixed effects against the brute-force regression
// with every dummy in the design (stats::ols), on an unbalanced two-way panel where the
// alternating projections need many sweeps; the cluster-robust variance against the sandwich
// written out from that regression; aliased columns; the iid degrees of freedom.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "agglo/core/rng.hpp"
#include "agglo/stats/fixed_effects.hpp"
#include "agglo/stats/ols.hpp"

namespace st = agglo::stats;

namespace {

// An unbalanced panel: 40 firms (4 regions of 10, the clusters) over up to 12 years, some years
// missing at random; two regressors correlated with the firm effect.
struct Panel {
  std::vector<double> y, x1, x2;
  std::vector<std::uint32_t> firm, year, region;
};

Panel make_panel(std::uint64_t seed) {
  agglo::core::Stream rng(seed, 1);
  Panel p;
  for (std::uint32_t f = 0; f < 40; ++f) {
    const double a = rng.normal();
    for (std::uint32_t t = 0; t < 12; ++t) {
      if (rng.uniform() < 0.3) continue;
      const double x1 = a + rng.normal(), x2 = 0.1 * t + rng.normal();
      p.x1.push_back(x1);
      p.x2.push_back(x2);
      p.y.push_back(1.5 * x1 - 0.5 * x2 + a + 0.2 * t * t / 12 + rng.normal(0, 1 + (f % 4) * 0.5));
      p.firm.push_back(f);
      p.year.push_back(t);
      p.region.push_back(f / 10);
    }
  }
  return p;
}

}  // namespace

TEST(FixedEffects, TwoWayUnbalancedEqualsTheDummyRegression) {
  const auto p = make_panel(7);
  const std::size_t n = p.y.size();
  st::Factor firm{"firm", p.firm, 40}, year{"year", p.year, 12};
  const auto fit = st::fixed_effects_ols(p.y, {p.x1, p.x2}, {firm, year}, p.region);
  EXPECT_GT(fit.sweeps, 2u);  // unbalanced: the projections iterate

  // brute force: x1, x2, 40 firm dummies, 11 year dummies (the first year is the base)
  std::vector<std::vector<double>> X{p.x1, p.x2};
  for (std::uint32_t f = 0; f < 40; ++f) {
    std::vector<double> d(n);
    for (std::size_t i = 0; i < n; ++i) d[i] = p.firm[i] == f;
    X.push_back(d);
  }
  for (std::uint32_t t = 1; t < 12; ++t) {
    std::vector<double> d(n);
    for (std::size_t i = 0; i < n; ++i) d[i] = p.year[i] == t;
    X.push_back(d);
  }
  const auto ref = st::ols(p.y, X);
  ASSERT_TRUE(ref.aliased.empty());
  const std::size_t k = X.size();
  for (std::size_t j = 0; j < 2; ++j) EXPECT_NEAR(fit.beta[j], ref.beta[j], 1e-10) << j;
  for (std::size_t i = 0; i < n; ++i) ASSERT_NEAR(fit.residuals[i], ref.residuals[i], 1e-9);

  // CR1 by region from the full regression: bread (X'X)⁻¹, meat Σ_g S_g S_g' over all k columns;
  // K = 2 + 11 (the firm dummies are nested in the regions, the year dummies are not)
  std::vector<std::vector<double>> S(4, std::vector<double>(k, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < k; ++j) S[p.region[i]][j] += X[j][i] * ref.residuals[i];
  const double factor = 4.0 / 3.0 * (static_cast<double>(n) - 1) / (static_cast<double>(n) - 13);
  EXPECT_EQ(fit.dof_k, 13u);
  EXPECT_EQ(fit.clusters, 4u);
  for (std::size_t a = 0; a < 2; ++a)
    for (std::size_t b = 0; b < 2; ++b) {
      double v = 0;
      for (std::size_t g = 0; g < 4; ++g) {
        double la = 0, lb = 0;
        for (std::size_t j = 0; j < k; ++j) la += ref.xtx_inv[a * k + j] * S[g][j], lb += ref.xtx_inv[b * k + j] * S[g][j];
        v += la * lb;
      }
      EXPECT_NEAR(fit.vcov[a * 2 + b], v * factor, 1e-10 * std::fabs(v * factor) + 1e-14) << a << b;
    }

  // iid: s² (X'X)⁻¹ with n − 2 − (40 + 12 − 1) degrees of freedom, as the dummy regression's
  const auto iid = st::fixed_effects_ols(p.y, {p.x1, p.x2}, {firm, year}, {});
  EXPECT_EQ(iid.fe_dof, 51u);
  const double s2 = ref.sse / (static_cast<double>(n) - static_cast<double>(k));
  for (std::size_t j = 0; j < 2; ++j) EXPECT_NEAR(iid.std_error[j], std::sqrt(s2 * ref.xtx_inv[j * k + j]), 1e-10);
}

TEST(FixedEffects, AbsorbedRegressorIsReportedAliased) {
  const auto p = make_panel(3);
  const std::size_t n = p.y.size();
  std::vector<double> firm_level(n), year_trend(n);  // constant within firm; a function of the year
  for (std::size_t i = 0; i < n; ++i) firm_level[i] = p.firm[i] % 3, year_trend[i] = p.year[i];
  st::Factor firm{"firm", p.firm, 40}, year{"year", p.year, 12};
  const auto fit = st::fixed_effects_ols(p.y, {p.x1, firm_level, year_trend, p.x2}, {firm, year}, p.region);
  ASSERT_EQ(fit.aliased.size(), 2u);
  EXPECT_EQ(fit.aliased[0], 1u);
  EXPECT_EQ(fit.aliased[1], 2u);
  EXPECT_TRUE(std::isnan(fit.beta[1]));
  EXPECT_TRUE(std::isnan(fit.std_error[2]));
  // the others are those of the regression without the aliased columns
  const auto ref = st::fixed_effects_ols(p.y, {p.x1, p.x2}, {firm, year}, p.region);
  EXPECT_NEAR(fit.beta[0], ref.beta[0], 1e-12);
  EXPECT_NEAR(fit.beta[3], ref.beta[1], 1e-12);
  EXPECT_NEAR(fit.std_error[3], ref.std_error[1], 1e-12);
}

TEST(FixedEffects, OneFactorIsExactInOneSweep) {
  std::vector<double> v{1, 2, 3, 10, 20};
  st::Factor g{"g", {0, 0, 0, 1, 1}, 2};
  EXPECT_EQ(st::absorb(v, {g}), 1u);
  EXPECT_DOUBLE_EQ(v[0], -1);
  EXPECT_DOUBLE_EQ(v[2], 1);
  EXPECT_DOUBLE_EQ(v[3], -5);
  EXPECT_DOUBLE_EQ(v[4], 5);
}
