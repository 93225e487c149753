// Canonical models reproduce their analytical values (issue 8, "Done means" 1): exact values
// to the printed digits, simulations within a tolerance derived from the standard error of a
// fixed number of seeded replicates.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/simulate/arthur.hpp"
#include "agglo/simulate/arthur_location.hpp"
#include "agglo/simulate/brenner.hpp"
#include "agglo/simulate/experiment.hpp"
#include "agglo/simulate/granovetter.hpp"
#include "agglo/simulate/krugman.hpp"
#include "agglo/simulate/model.hpp"
#include "agglo/simulate/polya.hpp"
#include "agglo/simulate/roots.hpp"

namespace agglo::simulate {
namespace {

Params params(const std::string& model, std::vector<std::string> a = {}) {
  return resolve_params(find_model(model), a);
}

// Mean and standard error of a metric over R seeded replicates.
std::pair<double, double> mean_se(const std::string& model, const Params& p, const std::string& metric,
                                  int R, std::int64_t steps = 0) {
  const auto& m = find_model(model);
  double s = 0, s2 = 0;
  for (int r = 0; r < R; ++r) {
    RunConfig c;
    c.seed = 7;
    c.replicate = static_cast<std::uint64_t>(r);
    c.steps = steps;
    c.record_steps = false;
    const double v = m.run(p, c).metric(metric);
    s += v;
    s2 += v * v;
  }
  const double mean = s / R;
  return {mean, std::sqrt(std::max(0.0, s2 / R - mean * mean) / (R - 1))};
}

TEST(SimulateKrugman, BreakAndSustainPointsForSigma5Mu04) {
  const auto a = find_model("krugman").analytic(params("krugman", {"sigma=5,mu=0.4"}));
  EXPECT_NEAR(a.at("break_point")[0], 1.626577, 5e-7);
  EXPECT_NEAR(a.at("sustain_point")[0], 1.807313, 5e-7);
  // The numerical derivation agrees with FKV's closed form (5.26) far beyond the printed digits.
  EXPECT_NEAR(krugman::break_point(5, 0.4), krugman::break_point_closed_form(5, 0.4), 1e-8);
  // Sustain point: the periphery real wage equals the core's; just inside, the core is better.
  const auto in = krugman::equilibrium(1.0, 1.80, 5, 0.4);
  EXPECT_LT(in.omega2, in.omega1);
  // Other parameters: the band stays ordered T_b < T_s.
  EXPECT_LT(krugman::break_point(4, 0.3), krugman::sustain_point(4, 0.3));
}

TEST(SimulateKrugman, SymmetricEquilibriumHasEqualWagesAndBlackHoleIsRejected) {
  const auto e = krugman::equilibrium(0.5, 1.7, 5, 0.4);
  EXPECT_NEAR(e.omega1, e.omega2, 1e-14);
  EXPECT_NEAR(e.w1, 1.0, 1e-12);  // at λ = ½, w = 1 solves FKV 5.3
  EXPECT_THROW(params("krugman", {"sigma=2,mu=0.6"}), Error);
}

TEST(SimulateKrugman, HysteresisSweepTipsAtTheSustainPointUpAndTheBreakPointDown) {
  // The README sweep T = 1.5..2.0 (26 values, spacing 0.02) with the default run length: the
  // tip going up lies in the sweep interval containing T_s = 1.807313, the tip coming down in
  // the one containing T_b = 1.626577, and the band between them is reported.
  const auto& m = find_model("krugman");
  const auto p = params("krugman", {"sigma=5,mu=0.4"});
  for (int R : {1, 3}) {
    SCOPED_TRACE(R);
    ExperimentConfig cfg;
    cfg.seed = 3;
    cfg.replicates = R;
    cfg.hysteresis = true;
    const auto ex = run_experiment(m, p, parse_sweep(m, "T=1.5:2.0:26"), cfg);
    ASSERT_EQ(ex.tipping.size(), 2u);
    const auto &up = ex.tipping[0], &down = ex.tipping[1];
    ASSERT_TRUE(up.found) << up.reason;
    ASSERT_TRUE(down.found) << down.reason;
    EXPECT_EQ(up.tested, R > 1);
    EXPECT_LE(up.interval_lo, 1.807313);
    EXPECT_GE(up.interval_hi, 1.807313);
    EXPECT_NEAR(up.interval_hi - up.interval_lo, 0.02, 1e-9);
    EXPECT_LE(down.interval_lo, 1.626577);
    EXPECT_GE(down.interval_hi, 1.626577);
    EXPECT_NEAR(up.jump, -0.5, 1e-6);   // the core (λ_max = 1) gives way to the symmetric state
    EXPECT_NEAR(down.jump, 0.5, 1e-6);  // and re-forms below the break point
    ASSERT_EQ(ex.hysteresis.verdict, "band") << ex.hysteresis.reason;
    EXPECT_LT(ex.hysteresis.lo, ex.hysteresis.hi);
  }
  const auto refs = m.reference_tips(p, "T", 1.5, 2.0, true);
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].name, "sustain_point");
  EXPECT_EQ(refs[1].name, "break_point");
  // Without continuation every run starts from λ0 = ½: the plain sweep tips at the break point.
  const auto plain_refs = m.reference_tips(p, "T", 1.4, 2.1, false);
  ASSERT_EQ(plain_refs.size(), 2u);
  EXPECT_EQ(plain_refs[0].name, "break_point");
  ExperimentConfig cfg;
  cfg.seed = 3;
  cfg.replicates = 2;
  const auto plain = run_experiment(m, p, parse_sweep(m, "T=1.4:2.1:36"), cfg);
  ASSERT_TRUE(plain.tipping[0].found) << plain.tipping[0].reason;
  EXPECT_LE(plain.tipping[0].interval_lo, 1.626577);
  EXPECT_GE(plain.tipping[0].interval_hi, 1.626577);
}

TEST(SimulateKrugman, FiniteTimeTipsConvergeToTheAnalyticPoints) {
  // The documented tolerance: with the default run (12,000 Euler steps of dt = 0.5 = 6,000
  // time units, kick ε = 0.001, γ = 2) the finite-time tips — the smallest T at which a core
  // collapses (λ_max < 0.75 at the end) and the largest T at which the symmetric state breaks
  // — lie within 0.005 of the sustain and break points. Bisection on T over single runs.
  const auto& m = find_model("krugman");
  const double Ts = krugman::sustain_point(5, 0.4), Tb = krugman::break_point(5, 0.4);
  for (std::uint64_t rep : {0u, 1u}) {
    auto end_lambda_max = [&](double T, double l0) {
      auto p = params("krugman", {"sigma=5,mu=0.4"});
      p["T"] = T;
      p["lambda0"] = l0;
      RunConfig c;
      c.seed = 1;
      c.replicate = rep;
      c.record_steps = false;
      return m.run(p, c).metric("lambda_max");
    };
    const double up = bisect([&](double T) { return end_lambda_max(T, 1.0) < 0.75 ? 1.0 : -1.0; }, Ts - 0.02, Ts + 0.05, 1e-5);
    const double down = bisect([&](double T) { return end_lambda_max(T, 0.5) > 0.75 ? 1.0 : -1.0; }, Tb - 0.05, Tb + 0.02, 1e-5);
    RecordProperty("finite_time_up_minus_Ts", std::to_string(up - Ts));
    RecordProperty("finite_time_down_minus_Tb", std::to_string(down - Tb));
    EXPECT_NEAR(up, Ts, 0.005) << "replicate " << rep;
    EXPECT_NEAR(down, Tb, 0.005) << "replicate " << rep;
    // A shorter run lags further: finite time, not the model, sets the gap.
    auto short_run = [&](double T, double l0) {
      auto p = params("krugman", {"sigma=5,mu=0.4"});
      p["T"] = T;
      p["lambda0"] = l0;
      RunConfig c;
      c.seed = 1;
      c.replicate = rep;
      c.steps = 1000;
      c.record_steps = false;
      return m.run(p, c).metric("lambda_max");
    };
    const double up_short = bisect([&](double T) { return short_run(T, 1.0) < 0.75 ? 1.0 : -1.0; }, Ts - 0.02, Ts + 0.2, 1e-5);
    EXPECT_GT(up_short - Ts, up - Ts);
  }
}

TEST(SimulateBrenner, FixedPointsCriticalMassAndSaddleNode) {
  const auto a = find_model("brenner").analytic(params("brenner", {"alpha=1.5,gamma=60,h=30,delta=1"}));
  const auto& fp = a.at("fixed_points");
  ASSERT_EQ(fp.size(), 3u);
  EXPECT_NEAR(fp[0], 1.689748, 5e-7);
  EXPECT_NEAR(fp[1], 20.138816, 5e-7);
  EXPECT_NEAR(fp[2], 39.671436, 5e-7);
  EXPECT_EQ(a.at("fixed_point_stable"), (std::vector<double>{1, 0, 1}));
  EXPECT_NEAR(a.at("saddle_node_alpha")[0], 4.046535, 5e-7);
  // Above the saddle node only the cluster state is left.
  const auto above = find_model("brenner").analytic(params("brenner", {"alpha=4.05"}));
  EXPECT_EQ(above.at("fixed_points").size(), 1u);
  EXPECT_GT(above.at("fixed_points")[0], 30.0);
}

TEST(SimulateBrenner, MeanFieldConvergesToTheFixedPointOnEitherSideOfTheCriticalMass) {
  const auto& m = find_model("brenner");
  RunConfig c;
  c.steps = 4000;
  c.record_steps = false;
  auto p = params("brenner", {"stochastic=0,n0=20.0"});
  EXPECT_NEAR(m.run(p, c).metric("n_final"), 1.689748, 1e-5);
  p["n0"] = 20.3;
  EXPECT_NEAR(m.run(p, c).metric("n_final"), 39.671436, 1e-5);
}

TEST(SimulateBrenner, ChainReachesTheClusterWithTheGamblersRuinProbability) {
  // Embedded jump chain from n0 = 15 until it hits 2 (no cluster) or 39 (cluster).
  const brenner::Rates r{1.5, 60, 30, 1};
  const double exact = brenner::splitting_probability(r, 2, 15, 39);
  core::Stream rng(11, core::stream_id("test brenner splitting"), 0);
  const int R = 4000;
  int hits = 0;
  for (int k = 0; k < R; ++k) {
    int n = 15;
    while (n > 2 && n < 39) n += rng.uniform() * (r.birth(n) + r.death(n)) < r.birth(n) ? 1 : -1;
    hits += n >= 39;
  }
  const double se = std::sqrt(exact * (1 - exact) / R);
  EXPECT_GT(exact, 0.05);
  EXPECT_LT(exact, 0.95);
  EXPECT_NEAR(static_cast<double>(hits) / R, exact, 4 * se);
}

TEST(SimulateArthur, LockInProbabilityAndExpectedTime) {
  const auto p = params("arthur", {"a=3,b=7"});
  const auto a = find_model("arthur").analytic(p);
  EXPECT_DOUBLE_EQ(a.at("lock_in_probability")[0], 0.3);
  EXPECT_DOUBLE_EQ(a.at("expected_lock_in_time")[0], 21.0);
  const int R = 6000;
  const auto [pa, pse] = mean_se("arthur", p, "locked_A", R);
  EXPECT_NEAR(pa, 0.3, 4 * std::sqrt(0.3 * 0.7 / R));
  const auto [t, tse] = mean_se("arthur", p, "lock_in_time", R);
  EXPECT_NEAR(t, 21.0, 4 * tse);
  // Biased arrivals: the gambler's-ruin formulas for p ≠ ½.
  const auto pb = params("arthur", {"a=4,b=4,p=0.6"});
  const double exact = arthur::lock_in_probability(4, 4, 0.6);
  EXPECT_NEAR(exact, 1 / (1 + std::pow(2.0 / 3.0, 4)), 1e-12);  // symmetric barriers: 1/(1+ρ^a)
  const auto [pb_hat, pb_se] = mean_se("arthur", pb, "locked_A", R);
  EXPECT_NEAR(pb_hat, exact, 4 * std::sqrt(exact * (1 - exact) / R));
  const auto [tb, tb_se] = mean_se("arthur", pb, "lock_in_time", R);
  EXPECT_NEAR(tb, arthur::expected_lock_in_time(4, 4, 0.6), 4 * tb_se);
}

TEST(SimulateArthurLocation, UnboundedBenefitsLockInBoundedOnesDoNot) {
  const auto p = params("arthur-location", {"delta=1,g=0.3"});
  const auto a = find_model("arthur-location").analytic(p);
  EXPECT_EQ(a.at("lock_in_lead")[0], 4.0);
  EXPECT_EQ(a.at("expected_lock_in_time")[0], 16.0);
  const int R = 3000;
  const auto [locked, lse] = mean_se("arthur-location", p, "locked", R, 2000);
  EXPECT_EQ(locked, 1.0);  // monopoly with probability one
  const auto [t, tse] = mean_se("arthur-location", p, "lock_in_time", R, 2000);
  EXPECT_NEAR(t, 16.0, 4 * tse);
  const auto [w, wse] = mean_se("arthur-location", p, "region0_wins", R, 2000);
  EXPECT_NEAR(w, 0.5, 4 * std::sqrt(0.25 / R));
  // Bounded benefits with g·cap ≤ Δ: never a monopoly; both regions keep about half.
  const auto pb = params("arthur-location", {"delta=1,g=0.3,cap=3"});
  EXPECT_EQ(find_model("arthur-location").analytic(pb).at("lock_in_possible")[0], 0.0);
  const auto [lb, lbse] = mean_se("arthur-location", pb, "locked", 200, 2000);
  EXPECT_EQ(lb, 0.0);
  const auto [sh, shse] = mean_se("arthur-location", pb, "share_largest", 200, 2000);
  EXPECT_LT(sh, 0.55);
}

TEST(SimulatePolya, RedDrawsFollowTheBetaBinomialLaw) {
  const int n = 20, R = 20000;
  const double a = 2, b = 3;
  const auto pmf = polya::beta_binomial_pmf(n, a, b);
  EXPECT_NEAR(std::accumulate(pmf.begin(), pmf.end(), 0.0), 1.0, 1e-12);
  // Beta-binomial(1, a, b) is Bernoulli(a/(a+b)).
  EXPECT_NEAR(polya::beta_binomial_pmf(1, a, b)[1], 0.4, 1e-14);
  const auto& m = find_model("polya");
  const auto p = params("polya", {"a=2,b=3"});
  std::vector<int> counts(n + 1, 0);
  for (int r = 0; r < R; ++r) {
    RunConfig c;
    c.seed = 5;
    c.replicate = static_cast<std::uint64_t>(r);
    c.steps = n;
    c.record_steps = false;
    ++counts[static_cast<int>(m.run(p, c).metric("red_draws"))];
  }
  // Pearson χ² with 20 degrees of freedom; the 0.999 quantile is 45.31.
  double chi2 = 0;
  for (int k = 0; k <= n; ++k) {
    const double e = R * pmf[k];
    chi2 += (counts[k] - e) * (counts[k] - e) / e;
  }
  EXPECT_LT(chi2, 45.31);
  const auto an = m.analytic(p);
  EXPECT_DOUBLE_EQ(an.at("limit_share_mean")[0], 0.4);
  EXPECT_DOUBLE_EQ(an.at("limit_share_variance")[0], 6.0 / (25.0 * 6.0));
}

TEST(SimulateGranovetter, LadderCascadesAndOneShiftedThresholdStopsIt) {
  const auto& m = find_model("granovetter");
  RunConfig c;
  c.record_steps = false;
  EXPECT_EQ(m.run(params("granovetter", {"uniform=1"}), c).metric("participants"), 100.0);
  EXPECT_EQ(m.run(params("granovetter", {"uniform=1,shift=1"}), c).metric("participants"), 1.0);
  EXPECT_EQ(m.analytic(params("granovetter", {"uniform=1,shift=1"})).at("equilibrium")[0], 1.0);
}

TEST(SimulateGranovetter, NormalThresholdsReachTheMeanFieldEquilibrium) {
  // N Φ((r − mean)/sd) = r, in a large crowd (N = 200,000; mean = N/4).
  const auto& m = find_model("granovetter");
  for (const double sdf : {0.08, 0.2}) {
    const auto p = params("granovetter", {"N=200000,mean=50000,sd=" + std::to_string(sdf * 200000)});
    const double eq = m.analytic(p).at("equilibrium")[0];
    const double crit = m.analytic(p).at("critical_sd")[0];
    const auto [hat, se] = mean_se("granovetter", p, "participants", 6);
    // Far from the tangency the fluctuations are O(√N): tolerance 0.5 % of N.
    EXPECT_NEAR(hat, eq, 1000.0) << "sd/N=" << sdf;
    EXPECT_EQ(eq > 100000, sdf * 200000 > crit);
  }
  // Granovetter's tipping: the critical sd separates a small from a near-complete outcome.
  const double cs = granovetter::critical_sd(100, 25, 0.1, 100);
  EXPECT_LT(granovetter::normal_equilibrium(100, 25, cs - 0.05), 50);
  EXPECT_GT(granovetter::normal_equilibrium(100, 25, cs + 0.05), 50);
}

TEST(SimulateSchelling, SmallDeclarationStartsAtRandomSimilarityAndSegregates) {
  const auto& m = find_model("schelling");
  const auto p = params("schelling");
  const double random_sim = m.analytic(p).at("random_similarity")[0];
  EXPECT_NEAR(random_sim, 499.0 / 999.0, 1e-15);
  const int R = 30;
  const auto [s0, se0] = mean_se("schelling", p, "initial_similarity", R, 200);
  EXPECT_NEAR(s0, random_sim, 4 * se0 + 0.005);
  const auto [s1, se1] = mean_se("schelling", p, "similarity", R, 200);
  EXPECT_GT(s1, 0.70);  // segregation from mild preferences (3 of 8)
  const auto [h, hse] = mean_se("schelling", p, "all_happy", R, 200);
  EXPECT_EQ(h, 1.0);
}

TEST(SimulateSchelling, LargeDeclarationRuns) {
  const auto& m = find_model("schelling");
  const auto p = params("schelling", {"width=100,height=100,agents=8000,min_happy=8,radius=2"});
  RunConfig c;
  c.seed = 1;
  c.steps = 20;
  c.record_steps = true;
  const auto r = m.run(p, c);
  EXPECT_LE(r.steps.rows(), 21u);  // stops early once everyone is happy
  EXPECT_GE(r.steps.rows(), 3u);
  EXPECT_GT(r.metric("similarity"), r.metric("initial_similarity") + 0.1);
  EXPECT_THROW(params("schelling", {"width=10,height=10,agents=100"}), Error);
}

TEST(SimulatePercolation, GiantClusterAppearsNearMeanDegree451) {
  const auto& m = find_model("percolation");
  auto p = params("percolation", {"n=20000"});
  EXPECT_NEAR(m.analytic(p).at("reference_critical_mean_degree")[0], 4.512, 0.001);
  ExperimentConfig cfg;
  cfg.seed = 9;
  cfg.replicates = 24;
  const auto ex = run_experiment(m, p, parse_sweep(m, "k=3.5:5.5:9"), cfg);
  ASSERT_TRUE(ex.tipping[0].crosses);
  // Crossing probability ½ at k_c for a large square; finite size (n = 20,000) and 24 runs per
  // point leave about ±0.3.
  EXPECT_NEAR(ex.tipping[0].crossing, 4.512, 0.35);
  // The giant component: small well below, most firms well above.
  RunConfig c;
  c.seed = 2;
  c.record_steps = false;
  p["k"] = 2.0;
  EXPECT_LT(m.run(p, c).metric("giant_fraction"), 0.05);
  p["k"] = 8.0;
  EXPECT_GT(m.run(p, c).metric("giant_fraction"), 0.9);
}

TEST(SimulateModels, BadParametersNameTheValidOnes) {
  try {
    find_model("lotka");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("krugman"), std::string::npos);
  }
  try {
    params("krugman", {"tau=2"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("sigma"), std::string::npos);
  }
  EXPECT_THROW(params("krugman", {"T=0.5"}), Error);
  EXPECT_THROW(params("arthur", {"a=2.5"}), Error);
  EXPECT_THROW(parse_sweep(find_model("brenner"), "alpha=0:5:0"), Error);
  EXPECT_THROW(parse_sweep(find_model("brenner"), "alpha=0:5"), Error);
  EXPECT_THROW(parse_sweep(find_model("brenner"), "beta=0:5:3"), Error);
}

}  // namespace
}  // namespace agglo::simulate
