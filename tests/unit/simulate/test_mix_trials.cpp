// Policy mixes tried out by simulation: the Wilson interval against published values, and the
// simulated shares' bookkeeping and independence from the thread count.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>

#include "agglo/simulate/ecosystem.hpp"
#include "agglo/simulate/mix_trials.hpp"

namespace agglo::simulate {
namespace {

TEST(SimulateMixTrials, WilsonIntervalMatchesTextbookValues) {
  // 9 of 10 at 95 %: [0.5958, 0.9821], the score interval written out by hand from the formula
  // in mix_trials.hpp; the Wald interval would be [0.714, 1.086], past 1.
  auto p = wilson_interval(9, 10);
  EXPECT_DOUBLE_EQ(p.share, 0.9);
  EXPECT_NEAR(p.low, 0.5958, 5e-5);
  EXPECT_NEAR(p.high, 0.9821, 5e-5);
  // All or none: the interval reaches exactly 1 (or 0) and has width z²/(n+z²) on the other side.
  p = wilson_interval(10, 10);
  EXPECT_EQ(p.high, 1.0);
  const double z2 = 1.959963984540054 * 1.959963984540054;
  EXPECT_NEAR(p.low, 10 / (10 + z2), 1e-12);  // 0.7225
  p = wilson_interval(0, 10);
  EXPECT_EQ(p.low, 0.0);
  EXPECT_NEAR(p.high, z2 / (10 + z2), 1e-12);  // 0.2775
  // Half of 100: symmetric about 0.5, [0.4038, 0.5962].
  p = wilson_interval(50, 100);
  EXPECT_NEAR(0.5 * (p.low + p.high), 0.5, 1e-12);
  EXPECT_NEAR(p.low, 0.4038, 5e-5);
  EXPECT_NEAR(p.high, 0.5962, 5e-5);
  EXPECT_TRUE(std::isnan(wilson_interval(0, 0).share));
}

TEST(SimulateMixTrials, SharesAreCountedPerMixAndIndependentOfThreads) {
  const auto base = resolve_params(find_model("ecosystem"), {});
  ExperimentConfig cfg;
  cfg.seed = 3;
  cfg.replicates = 6;
  cfg.steps = 60;
  data::Table one = ecosystem::rank_mixes(base), two = one;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    ASSERT_TRUE(simulate_mixes(one, base, cfg));
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    ASSERT_TRUE(simulate_mixes(two, base, cfg));
  }
  const auto& budget = std::get<data::RealColumn>(one.at("min_budget").values);
  const auto& reps = std::get<data::IntColumn>(one.at("replicates").values);
  const auto& reached = std::get<data::IntColumn>(one.at("reached").values);
  const auto& share = std::get<data::RealColumn>(one.at("share").values);
  const auto& lo = std::get<data::RealColumn>(one.at("share_low").values);
  const auto& hi = std::get<data::RealColumn>(one.at("share_high").values);
  ASSERT_EQ(share.size(), budget.size());
  for (std::size_t i = 0; i < share.size(); ++i) {
    if (!std::isfinite(budget[i])) {
      EXPECT_EQ(reps[i], 0);
      EXPECT_TRUE(std::isnan(share[i]));
      continue;
    }
    EXPECT_EQ(reps[i], 6);
    EXPECT_LE(reached[i], 6);
    EXPECT_DOUBLE_EQ(share[i], reached[i] / 6.0);
    EXPECT_LE(lo[i], share[i]);
    EXPECT_GE(hi[i], share[i]);
    const auto w = wilson_interval(reached[i], 6);
    EXPECT_DOUBLE_EQ(lo[i], w.low);
  }
  // 1 and 2 threads: the same table, cell for cell as the CSV writer prints it.
  ASSERT_EQ(one.cols(), two.cols());
  for (std::size_t c = 0; c < one.cols(); ++c)
    for (std::size_t i = 0; i < one.rows(); ++i) EXPECT_EQ(one.cell_text(i, c), two.cell_text(i, c)) << i << "," << c;
}

}  // namespace
}  // namespace agglo::simulate
