// The survey module end to end: the planted cluster effect of the synthetic survey is
// recovered; separation, collinearity, non-convergence and bad inputs are reported as
// documented; share tables, Likert summaries and the Kronoberg figures are checked by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "../support/temp_dir.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/stats/binary_model.hpp"
#include "agglo/survey/diamond.hpp"
#include "agglo/survey/initiatives.hpp"
#include "agglo/survey/likert.hpp"
#include "agglo/survey/model_frame.hpp"
#include "agglo/survey/share_tables.hpp"
#include "agglo/synth/synthetic_economy.hpp"

using namespace agglo;
using namespace agglo::survey;
using namespace agglo::stats;
using agglo::test_support::TempDir;

namespace {

// The synthetic survey of the small preset, written where load_model_frame can read it.
std::string small_responses(const TempDir& dir) {
  const auto e = synth::generate(synth::preset("small"), core::Stream::default_seed, synth::default_data_dir());
  for (const auto& [name, t] : e.tables)
    if (name == "responses") {
      api::Result r;
      r.tables.emplace_back(name, t);
      api::write_result(r, dir.file("responses.csv"));
      return dir.file("responses.csv");
    }
  ADD_FAILURE() << "synth wrote no responses table";
  return {};
}

ErrorCode code_of(const std::function<void()>& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.code();
  }
  return ErrorCode::unknown;
}

std::size_t index_of(const std::vector<std::string>& v, const std::string& s) {
  return static_cast<std::size_t>(std::find(v.begin(), v.end(), s) - v.begin());
}

}  // namespace

TEST(SurveyModel, RecoversPlantedClusterEffectWithinConfidenceInterval) {
  // src/synth/survey_responses.cpp plants, on product innovation,
  //   logit = −1.0 + 0.6·regional_cluster + 0.35·(ln emp − 3) + 1.1·rnd + 0.3·foreign
  // with regional_cluster = 1 for 4–6 regional items (3 items count as 0: --middle non-cluster).
  TempDir dir;
  ModelSpec spec;
  spec.outcome = "product_innovation";
  spec.predictors = {"regional_cluster", "log(firm_employees)", "rnd", "foreign"};
  spec.rules.middle = MiddleRule::non_cluster;
  const auto F = load_model_frame(small_responses(dir), spec);
  EXPECT_EQ(F.rows_used, F.rows_read);
  FitOptions o;
  o.covariance = CovarianceType::hc1;
  const auto m = fit_binary_model(F.design, F.y, F.weights, F.cluster, o);
  ASSERT_TRUE(m.converged);
  const double truth[] = {-1.0 - 0.35 * 3, 0.6, 0.35, 1.1, 0.3};
  for (std::size_t j = 0; j < 5; ++j) {
    SCOPED_TRACE(m.terms[j]);
    EXPECT_LT(std::fabs(m.estimate[j] - truth[j]), 1.96 * m.std_error[j]);
  }
  // The cluster effect is detected (it is planted, not noise) and its AME is a probability.
  EXPECT_LT(m.p[1], 0.001);
  EXPECT_GT(m.ame[1], 0.05);
  EXPECT_LT(m.ame[1], 0.25);
  // process_innovation has a planted 0.3: recovered too.
  spec.outcome = "process_innovation";
  spec.predictors = {"regional_cluster", "log(firm_employees)", "rnd"};
  const auto F2 = load_model_frame(dir.file("responses.csv"), spec);
  const auto m2 = fit_binary_model(F2.design, F2.y, {}, {}, o);
  const double truth2[] = {-1.3 - 0.25 * 3, 0.3, 0.25, 0.7};
  for (std::size_t j = 0; j < 4; ++j) EXPECT_LT(std::fabs(m2.estimate[j] - truth2[j]), 1.96 * m2.std_error[j]) << m2.terms[j];
}

TEST(SurveyModel, Table6ShapeScopeDummiesAgainstRegionalBaseline) {
  TempDir dir;
  ModelSpec spec;
  spec.outcome = "product_innovation";
  spec.predictors = {"scope", "log(firm_employees)", "rnd", "foreign", "sector"};
  spec.categorical = {"sector"};
  spec.baselines = {"scope=regional"};
  const auto F = load_model_frame(small_responses(dir), spec);
  ASSERT_GE(F.design.terms.size(), 6u);
  EXPECT_EQ(F.design.terms[0], "const");
  EXPECT_EQ(F.design.terms[1], "scope=national");
  EXPECT_EQ(F.design.terms[2], "scope=international");
  EXPECT_EQ(F.design.terms[3], "log(firm_employees)");
  EXPECT_EQ(F.levels[0].first, "scope");
  EXPECT_EQ(F.levels[0].second[0], "regional");
  // Firms with 3 regional items have no scope (excluded by default): fewer rows than read.
  EXPECT_LT(F.rows_used, F.rows_read);
  EXPECT_EQ(F.warnings.size(), 1u);
  // The dummies are exclusive: no row has both.
  for (std::size_t i = 0; i < F.design.rows; ++i) EXPECT_LE(F.design.columns[1][i] + F.design.columns[2][i], 1.0);
  const auto m = fit_binary_model(F.design, F.y, {}, {}, FitOptions{});
  EXPECT_TRUE(m.converged);
  // The planted data make regional-cluster firms more innovative: both dummies negative.
  EXPECT_LT(m.estimate[1], 0);
  EXPECT_LT(m.estimate[2], 0);
}

TEST(SurveyModel, PerfectSeparationIsAnInputError) {
  Design d;
  d.add("const", std::vector<double>(8, 1.0));
  d.add("x", {1, 2, 3, 4, 5, 6, 7, 8});
  const std::vector<double> y = {0, 0, 0, 0, 1, 1, 1, 1};
  std::string msg;
  EXPECT_EQ(code_of([&] { fit_binary_model(d, y, {}, {}, FitOptions{}); }, &msg), ErrorCode::invalid_value);
  EXPECT_NE(msg.find("perfect separation"), std::string::npos) << msg;
  EXPECT_NE(msg.find("x ≥ 5"), std::string::npos) << msg;
  // Separated by two columns together (no single one does it): found after the fit.
  Design d2;
  d2.add("const", std::vector<double>(8, 1.0));
  d2.add("a", {0, 2, 1, 0, 3, 0, 2, 1});
  d2.add("b", {2, 0, 1, 0, 0, 3, 2, 3});
  const std::vector<double> y2 = {0, 0, 0, 0, 1, 1, 1, 1};  // y = 1 exactly when a + b ≥ 3
  for (std::size_t i = 0; i < 8; ++i)
    ASSERT_EQ(d2.columns[1][i] + d2.columns[2][i] >= 3, y2[i] == 1) << "test data not separated";
  EXPECT_EQ(code_of([&] { fit_binary_model(d2, y2, {}, {}, FitOptions{}); }, &msg), ErrorCode::invalid_value);
  EXPECT_NE(msg.find("perfect separation"), std::string::npos) << msg;
  // The LPM has no such problem.
  FitOptions lpm;
  lpm.family = LinkFamily::linear;
  EXPECT_NO_THROW(fit_binary_model(d, y, {}, {}, lpm));
}

TEST(SurveyModel, QuasiSeparationWarnsAndLeavesTheTermEmpty) {
  // Every firm with d = 1 innovates (an empty cell): d's coefficient goes to +∞.
  Design d;
  d.add("const", std::vector<double>(12, 1.0));
  d.add("x", {0.5, 1.2, 0.3, 2.0, 1.1, 0.7, 1.9, 0.2, 1.4, 0.9, 1.6, 0.4});
  d.add("d", {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1});
  const std::vector<double> y = {0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1};
  const auto m = fit_binary_model(d, y, {}, {}, FitOptions{});
  EXPECT_EQ(m.separation, SeparationKind::quasi);
  ASSERT_EQ(m.separated_terms.size(), 1u);
  EXPECT_EQ(m.separated_terms[0], "d");
  EXPECT_TRUE(std::isnan(m.estimate[2]));
  EXPECT_TRUE(std::isfinite(m.estimate[1]));
  EXPECT_FALSE(m.warnings.empty());
  EXPECT_NE(m.warnings.back().find("quasi-separation"), std::string::npos);
}

TEST(SurveyModel, CollinearTermsAreDroppedAndNamed) {
  Design d;
  const std::vector<double> a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, b = {2, 1, 4, 3, 6, 5, 8, 9, 7, 10};
  std::vector<double> c(10);
  for (std::size_t i = 0; i < 10; ++i) c[i] = 2 * a[i] - b[i] + 1;
  d.add("const", std::vector<double>(10, 1.0));
  d.add("a", a);
  d.add("b", b);
  d.add("c", c);
  d.add("zero", std::vector<double>(10, 0.0));
  const std::vector<double> y = {0, 1, 0, 0, 1, 1, 0, 1, 1, 0};
  const auto m = fit_binary_model(d, y, {}, {}, FitOptions{});
  ASSERT_EQ(m.dropped.size(), 2u);
  EXPECT_EQ(m.dropped[0], "c");
  EXPECT_NE(m.dropped_reason[0].find("c = 1·const + 2·a − 1·b"), std::string::npos) << m.dropped_reason[0];
  EXPECT_EQ(m.dropped[1], "zero");
  EXPECT_TRUE(std::isnan(m.estimate[3]));
  EXPECT_TRUE(std::isfinite(m.estimate[2]));
  EXPECT_EQ(m.parameters, 3u);
  // Same fit as without the collinear columns.
  Design d3;
  d3.add("const", std::vector<double>(10, 1.0));
  d3.add("a", a);
  d3.add("b", b);
  const auto m3 = fit_binary_model(d3, y, {}, {}, FitOptions{});
  for (std::size_t j = 0; j < 3; ++j) EXPECT_NEAR(m.estimate[j], m3.estimate[j], 1e-10);
  FitOptions strict;
  strict.drop_collinear = false;
  EXPECT_EQ(code_of([&] { fit_binary_model(d, y, {}, {}, strict); }), ErrorCode::invalid_value);
}

TEST(SurveyModel, NonConvergenceIsReported) {
  Design d;
  d.add("const", std::vector<double>(10, 1.0));
  d.add("x", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  const std::vector<double> y = {0, 0, 1, 0, 1, 0, 1, 1, 1, 1};
  FitOptions o;
  o.max_iterations = 1;
  const auto m = fit_binary_model(d, y, {}, {}, o);
  EXPECT_FALSE(m.converged);
  EXPECT_EQ(m.iterations, 1);
  EXPECT_NE(m.warnings.at(0).find("did not converge"), std::string::npos);
  o.max_iterations = 100;
  EXPECT_TRUE(fit_binary_model(d, y, {}, {}, o).converged);
}

TEST(SurveyModel, ResultsDoNotDependOnBlockSizeOrThreads) {
  TempDir dir;
  ModelSpec spec;
  spec.outcome = "product_innovation";
  spec.predictors = {"share_regional", "log(firm_employees)", "rnd", "foreign"};
  const auto F = load_model_frame(small_responses(dir), spec);
  FitOptions a, b;
  a.covariance = b.covariance = CovarianceType::hc0;
  a.block_rows = 64;
  b.block_rows = 100000;
  const auto ma = fit_binary_model(F.design, F.y, {}, {}, a), mb = fit_binary_model(F.design, F.y, {}, {}, b);
  for (std::size_t j = 0; j < ma.terms.size(); ++j) {
    EXPECT_NEAR(ma.estimate[j], mb.estimate[j], 1e-10);
    EXPECT_NEAR(ma.std_error[j], mb.std_error[j], 1e-10);
  }
}

TEST(SurveyModelFrame, BadValuesNameFileLineAndColumn) {
  TempDir dir;
  const auto p = dir.write("r.csv",
                           "id,y,x,w,g\n"
                           "a,1,2.0,1,A\n"
                           "b,0,3.0,2,B\n"
                           "c,2,1.0,1,A\n"
                           "d,1,0,1,B\n");
  ModelSpec spec;
  spec.outcome = "y";
  spec.predictors = {"x"};
  std::string msg;
  EXPECT_EQ(code_of([&] { load_model_frame(p, spec); }, &msg), ErrorCode::invalid_value);
  EXPECT_NE(msg.find(p + ":4:2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("binary"), std::string::npos) << msg;
  const auto q = dir.write("q.csv",
                           "id,y,x,w,g\n"
                           "a,1,2.0,1,A\n"
                           "b,0,3.0,-2,B\n"
                           "c,0,1.0,1,A\n"
                           "d,1,0,1,B\n");
  spec.weight = "w";
  EXPECT_EQ(code_of([&] { load_model_frame(q, spec); }, &msg), ErrorCode::invalid_value);
  EXPECT_NE(msg.find(q + ":3:4"), std::string::npos) << msg;
  spec.weight.clear();
  spec.predictors = {"log(x)"};
  EXPECT_EQ(code_of([&] { load_model_frame(q, spec); }, &msg), ErrorCode::invalid_value);
  EXPECT_NE(msg.find(q + ":5:3"), std::string::npos) << msg;
  // Unknown baseline level and unknown column.
  spec.predictors = {"g"};
  spec.categorical = {"g"};
  spec.baselines = {"g=Z"};
  EXPECT_EQ(code_of([&] { load_model_frame(q, spec); }, &msg), ErrorCode::invalid_option_value);
  EXPECT_NE(msg.find("levels: A, B"), std::string::npos) << msg;
  spec.baselines = {"g=B"};
  const auto F = load_model_frame(q, spec);
  ASSERT_EQ(F.design.terms.size(), 2u);
  EXPECT_EQ(F.design.terms[1], "g=A");
  EXPECT_EQ(F.design.columns[1], (std::vector<double>{1, 0, 1, 0}));
  spec.predictors = {"nope"};
  spec.categorical.clear();
  spec.baselines.clear();
  EXPECT_EQ(code_of([&] { load_model_frame(q, spec); }), ErrorCode::missing_column);
}

TEST(SurveyModelFrame, MissingCellsAreListwiseDeletedAndAllMissingIsAnError) {
  TempDir dir;
  const auto p = dir.write("r.csv",
                           "id,y,x,z\n"
                           "a,1,2.0,\n"
                           "b,0,,1\n"
                           "c,1,1.0,2\n"
                           "d,0,4,3\n"
                           "e,,4,3\n");
  ModelSpec spec;
  spec.outcome = "y";
  spec.predictors = {"x", "z"};
  const auto F = load_model_frame(p, spec);
  EXPECT_EQ(F.rows_read, 5u);
  EXPECT_EQ(F.rows_used, 2u);
  EXPECT_EQ(F.y, (std::vector<double>{1, 0}));
  ASSERT_EQ(F.warnings.size(), 1u);
  EXPECT_NE(F.warnings[0].find("3 of 5 rows"), std::string::npos) << F.warnings[0];
  const auto q = dir.write("q.csv", "id,y,x\na,1,\nb,0,\n");
  spec.predictors = {"x"};
  EXPECT_EQ(code_of([&] { load_model_frame(q, spec); }), ErrorCode::empty_input);
}

TEST(SurveyDiamond, UnknownLocationLabelIsAnInputError) {
  TempDir dir;
  const auto p = dir.write("r.csv", "id,customers,suppliers\na,regional,local\n");
  std::string msg;
  EXPECT_EQ(code_of([&] { io::load_survey(p); }, &msg), ErrorCode::invalid_value);
  EXPECT_NE(msg.find("'local'"), std::string::npos) << msg;
  EXPECT_NE(msg.find(p + ":2 (column 'suppliers')"), std::string::npos) << msg;
}

TEST(SurveyDiamond, MiddleRuleAndThresholds) {
  TempDir dir;
  const auto p = dir.write("r.csv",
                           "id,customers,suppliers,competitors,employees,research,capital\n"
                           "a,regional,regional,regional,national,national,national\n"
                           "b,regional,regional,international,international,international,national\n");
  const auto s = io::load_survey(p);
  DiamondRules r;
  auto d = compute_diamond(s, r);
  EXPECT_TRUE(std::isnan(d.regional_cluster[0]));
  EXPECT_EQ(d.scope[0], "");
  EXPECT_EQ(d.middle, 1u);
  EXPECT_EQ(d.regional_cluster[1], 0);
  EXPECT_EQ(d.scope[1], "international");
  r.middle = MiddleRule::cluster;
  d = compute_diamond(s, r);
  EXPECT_EQ(d.regional_cluster[0], 1);
  EXPECT_EQ(d.scope[0], "regional");
  r.middle = MiddleRule::non_cluster;
  d = compute_diamond(s, r);
  EXPECT_EQ(d.scope[0], "national");
  r.cluster_min = 2;
  r.non_cluster_max = 1;
  d = compute_diamond(s, r);
  EXPECT_EQ(d.regional_cluster[1], 1);
  r.non_cluster_max = 2;
  EXPECT_EQ(code_of([&] { compute_diamond(s, r); }), ErrorCode::invalid_option_value);
}

TEST(SurveyTables, WilsonAndWaldIntervalsMatchStatsmodels) {
  // statsmodels.stats.proportion.proportion_confint(7, 10, method='wilson') = (0.396778, 0.892209);
  // (3, 12, alpha=0.1, 'wilson') = (0.104653, 0.487338); (3, 12, 'normal') = (0.005005, 0.494995).
  std::vector<double> y7 = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, NAN};
  auto s = estimate_share(y7, {}, {}, 0.95, IntervalMethod::wilson);
  EXPECT_EQ(s.n, 10u);
  EXPECT_EQ(s.positives, 7u);
  EXPECT_NEAR(s.share, 0.7, 1e-15);
  EXPECT_NEAR(s.lower, 0.39677814746114537, 1e-9);
  EXPECT_NEAR(s.upper, 0.8922087325936989, 1e-9);
  std::vector<double> y3(12, 0.0);
  y3[0] = y3[5] = y3[7] = 1;
  s = estimate_share(y3, {}, {}, 0.90, IntervalMethod::wilson);
  EXPECT_NEAR(s.lower, 0.10465256557048916, 1e-9);
  EXPECT_NEAR(s.upper, 0.4873380318032493, 1e-9);
  s = estimate_share(y3, {}, {}, 0.95, IntervalMethod::wald);
  EXPECT_NEAR(s.lower, 0.005004501932493188, 1e-9);
  EXPECT_NEAR(s.upper, 0.4949954980675068, 1e-9);
  // Weights: p = Σwy/Σw; Kish n = (Σw)²/Σw².
  s = estimate_share({1, 0, 0, 0, 1, 0}, {2, 1, 1, 1, 1, 1}, {}, 0.95, IntervalMethod::wald);
  EXPECT_NEAR(s.share, 3.0 / 7, 1e-15);
  EXPECT_NEAR(s.upper - s.share, 1.959963984540054 * std::sqrt(3.0 / 7 * 4.0 / 7 / (49.0 / 9)), 1e-9);
}

TEST(SurveyTables, OutcomeAndFactorTablesByHand) {
  TempDir dir;
  const auto p = dir.write("r.csv",
                           "id,customers,suppliers,competitors,employees,research,capital,region,inno\n"
                           "a,regional,regional,regional,regional,national,,Oslo,1\n"
                           "b,national,regional,international,regional,,,Oslo,0\n"
                           "c,regional,national,national,national,national,national,Bergen,1\n"
                           "d,international,international,regional,national,national,national,Bergen,1\n");
  const auto s = io::load_survey(p);
  const std::vector<std::string> region = {"Oslo", "Oslo", "Bergen", "Bergen"};
  const std::vector<double> inno = {1, 0, 1, 1};
  ShareTableOptions o;
  const auto t2 = outcome_shares(region, {}, {{"inno", inno}}, {}, o);
  ASSERT_EQ(t2.size(), 3u);
  EXPECT_EQ(t2[0].row, "Oslo");
  EXPECT_NEAR(t2[0].s.share, 0.5, 1e-15);
  EXPECT_EQ(t2[1].row, "Bergen");
  EXPECT_NEAR(t2[1].s.share, 1.0, 1e-15);
  EXPECT_EQ(t2[2].row, "Total");
  EXPECT_NEAR(t2[2].s.share, 0.75, 1e-15);
  // Table 3: customers regional in Oslo 1 of 2, Bergen 1 of 2; research answered only by a in
  // Oslo (national): 0 of 1.
  const auto t3 = factor_shares(s, region, {"Oslo", "Bergen"}, {}, o);
  ASSERT_EQ(t3.size(), 6u * 2 + 2);
  EXPECT_EQ(t3[0].row, "Demanding customers");
  EXPECT_EQ(t3[0].column, "Oslo");
  EXPECT_NEAR(t3[0].s.share, 0.5, 1e-15);
  EXPECT_EQ(t3[8].row, "Most relevant research institutions");
  EXPECT_EQ(t3[8].s.n, 1u);
  EXPECT_NEAR(t3[8].s.share, 0.0, 1e-15);
  // Capital: nobody in Oslo answered → NaN, left out of Oslo's average.
  EXPECT_EQ(t3[10].s.n, 0u);
  EXPECT_TRUE(std::isnan(t3[10].s.share));
  // Oslo average over 5 answered items: customers .5, suppliers 1, competitors .5, employees 1, research 0.
  EXPECT_EQ(t3[12].row, "Average");
  EXPECT_NEAR(t3[12].s.share, 3.0 / 5, 1e-15);
  // Table 4: inno among firms whose customers are regional (a, c) = 1; national (b) = 0;
  // international (d) = 1.
  const auto t4 = factor_outcome_shares(s, {{"inno", inno}}, {}, o);
  EXPECT_NEAR(t4[0].s.share, 1.0, 1e-15);
  EXPECT_NEAR(t4[1].s.share, 0.0, 1e-15);
  EXPECT_NEAR(t4[2].s.share, 1.0, 1e-15);
  EXPECT_EQ(t4[18].row, "Average (un-weighted)");
}

TEST(SurveyBenefits, LikertLabelsAndShares) {
  EXPECT_EQ(parse_likert("4", 5), 4);
  EXPECT_EQ(parse_likert(" Strongly Agree ", 5), 5);
  EXPECT_EQ(parse_likert("neither agree nor disagree", 5), 3);
  EXPECT_EQ(parse_likert("", 5), 0);
  EXPECT_EQ(parse_likert("6", 5), -1);
  EXPECT_EQ(parse_likert("maybe", 5), -1);
  EXPECT_EQ(parse_likert("7", 7), 7);
  // 10 answers to "lowered costs": one agrees (8 % in seed 000 would be 2 of 25).
  const std::vector<std::vector<int>> v = {{1, 2, 2, 3, 3, 3, 4, 2, 1, 0, 2}, {5, 4, 4, 5, 3, 2, 4, 4, 5, 4, 4}};
  const auto items = summarise_likert({"costs", "competence"}, v, {}, LikertOptions{});
  EXPECT_EQ(items[0].agree.n, 10u);
  EXPECT_EQ(items[0].agree.positives, 1u);
  EXPECT_NEAR(items[0].agree.share, 0.1, 1e-15);
  EXPECT_EQ(items[0].neutral, 3u);
  EXPECT_EQ(items[0].disagree, 6u);
  EXPECT_NEAR(items[0].mean, 23.0 / 10, 1e-15);
  EXPECT_EQ(items[0].level_counts, (std::vector<std::size_t>{2, 4, 3, 1, 0}));
  EXPECT_NEAR(items[1].agree.share, 9.0 / 11, 1e-15);
  LikertOptions strict;
  strict.agree_min = 5;
  EXPECT_NEAR(summarise_likert({"competence"}, {v[1]}, {}, strict)[0].agree.share, 3.0 / 11, 1e-15);
}

TEST(SurveyInitiatives, ReproducesKronobergTurnoverPerEmployee) {
  // Seed 000, Table 1: turnover/employee 2,680; 3,896; 899; 1,902; 3,539; TOTAL 3,145.
  const auto facts = initiative_facts(load_initiatives(synth::default_data_dir() + "/sample/kronoberg_cluster_initiatives.csv"));
  ASSERT_EQ(facts.size(), 6u);
  const double published[] = {2680, 3896, 899, 1902, 3539, 3145};
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(std::round(facts[i].turnover_per_employee), published[i]) << facts[i].in.name;
    if (i < 5) EXPECT_EQ(facts[i].matches_reported, 1.0);
  }
  EXPECT_EQ(facts[5].in.name, "TOTAL");
  EXPECT_EQ(facts[5].in.firms, 108);
  EXPECT_EQ(facts[5].in.employees, 14554);
  EXPECT_EQ(facts[5].in.sales, 45773800);
  EXPECT_EQ(facts[5].in.gross_profit, 1779712);
  EXPECT_NEAR(facts[4].employees_per_firm, 7936.0 / 15, 1e-12);
  EXPECT_NEAR(facts[0].profit_margin, 798314.0 / 11292808, 1e-15);
}

TEST(SurveyCommands, AllRegisteredWithContractColumns) {
  const auto* m = api::Registry::global().find("survey model");
  ASSERT_NE(m, nullptr);
  const auto* d = api::Registry::global().find("survey diamond");
  ASSERT_NE(d, nullptr);
  for (const char* name : {"survey tables", "survey benefits", "survey initiatives"})
    EXPECT_NE(api::Registry::global().find(name), nullptr) << name;
  // Through the registry (the CLI path): weights 2 where PSI = 1 select the survey-design
  // errors by default, as R's svyglm(GRADE ~ GPA + TUCE + PSI, svydesign(ids=~1, weights=~w)).
  TempDir dir;
  std::ifstream in(std::string(AGGLO_TEST_DATA) + "/unit/survey/data/spector.csv");
  std::string line, text;
  std::getline(in, line);
  text = line + ",w\n";
  while (std::getline(in, line)) text += line + (line.find(",1,") != std::string::npos ? ",2\n" : ",1\n");
  const auto path = dir.write("spector_w.csv", text);
  api::Context ctx;
  const auto r = m->run({{"responses", path}, {"outcome", "GRADE"}, {"predictors", "GPA,TUCE,PSI"}, {"weight", "w"}}, ctx);
  const auto& t = r.tables.at(0).second;
  std::vector<std::string> cols;
  for (const auto& c : t.columns()) cols.push_back(c.name);
  EXPECT_EQ(cols, (std::vector<std::string>{"term", "estimate", "std_error", "z", "p", "odds_ratio", "ame", "ame_se",
                                            "ci_lower", "ci_upper"}));
  const auto& se = std::get<data::RealColumn>(t.at("std_error").values);
  const double want[] = {5.3390, 1.2600, 0.1228, 0.9097};
  for (std::size_t j = 0; j < 4; ++j) EXPECT_NEAR(se[j], want[j], 5e-5);
  EXPECT_NE(r.summary_json.find("\"se\": \"survey\""), std::string::npos) << r.summary_json;
  EXPECT_NE(r.text.find("weighted by w"), std::string::npos);
}
