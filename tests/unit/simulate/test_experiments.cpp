// Experiments: identical results with 1 and 2 threads, phase tables, tipping points.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <optional>

#include "agglo/simulate/experiment.hpp"
#include "agglo/simulate/model.hpp"

namespace agglo::simulate {
namespace {

ExperimentResult run_with_threads(int threads, const std::string& model, const std::vector<std::string>& a,
                                  const std::string& sweep, int R, bool hyst, std::int64_t steps = 0) {
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  const auto& m = find_model(model);
  ExperimentConfig cfg;
  cfg.seed = 42;
  cfg.replicates = R;
  cfg.hysteresis = hyst;
  cfg.steps = steps;
  std::optional<Sweep> s;
  if (!sweep.empty()) s = parse_sweep(m, sweep);
  return run_experiment(m, resolve_params(m, a), s, cfg);
}

void expect_same_table(const data::Table& a, const data::Table& b) {
  ASSERT_EQ(a.rows(), b.rows());
  ASSERT_EQ(a.cols(), b.cols());
  for (std::size_t c = 0; c < a.cols(); ++c)
    for (std::size_t r = 0; r < a.rows(); ++r) ASSERT_EQ(a.cell_text(r, c), b.cell_text(r, c)) << "col " << c << " row " << r;
}

TEST(SimulateThreads, OneAndTwoThreadsGiveIdenticalTables) {
  struct Case { std::string model; std::vector<std::string> a; std::string sweep; int R; bool hyst; std::int64_t steps; };
  const std::vector<Case> cases = {
      {"arthur", {}, "", 64, false, 0},
      {"brenner", {"stochastic=1"}, "alpha=1:5:5", 6, true, 400},
      {"schelling", {}, "min_happy=2:4:3", 3, false, 10},
      {"percolation", {"n=3000"}, "k=3:6:4", 4, false, 0},
      {"ecosystem", {"regions=4,n_other=30"}, "grant=0:4:3", 2, true, 40},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.model);
    const auto one = run_with_threads(1, c.model, c.a, c.sweep, c.R, c.hyst, c.steps);
    const auto two = run_with_threads(2, c.model, c.a, c.sweep, c.R, c.hyst, c.steps);
    expect_same_table(one.runs, two.runs);
    expect_same_table(one.phase, two.phase);
    expect_same_table(one.steps, two.steps);
    EXPECT_GT(one.runs.rows(), 0u);
  }
}

TEST(SimulateExperiment, PhaseTableAndConfidenceIntervals) {
  const auto ex = run_with_threads(2, "arthur", {"b=5"}, "a=1:9:5", 400, false);
  ASSERT_EQ(ex.phase.rows(), 5u);
  const auto& a = std::get<data::RealColumn>(ex.phase.at("a").values);
  const auto& mean = std::get<data::RealColumn>(ex.phase.at("mean").values);
  const auto& se = std::get<data::RealColumn>(ex.phase.at("se").values);
  const auto& lo = std::get<data::RealColumn>(ex.phase.at("ci_low").values);
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double exact = a[i] / (a[i] + 5);  // the lock-in probability a/(a+b)
    EXPECT_NEAR(mean[i], exact, 4 * std::sqrt(exact * (1 - exact) / 400)) << "a=" << a[i];
    EXPECT_NEAR(lo[i], mean[i] - 1.96 * se[i], 1e-12);
  }
  EXPECT_EQ(ex.runs.rows(), 5u * 400u);
}

TEST(SimulateExperiment, BrennerMeanFieldSweepFindsTheSaddleNodeAndIrreversibility) {
  // Up: the low state vanishes at α* = 4.046535; down: the cluster persists to α = 0 because
  // φ's local minimum is 0 (γ = 2h δ): no way back — full hysteresis.
  // One replicate of a deterministic ODE: the untested rule.
  const auto ex = run_with_threads(2, "brenner", {"stochastic=0"}, "alpha=0:8:41", 1, true, 6000);
  ASSERT_TRUE(ex.tipping[0].found) << ex.tipping[0].reason;
  EXPECT_FALSE(ex.tipping[0].tested);
  EXPECT_NEAR(ex.tipping[0].location, 4.046535, 0.2);
  EXPECT_LE(ex.tipping[0].interval_lo, 4.046535);
  EXPECT_GE(ex.tipping[0].interval_hi, 4.046535);
  EXPECT_FALSE(ex.tipping[1].found) << ex.tipping[1].reason;
  EXPECT_EQ(ex.hysteresis.verdict, "irreversible") << ex.hysteresis.reason;
}

}  // namespace
}  // namespace agglo::simulate
