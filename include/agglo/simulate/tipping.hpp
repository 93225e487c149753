// agglo::simulate — tipping points along a parameter sweep, judged against the replicates'
// spread, and the hysteresis band between the tips of an up and a down sweep.
//
// One detector serves every model's sweep (experiment.hpp calls it for each direction). A
// sweep point holds R replicate outcomes of the order parameter. A *tip* is an abrupt change of
// the mean outcome that noise cannot explain:
//
//   1. Windows. For every pair of sweep points a < b at most W steps apart, with
//      W = max(1, ⌊(n−1)/4⌋) — a quarter of a sweep of n points —, the change Δ = ȳ_b − ȳ_a.
//      (W ≤ (n−1)/4, so a straight ramp across the whole sweep never puts 30 % of its range
//      into one window: a trend is not a tip.)
//   2. Significance. Welch's (1947) t-test of ȳ_a = ȳ_b on the replicate outcomes
//      (t = Δ / sqrt(s_a²/R + s_b²/R), Welch–Satterthwaite df), with Holm's (1979) step-down
//      correction over all m windows of the direction, family-wise level α = 0.05.
//   3. Effect size. |Δ| ≥ 30 % of the range of the mean outcome over the whole sweep (both
//      directions), so a significant but small drift is not a tip.
//   The tip is the narrowest window passing 2 and 3 (then the largest |Δ|). Its location is
//   where the mean curve crosses the level (ȳ_a + ȳ_b)/2 inside the window (linear
//   interpolation); it is reported with the window (the sweep interval that contains the
//   jump), the sweep step that brackets the crossing, and a 95 % percentile-bootstrap
//   interval of the location (replicates resampled with replacement as whole chains, 999
//   resamples, the crossing of the same level nearest the estimate).
//
// With one replicate there is no spread to test against: the tip is marked untested and the
// rule is 1 and 3 plus a noise guard from the sweep itself — the change must exceed five
// standard deviations of a difference, 5 √2 σ̂, with σ̂ = median |ȳ_{i+1} − ȳ_i| / (0.6745 √2)
// (the median absolute successive difference, robust to the jump; a trend only inflates it). With fewer than five sweep points a jump cannot be told from a
// trend and no tip is reported.
//
// Hysteresis (up then down sweep). *Memory* is where the down sweep is still on the far side
// of the up sweep at the same value: s·(ȳ_down − ȳ_up) > E (s the sense of the up change, E the
// tip's minimum), shown by Welch's one-sided test of H0 s·(μ_down − μ_up) ≤ E at each value,
// Holm over the n values (one replicate: the noise guard). The verdict:
//   band          both directions tip, in opposite senses, and the down tip's interval lies
//                 entirely below the up tip's: the band [down tip, up tip];
//   irreversible  no abrupt way back and memory down to the sweep's low value;
//   gradual       memory, but the down sweep returns without an abrupt tip (replicates fall
//                 back at different values) to within E of the up sweep at the low value;
//   memory        memory, but at the low value the sweeps differ by E or more without the
//                 replicates establishing it: irreversible or gradual is not decided;
//   none          "no hysteresis detected" — no memory, tips in overlapping intervals, a down
//                 tip above the up tip (impossible for a loop), or tips of the same sense.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace agglo::simulate {

struct TipRule {
  double alpha = 0.05;            // family-wise error rate per direction (Holm)
  double min_effect = 0.3;        // |Δ| ≥ min_effect × range of the mean over the sweep
  int max_window = 0;             // cap on W (0 = none: W = max(1, ⌊(n−1)/4⌋))
  int min_points = 5;             // fewer sweep points: no tip (a jump is not told from a trend)
  double untested_sds = 5.0;      // one replicate: |Δ| > this × √2 σ̂ (noise from successive differences)
  int bootstrap = 999;            // resamples for the location's interval (0 = none)
  double level = 0.95;            // level of that interval
  std::uint64_t seed = 0;         // bootstrap stream (core::Stream(seed, "tipping point bootstrap <dir>", b))
};

// One direction of a sweep: the swept values in the order run, and y[i][r], replicate r's
// outcome at point i (the same replicate order at every point, so a resample keeps chains).
struct SweepSeries {
  std::string direction;  // "up" or "down"
  std::vector<double> control;
  std::vector<std::vector<double>> y;
};

struct Tip {
  std::string direction;
  bool tested = false;  // the Welch/Holm test was done (≥ 2 replicates and enough points)
  bool found = false;   // a tip (tested: significant and large; untested: large)
  std::string reason;   // why no tip, or why untested (one line)
  int windows = 0;      // windows compared (the Holm family size)
  int max_window = 0;   // W
  double range = 0;     // range of the mean over the sweep (both directions)
  double noise_sd = 0;  // one replicate: σ̂ from the successive differences
  // The tip's window (found), or else the window with the largest |Δ| (for the reason).
  double interval_lo = 0, interval_hi = 0;  // its sweep values, ascending
  double from = 0, to = 0, jump = 0;        // means at the window's start and end (in run order), to − from
  double effect = 0;                        // |jump| / range
  // Welch test (tested): t = jump/se; t_excess = (|jump| − min_effect·range)/se, the statistic
  // of H0 "the change is at most a tip's minimum"; p and p_holm are for that H0.
  double t = 0, t_excess = 0, df = 0, p = 1, p_holm = 1;
  // Location (found): the crossing of (from + to)/2 inside the window.
  double location = 0, bracket_lo = 0, bracket_hi = 0;
  double ci_lo = 0, ci_hi = 0;  // bootstrap percentile interval (NaN when not available)
  int bootstrap_valid = 0;      // resamples whose mean curve crosses the level
  // Descriptive (with or without a tip): where the mean first crosses the midpoint of the
  // sweep-wide range, e.g. the ½-point of a percolation probability.
  bool crosses = false;
  double crossing = 0, crossing_lo = 0, crossing_hi = 0;
};

// The tip of one direction. range_lo/range_hi: smallest and largest mean outcome over every
// direction of the sweep. O(n·W·R) for the tests plus O(B·n·R) for the bootstrap.
Tip detect_tip(const SweepSeries& s, double range_lo, double range_hi, const TipRule& rule = {});

struct HysteresisBand {
  std::string verdict;  // "band", "irreversible", "gradual", "memory", "none"
  bool band = false;
  double lo = 0, hi = 0, width = 0;  // band = [down tip, up tip] (verdict "band")
  // Memory: the sweep values where the down sweep is still on the far side of the up sweep by
  // more than a tip's minimum (Welch, one-sided, Holm over the values); NaN when none.
  int memory_points = 0;
  double memory_lo = 0, memory_hi = 0;
  // The two sweeps at the sweep's low value (up's first point, down's last point).
  double end_up = 0, end_down = 0, end_p = 1;
  std::string reason;  // one line
};

// The verdict for an up and a down sweep over the same values (down in reverse order).
HysteresisBand hysteresis_band(const SweepSeries& up, const Tip& up_tip, const SweepSeries& down, const Tip& down_tip,
                               const TipRule& rule = {});

}  // namespace agglo::simulate
