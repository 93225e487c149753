// Survival: the Cox model against R's survival::coxph on the lung data (Efron and Breslow
// ties, robust and clustered errors, strata, counting-process spells), Harrell's concordance
// against a brute-force count, Kaplan–Meier by hand, planted effects recovered on synthetic
// spells, and the documented outcomes for all-censored data and a monotone likelihood.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "../support/temp_dir.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/stats/concordance.hpp"
#include "agglo/stats/cox.hpp"
#include "agglo/stats/kaplan_meier.hpp"

using namespace agglo;
using agglo::test_support::TempDir;

namespace {

const std::string ref_dir = std::string(AGGLO_TEST_DATA) + "/reference/dynamics/";

// rows of a reference CSV as maps column → text
std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string cell;
    while (std::getline(ss, cell, ',')) out.push_back(cell);
    return out;
  };
  const auto head = split(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(f, line)) {
    const auto cells = split(line);
    std::map<std::string, std::string> r;
    for (std::size_t j = 0; j < head.size() && j < cells.size(); ++j) r[head[j]] = cells[j];
    rows.push_back(r);
  }
  return rows;
}

api::Result run(const std::string& op, const core::ParamMap& p) {
  api::Context ctx;
  return api::Registry::global().find(op)->run(p, ctx);
}

const data::Table& table(const api::Result& r, const std::string& name) {
  for (const auto& [n, t] : r.tables)
    if (n == name) return t;
  throw std::runtime_error("no table " + name);
}
double real_at(const data::Table& t, const std::string& col, std::size_t i) {
  return std::get<data::RealColumn>(t.at(col).values)[i];
}

// Compares one R fit (file) with agglo's: coefficients and standard errors to 1e-6 relative,
// the log-likelihoods to 1e-8 relative, the concordance to 1e-9.
void expect_matches_r(const api::Result& r, const std::string& file, const std::string& se_col) {
  const auto ref = read_csv(ref_dir + file);
  const auto& t = table(r, "survival");
  ASSERT_EQ(t.rows(), ref.size());
  for (std::size_t j = 0; j < ref.size(); ++j) {
    const double b = std::stod(ref[j].at("estimate")), se = std::stod(ref[j].at(se_col));
    EXPECT_NEAR(real_at(t, "estimate", j), b, 1e-6 * std::fabs(b)) << file << " " << ref[j].at("term");
    EXPECT_NEAR(real_at(t, "std_error", j), se, 1e-6 * se) << file << " " << ref[j].at("term");
    EXPECT_NEAR(real_at(t, "hazard_ratio", j), std::exp(b), 1e-6 * std::exp(b));
  }
  const auto s = nlohmann::json::parse(r.summary_json);
  const double ll = std::stod(ref[0].at("log_likelihood")), ll0 = std::stod(ref[0].at("null_log_likelihood"));
  EXPECT_NEAR(s["log_likelihood"].get<double>(), ll, 1e-8 * std::fabs(ll)) << file;
  EXPECT_NEAR(s["null_log_likelihood"].get<double>(), ll0, 1e-8 * std::fabs(ll0)) << file;
  EXPECT_NEAR(s["concordance"].get<double>(), std::stod(ref[0].at("concordance")), 1e-9) << file;
  EXPECT_EQ(s["events"].get<std::size_t>(), std::stoul(ref[0].at("events")));
  EXPECT_TRUE(s["converged"].get<bool>());
}

}  // namespace

TEST(Survival, LungEfronMatchesPublishedValues) {
  const auto r = run("survival", {{"spells", ref_dir + "lung.csv"}, {"time", "time"}, {"event", "status"}, {"covariates", "age,sex"}});
  const auto& t = table(r, "survival");
  // the values of the issue (R survival 3.5-3): 0.01704533, −0.51321852, concordance 0.6029
  EXPECT_NEAR(real_at(t, "estimate", 0), 0.01704533, 5e-9);
  EXPECT_NEAR(real_at(t, "estimate", 1), -0.51321852, 5e-9);
  EXPECT_NEAR(nlohmann::json::parse(r.summary_json)["concordance"].get<double>(), 0.6029, 5e-5);
  expect_matches_r(r, "cox_lung_efron.csv", "std_error");
}

TEST(Survival, LungBreslowRobustClusterStrataMatchR) {
  const std::string lung = ref_dir + "lung.csv";
  expect_matches_r(run("survival", {{"spells", lung}, {"time", "time"}, {"event", "status"}, {"covariates", "age,sex"},
                                    {"ties", "breslow"}}),
                   "cox_lung_breslow.csv", "std_error");
  expect_matches_r(run("survival", {{"spells", lung}, {"time", "time"}, {"event", "status"}, {"covariates", "age,sex"},
                                    {"robust", "true"}}),
                   "cox_lung_robust.csv", "robust_std_error");
  expect_matches_r(run("survival", {{"spells", lung}, {"time", "time"}, {"event", "status"}, {"covariates", "age,sex"},
                                    {"cluster", "inst"}}),
                   "cox_lung_cluster_inst.csv", "robust_std_error");
  expect_matches_r(run("survival", {{"spells", lung}, {"time", "time"}, {"event", "status"}, {"covariates", "age,ph.ecog"},
                                    {"strata", "sex"}}),
                   "cox_lung_strata.csv", "std_error");
}

TEST(Survival, CountingProcessSplitGivesTheSameFit) {
  // every spell split at day 200 (R's survSplit): (start, stop] rows, the same partial likelihood
  const auto r = run("survival", {{"spells", ref_dir + "lung_split200.csv"}, {"start", "tstart"}, {"time", "time"},
                                  {"event", "event"}, {"covariates", "age,sex"}});
  const auto ref = read_csv(ref_dir + "cox_lung_split.csv");
  const auto& t = table(r, "survival");
  for (std::size_t j = 0; j < 2; ++j) {
    EXPECT_NEAR(real_at(t, "estimate", j), std::stod(ref[j].at("estimate")), 1e-8);
    EXPECT_NEAR(real_at(t, "std_error", j), std::stod(ref[j].at("std_error")), 1e-8);
  }
  EXPECT_NEAR(nlohmann::json::parse(r.summary_json)["log_likelihood"].get<double>(), std::stod(ref[0].at("log_likelihood")),
              1e-8);
}

TEST(Survival, ConcordanceEqualsBruteForce) {
  core::Stream rng(7, core::stream_id("concordance test"));
  const std::size_t n = 300;
  std::vector<double> time(n), risk(n);
  std::vector<std::uint8_t> event(n);
  std::vector<std::uint32_t> strata(n);
  for (std::size_t i = 0; i < n; ++i) {
    time[i] = std::floor(rng.uniform(0, 20));  // many tied times
    risk[i] = std::floor(rng.uniform(0, 8));   // many tied scores
    event[i] = rng.bernoulli(0.6);
    strata[i] = static_cast<std::uint32_t>(rng.below(3));
  }
  double conc = 0, disc = 0, tied = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j || strata[i] != strata[j] || !event[i]) continue;
      const bool comparable = time[i] < time[j] || (time[i] == time[j] && !event[j]);
      if (!comparable) continue;
      if (risk[i] > risk[j]) conc += 1;
      else if (risk[i] < risk[j]) disc += 1;
      else tied += 1;
    }
  const auto c = stats::harrell_concordance(time, event, risk, strata);
  EXPECT_EQ(c.concordant, conc);
  EXPECT_EQ(c.discordant, disc);
  EXPECT_EQ(c.tied_risk, tied);
  EXPECT_NEAR(c.value, (conc + tied / 2) / (conc + disc + tied), 1e-15);
}

TEST(Survival, KaplanMeierByHand) {
  // times 1 2+ 3 3 4+ 5: S(1) = 5/6, S(3) = 5/6 · (1 − 2/4) = 5/12, S(5) = 0
  const std::vector<double> stop{1, 2, 3, 3, 4, 5};
  const std::vector<std::uint8_t> ev{1, 0, 1, 1, 0, 1};
  const std::vector<std::uint32_t> g(6, 0);
  const auto km = stats::kaplan_meier({}, stop, ev, g, 1);
  ASSERT_EQ(km[0].rows.size(), 5u);
  EXPECT_NEAR(km[0].rows[0].survival, 5.0 / 6, 1e-15);
  EXPECT_EQ(km[0].rows[2].at_risk, 4);
  EXPECT_NEAR(km[0].rows[2].survival, 5.0 / 12, 1e-15);
  // Greenwood: S² (1/(6·5) + 2/(4·2))
  EXPECT_NEAR(km[0].rows[2].std_error, 5.0 / 12 * std::sqrt(1.0 / 30 + 2.0 / 8), 1e-15);
  EXPECT_EQ(km[0].rows[4].survival, 0);
  EXPECT_EQ(km[0].median, 3);
}

TEST(Survival, PlantedEffectsRecoveredWithinConfidenceIntervals) {
  // Exponential spells with hazard 0.1 · exp(0.5 x1 − 0.3 x2 + 0 x3), x1 ~ N(0,1), x2 ∈ {0,1},
  // x3 pure noise (true effect 0), independent uniform censoring; times rounded to whole
  // years so that Efron's tie handling is exercised.
  core::Stream rng(20240601, core::stream_id("planted survival"));
  const std::size_t n = 3000;
  stats::CoxData d;
  d.terms = {"x1", "x2", "x3"};
  d.x.assign(3, std::vector<double>(n));
  d.stop.resize(n);
  d.event.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    d.x[0][i] = rng.normal();
    d.x[1][i] = rng.bernoulli(0.4);
    d.x[2][i] = rng.normal();
    const double rate = 0.1 * std::exp(0.5 * d.x[0][i] - 0.3 * d.x[1][i]);
    const double t = rng.exponential(rate), c = rng.uniform(0, 30);
    d.stop[i] = std::ceil(std::min(t, c));
    d.event[i] = t <= c;
  }
  const auto fit = stats::fit_cox(d);
  ASSERT_TRUE(fit.converged);
  const double truth[3] = {0.5, -0.3, 0.0};
  for (int j = 0; j < 3; ++j) {
    EXPECT_LT(std::fabs(fit.estimate[j] - truth[j]), 1.96 * fit.std_error[j])
        << d.terms[j] << " " << fit.estimate[j] << " ± " << fit.std_error[j];
    EXPECT_LT(fit.std_error[j], 0.06);  // informative: the interval is narrow
  }
  // x3 is noise: not significant at 5 % (a test on data where the true answer is "none")
  EXPECT_GT(fit.p[2], 0.05);
}

TEST(Survival, AllCensoredIsAnInputError) {
  TempDir dir;
  const auto f = dir.write("spells.csv", "t,e,x\n1,0,0.5\n2,0,1\n3,0,2\n");
  try {
    run("survival", {{"spells", f}, {"time", "t"}, {"event", "e"}, {"covariates", "x"}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::input);
    EXPECT_NE(std::string(e.what()).find("censored"), std::string::npos) << e.what();
  }
}

TEST(Survival, MonotoneLikelihoodIsReported) {
  // x orders the events perfectly (the larger x, the earlier the exit): β → +∞
  TempDir dir;
  std::string csv = "t,e,x\n";
  for (int i = 1; i <= 20; ++i) csv += std::to_string(i) + ",1," + std::to_string(21 - i) + "\n";
  const auto r = run("survival", {{"spells", dir.write("s.csv", csv)}, {"time", "t"}, {"event", "e"}, {"covariates", "x"}});
  const auto s = nlohmann::json::parse(r.summary_json);
  ASSERT_EQ(s["infinite_terms"].size(), 1u);
  EXPECT_EQ(s["infinite_terms"][0], "x");
  EXPECT_FALSE(s["converged"].get<bool>());
  EXPECT_TRUE(std::isnan(real_at(table(r, "survival"), "std_error", 0)));
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings.back().find("monotone"), std::string::npos);
}

TEST(Survival, BadEventCodingNamesTheCell) {
  TempDir dir;
  const auto f = dir.write("spells.csv", "t,e,x\n1,1,0.5\n2,3,1\n");
  try {
    run("survival", {{"spells", f}, {"time", "t"}, {"event", "e"}, {"covariates", "x"}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::input);
    EXPECT_EQ(e.where().line, 3u);
    EXPECT_EQ(e.where().column_name, "e");
  }
}

TEST(Survival, KaplanMeierMatchesSurvfit) {
  // R: summary(survfit(Surv(time, status) ~ sex, lung), censored = TRUE) (cox_reference.R)
  const auto r = run("survival", {{"spells", ref_dir + "lung.csv"}, {"time", "time"}, {"event", "status"},
                                  {"covariates", "age"}, {"km-by", "sex"}});
  const auto& km = table(r, "km");
  std::map<std::pair<std::string, double>, std::size_t> row;
  const auto& g = std::get<data::TextColumn>(km.at("group").values);
  for (std::size_t i = 0; i < km.rows(); ++i) row[{g[i], real_at(km, "time", i)}] = i;
  const auto ref = read_csv(ref_dir + "km_lung_sex.csv");
  ASSERT_EQ(km.rows(), ref.size());
  for (const auto& x : ref) {
    const auto it = row.find({x.at("group"), std::stod(x.at("time"))});
    ASSERT_NE(it, row.end()) << x.at("group") << " " << x.at("time");
    const auto i = it->second;
    EXPECT_EQ(real_at(km, "at_risk", i), std::stod(x.at("at_risk")));
    EXPECT_EQ(real_at(km, "events", i), std::stod(x.at("events")));
    EXPECT_NEAR(real_at(km, "survival", i), std::stod(x.at("survival")), 1e-12);
    if (x.at("std_error") != "NaN" && x.at("std_error") != "NA") {
      EXPECT_NEAR(real_at(km, "std_error", i), std::stod(x.at("std_error")), 1e-12);
      EXPECT_NEAR(real_at(km, "ci_lower", i), std::stod(x.at("ci_lower")), 1e-12);
    }
  }
}
