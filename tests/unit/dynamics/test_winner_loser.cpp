// The winner/loser design of an anchor plant (Greenstone, Hornbeck & Moretti 2010): on a seeded
// unbalanced panel against an independent dummy regression
// (tests/reference/dynamics/anchor_reference.py: mean shift, trend break with its five-year
// effect, event study, clustered by county), the planted spillover recovered, a true null not
// rejected, and the documented bad inputs.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "../support/op_results.hpp"
#include "../support/temp_dir.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/dynamics/winner_loser.hpp"

using namespace agglo;
using agglo::test_support::TempDir;
using agglo::test_support::table;

namespace {

const std::string ref_dir = std::string(AGGLO_TEST_DATA) + "/reference/dynamics/";

api::Result run(const core::ParamMap& p) { return agglo::test_support::run_op("evaluate anchor", p); }

core::ParamMap params(const std::string& panel) {
  return {{"panel", panel},  {"unit", "plant"},   {"time", "year"},       {"outcome", "log_tfp"}, {"case", "case"},
          {"winner", "winner"}, {"opening", "opening"}, {"cluster", "county"}, {"covariates", "size"}};
}

}  // namespace

TEST(WinnerLoser, MatchesTheDummyRegressionReference) {
  const auto r = run(params(ref_dir + "anchor_panel.csv"));
  const auto& est = table(r, "estimates");
  const auto& ev = table(r, "event_study");
  std::map<std::pair<std::string, std::string>, std::pair<double, double>> got;
  const auto& model = std::get<data::TextColumn>(est.at("model").values);
  const auto& term = std::get<data::TextColumn>(est.at("term").values);
  const auto& b = std::get<data::RealColumn>(est.at("estimate").values);
  const auto& se = std::get<data::RealColumn>(est.at("std_error").values);
  for (std::size_t i = 0; i < est.rows(); ++i) got[{model[i], term[i]}] = {b[i], se[i]};
  const auto& et = std::get<data::IntColumn>(ev.at("event_time").values);
  const auto& eb = std::get<data::RealColumn>(ev.at("estimate").values);
  const auto& es = std::get<data::RealColumn>(ev.at("std_error").values);
  for (std::size_t i = 0; i < ev.rows(); ++i) got[{"event", "event_" + std::to_string(et[i])}] = {eb[i], es[i]};
  std::ifstream f(ref_dir + "anchor_reference.csv");
  std::string line;
  std::getline(f, line);
  std::size_t checked = 0;
  while (std::getline(f, line)) {
    std::stringstream ss(line);
    std::string m, t, e, s;
    std::getline(ss, m, ',');
    std::getline(ss, t, ',');
    std::getline(ss, e, ',');
    std::getline(ss, s, ',');
    if (m == "event" && t == "size") continue;  // the event study's covariate is not reported
    const auto it = got.find({m, t});
    ASSERT_NE(it, got.end()) << m << " " << t;
    EXPECT_NEAR(it->second.first, std::stod(e), 1e-9) << m << " " << t;
    EXPECT_NEAR(it->second.second, std::stod(s), 1e-9) << m << " " << t;
    ++checked;
  }
  EXPECT_EQ(checked, 19u);
  const auto s = nlohmann::json::parse(r.summary_json);
  EXPECT_EQ(s["cases"].get<int>(), 12);
  EXPECT_EQ(s["clusters"].get<int>(), 36);
  // the planted spillover: 0.05 on opening + 0.01 a year → 0.10 after five years, a mean of
  // 0.075 over years 0 … 5; no effect before the opening
  EXPECT_LT(std::fabs(s["effect_after"].get<double>() - 0.10), 1.96 * s["effect_after_se"].get<double>());
  EXPECT_LT(std::fabs(s["mean_shift"].get<double>() - 0.075), 1.96 * s["mean_shift_se"].get<double>());
  for (std::size_t i = 0; i < ev.rows(); ++i)
    if (et[i] < 0) EXPECT_LT(std::fabs(eb[i]), 2.5 * es[i]) << "lead " << et[i];
}

TEST(WinnerLoser, TrueNullIsNotRejected) {
  // 40 cases, no spillover: winners and losers differ only by noise and a level
  dynamics::AnchorPanel p;
  core::Stream rng(9, 2);
  std::uint32_t unit = 0, county = 0;
  for (std::uint32_t c = 0; c < 40; ++c) {
    const std::int64_t opening = 1990 + c % 7;
    for (int k = 0; k < 3; ++k, ++county) {
      const double level = k == 0 ? 0.3 : 0.0;
      for (int q = 0; q < 8; ++q, ++unit) {
        const double a = rng.normal(0, 0.3);
        for (std::int64_t tau = -7; tau <= 5; ++tau) {
          p.unit.push_back(unit);
          p.case_id.push_back(c);
          p.year.push_back(opening + tau);
          p.opening.push_back(opening);
          p.winner.push_back(k == 0);
          p.cluster.push_back(county);
          p.y.push_back(a + level + 0.02 * static_cast<double>(tau) + rng.normal(0, 0.1));
        }
      }
    }
  }
  p.units = unit;
  p.cases = 40;
  const auto r = dynamics::winner_loser(p, {});
  EXPECT_LT(std::fabs(r.mean_shift[0].estimate), 1.96 * r.mean_shift[0].std_error);
  EXPECT_LT(std::fabs(r.effect_after), 1.96 * r.effect_after_se);
  EXPECT_TRUE(r.warnings.empty());  // 120 clusters
}

TEST(WinnerLoser, BadInputsGetClearErrors) {
  TempDir dir;
  std::ifstream f(ref_dir + "anchor_panel.csv");
  std::stringstream all;
  all << f.rdbuf();
  const std::string text = all.str();
  // case00 without its winners: the error names the case
  {
    std::string out;
    std::stringstream ss(text);
    std::string line;
    while (std::getline(ss, line))
      if (line.find(",case00,c00_0,") == std::string::npos) out += line + "\n";
    try {
      run(params(dir.write("no_winner.csv", out)));
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::input);
      EXPECT_NE(std::string(e.what()).find("case 'case00'"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("winning county"), std::string::npos) << e.what();
    }
  }
  // a winner value of 2
  {
    const auto pos = text.find(",1,", text.find('\n'));
    std::string bad = text;
    bad.replace(pos, 3, ",2,");
    try {
      run(params(dir.write("winner2.csv", bad)));
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::input);
      EXPECT_NE(std::string(e.what()).find("not 0 or 1"), std::string::npos) << e.what();
      EXPECT_GT(e.where().line, 1u);
    }
  }
  // a window without the opening year is a usage error (the option's bounds)
  {
    auto m = params(ref_dir + "anchor_panel.csv");
    m["lead"] = "0";
    EXPECT_THROW(run(m), Error);
  }
}
