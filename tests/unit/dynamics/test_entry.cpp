// Entry prediction: the ranking metrics equal scikit-learn's (roc_auc_score,
// average_precision_score) on tied scores and on agglo's own predictions for the bundled
// panel; density predicts entry there better than chance, and a random score does not.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
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

namespace {
api::Result entry(const core::ParamMap& p) {
  api::Context ctx;
  return api::Registry::global().find("entry")->run(p, ctx);
}
// term → (estimate, std_error) of the coefficients table
std::map<std::string, std::pair<double, double>> coefficients(const api::Result& r) {
  std::map<std::string, std::pair<double, double>> out;
  for (const auto& [name, t] : r.tables) {
    if (name != "coefficients") continue;
    const auto& term = std::get<data::TextColumn>(t.at("term").values);
    const auto& b = std::get<data::RealColumn>(t.at("estimate").values);
    const auto& se = std::get<data::RealColumn>(t.at("std_error").values);
    for (std::size_t i = 0; i < t.rows(); ++i) out[term[i]] = {b[i], se[i]};
  }
  return out;
}
}  // namespace

// Location and year fixed effects, logit and LPM: the coefficients equal statsmodels' fits with
// explicit dummies on the same candidates (tests/reference/dynamics/entry_fe_reference.py).
TEST(Entry, FixedEffectsModelsMatchStatsmodels) {
  const std::string panel3 = ref_dir + "entry_panel3.csv";
  const std::map<std::string, core::ParamMap> cases{
      {"location_logit", {{"employment", panel_tiny}, {"from", "2019"}, {"to", "2024"}, {"folds", "0"}, {"fixed-effects", "location"}}},
      {"location_lpm",
       {{"employment", panel_tiny}, {"from", "2019"}, {"to", "2024"}, {"folds", "0"}, {"fixed-effects", "location"}, {"model", "lpm"}}},
      {"pooled_location_year_logit",
       {{"employment", panel3}, {"from", "2019"}, {"to", "2024"}, {"pool-from", "2014"}, {"folds", "0"}, {"fixed-effects", "location,year"}}}};
  std::map<std::string, std::map<std::string, std::pair<double, double>>> got;
  for (const auto& [name, p] : cases) got[name] = coefficients(entry(p));
  std::size_t checked = 0;
  for (const auto& row : rows_of(ref_dir + "entry_fe_reference.csv")) {
    const auto& g = got.at(row[0]);
    const auto it = g.find(row[1]);
    ASSERT_NE(it, g.end()) << row[0] << " " << row[1];
    const double b = std::stod(row[2]), se = std::stod(row[3]);
    EXPECT_NEAR(it->second.first, b, 1e-6 * (1 + std::fabs(b))) << row[0] << " " << row[1];
    EXPECT_NEAR(it->second.second, se, 1e-6 * (1 + se)) << row[0] << " " << row[1];
    ++checked;
  }
  EXPECT_EQ(checked, 13u);
  // size is constant within a location: absorbed by the location effects (a warning says so),
  // but it varies across the pooled start years and stays in that model
  EXPECT_EQ(got["location_logit"].count("size"), 0u);
  EXPECT_EQ(got["pooled_location_year_logit"].count("size"), 1u);
}

TEST(Entry, FixedEffectsOutOfSampleAndTheirErrors) {
  // cross-validated with location effects: folds of cells, and density still predicts
  const auto r = entry({{"employment", panel_tiny}, {"from", "2019"}, {"to", "2024"}, {"fixed-effects", "location"}});
  const auto s = nlohmann::json::parse(r.summary_json);
  EXPECT_NE(s["evaluation"].get<std::string>().find("by cell"), std::string::npos);
  EXPECT_GT(s["auc"].get<double>(), 0.65);
  EXPECT_EQ(s["fixed_effects"]["location"]["levels"].get<int>() + s["fixed_effects"]["location"]["without_variation"].get<int>(), 67);
  // out of period: fit on 2014 → 2019, test on 2019 → 2024 (the test year's effect is unknown
  // and shifts every test cell alike)
  const auto o = entry({{"employment", ref_dir + "entry_panel3.csv"}, {"from", "2014"}, {"to", "2019"},
                        {"test-from", "2019"}, {"test-to", "2024"}, {"model", "lpm"}, {"fixed-effects", "location"}});
  EXPECT_GT(nlohmann::json::parse(o.summary_json)["auc"].get<double>(), 0.6);
  // year effects need pooled start years; a pooled pair may not reach into the test period
  EXPECT_THROW(entry({{"employment", panel_tiny}, {"from", "2019"}, {"to", "2024"}, {"fixed-effects", "year"}}), Error);
  try {
    entry({{"employment", ref_dir + "entry_panel3.csv"}, {"from", "2014"}, {"to", "2019"}, {"pool-from", "2019"},
           {"test-from", "2019"}, {"test-to", "2024"}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_NE(std::string(e.what()).find("future"), std::string::npos) << e.what();
  }
  EXPECT_THROW(entry({{"employment", panel_tiny}, {"from", "2019"}, {"to", "2024"}, {"pool-from", "20x4"}}), Error);
}
