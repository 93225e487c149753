// Logit / probit / LPM against statsmodels and R's survey package on the Spector & Mazzeo
// (1980) data that statsmodels ships (statsmodels.datasets.spector; 32 students, GRADE on GPA,
// TUCE, PSI), copied to tests/unit/survey/data/spector.csv.
//
// Reference values: the figures (statsmodels Logit; R survey::svyglm with weights 2
// where PSI = 1) and, for probit, the LPM, cluster-robust and discrete effects, statsmodels
// 0.13.5 (Debian python3-statsmodels) run as:
//   m = sm.Probit(y, X).fit(); m.params, m.bse, m.get_margeff().margeff / .margeff_se
//   sm.Probit(y, X).fit(cov_type='HC0').bse
//   sm.OLS(y, X).fit().params / .bse; .fit(cov_type='HC0'|'HC1').bse
//   sm.Logit(y, X).fit(cov_type='cluster', cov_kwds={'groups': TUCE // 4}).bse (+ use_correction=False)
//   sm.Logit(y, X).fit().get_margeff(dummy=True)
// The weighted-logit SEs were checked in numpy to be H⁻¹ [n/(n−1) Σ s_i s_i'] H⁻¹.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "agglo/core/error.hpp"
#include "agglo/stats/binary_model.hpp"

using namespace agglo;
using namespace agglo::stats;

namespace {

struct Spector {
  std::vector<double> gpa, tuce, psi, grade;
};

Spector load_spector() {
  Spector s;
  std::ifstream in(std::string(AGGLO_TEST_DATA) + "/unit/survey/data/spector.csv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string id, a, b, c, d;
    std::getline(ss, id, ',');
    std::getline(ss, a, ',');
    std::getline(ss, b, ',');
    std::getline(ss, c, ',');
    std::getline(ss, d, ',');
    s.gpa.push_back(std::stod(a));
    s.tuce.push_back(std::stod(b));
    s.psi.push_back(std::stod(c));
    s.grade.push_back(std::stod(d));
  }
  return s;
}

Design spector_design(const Spector& s) {
  Design d;
  d.add("const", std::vector<double>(s.gpa.size(), 1.0));
  d.add("GPA", s.gpa);
  d.add("TUCE", s.tuce);
  d.add("PSI", s.psi);
  return d;
}

void expect_4(const std::vector<double>& got, std::vector<double> want, const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t j = 0; j < want.size(); ++j) {
    if (std::isnan(want[j])) {
      EXPECT_TRUE(std::isnan(got[j])) << what << " [" << j << "]";
      continue;
    }
    EXPECT_NEAR(got[j], want[j], 5e-5) << what << " [" << j << "]";
  }
}

constexpr double NA = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TEST(SurveyBinaryModel, SpectorLogitMatchesStatsmodels) {
  const auto s = load_spector();
  ASSERT_EQ(s.gpa.size(), 32u);
  FitOptions o;
  const auto m = fit_binary_model(spector_design(s), s.grade, {}, {}, o);
  EXPECT_TRUE(m.converged);
  expect_4(m.estimate, {-13.0213, 2.8261, 0.0952, 2.3787}, "coef");
  expect_4(m.std_error, {4.9313, 1.2629, 0.1416, 1.0646}, "se");
  expect_4(m.ame, {NA, 0.3626, 0.0122, 0.3052}, "ame");
  expect_4(m.ame_se, {NA, 0.1094, 0.0178, 0.0924}, "ame se");  // statsmodels margeff_se
  EXPECT_NEAR(m.log_likelihood, -12.889634, 1e-6);
  EXPECT_NEAR(m.null_log_likelihood, -20.591730, 1e-6);
  EXPECT_NEAR(m.mcfadden_r2, 0.374038, 1e-6);
  EXPECT_NEAR(m.aic, 33.779268, 1e-6);
  EXPECT_NEAR(m.bic, 39.642212, 1e-6);
  EXPECT_NEAR(m.odds_ratio[3], std::exp(2.37868766), 1e-6);
  EXPECT_NEAR(m.z[1], 2.82611259 / 1.26294108, 1e-5);
  EXPECT_NEAR(m.p[1], 0.025239, 1e-6);  // statsmodels pvalues[GPA]
}

TEST(SurveyBinaryModel, SpectorRobustAndClusterErrors) {
  const auto s = load_spector();
  FitOptions o;
  o.covariance = CovarianceType::hc0;
  auto m = fit_binary_model(spector_design(s), s.grade, {}, {}, o);
  expect_4(m.std_error, {5.1976, 1.2675, 0.1179, 0.9644}, "hc0");
  expect_4(m.ame_se, {NA, 0.1025, 0.0145, 0.0988}, "hc0 ame se");
  // HC1 = HC0 · n/(n−k) (documented; statsmodels' discrete models report HC0 here).
  o.covariance = CovarianceType::hc1;
  m = fit_binary_model(spector_design(s), s.grade, {}, {}, o);
  const double f = std::sqrt(32.0 / 28.0);
  expect_4(m.std_error, {5.19758541 * f, 1.26754598 * f, 0.11792227 * f, 0.96441921 * f}, "hc1");
  // Clusters: TUCE // 4 (5 groups); statsmodels cov_type='cluster' with its default correction.
  std::vector<std::uint32_t> g;
  for (double t : s.tuce) g.push_back(static_cast<std::uint32_t>(t) / 4);
  o.covariance = CovarianceType::cluster;
  m = fit_binary_model(spector_design(s), s.grade, {}, g, o);
  EXPECT_EQ(m.clusters, 5u);
  expect_4(m.std_error, {5.7604, 1.3831, 0.1070, 0.5266}, "cluster");
  expect_4(m.ame_se, {NA, 0.0995, 0.0132, 0.1064}, "cluster ame se");
}

TEST(SurveyBinaryModel, SpectorSurveyWeightsMatchRSurvey) {
  const auto s = load_spector();
  std::vector<double> w;
  for (double p : s.psi) w.push_back(p == 1 ? 2.0 : 1.0);
  FitOptions o;
  o.covariance = CovarianceType::survey;
  const auto m = fit_binary_model(spector_design(s), s.grade, w, {}, o);
  expect_4(m.estimate, {-11.2010, 2.4007, 0.0792, 2.2392}, "weighted coef");
  expect_4(m.std_error, {5.3390, 1.2600, 0.1228, 0.9097}, "svyglm se");
  // With every firm its own PSU, the survey variance with clusters equals the one without.
  std::vector<std::uint32_t> own(32);
  for (std::uint32_t i = 0; i < 32; ++i) own[i] = i;
  const auto m2 = fit_binary_model(spector_design(s), s.grade, w, own, o);
  expect_4(m2.std_error, {5.3390, 1.2600, 0.1228, 0.9097}, "svyglm se, psu = row");
}

TEST(SurveyBinaryModel, SpectorProbitMatchesStatsmodels) {
  const auto s = load_spector();
  FitOptions o;
  o.family = LinkFamily::probit;
  auto m = fit_binary_model(spector_design(s), s.grade, {}, {}, o);
  EXPECT_TRUE(m.converged);
  expect_4(m.estimate, {-7.4523, 1.6258, 0.0517, 1.4263}, "probit coef");
  expect_4(m.std_error, {2.5425, 0.6939, 0.0839, 0.5950}, "probit se");
  expect_4(m.ame, {NA, 0.3608, 0.0115, 0.3165}, "probit ame");
  expect_4(m.ame_se, {NA, 0.1134, 0.0184, 0.0902}, "probit ame se");
  EXPECT_NEAR(m.log_likelihood, -12.818804, 1e-6);
  EXPECT_TRUE(std::isnan(m.odds_ratio[1]));
  o.covariance = CovarianceType::hc0;
  m = fit_binary_model(spector_design(s), s.grade, {}, {}, o);
  expect_4(m.std_error, {2.5443, 0.6515, 0.0691, 0.5328}, "probit hc0");
}

TEST(SurveyBinaryModel, SpectorLinearProbabilityMatchesStatsmodelsOls) {
  const auto s = load_spector();
  FitOptions o;
  o.family = LinkFamily::linear;
  auto m = fit_binary_model(spector_design(s), s.grade, {}, {}, o);
  expect_4(m.estimate, {-1.4980, 0.4639, 0.0105, 0.3786}, "lpm coef");
  expect_4(m.std_error, {0.5239, 0.1620, 0.0195, 0.1392}, "lpm se");
  expect_4(m.ame, {NA, 0.4639, 0.0105, 0.3786}, "lpm ame = coef");
  EXPECT_NEAR(m.log_likelihood, -12.978246, 1e-6);
  o.covariance = CovarianceType::hc0;
  m = fit_binary_model(spector_design(s), s.grade, {}, {}, o);
  expect_4(m.std_error, {0.4654, 0.1413, 0.0163, 0.1406}, "lpm hc0");
  o.covariance = CovarianceType::hc1;
  m = fit_binary_model(spector_design(s), s.grade, {}, {}, o);
  expect_4(m.std_error, {0.4976, 0.1511, 0.0174, 0.1504}, "lpm hc1");
  std::vector<std::uint32_t> g;
  for (double t : s.tuce) g.push_back(static_cast<std::uint32_t>(t) / 4);
  o.covariance = CovarianceType::cluster;
  m = fit_binary_model(spector_design(s), s.grade, {}, g, o);
  expect_4(m.std_error, {0.5268, 0.1209, 0.0159, 0.1301}, "lpm cluster");
}

TEST(SurveyBinaryModel, DiscreteMarginalEffectOfDummy) {
  const auto s = load_spector();
  FitOptions o;
  o.marginal = MarginalMethod::discrete;
  const auto m = fit_binary_model(spector_design(s), s.grade, {}, {}, o);
  // statsmodels get_margeff(dummy=True): PSI 0.3575 (0.1420); continuous terms unchanged.
  expect_4(m.ame, {NA, 0.3626, 0.0122, 0.3575}, "discrete ame");
  expect_4(m.ame_se, {NA, 0.1094, 0.0178, 0.1420}, "discrete ame se");
}
