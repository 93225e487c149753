// Matching as pre-processing: on the LaLonde data against R's MatchIt 4.5.1
// (tests/reference/dynamics/matching_reference.R) — the same matched control for every treated
// unit, or one with identical covariates (a tie), for propensity-score 1:1 and 2:1 and Mahalanobis
// matching, and the same balance table; the caliper's defining properties; a true null (random
// treatment: balance before and after); the documented bad inputs.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "../support/op_results.hpp"
#include "../support/temp_dir.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/dynamics/matching.hpp"

using namespace agglo;
using agglo::test_support::TempDir;
using agglo::test_support::read_rows;
using agglo::test_support::table;

namespace {

const std::string ref_dir = std::string(AGGLO_TEST_DATA) + "/reference/dynamics/";
const std::string covariates = "age,educ,black,hispan,married,nodegree,re74,re75";


api::Result run(const core::ParamMap& p) { return agglo::test_support::run_op("evaluate match", p); }

core::ParamMap lalonde(core::ParamMap extra = {}) {
  core::ParamMap p{{"data", ref_dir + "lalonde.csv"}, {"unit", "id"}, {"treatment", "treat"}, {"covariates", covariates}};
  for (auto& [k, v] : extra) p[k] = v;
  return p;
}

}  // namespace

TEST(Matching, LalondeMatchesMatchIt) {
  std::map<std::string, std::string> covs;  // unit → its covariate values (to recognise identical twins)
  for (const auto& row : read_rows(ref_dir + "lalonde.csv")) {
    std::string key;
    for (std::size_t c = 2; c <= 9; ++c) key += row[c] + "|";
    covs[row[0]] = key;
  }
  const std::map<std::string, core::ParamMap> cases{
      {"ps", {}}, {"ps_ratio2", {{"ratio", "2"}}}, {"mahalanobis", {{"distance", "mahalanobis"}}}};
  const auto ref_pairs = read_rows(ref_dir + "matching_pairs.csv");
  const auto ref_balance = read_rows(ref_dir + "matching_balance.csv");
  for (const auto& [name, extra] : cases) {
    const auto r = run(lalonde(extra));
    const auto& m = table(r, "matches");
    const auto& t = std::get<data::TextColumn>(m.at("treated").values);
    const auto& c = std::get<data::TextColumn>(m.at("control").values);
    const auto& d = std::get<data::RealColumn>(m.at("distance").values);
    // per treated unit: MatchIt's and our controls (as covariate vectors) and distances
    std::map<std::string, std::multiset<std::string>> ref, got;
    std::map<std::string, std::multiset<double>> ref_d, got_d;
    double ref_total = 0, got_total = 0;
    for (const auto& row : ref_pairs)
      if (row[0] == name) ref[row[1]].insert(covs.at(row[2])), ref_d[row[1]].insert(std::stod(row[3])), ref_total += std::stod(row[3]);
    for (std::size_t i = 0; i < m.rows(); ++i) got[t[i]].insert(covs.at(c[i])), got_d[t[i]].insert(d[i]), got_total += d[i];
    ASSERT_EQ(got.size(), 185u) << name;
    ASSERT_EQ(m.rows(), name == "ps_ratio2" ? 370u : 185u);
    EXPECT_NEAR(got_total / ref_total, 1.0, 0.01) << name;  // the matched sample is as close overall
    if (name == "mahalanobis") {
      // every treated unit as close to its control as in MatchIt (ties between equally close
      // controls are broken differently)
      for (const auto& [unit, ds] : ref_d) {
        ASSERT_EQ(got_d[unit].size(), ds.size());
        auto a = ds.begin();
        for (double x : got_d[unit]) EXPECT_NEAR(x, *a++, 1e-9) << unit;
      }
    } else {
      // the same controls (up to identical twins) in matching order until the last few treated
      // units, where MatchIt 4.5.1 took a farther control while a nearer one was still unmatched
      std::map<std::string, std::string> ref_first;  // MatchIt's first-round control per treated unit
      for (const auto& row : ref_pairs)
        if (row[0] == name) ref_first.emplace(row[1], covs.at(row[2]));
      std::size_t first_difference = 185;
      for (std::size_t i = 0; i < 185; ++i)  // our first round, in matching order
        if (covs.at(c[i]) != ref_first.at(t[i])) {
          first_difference = i;
          break;
        }
      EXPECT_GE(first_difference, 170u) << name;
    }
    // the balance table: the same treated means, control means within the few different pairs
    const auto& b = table(r, "balance");
    const auto& bc = std::get<data::TextColumn>(b.at("covariate").values);
    std::size_t checked = 0;
    for (const auto& row : ref_balance) {
      if (row[0] != name) continue;
      const auto it = std::find(bc.begin(), bc.end(), row[1]);
      ASSERT_NE(it, bc.end()) << row[1];
      const auto q = static_cast<std::size_t>(it - bc.begin());
      EXPECT_NEAR(std::get<data::RealColumn>(b.at("mean_treated").values)[q], std::stod(row[2]), 1e-9 * (1 + std::fabs(std::stod(row[2]))));
      EXPECT_NEAR(std::get<data::RealColumn>(b.at("smd_after").values)[q], std::stod(row[4]), 0.05) << name << " " << row[1];
      ++checked;
    }
    EXPECT_EQ(checked, 8u);
  }
  // the known imbalance of the PSID comparison group (Dehejia & Wahba 1999): race stays
  // unbalanced after 1:1 propensity matching, and agglo says so
  const auto r = run(lalonde());
  bool warned = false;
  for (const auto& w : r.warnings) warned = warned || w.find("not comparable") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(Matching, CaliperKeepsOnlyCloseMatches) {
  const auto r = run(lalonde({{"caliper", "0.02"}}));
  const auto& w = table(r, "weights");
  const auto& unit = std::get<data::TextColumn>(w.at("unit").values);
  const auto& treated = std::get<data::IntColumn>(w.at("treated").values);
  const auto& score = std::get<data::RealColumn>(w.at("score").values);
  const auto& weight = std::get<data::RealColumn>(w.at("weight").values);
  double mean = 0, var = 0;
  for (double s : score) mean += s / static_cast<double>(score.size());
  for (double s : score) var += (s - mean) * (s - mean) / static_cast<double>(score.size() - 1);
  const double cal = 0.02 * std::sqrt(var);
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < unit.size(); ++i) at[unit[i]] = i;
  const auto& m = table(r, "matches");
  const auto& d = std::get<data::RealColumn>(m.at("distance").values);
  ASSERT_GT(m.rows(), 50u);
  for (double x : d) EXPECT_LE(x, cal);
  const auto s = nlohmann::json::parse(r.summary_json);
  const int matched = s["matched_treated"].get<int>();
  EXPECT_LT(matched, 185);  // some treated units have no control that close
  // an unmatched treated unit has no unused control within the caliper
  for (std::size_t i = 0; i < unit.size(); ++i) {
    if (!treated[i] || weight[i] > 0) continue;
    for (std::size_t j = 0; j < unit.size(); ++j)
      if (!treated[j] && weight[j] == 0) EXPECT_GT(std::fabs(score[i] - score[j]), cal) << unit[i] << " " << unit[j];
  }
  // and the caliper improves balance on the score
  EXPECT_LT(s["max_abs_smd_after"].get<double>(), nlohmann::json::parse(run(lalonde()).summary_json)["max_abs_smd_after"].get<double>());
}

TEST(Matching, RandomTreatmentIsBalancedAndReplacementReusesControls) {
  // treatment independent of the covariates (the true answer: no imbalance to remove)
  dynamics::MatchInput in;
  core::Stream rng(5, core::stream_id("matching null"));
  const std::size_t n = 600;
  in.names = {"x1", "x2", "d"};
  in.X.assign(3, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i) {
    in.treated.push_back(rng.bernoulli(0.3));
    in.X[0][i] = rng.normal(), in.X[1][i] = rng.normal(5, 2), in.X[2][i] = rng.bernoulli(0.4);
  }
  for (auto dist : {dynamics::MatchDistance::propensity, dynamics::MatchDistance::mahalanobis}) {
    dynamics::MatchOptions o;
    o.distance = dist;
    const auto r = dynamics::nearest_neighbour_match(in, o);
    for (const auto& b : r.balance) {
      EXPECT_LT(std::fabs(b.smd_before), 0.25) << b.covariate;
      EXPECT_LT(std::fabs(b.smd_after), 0.1) << b.covariate;  // matching does not make it worse
    }
  }
  // with replacement, k:1: every treated unit gets k controls, some controls serve several
  dynamics::MatchOptions o;
  o.replace = true;
  o.ratio = 3;
  const auto r = dynamics::nearest_neighbour_match(in, o);
  EXPECT_EQ(r.pairs.size(), 3 * r.treated);
  std::map<std::size_t, std::size_t> uses;
  for (const auto& p : r.pairs) ++uses[p.control];
  std::size_t reused = 0;
  for (const auto& [c, k] : uses) reused += k > 1;
  EXPECT_GT(reused, 0u);
  double wsum = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (!in.treated[i]) wsum += r.weight[i];
  EXPECT_NEAR(wsum, static_cast<double>(r.matched_controls), 1e-9);  // weights sum to the matched controls
}

TEST(Matching, BadInputsGetClearErrors) {
  TempDir dir;
  // a treatment value of 2
  {
    std::ifstream f(ref_dir + "lalonde.csv");
    std::stringstream all;
    all << f.rdbuf();
    std::string text = all.str();
    const auto pos = text.find("\"NSW1\",1,");
    text.replace(pos, 9, "\"NSW1\",2,");
    try {
      run({{"data", dir.write("bad.csv", text)}, {"unit", "id"}, {"treatment", "treat"}, {"covariates", covariates}});
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::input);
      EXPECT_NE(std::string(e.what()).find("not 0 or 1"), std::string::npos);
      EXPECT_EQ(e.where().line, 2u);
    }
  }
  // collinear covariates for Mahalanobis: a singular covariance
  {
    std::string csv = "id,t,a,b\n";
    for (int i = 0; i < 20; ++i) csv += "u" + std::to_string(i) + "," + std::to_string(i % 3 == 0) + "," + std::to_string(i) + "," + std::to_string(2 * i) + "\n";
    try {
      run({{"data", dir.write("col.csv", csv)}, {"unit", "id"}, {"treatment", "t"}, {"covariates", "a,b"}, {"distance", "mahalanobis"}});
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::input);
      EXPECT_NE(std::string(e.what()).find("singular"), std::string::npos) << e.what();
    }
  }
  // no control unit; a caliper with Mahalanobis (usage)
  {
    std::string csv = "id,t,a\nu1,1,3\nu2,1,4\n";
    EXPECT_THROW(run({{"data", dir.write("none.csv", csv)}, {"unit", "id"}, {"treatment", "t"}, {"covariates", "a"}}), Error);
    try {
      run(lalonde({{"distance", "mahalanobis"}, {"caliper", "0.2"}}));
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::usage);
    }
  }
}
