// The tipping-point detector and the hysteresis verdict (simulate/tipping.hpp) on data whose
// truth is known: noise where the true answer is "no tip" (false-positive rate over many seeds
// against the nominal level), planted jumps (found in the right sweep interval), up/down sweeps
// with and without a band. Welch's test and the Student t tail against R.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "../../../src/simulate/detail/welch.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/simulate/tipping.hpp"

namespace agglo::simulate {
namespace {

// A sweep direction over x = 0..n−1 (or reversed for "down") with outcome mean(x) + noise.
SweepSeries make_series(const std::string& dir, int n, int R, const std::function<double(double)>& mean, double sd,
                        std::uint64_t seed, const std::function<double(double, int)>& per_replicate = nullptr) {
  SweepSeries s;
  s.direction = dir;
  core::Stream rng(seed, core::stream_id("test tipping " + dir), 0);
  for (int k = 0; k < n; ++k) {
    const double x = dir == "up" ? k : n - 1 - k;
    s.control.push_back(x);
    std::vector<double> y(R);
    for (int r = 0; r < R; ++r) y[r] = (per_replicate ? per_replicate(x, r) : mean(x)) + sd * rng.normal();
    s.y.push_back(y);
  }
  return s;
}

// The range of the point means over the given directions (what run_experiment passes).
std::pair<double, double> range_of(std::initializer_list<const SweepSeries*> ss) {
  double lo = INFINITY, hi = -INFINITY;
  for (const auto* s : ss)
    for (const auto& y : s->y) {
      double m = 0;
      for (double v : y) m += v;
      m /= static_cast<double>(y.size());
      lo = std::min(lo, m);
      hi = std::max(hi, m);
    }
  return {lo, hi};
}

Tip detect(const SweepSeries& s, TipRule rule = {}) {
  const auto [lo, hi] = range_of({&s});
  return detect_tip(s, lo, hi, rule);
}

TEST(SimulateWelch, StudentTailAndWelchTestAgreeWithR) {
  // 2*pt(-|t|, df) and t.test(y, x) in R 4.x (values printed with 17 digits).
  struct Case { double t, df, p; };
  const Case cases[] = {{2, 3, 0.13932596855884313},     {-1.5, 7.3, 0.17556309280308605},
                        {0.3, 1, 0.81445284184451539},   {4.2, 2.5, 0.034964308725681348},
                        {10, 12, 3.5813236876723747e-07}, {2.5, 1000, 0.012578567801090797},
                        {6, 30, 1.3942768767204717e-06}};
  for (const auto& c : cases) EXPECT_NEAR(detail::student_t_two_sided(c.t, c.df), c.p, 1e-12 * (1 + c.p)) << c.t << " " << c.df;
  EXPECT_NEAR(detail::incomplete_beta(2.5, 0.5, 0.3), 0.018927124071945644, 1e-14);  // pbeta(0.3, 2.5, 0.5)
  // x = 1,2,3,4,5.5; y = 2,4.1,6,7,9,11: t.test(y, x) gives t = 2.2161190911382174,
  // df = 7.8749959050633782, p = 0.058049704389552835.
  auto mv = [](std::vector<double> v) {
    double m = 0, s2 = 0;
    for (double x : v) m += x;
    m /= v.size();
    for (double x : v) s2 += (x - m) * (x - m);
    return std::pair{m, s2 / (v.size() - 1)};
  };
  const auto [mx, vx] = mv({1, 2, 3, 4, 5.5});
  const auto [my, vy] = mv({2, 4.1, 6, 7, 9, 11});
  const auto w = detail::welch_test(mx, vx, 5, my, vy, 6);
  EXPECT_NEAR(w.t, 2.2161190911382174, 1e-12);
  EXPECT_NEAR(w.df, 7.8749959050633782, 1e-10);
  EXPECT_NEAR(w.p, 0.058049704389552835, 1e-12);
  // Deterministic samples: any difference is certain, none is none.
  EXPECT_EQ(detail::welch_test(1, 0, 4, 2, 0, 4).p, 0.0);
  EXPECT_EQ(detail::welch_test(1, 0, 4, 1, 0, 4).p, 1.0);
}

TEST(SimulateTipping, FlatMeanWithLargeNoiseHasNoTipAtTheNominalRate) {
  // Truth: no tip. 1,000 seeds, 21 sweep points, 8 replicates, sd 10 around a constant 50.
  // The family-wise level is 5 % per direction; Holm over dependent windows is conservative.
  int false_tips = 0;
  const int seeds = 1000;
  for (int k = 0; k < seeds; ++k) {
    const auto s = make_series("up", 21, 8, [](double) { return 50.0; }, 10.0, 1000 + k);
    const auto tip = detect(s);
    ASSERT_TRUE(tip.tested);
    false_tips += tip.found;
  }
  const double rate = static_cast<double>(false_tips) / seeds;
  RecordProperty("false_positive_rate_flat", std::to_string(rate));
  EXPECT_LE(rate, 0.05) << false_tips << " false tips in " << seeds;
}

TEST(SimulateTipping, SmoothlyRisingMeanIsNotATip) {
  // A straight ramp 0 → 100 over 21 points: with large noise (sd 30) at most the nominal rate
  // of false tips; with small noise (sd 1) every window is significant but no window of ≤ 5
  // steps (a quarter of the sweep) carries 30 % of the range (5/20 = 25 %), so never a tip.
  int false_tips = 0;
  const int seeds = 500;
  for (int k = 0; k < seeds; ++k) {
    const auto s = make_series("up", 21, 8, [](double x) { return 5.0 * x; }, 30.0, 5000 + k);
    false_tips += detect(s).found;
  }
  RecordProperty("false_positive_rate_ramp", std::to_string(static_cast<double>(false_tips) / seeds));
  EXPECT_LE(static_cast<double>(false_tips) / seeds, 0.05) << false_tips << " false tips in " << seeds;
  for (int k = 0; k < 50; ++k) {
    const auto s = make_series("up", 21, 8, [](double x) { return 5.0 * x; }, 1.0, 9000 + k);
    const auto tip = detect(s);
    EXPECT_FALSE(tip.found) << "seed " << k << ": " << tip.reason;
    // The largest change is real (the means do differ) but only 5 steps' worth of the ramp.
    EXPECT_LT(tip.effect, 0.3);
    EXPECT_GT(std::abs(tip.jump), 10.0);
  }
}

TEST(SimulateTipping, SharpPlantedJumpIsFoundInTheRightInterval) {
  // Mean 10 up to x = 12, 60 from x = 13; sd 2, 8 replicates: the jump lies in [12, 13].
  int right = 0;
  for (int k = 0; k < 200; ++k) {
    const auto s = make_series("up", 21, 8, [](double x) { return x <= 12 ? 10.0 : 60.0; }, 2.0, 300 + k);
    const auto tip = detect(s);
    ASSERT_TRUE(tip.found) << tip.reason;
    ASSERT_TRUE(tip.tested);
    right += tip.interval_lo == 12 && tip.interval_hi == 13;
    EXPECT_GT(tip.location, 12.0);
    EXPECT_LT(tip.location, 13.0);
    EXPECT_EQ(tip.bracket_lo, 12.0);
    EXPECT_EQ(tip.bracket_hi, 13.0);
    EXPECT_LT(tip.p_holm, 1e-6);
    EXPECT_NEAR(tip.jump, 50.0, 5.0);
    // The bootstrap interval is defined and contains the estimate, inside the sweep step.
    ASSERT_TRUE(std::isfinite(tip.ci_lo));
    EXPECT_LE(tip.ci_lo, tip.location);
    EXPECT_GE(tip.ci_hi, tip.location);
    EXPECT_GE(tip.ci_lo, 12.0);
    EXPECT_LE(tip.ci_hi, 13.0);
  }
  EXPECT_EQ(right, 200);
}

TEST(SimulateTipping, ReplicatesTippingAtDifferentValuesGiveAWiderInterval) {
  // Each replicate jumps from 20 to 450 at its own threshold 7, 8 or 9 (noise sd 10): no
  // single step is significant against the bimodal spread, the change over the transition is.
  auto per = [](double x, int r) { return x >= 7 + r % 3 ? 450.0 : 20.0; };
  const auto s = make_series("up", 21, 8, nullptr, 10.0, 77, per);
  const auto tip = detect(s);
  ASSERT_TRUE(tip.found) << tip.reason;
  EXPECT_LE(tip.interval_lo, 7.0);
  EXPECT_GE(tip.interval_hi, 8.0);
  EXPECT_GE(tip.interval_lo, 6.0);
  EXPECT_LE(tip.interval_hi, 9.0);
  EXPECT_GT(tip.interval_hi - tip.interval_lo, 1.0);
  EXPECT_GT(tip.location, 6.5);
  EXPECT_LT(tip.location, 9.0);
}

TEST(SimulateTipping, OneReplicateIsUntestedAndGuardedByTheSweepsOwnScatter) {
  // A planted jump with one replicate: found, but marked untested.
  const auto s = make_series("up", 21, 1, [](double x) { return x <= 12 ? 10.0 : 60.0; }, 2.0, 4);
  const auto tip = detect(s);
  EXPECT_FALSE(tip.tested);
  ASSERT_TRUE(tip.found);
  EXPECT_EQ(tip.interval_lo, 12.0);
  EXPECT_EQ(tip.interval_hi, 13.0);
  EXPECT_NE(tip.reason.find("untested"), std::string::npos);
  EXPECT_FALSE(std::isfinite(tip.ci_lo));  // no bootstrap without replicates
  // Pure noise with one replicate: the largest change is always ≥ 30 % of the (noise) range,
  // so the noise guard decides; false tips stay below the nominal 5 %.
  int false_tips = 0;
  for (int k = 0; k < 1000; ++k) false_tips += detect(make_series("up", 21, 1, [](double) { return 0.0; }, 1.0, 20000 + k)).found;
  RecordProperty("false_positive_rate_one_replicate", std::to_string(false_tips / 1000.0));
  EXPECT_LE(false_tips, 50) << false_tips << " false tips in 1000";
}

TEST(SimulateTipping, TooFewPointsOrNoChangeGiveNoTip) {
  const auto few = make_series("up", 4, 8, [](double x) { return x < 2 ? 0.0 : 10.0; }, 0.1, 1);
  const auto t1 = detect(few);
  EXPECT_FALSE(t1.found);
  EXPECT_NE(t1.reason.find("too few"), std::string::npos);
  const auto flat = make_series("up", 9, 3, [](double) { return 2.0; }, 0.0, 1);
  const auto t2 = detect(flat);
  EXPECT_FALSE(t2.found);
  EXPECT_NE(t2.reason.find("does not change"), std::string::npos);
}

// ---- hysteresis ------------------------------------------------------------------------------

struct Loop {
  SweepSeries up, down;
  Tip tu, td;
  HysteresisBand band;
};

Loop run_loop(const std::function<double(double)>& up_mean, const std::function<double(double)>& down_mean, double sd,
              std::uint64_t seed, int R = 8) {
  Loop l;
  l.up = make_series("up", 21, R, up_mean, sd, seed);
  l.down = make_series("down", 21, R, down_mean, sd, seed + 1);
  const auto [lo, hi] = range_of({&l.up, &l.down});
  l.tu = detect_tip(l.up, lo, hi);
  l.td = detect_tip(l.down, lo, hi);
  l.band = hysteresis_band(l.up, l.tu, l.down, l.td);
  return l;
}

TEST(SimulateHysteresis, TrueBandIsReportedWithTheDownTipBelowTheUpTip) {
  // Up: low until 14, high from 15; down: high until 6, low from 5 → band ≈ [5.5, 14.5].
  for (int k = 0; k < 50; ++k) {
    const auto l = run_loop([](double x) { return x >= 15 ? 100.0 : 0.0; }, [](double x) { return x >= 6 ? 100.0 : 0.0; },
                            5.0, 100 + 2 * k);
    ASSERT_EQ(l.band.verdict, "band") << l.band.reason;
    EXPECT_LT(l.band.lo, l.band.hi);
    EXPECT_GT(l.band.lo, 5.0);
    EXPECT_LT(l.band.lo, 6.0);
    EXPECT_GT(l.band.hi, 14.0);
    EXPECT_LT(l.band.hi, 15.0);
    EXPECT_NEAR(l.band.width, l.band.hi - l.band.lo, 1e-12);
  }
}

TEST(SimulateHysteresis, ReversibleTransitionHasNoBand) {
  // The same jump at 10 | 11 both ways: the tips' intervals coincide → no hysteresis.
  const auto step = [](double x) { return x >= 11 ? 100.0 : 0.0; };
  const auto l = run_loop(step, step, 5.0, 7);
  ASSERT_TRUE(l.tu.found);
  ASSERT_TRUE(l.td.found);
  EXPECT_EQ(l.band.verdict, "none");
  EXPECT_FALSE(l.band.band);
  EXPECT_NE(l.band.reason.find("no hysteresis detected"), std::string::npos);
}

TEST(SimulateHysteresis, ADownTipAboveTheUpTipIsNeverABand) {
  // Impossible for a hysteresis loop: up jumps at 5 | 6, down falls back at 15 | 14.
  const auto l = run_loop([](double x) { return x >= 6 ? 100.0 : 0.0; }, [](double x) { return x >= 15 ? 100.0 : 0.0; }, 5.0, 9);
  ASSERT_TRUE(l.tu.found);
  ASSERT_TRUE(l.td.found);
  EXPECT_GT(l.td.location, l.tu.location);
  EXPECT_EQ(l.band.verdict, "none");
  EXPECT_NE(l.band.reason.find("lies above the up tip"), std::string::npos);
  EXPECT_EQ(l.band.memory_points, 0);  // the down sweep is never on the far side of the up sweep
}

TEST(SimulateHysteresis, IrreversibleAndGradualReturns) {
  // Down never comes back (stays at 100 with a slight erosion): irreversible within the range.
  const auto irr = run_loop([](double x) { return x >= 12 ? 100.0 : 0.0; }, [](double x) { return 80.0 + x; }, 5.0, 11);
  ASSERT_TRUE(irr.tu.found);
  EXPECT_FALSE(irr.td.found) << irr.td.reason;
  EXPECT_EQ(irr.band.verdict, "irreversible");
  EXPECT_NEAR(irr.band.end_down, 80.0, 6.0);
  EXPECT_EQ(irr.band.memory_lo, 0.0);
  EXPECT_EQ(irr.band.memory_hi, 11.0);
  // Down returns gradually (a straight ramp back to 0): no tip coming down, no band, but memory
  // where the ramp is still more than 30 % of the range above the up sweep (x = 7..11).
  const auto grad = run_loop([](double x) { return x >= 12 ? 100.0 : 0.0; }, [](double x) { return 5.0 * x; }, 2.0, 13);
  ASSERT_TRUE(grad.tu.found);
  EXPECT_FALSE(grad.td.found);
  EXPECT_EQ(grad.band.verdict, "gradual") << grad.band.reason;
  EXPECT_FALSE(grad.band.band);
  EXPECT_EQ(grad.band.memory_lo, 7.0);
  EXPECT_EQ(grad.band.memory_hi, 11.0);
  // The same ramp both ways: no tips, no memory, no hysteresis.
  const auto ramp = run_loop([](double x) { return 5.0 * x; }, [](double x) { return 5.0 * x; }, 2.0, 15);
  EXPECT_FALSE(ramp.tu.found);
  EXPECT_FALSE(ramp.td.found);
  EXPECT_EQ(ramp.band.verdict, "none");
  EXPECT_EQ(ramp.band.memory_points, 0);
  EXPECT_NE(ramp.band.reason.find("no hysteresis detected"), std::string::npos);
}

TEST(SimulateHysteresis, NoiseNeverGivesAnImpossibleBand) {
  // Random loops — jump positions anywhere, noise from small to large, 2 to 8 replicates: a band
  // is reported only with its down tip below its up tip and the intervals in order.
  core::Stream rng(5, core::stream_id("test random loops"), 0);
  int bands = 0;
  for (int k = 0; k < 400; ++k) {
    const double xu = 2 + static_cast<double>(rng.below(17)), xd = 2 + static_cast<double>(rng.below(17));
    const double sd = 1 + 60 * rng.uniform();
    const int R = 2 + static_cast<int>(rng.below(7));
    const auto l = run_loop([&](double x) { return x >= xu ? 100.0 : 0.0; }, [&](double x) { return x >= xd ? 100.0 : 0.0; }, sd,
                            40000 + 2 * k, R);
    if (!l.band.band) continue;
    ++bands;
    EXPECT_LT(l.band.lo, l.band.hi);
    EXPECT_LE(l.td.interval_hi, l.tu.interval_lo);
    EXPECT_LT(xd, xu) << "a band where the truth has none";
  }
  EXPECT_GT(bands, 50);  // the loops with a real band and modest noise are found
}

}  // namespace
}  // namespace agglo::simulate
