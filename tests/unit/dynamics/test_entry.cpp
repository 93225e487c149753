// Entry prediction: the ranking metrics equal scikit-learn's (roc_auc_score,
// average_precision_score) on tied scores and on agglo's own predictions for the bundled
// panel; density predicts entry there better than chance, and a random score does not.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/stats/classification.hpp"

using namespace agglo;

namespace {
const std::string ref_dir = std::string(AGGLO_TEST_DATA) + "/reference/dynamics/";
const std::string panel_tiny = std::string(AGGLO_TEST_DATA) + "/../data/sample/panel_tiny.csv";

std::vector<std::vector<std::string>> rows_of(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  std::vector<std::vector<std::string>> rows;
  while (std::getline(f, line)) {
    std::vector<std::string> r;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, ',')) r.push_back(c);
    rows.push_back(r);
  }
  return rows;
}
std::pair<double, double> sklearn(const std::string& case_name) {
  for (const auto& r : rows_of(ref_dir + "auc_reference.csv"))
    if (r[0] == case_name) return {std::stod(r[1]), std::stod(r[2])};
  ADD_FAILURE() << "no reference " << case_name;
  return {0, 0};
}
}  // namespace

TEST(Entry, MetricsEqualScikitLearnOnTiedScores) {
  std::vector<double> s;
  std::vector<std::uint8_t> y;
  for (const auto& r : rows_of(ref_dir + "auc_cases.csv")) s.push_back(std::stod(r[0])), y.push_back(r[1] == "1");
  ASSERT_EQ(s.size(), 400u);
  const auto [auc, ap] = sklearn("auc_cases");
  EXPECT_NEAR(stats::roc_auc(s, y), auc, 1e-12);
  EXPECT_NEAR(stats::average_precision(s, y), ap, 1e-12);
}

TEST(Entry, PrecisionAtKAndDegenerateCases) {
  const std::vector<double> s{0.9, 0.8, 0.7, 0.6, 0.5};
  const std::vector<std::uint8_t> y{1, 0, 1, 0, 0};
  EXPECT_DOUBLE_EQ(stats::precision_at_k(s, y, 2), 0.5);
  EXPECT_DOUBLE_EQ(stats::precision_at_k(s, y, 3), 2.0 / 3);
  EXPECT_DOUBLE_EQ(stats::roc_auc(s, y), 5.0 / 6);  // 5 of 6 positive–negative pairs ordered
  EXPECT_DOUBLE_EQ(stats::average_precision(s, y), 0.5 * 1 + 0.5 * (2.0 / 3));
  const std::vector<std::uint8_t> none(5, 0);
  EXPECT_TRUE(std::isnan(stats::roc_auc(s, none)));
}

TEST(Entry, BundledPanelDensityPredictsEntryAndMetricsMatchScikitLearn) {
  api::Context ctx;
  const auto r = api::Registry::global().find("entry")->run(
      {{"employment", panel_tiny}, {"from", "2019"}, {"to", "2024"}}, ctx);
  const auto s = nlohmann::json::parse(r.summary_json);
  const auto& t = r.tables.front().second;
  ASSERT_EQ(r.tables.front().first, "predictions");
  for (const char* c : {"location", "product", "density", "probability", "entered"}) EXPECT_NE(t.find(c), nullptr) << c;
  // recomputed from the written predictions: the same numbers as scikit-learn on that file
  const auto& p = std::get<data::RealColumn>(t.at("probability").values);
  const auto& e = std::get<data::IntColumn>(t.at("entered").values);
  std::vector<std::uint8_t> y(e.begin(), e.end());
  const auto [auc, ap] = sklearn("panel_tiny_entry");
  EXPECT_NEAR(s["auc"].get<double>(), auc, 1e-9);
  EXPECT_NEAR(s["pr_auc"].get<double>(), ap, 1e-9);
  EXPECT_NEAR(stats::roc_auc(p, y), s["auc"].get<double>(), 1e-15);
  // relatedness predicts entry (Hidalgo et al. 2007): well above chance out of sample
  const double n1 = s["entries"].get<double>(), n0 = s["candidates"].get<double>() - n1;
  const double se_null = std::sqrt((n0 + n1 + 1) / (12 * n0 * n1));  // sd of the AUC under no signal
  EXPECT_GT(s["baselines"]["density"]["auc"].get<double>(), 0.5 + 5 * se_null);
  EXPECT_GT(s["auc"].get<double>(), 0.5 + 5 * se_null);
  // a random score has no skill (the true answer "none"): within 3 sd of 0.5
  EXPECT_LT(std::fabs(s["baselines"]["random"]["auc"].get<double>() - 0.5), 3 * se_null);
  EXPECT_GT(s["pr_auc"].get<double>(), s["entry_rate"].get<double>());
}

TEST(Entry, ShuffledOutcomesHaveNoSkill) {
  // the permutation null: the same scores against outcomes in random order
  core::Stream rng(9, core::stream_id("entry null"));
  const std::size_t n = 5000;
  std::vector<double> s(n);
  std::vector<std::uint8_t> y(n);
  for (std::size_t i = 0; i < n; ++i) s[i] = rng.normal(), y[i] = rng.bernoulli(0.1);
  const double n1 = 500, n0 = 4500, se = std::sqrt((n0 + n1 + 1) / (12 * n0 * n1));
  EXPECT_LT(std::fabs(stats::roc_auc(s, y) - 0.5), 3 * se);
}

TEST(Entry, UsageErrors) {
  api::Context ctx;
  const auto* op = api::Registry::global().find("entry");
  EXPECT_THROW(op->run({{"employment", panel_tiny}, {"from", "2024"}, {"to", "2019"}}, ctx), Error);
  EXPECT_THROW(op->run({{"from", "2019"}, {"to", "2024"}}, ctx), Error);
  try {
    op->run({{"employment", panel_tiny}, {"from", "2019"}, {"to", "2031"}}, ctx);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("2031"), std::string::npos);
  }
}
