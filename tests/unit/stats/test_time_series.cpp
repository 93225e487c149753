// Time-series estimators against statsmodels 0.13 on shared data (reference values and the
// script that made them in tests/reference/structure/).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "agglo/core/error.hpp"
#include "agglo/stats/time_series.hpp"

namespace {

using agglo::stats::Series;

std::string ref_path(const std::string& name) { return std::string(AGGLO_TEST_DATA) + "/reference/structure/" + name; }

Series load_data() {
  std::ifstream f(ref_path("ts_data.csv"));
  std::string line;
  std::getline(f, line);
  Series y(3);
  while (std::getline(f, line)) {
    std::stringstream ss(line);
    std::string cell;
    std::getline(ss, cell, ',');
    for (int i = 0; i < 3; ++i) {
      std::getline(ss, cell, ',');
      y[static_cast<std::size_t>(i)].push_back(std::stod(cell));
    }
  }
  return y;
}

nlohmann::json load_ref() {
  std::ifstream f(ref_path("ts_reference.json"));
  return nlohmann::json::parse(f);
}

TEST(TimeSeries, JohansenEqualsStatsmodels) {
  const auto y = load_data();
  ASSERT_EQ(y[0].size(), 120u);
  const auto ref = load_ref();
  ASSERT_EQ(ref["johansen"].size(), 6u);
  for (const auto& c : ref["johansen"]) {
    const int det = c["det_order"];
    const std::size_t p = c["k_ar_diff"];
    const auto r = agglo::stats::johansen(y, det, p);
    SCOPED_TRACE("det_order " + std::to_string(det) + " k_ar_diff " + std::to_string(p));
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_NEAR(r.eigenvalues[i], c["eig"][i].get<double>(), 1e-10);
      EXPECT_NEAR(r.trace_stat[i], c["trace"][i].get<double>(), 1e-8);
      EXPECT_NEAR(r.max_eig_stat[i], c["max_eig"][i].get<double>(), 1e-8);
      for (std::size_t l = 0; l < 3; ++l) {
        EXPECT_DOUBLE_EQ(r.trace_cv[i][l], c["trace_cv"][i][l].get<double>());
        EXPECT_DOUBLE_EQ(r.max_eig_cv[i][l], c["max_eig_cv"][i][l].get<double>());
      }
    }
  }
  // The planted truth: y1 and y2 share one trend, y3 is a separate random walk: rank 1.
  EXPECT_EQ(agglo::stats::johansen(y, 0, 1).rank_trace(), 1u);
}

TEST(TimeSeries, VecmEqualsStatsmodels) {
  const auto y = load_data();
  const auto ref = load_ref();
  for (const auto& c : ref["vecm"]) {
    const std::size_t p = c["k_ar_diff"];
    const auto v = agglo::stats::vecm(y, 1, p);
    SCOPED_TRACE("k_ar_diff " + std::to_string(p));
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_NEAR(v.alpha[i][0], c["alpha"][i][0].get<double>(), 1e-8);
      EXPECT_NEAR(v.beta[i][0], c["beta"][i][0].get<double>(), 1e-8);
      EXPECT_NEAR(v.constant[i], c["constant"][i].get<double>(), 1e-8);
      for (std::size_t m = 0; m < 3 * p; ++m) EXPECT_NEAR(v.gamma[i][m], c["gamma"][i][m].get<double>(), 1e-8);
    }
    EXPECT_DOUBLE_EQ(v.beta[0][0], 1.0);  // normalised
  }
}

TEST(TimeSeries, VecmImpulseResponsesEqualStatsmodels) {
  const auto y = load_data();
  const auto ref = load_ref();
  ASSERT_EQ(ref["irf"].size(), 6u);
  for (const auto& c : ref["irf"]) {
    const std::size_t p = c["k_ar_diff"], rank = c["rank"], h = c["periods"];
    SCOPED_TRACE("k_ar_diff " + std::to_string(p) + " rank " + std::to_string(rank));
    const auto v = agglo::stats::vecm(y, rank, p);
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 3; ++j) EXPECT_NEAR(v.sigma_u[i][j], c["sigma_u"][i][j].get<double>(), 1e-9);
    const auto r = agglo::stats::vecm_impulse_responses(v, h);
    ASSERT_EQ(r.irf.size(), h + 1);
    for (std::size_t t = 0; t <= h; ++t)
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
          EXPECT_NEAR(r.irf[t][i][j], c["irfs"][t][i][j].get<double>(), 1e-8);
          EXPECT_NEAR(r.orth[t][i][j], c["orth_irfs"][t][i][j].get<double>(), 1e-8);
        }
  }
}

TEST(TimeSeries, GrangerEqualsStatsmodels) {
  const auto y = load_data();
  const auto ref = load_ref();
  ASSERT_EQ(ref["granger"].size(), 12u);
  for (const auto& c : ref["granger"]) {
    const auto g = agglo::stats::granger_causality(y, c["caused"].get<std::vector<std::size_t>>(),
                                                   c["causing"].get<std::vector<std::size_t>>(), c["p"].get<std::size_t>());
    EXPECT_NEAR(g.statistic, c["statistic"].get<double>(), 1e-8 * std::max(1.0, c["statistic"].get<double>()));
    EXPECT_DOUBLE_EQ(g.df_num, c["df"][0].get<double>());
    EXPECT_DOUBLE_EQ(g.df_den, c["df"][1].get<double>());
    EXPECT_NEAR(g.p_value, c["p_value"].get<double>(), 1e-9);
  }
}

TEST(TimeSeries, AdfEqualsStatsmodels) {
  const auto y = load_data();
  const auto ref = load_ref();
  for (const auto& c : ref["adf"]) {
    const std::size_t i = c["series"];
    const auto a = agglo::stats::adf_test(y[i], c["lags"].get<std::size_t>());
    EXPECT_NEAR(a.statistic, c["statistic"].get<double>(), 1e-9);
    EXPECT_NEAR(a.p_value, c["p_value"].get<double>(), 1e-9);
    EXPECT_EQ(a.observations, c["nobs"].get<std::size_t>());
    for (std::size_t l = 0; l < 3; ++l) EXPECT_NEAR(a.critical[l], c["critical"][l].get<double>(), 1e-9);
  }
}

TEST(TimeSeries, TooShortForTheLagOrderIsInvalidInput) {
  const Series y = {{1, 2, 3, 4, 5, 6}, {2, 1, 3, 2, 4, 3}};
  try {
    agglo::stats::johansen(y, 0, 3);
    FAIL() << "expected an input error";
  } catch (const agglo::Error& e) {
    EXPECT_EQ(e.kind(), agglo::ErrorKind::input);
    EXPECT_NE(e.message().find("lag order 3"), std::string::npos) << e.message();
  }
  EXPECT_THROW(agglo::stats::granger_causality(y, {0}, {1}, 3), agglo::Error);
  EXPECT_THROW(agglo::stats::adf_test(y[0], 2), agglo::Error);
}

}  // namespace
