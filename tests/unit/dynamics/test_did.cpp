// Programme evaluation: Callaway–Sant'Anna on mpdta against the published values of R's did and
// an independent NumPy implementation (every ATT(g,t), standard error and aggregation), the
// multiplier bootstrap's agreement with the analytic errors and its determinism, the planted
// effects of a synthetic staggered programme recovered (and the two-way fixed effects bias
// shown), a true null, the documented bad inputs, and synthetic control's optimality.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "../support/op_results.hpp"
#include "../support/temp_dir.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/dynamics/staggered_did.hpp"
#include "agglo/dynamics/synthetic_control.hpp"
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

std::string fmt_double(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}



core::ParamMap mpdta(std::string bootstrap = "0") {
  return {{"panel", ref_dir + "mpdta.csv"}, {"unit", "countyreal"}, {"time", "year"}, {"outcome", "lemp"},
          {"cohort", "first.treat"}, {"bootstrap", bootstrap}};
}

// Writes a PanelData as the long CSV evaluate did reads.
std::string write_panel(const TempDir& dir, const dynamics::PanelData& p, const std::string& name = "panel.csv") {
  std::string csv = "unit,year,y,cohort\n";
  const std::size_t T = p.periods.size();
  for (std::size_t i = 0; i < p.unit_names.size(); ++i)
    for (std::size_t t = 0; t < T; ++t)
      csv += p.unit_names[i] + "," + std::to_string(p.periods[t]) + "," + fmt_double(p.y[i * T + t]) + "," +
             std::to_string(p.cohort[i]) + "\n";
  return dir.write(name, csv);
}

}  // namespace

TEST(Did, MpdtaMatchesPublishedValues) {
  const auto r = run_op("evaluate did", mpdta());
  const auto s = nlohmann::json::parse(r.summary_json);
  EXPECT_NEAR(s["att_simple"].get<double>(), -0.0399513, 5e-8);
  const auto& t = table(r, "att_gt");
  ASSERT_EQ(int_at(t, "group", 0), 2004);
  ASSERT_EQ(int_at(t, "time", 0), 2004);
  EXPECT_NEAR(real_at(t, "att", 0), -0.0105032, 5e-8);
}

TEST(Did, MpdtaMatchesTheIndependentReferenceInEveryCell) {
  const auto r = run_op("evaluate did", mpdta());
  const auto& t = table(r, "att_gt");
  const auto ref = read_rows(ref_dir + "did_mpdta_att_gt.csv");
  ASSERT_EQ(t.rows(), ref.size());
  for (std::size_t k = 0; k < ref.size(); ++k) {
    EXPECT_EQ(int_at(t, "group", k), std::stoll(ref[k][0]));
    EXPECT_EQ(int_at(t, "time", k), std::stoll(ref[k][1]));
    EXPECT_NEAR(real_at(t, "att", k), std::stod(ref[k][2]), 1e-10);
    EXPECT_NEAR(real_at(t, "std_error", k), std::stod(ref[k][3]), 1e-10);
  }
  // aggregations (the did vignette: group −0.031 (0.0124), dynamic −0.0772 (0.020), calendar −0.0417 (0.0166))
  const auto s = nlohmann::json::parse(r.summary_json);
  const auto agg = read_rows(ref_dir + "did_mpdta_aggregates.csv");
  std::map<std::string, std::pair<double, double>> overall;
  std::map<std::pair<std::string, std::int64_t>, std::pair<double, double>> by;
  for (const auto& a : agg) {
    if (a[0].find("_overall") != std::string::npos || a[0] == "simple")
      overall[a[0]] = {std::stod(a[2]), std::stod(a[3])};
    else
      by[{a[0], std::stoll(a[1])}] = {std::stod(a[2]), std::stod(a[3])};
  }
  EXPECT_NEAR(s["att_simple_se"].get<double>(), overall["simple"].second, 1e-10);
  for (const char* fam : {"dynamic", "group", "calendar"}) {
    EXPECT_NEAR(s[fam]["overall_att"].get<double>(), overall[std::string(fam) + "_overall"].first, 1e-10) << fam;
    EXPECT_NEAR(s[fam]["overall_se"].get<double>(), overall[std::string(fam) + "_overall"].second, 1e-10) << fam;
    const char* key = std::string(fam) == "dynamic" ? "event_time" : std::string(fam) == "group" ? "group" : "time";
    std::size_t seen = 0;
    for (const auto& row : s[fam]["by"]) {
      const auto it = by.find({fam, row[key].get<std::int64_t>()});
      ASSERT_NE(it, by.end()) << fam;
      EXPECT_NEAR(row["att"].get<double>(), it->second.first, 1e-10);
      EXPECT_NEAR(row["std_error"].get<double>(), it->second.second, 1e-10);
      ++seen;
    }
    EXPECT_GT(seen, 2u);
  }
}

TEST(Did, BootstrapAgreesWithAnalyticErrorsAndIsDeterministic) {
  const auto a = run_op("evaluate did", mpdta("999"), 1);
  const auto b = run_op("evaluate did", mpdta("999"), 2);
  const auto& ta = table(a, "att_gt");
  const auto& tb = table(b, "att_gt");
  for (std::size_t k = 0; k < ta.rows(); ++k) {
    EXPECT_EQ(real_at(ta, "bootstrap_se", k), real_at(tb, "bootstrap_se", k));  // bit for bit, 1 or 2 threads
    const double an = real_at(ta, "std_error", k), bs = real_at(ta, "bootstrap_se", k);
    EXPECT_NEAR(bs / an, 1.0, 0.12) << k;  // 999 draws: the IQR estimate is within ~10 %
    // the uniform band is wider than the pointwise interval
    EXPECT_LT(real_at(ta, "band_lower", k), real_at(ta, "ci_lower", k) + 1e-12);
  }
  const auto s = nlohmann::json::parse(a.summary_json);
  EXPECT_GT(s["critical_value"].get<double>(), 1.96);
  EXPECT_LT(s["critical_value"].get<double>(), 4.0);
}

TEST(Did, PlantedHeterogeneousEffectsRecoveredAndTwfeBiased) {
  dynamics::ProgrammeSpec spec;
  spec.units = 1500;
  const auto prog = dynamics::synthetic_programme(spec, 11);
  dynamics::DidOptions o;
  o.bootstrap = 499;
  o.seed = 3;
  const auto r = dynamics::callaway_santanna(prog.panel, o);
  // the simple ATT against its planted value
  EXPECT_LT(std::fabs(r.att_simple - prog.att_simple), 1.96 * r.att_simple_se)
      << r.att_simple << " vs " << prog.att_simple << " se " << r.att_simple_se;
  // every post-treatment cell inside its uniform band
  std::map<std::pair<std::int64_t, std::int64_t>, double> truth;
  for (const auto& c : prog.truth) truth[{c.group, c.time}] = c.att;
  std::size_t checked = 0;
  for (const auto& c : r.cells) {
    const double planted = c.post ? truth.at({c.group, c.time}) : 0.0;  // no anticipation: pre-trends are 0
    EXPECT_LT(std::fabs(c.att - planted), r.critical_value * c.bootstrap_se) << c.group << "," << c.time;
    ++checked;
  }
  EXPECT_EQ(checked, 3u * 9u);
  // the dynamic aggregation recovers the planted exposure profile e ↦ mean over cohorts
  ASSERT_FALSE(r.dynamic.key.empty());
  // TWFE: far from the truth (effects grow with exposure and differ by cohort)
  EXPECT_GT(std::fabs(r.twfe - prog.att_simple), 10 * r.att_simple_se) << "twfe " << r.twfe << " truth " << prog.att_simple;
  EXPECT_LT(r.twfe, prog.att_simple);  // already-treated units as controls pull it down
}

TEST(Did, TrueNullIsNotRejected) {
  dynamics::ProgrammeSpec spec;
  spec.effect = 0;
  spec.slope = 0;
  spec.units = 800;
  const auto prog = dynamics::synthetic_programme(spec, 5);
  dynamics::DidOptions o;
  o.bootstrap = 499;
  const auto r = dynamics::callaway_santanna(prog.panel, o);
  EXPECT_LT(std::fabs(r.att_simple), 1.96 * r.att_simple_se);
  for (const auto& c : r.cells) EXPECT_LT(std::fabs(c.att), r.critical_value * c.bootstrap_se);
  EXPECT_LT(std::fabs(r.twfe), 0.1);  // no effect: TWFE is unbiased too
}

TEST(Did, BadPanelsGetClearErrorsOrDocumentedResults) {
  TempDir dir;
  dynamics::ProgrammeSpec spec;
  spec.units = 60;
  spec.periods = 5;
  spec.cohorts = {2003, 2004};
  auto prog = dynamics::synthetic_programme(spec, 1);
  // no never-treated unit
  {
    auto p = prog.panel;
    for (auto& g : p.cohort)
      if (g == 0) g = 2004;
    const auto f = write_panel(dir, p, "all_treated.csv");
    core::ParamMap m{{"panel", f}, {"unit", "unit"}, {"time", "year"}, {"outcome", "y"}, {"cohort", "cohort"}, {"bootstrap", "0"}};
    try {
      run_op("evaluate did", m);
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::input);
      EXPECT_NE(std::string(e.what()).find("never-treated"), std::string::npos) << e.what();
    }
    // with not-yet-treated controls the 2003 cohort is compared with the 2004 one before 2004
    m["control"] = "not-yet-treated";
    const auto r = run_op("evaluate did", m);
    EXPECT_TRUE(std::isfinite(nlohmann::json::parse(r.summary_json)["att_simple"].get<double>()));
  }
  // a cohort treated in the first period: dropped with a warning
  {
    auto p = prog.panel;
    p.cohort[0] = 2001;
    const auto r = run_op("evaluate did", {{"panel", write_panel(dir, p, "first.csv")}, {"unit", "unit"}, {"time", "year"},
                                        {"outcome", "y"}, {"cohort", "cohort"}, {"bootstrap", "0"}});
    EXPECT_EQ(nlohmann::json::parse(r.summary_json)["dropped_units"].get<int>(), 1);
    bool warned = false;
    for (const auto& w : r.warnings) warned = warned || w.find("first period") != std::string::npos;
    EXPECT_TRUE(warned);
  }
  // a gap: unit r0002 has no row for 2003
  {
    std::string csv = "unit,year,y,cohort\n";
    for (int u = 1; u <= 4; ++u)
      for (int y = 2001; y <= 2005; ++y)
        if (!(u == 2 && y == 2003)) csv += "r" + std::to_string(u) + "," + std::to_string(y) + ",1," + (u < 3 ? "2004" : "0") + "\n";
    try {
      run_op("evaluate did", {{"panel", dir.write("gap.csv", csv)}, {"unit", "unit"}, {"time", "year"}, {"outcome", "y"},
                           {"cohort", "cohort"}});
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::input);
      EXPECT_NE(std::string(e.what()).find("'r2'"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("2003"), std::string::npos) << e.what();
    }
  }
  // a cohort that changes within a unit names the row
  {
    const std::string csv = "unit,year,y,cohort\na,2001,1,2003\na,2002,1,2004\n";
    try {
      run_op("evaluate did", {{"panel", dir.write("cohort.csv", csv)}, {"unit", "unit"}, {"time", "year"}, {"outcome", "y"},
                           {"cohort", "cohort"}});
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.where().line, 3u);
    }
  }
}

TEST(SynthControl, RecoversPlantedWeightsAndEffect) {
  // treated = 0.3 d1 + 0.7 d2 before 2010, + 1 from 2010; d3, d4 are poor matches
  dynamics::PanelData p;
  p.unit_names = {"treated", "d1", "d2", "d3", "d4"};
  for (int t = 2000; t < 2015; ++t) p.periods.push_back(t);
  const std::size_t T = p.periods.size();
  p.y.resize(5 * T);
  for (std::size_t t = 0; t < T; ++t) {
    const double x = static_cast<double>(t);
    p.y[1 * T + t] = 1 + 0.2 * x + 0.3 * std::sin(x);
    p.y[2 * T + t] = 2 + 0.1 * x - 0.2 * std::cos(1.3 * x);
    p.y[3 * T + t] = 5 - 0.1 * x;
    p.y[4 * T + t] = 0.5 * x * x / 10;
    p.y[0 * T + t] = 0.3 * p.y[1 * T + t] + 0.7 * p.y[2 * T + t] + (p.periods[t] >= 2010 ? 1.0 : 0.0);
  }
  p.cohort.assign(5, 0);
  const auto r = dynamics::synthetic_control(p, 0, 2010);
  ASSERT_EQ(r.weights.size(), 4u);
  EXPECT_NEAR(r.weights[0], 0.3, 1e-6);
  EXPECT_NEAR(r.weights[1], 0.7, 1e-6);
  EXPECT_NEAR(r.att, 1.0, 1e-5);
  EXPECT_LT(r.pre_rmspe, 1e-6);
  EXPECT_EQ(r.placebos.size(), 5u);
  EXPECT_NEAR(r.placebo_p, 1.0 / 5, 1e-12);  // the treated unit has the largest post/pre ratio
}

TEST(SynthControl, SimplexLeastSquaresSatisfiesKkt) {
  // random problem: at the optimum the gradient g = 2A'(Aw − b) equals a common λ on the support
  // and is ≥ λ off it (Karush–Kuhn–Tucker conditions of min f on the simplex)
  const std::size_t m = 12, J = 30;
  std::vector<double> A(m * J), b(m);
  std::uint64_t s = 12345;
  auto u = [&] { s = s * 6364136223846793005ULL + 1442695040888963407ULL; return static_cast<double>(s >> 11) * 0x1.0p-53; };
  for (auto& a : A) a = u();
  for (auto& x : b) x = 0.5 + 0.3 * u();
  int iters = 0;
  const auto w = dynamics::simplex_least_squares(A, m, J, b, 200000, 1e-15, &iters);
  double sum = 0;
  for (double x : w) {
    sum += x;
    EXPECT_GE(x, 0.0);
  }
  EXPECT_NEAR(sum, 1.0, 1e-12);
  std::vector<double> r(m, 0.0), g(J, 0.0);
  for (std::size_t j = 0; j < J; ++j)
    for (std::size_t i = 0; i < m; ++i) r[i] += A[j * m + i] * w[j];
  for (std::size_t i = 0; i < m; ++i) r[i] -= b[i];
  for (std::size_t j = 0; j < J; ++j)
    for (std::size_t i = 0; i < m; ++i) g[j] += 2 * A[j * m + i] * r[i];
  double lam = 1e300;
  for (std::size_t j = 0; j < J; ++j)
    if (w[j] > 1e-9) lam = std::min(lam, g[j]);
  for (std::size_t j = 0; j < J; ++j) {
    if (w[j] > 1e-9) EXPECT_NEAR(g[j], lam, 1e-6) << j;
    else EXPECT_GE(g[j], lam - 1e-6) << j;
  }
}

TEST(SynthControl, MatchesAnIndependentSolver) {
  // scipy's SLSQP on the same problem (tests/reference/dynamics/synth_reference.py): the
  // weights agree to the two optimisers' tolerances (documented in docs/methods/dynamics.md)
  const auto r = run_op("evaluate synth", {{"panel", ref_dir + "synth_panel.csv"}, {"unit", "unit"}, {"time", "year"},
                                        {"outcome", "y"}, {"treated", "treated"}, {"treatment-time", "2010"}});
  const auto& w = table(r, "weights");
  const auto ref = read_rows(ref_dir + "synth_weights.csv");
  ASSERT_EQ(w.rows(), ref.size());
  for (std::size_t j = 0; j < ref.size(); ++j) {
    EXPECT_EQ(std::get<data::TextColumn>(w.at("unit").values)[j], ref[j][0]);
    EXPECT_NEAR(real_at(w, "weight", j), std::stod(ref[j][1]), 1e-5) << ref[j][0];
  }
  const auto s = nlohmann::json::parse(r.summary_json);
  EXPECT_NEAR(s["att"].get<double>(), 1.968339374086355, 1e-5);  // planted +2, fitted with noise
  EXPECT_LT(s["placebo_p"].get<double>(), 0.1);                   // 1 of 13 units: the treated one
}

// California's Proposition 99 (Abadie, Diamond & Hainmueller 2010), the example of Arkhangelsky
// et al. (2021, Table 1: DID −27.3 (17.7), SC −19.6 (9.9), SDID −15.6 (8.4)), against the R
// package synthdid 0.0.9 (tests/reference/dynamics/prop99_reference.R → prop99_reference.csv,
// prop99_weights.csv). Tolerances reflect the optimisers: synthdid's Frank–Wolfe stops early
// (min.decrease 1e-5 σ) where ours converges, and the placebo draws use other random numbers.
TEST(SynthControl, Prop99MatchesSynthdidAndThePublishedTable) {
  const std::string panel = ref_dir + "california_prop99.csv";
  std::map<std::string, std::pair<double, double>> ref;
  for (const auto& row : read_rows(ref_dir + "prop99_reference.csv")) ref[row[0]] = {std::stod(row[1]), std::stod(row[2])};
  core::ParamMap m{{"panel", panel}, {"unit", "state"}, {"time", "year"}, {"outcome", "packs_per_capita"},
                   {"treated", "California"}, {"treatment-time", "1989"}};
  // synthetic DiD: the estimate to 10⁻⁴ relative, the placebo standard error to 10 %
  m["method"] = "sdid";
  const auto sd = nlohmann::json::parse(run_op("evaluate synth", m).summary_json);
  EXPECT_NEAR(sd["att"].get<double>(), ref["sdid"].first, 2e-3);
  EXPECT_NEAR(sd["std_error"].get<double>() / ref["sdid"].second, 1.0, 0.1);
  EXPECT_NEAR(sd["att"].get<double>(), -15.6, 0.05);  // the published table
  // synthetic control: our optimum fits the pre-treatment years better than synthdid's stopped
  // Frank–Wolfe weights, and the estimates agree to the difference that makes
  m.erase("method");
  const auto sc = run_op("evaluate synth", m);
  const auto s = nlohmann::json::parse(sc.summary_json);
  std::map<std::string, double> w_ref;
  for (const auto& row : read_rows(ref_dir + "prop99_weights.csv"))
    if (row[0] == "sc" && row[1] == "unit") w_ref[row[2]] = std::stod(row[3]);
  std::map<std::pair<std::string, std::int64_t>, double> y;
  for (const auto& row : read_rows(panel)) y[{row[0], std::stoll(row[1])}] = std::stod(row[2]);
  double sse_ref = 0;
  for (std::int64_t t = 1970; t < 1989; ++t) {
    double syn = 0;
    for (const auto& [state, w] : w_ref) syn += w * y.at({state, t});
    sse_ref += std::pow(y.at({"California", t}) - syn, 2);
  }
  const double sse = std::pow(s["pre_rmspe"].get<double>(), 2) * 19;
  EXPECT_LT(sse, sse_ref);
  EXPECT_GT(sse, 0.95 * sse_ref);  // the same optimum up to the stopping rule
  EXPECT_NEAR(s["att"].get<double>(), ref["sc"].first, 0.15);
  EXPECT_NEAR(s["att"].get<double>(), -19.6, 0.15);
  const auto& w = table(sc, "weights");
  for (std::size_t j = 0; j < w.rows(); ++j)
    EXPECT_NEAR(real_at(w, "weight", j), w_ref.at(std::get<data::TextColumn>(w.at("unit").values)[j]), 0.01);
  // plain DiD = the two-way fixed effects coefficient with one treated unit: exact
  TempDir dir;
  std::string csv = "state,year,packs,cohort\n";
  for (const auto& [k, v] : y) csv += k.first + "," + std::to_string(k.second) + "," + fmt_double(v) + "," + (k.first == "California" ? "1989" : "0") + "\n";
  const auto did = nlohmann::json::parse(run_op("evaluate did", {{"panel", dir.write("prop99.csv", csv)}, {"unit", "state"},
                                                              {"time", "year"}, {"outcome", "packs"}, {"cohort", "cohort"},
                                                              {"bootstrap", "0"}}).summary_json);
  EXPECT_NEAR(did["twfe"].get<double>(), ref["did"].first, 1e-8);
}

TEST(SynthDid, RecoversPlantedEffectAndAcceptsTheNull) {
  // 60 units × 20 periods with unit effects, common shocks and unit-specific loadings on a
  // factor; units 0–4 treated from period 15 with effect `effect`
  for (double effect : {1.0, 0.0}) {
    dynamics::PanelData p;
    const std::size_t n = 60, T = 20;
    core::Stream rng(41, core::stream_id("sdid test"));
    std::vector<double> f(T), shock(T);
    for (std::size_t t = 0; t < T; ++t) f[t] = std::sin(0.4 * static_cast<double>(t)), shock[t] = rng.normal(0, 0.3);
    for (std::size_t i = 0; i < n; ++i) {
      p.unit_names.push_back("u" + std::to_string(i));
      const double a = rng.normal(), load = rng.uniform(0.5, 1.5) + (i < 5 ? 0.3 : 0.0);
      for (std::size_t t = 0; t < T; ++t)
        p.y.push_back(a + shock[t] + load * f[t] + rng.normal(0, 0.2) + (i < 5 && t >= 15 ? effect : 0.0));
    }
    for (std::size_t t = 0; t < T; ++t) p.periods.push_back(2000 + static_cast<std::int64_t>(t));
    p.cohort.assign(n, 0);
    const auto r = dynamics::synthetic_did(p, {0, 1, 2, 3, 4}, 2015, 200, 7);
    EXPECT_GT(r.std_error, 0.0);
    EXPECT_LT(std::fabs(r.att - effect), 2.5 * r.std_error) << "effect " << effect << " att " << r.att << " se " << r.std_error;
    double sw = 0, st = 0;
    for (double w : r.unit_weights) sw += w;
    for (double w : r.time_weights) st += w;
    EXPECT_NEAR(sw, 1.0, 1e-9);
    EXPECT_NEAR(st, 1.0, 1e-9);
    if (effect > 0) {
      EXPECT_GT(r.att, 4 * r.std_error);  // and the effect is detected
    }
  }
}

TEST(Did, GoodmanBaconDecompositionAddsUpToTwfe) {
  // Σ s = 1 and Σ s β = the TWFE coefficient, exactly (Goodman-Bacon 2021, Theorem 1): on the
  // synthetic programme (3 cohorts + never treated) and on mpdta
  dynamics::ProgrammeSpec spec;
  spec.units = 400;
  const auto prog = dynamics::synthetic_programme(spec, 2);
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<dynamics::BaconTerm> terms;
    double twfe = 0;
    if (pass == 0) {
      terms = dynamics::bacon_decomposition(prog.panel);
      twfe = dynamics::twfe_coefficient(prog.panel);
      EXPECT_EQ(terms.size(), 3u + 2u * 3u);  // 3 vs never, 3 pairs × 2 directions
    } else {
      const auto r = run_op("evaluate did", mpdta());
      const auto& b = table(r, "bacon");
      for (std::size_t i = 0; i < b.rows(); ++i)
        terms.push_back({std::get<data::TextColumn>(b.at("type").values)[i], int_at(b, "treated", i), int_at(b, "control", i),
                         real_at(b, "estimate", i), real_at(b, "weight", i)});
      twfe = nlohmann::json::parse(r.summary_json)["twfe"].get<double>();
    }
    double sw = 0, swb = 0, later = 0;
    for (const auto& t : terms) {
      EXPECT_GE(t.weight, 0.0);
      sw += t.weight, swb += t.weight * t.estimate;
      if (t.type == "later_vs_earlier") later += t.weight;
    }
    EXPECT_NEAR(sw, 1.0, 1e-12) << pass;
    EXPECT_NEAR(swb, twfe, 1e-12) << pass;
    EXPECT_GT(later, 0.0);
  }
  // in the programme, the forbidden comparisons (already-treated controls) are what drag TWFE down
  const auto terms = dynamics::bacon_decomposition(prog.panel);
  double clean = 0, wc = 0;
  for (const auto& t : terms)
    if (t.type == "treated_vs_never") clean += t.weight * t.estimate, wc += t.weight;
  EXPECT_GT(clean / wc, dynamics::twfe_coefficient(prog.panel));
}
