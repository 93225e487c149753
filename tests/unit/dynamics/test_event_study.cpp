// Sun & Abraham's interaction-weighted event study: on mpdta against an independent dummy
// regression (tests/reference/dynamics/sunab_reference.py: every cohort × period coefficient,
// clustered standard error and interaction-weighted average, with never-treated and with
// last-treated controls); its identity with Callaway–Sant'Anna's universal-base ATT(g,t); the
// planted effects of a synthetic staggered programme recovered where the dynamic TWFE event
// study is biased; a true null; the documented bad inputs.
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
#include "agglo/dynamics/event_study.hpp"
#include "agglo/dynamics/synthetic_programme.hpp"

using namespace agglo;
using agglo::test_support::TempDir;
using agglo::test_support::int_at;
using agglo::test_support::read_rows;
using agglo::test_support::real_at;
using agglo::test_support::table;
using agglo::test_support::run_op;

namespace {

const std::string ref_dir = std::string(AGGLO_TEST_DATA) + "/reference/dynamics/";



core::ParamMap sunab(const std::string& panel, const std::string& control = "never-treated") {
  return {{"panel", panel},           {"unit", "countyreal"},         {"time", "year"},
          {"outcome", "lemp"},        {"cohort", "first.treat"},      {"estimator", "sun-abraham"},
          {"control", control}};
}

// mpdta without its never-treated counties (for the last-treated comparison)
std::string mpdta_treated_only(const TempDir& dir) {
  std::ifstream f(ref_dir + "mpdta.csv");
  std::string line, out;
  std::getline(f, line);
  out = line + "\n";
  while (std::getline(f, line)) {
    std::stringstream ss(line);
    std::string c;
    std::vector<std::string> cells;
    while (std::getline(ss, c, ',')) cells.push_back(c);
    if (cells.at(4) != "0") out += line + "\n";
  }
  return dir.write("mpdta_treated.csv", out);
}

void expect_matches_reference(const api::Result& r, const std::string& control) {
  const auto& t = table(r, "att_gt");
  std::size_t k = 0;
  for (const auto& row : read_rows(ref_dir + "sunab_mpdta_cells.csv")) {
    if (row[0] != control) continue;
    ASSERT_LT(k, t.rows());
    EXPECT_EQ(int_at(t, "group", k), std::stoll(row[1]));
    EXPECT_EQ(int_at(t, "time", k), std::stoll(row[2]));
    EXPECT_EQ(int_at(t, "event_time", k), std::stoll(row[3]));
    EXPECT_NEAR(real_at(t, "att", k), std::stod(row[4]), 1e-10) << k;
    EXPECT_NEAR(real_at(t, "std_error", k), std::stod(row[5]), 1e-10) << k;
    ++k;
  }
  EXPECT_EQ(k, t.rows());
  EXPECT_GT(k, 5u);
  const auto& d = table(r, "dynamic");
  const auto s = nlohmann::json::parse(r.summary_json);
  std::size_t q = 0;
  for (const auto& row : read_rows(ref_dir + "sunab_mpdta_dynamic.csv")) {
    if (row[0] != control) continue;
    if (row[1] == "post") {
      EXPECT_NEAR(s["att_simple"].get<double>(), std::stod(row[2]), 1e-10);
      EXPECT_NEAR(s["att_simple_se"].get<double>(), std::stod(row[3]), 1e-10);
      continue;
    }
    ASSERT_LT(q, d.rows());
    EXPECT_EQ(int_at(d, "event_time", q), std::stoll(row[1]));
    EXPECT_NEAR(real_at(d, "att", q), std::stod(row[2]), 1e-10);
    EXPECT_NEAR(real_at(d, "std_error", q), std::stod(row[3]), 1e-10);
    ++q;
  }
  EXPECT_EQ(q, d.rows());
}

}  // namespace

TEST(SunAbraham, MpdtaMatchesTheDummyRegressionWithNeverTreatedControls) {
  const auto r = run_op("evaluate did", sunab(ref_dir + "mpdta.csv"));
  expect_matches_reference(r, "never_treated");
  // the post-treatment average equals Callaway–Sant'Anna's simple ATT here (published −0.0399513):
  // with never-treated controls their post cells coincide
  EXPECT_NEAR(nlohmann::json::parse(r.summary_json)["att_simple"].get<double>(), -0.0399513, 5e-8);
}

TEST(SunAbraham, MpdtaMatchesTheDummyRegressionWithLastTreatedControls) {
  TempDir dir;
  const auto r = run_op("evaluate did", sunab(mpdta_treated_only(dir), "last-treated"));
  expect_matches_reference(r, "last_treated");
  const auto s = nlohmann::json::parse(r.summary_json);
  EXPECT_EQ(s["control_cohort"].get<int>(), 2007);
  EXPECT_EQ(s["periods_used"].get<int>(), 4);  // 2003–2006
}

TEST(SunAbraham, EqualsCallawaySantAnnaWithTheUniversalBase) {
  // δ_gℓ = [ȳ_g(g+ℓ) − ȳ_g(g−1)] − [ȳ_C(g+ℓ) − ȳ_C(g−1)], C = never treated, on a balanced panel
  dynamics::ProgrammeSpec spec;
  spec.units = 300;
  const auto prog = dynamics::synthetic_programme(spec, 21);
  const auto& p = prog.panel;
  const auto r = dynamics::sun_abraham(p, dynamics::EventControl::never_treated);
  const std::size_t T = p.periods.size();
  auto mean = [&](std::int64_t g, std::size_t t) {
    double s = 0, m = 0;
    for (std::size_t i = 0; i < p.cohort.size(); ++i)
      if (p.cohort[i] == g) s += p.y[i * T + t], ++m;
    return s / m;
  };
  ASSERT_EQ(r.cells.size(), spec.cohorts.size() * (T - 1));
  for (const auto& c : r.cells) {
    const std::size_t t = static_cast<std::size_t>(c.time - p.periods[0]);
    const std::size_t b = static_cast<std::size_t>(c.cohort - 1 - p.periods[0]);
    const double closed = (mean(c.cohort, t) - mean(c.cohort, b)) - (mean(0, t) - mean(0, b));
    EXPECT_NEAR(c.estimate, closed, 1e-10) << c.cohort << "," << c.time;
  }
}

TEST(SunAbraham, RecoversPlantedDynamicEffects) {
  dynamics::ProgrammeSpec spec;
  spec.units = 1500;
  const auto prog = dynamics::synthetic_programme(spec, 11);
  const auto r = dynamics::sun_abraham(prog.panel, dynamics::EventControl::never_treated);
  // the planted ν_ℓ: cohort-size weighted mean of the planted ATT(g, g+ℓ)
  std::map<std::int64_t, double> size;
  for (auto g : prog.panel.cohort) size[g] += 1;
  std::map<std::int64_t, std::pair<double, double>> truth;  // ℓ → (Σ w att, Σ w)
  for (const auto& c : prog.truth) {
    auto& [s, w] = truth[c.time - c.group];
    s += size[c.group] * c.att, w += size[c.group];
  }
  std::size_t post = 0, pre = 0;
  for (std::size_t q = 0; q < r.event_time.size(); ++q) {
    const auto e = r.event_time[q];
    const double planted = e >= 0 ? truth.at(e).first / truth.at(e).second : 0.0;  // no anticipation
    EXPECT_LT(std::fabs(r.att[q] - planted), 3 * r.std_error[q]) << "event time " << e;
    (e >= 0 ? post : pre) += 1;
  }
  EXPECT_EQ(post, 8u);  // ℓ = 0 … 7 (the 2003 cohort, 2003–2010)
  EXPECT_EQ(pre, 7u);   // ℓ = −8 … −2 (the 2009 cohort from 2001)
  EXPECT_LT(std::fabs(r.att_post - prog.att_simple), 1.96 * r.att_post_se);
  // the static TWFE on the same data is far off (Goodman-Bacon 2021)
  EXPECT_GT(std::fabs(r.twfe - prog.att_simple), 10 * r.att_post_se);
}

TEST(SunAbraham, TrueNullIsNotRejected) {
  dynamics::ProgrammeSpec spec;
  spec.effect = 0;
  spec.slope = 0;
  spec.units = 800;
  const auto prog = dynamics::synthetic_programme(spec, 5);
  const auto r = dynamics::sun_abraham(prog.panel, dynamics::EventControl::never_treated);
  EXPECT_LT(std::fabs(r.att_post), 1.96 * r.att_post_se);
  std::size_t rejected = 0;
  for (std::size_t q = 0; q < r.att.size(); ++q) rejected += std::fabs(r.att[q]) > 1.96 * r.std_error[q];
  EXPECT_LE(rejected, 2u);  // of 15 tests at 5 %
}

TEST(SunAbraham, BadInputsGetClearErrors) {
  TempDir dir;
  // no never-treated county: the error names the last-treated alternative
  try {
    run_op("evaluate did", sunab(mpdta_treated_only(dir)));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::input);
    EXPECT_NE(std::string(e.hint()).find("last-treated"), std::string::npos) << e.hint();
  }
  // not-yet-treated controls are Callaway–Sant'Anna's, a usage error here (and the converse)
  for (const auto& [est, ctl] : std::vector<std::pair<std::string, std::string>>{{"sun-abraham", "not-yet-treated"},
                                                                                  {"callaway-santanna", "last-treated"}}) {
    auto m = sunab(ref_dir + "mpdta.csv", ctl);
    m["estimator"] = est;
    try {
      run_op("evaluate did", m);
      FAIL() << est;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::usage);
    }
  }
  // one treated cohort and no never treated: nothing to compare with
  dynamics::PanelData p;
  p.unit_names = {"a", "b", "c"};
  p.periods = {2001, 2002, 2003};
  p.cohort = {2002, 2002, 2002};
  p.y = {1, 2, 3, 2, 3, 4, 0, 1, 1};
  EXPECT_THROW(dynamics::sun_abraham(p, dynamics::EventControl::last_treated), Error);
}
