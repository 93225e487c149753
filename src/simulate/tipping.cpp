// Tipping points judged against the replicates' spread, and hysteresis bands; see
// include/agglo/simulate/tipping.hpp for the rule.
#include "agglo/simulate/tipping.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/rng.hpp"
#include "detail/welch.hpp"

namespace agglo::simulate {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Mean, unbiased variance and count of the finite values of one sweep point.
struct Moments {
  double mean = kNaN, var = 0;
  double n = 0;
};

Moments moments(const std::vector<double>& v) {
  Moments m;
  double s = 0;
  for (double x : v)
    if (std::isfinite(x)) {
      s += x;
      m.n += 1;
    }
  if (m.n == 0) return m;
  m.mean = s / m.n;
  double s2 = 0;
  for (double x : v)
    if (std::isfinite(x)) s2 += (x - m.mean) * (x - m.mean);
  m.var = m.n > 1 ? s2 / (m.n - 1) : 0.0;
  return m;
}

// Where the series `mean` crosses `level` in the direction sign(dir) between points i and
// i+1, by linear interpolation in the control; every crossing with i in [first, last).
std::vector<std::pair<double, std::size_t>> crossings(const std::vector<double>& control, const std::vector<double>& mean,
                                                      double level, double dir, std::size_t first, std::size_t last) {
  std::vector<std::pair<double, std::size_t>> out;
  for (std::size_t i = first; i + 1 <= last && i + 1 < mean.size(); ++i) {
    const double a = (mean[i] - level) * dir, b = (mean[i + 1] - level) * dir;
    if (!std::isfinite(a) || !std::isfinite(b)) continue;
    // From below (a < 0) to at or above (b ≥ 0) the level, in the direction of the change.
    if (a < 0 && b >= 0) {
      const double f = a / (a - b);
      out.push_back({control[i] + (control[i + 1] - control[i]) * f, i});
    }
  }
  return out;
}

std::string num(double v) { return fmt::format("{:.4g}", v); }

}  // namespace

Tip detect_tip(const SweepSeries& s, double range_lo, double range_hi, const TipRule& rule) {
  Tip tip;
  tip.direction = s.direction;
  tip.ci_lo = tip.ci_hi = kNaN;
  const std::size_t n = s.control.size();
  std::vector<Moments> mo(n);
  std::vector<double> mean(n);
  std::size_t R = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mo[i] = moments(s.y[i]);
    mean[i] = mo[i].mean;
    R = std::max(R, s.y[i].size());
  }
  tip.range = range_hi - range_lo;
  // Descriptive: first crossing of the midpoint of the sweep-wide range (either way).
  if (n >= 2 && tip.range > 0) {
    const double mid = 0.5 * (range_lo + range_hi);
    for (std::size_t i = 0; i + 1 < n && !tip.crosses; ++i)
      for (double dir : {1.0, -1.0}) {
        const auto c = crossings(s.control, mean, mid, dir, i, i + 1);
        if (!c.empty()) {
          tip.crosses = true;
          tip.crossing = c.front().first;
          tip.crossing_lo = std::min(s.control[i], s.control[i + 1]);
          tip.crossing_hi = std::max(s.control[i], s.control[i + 1]);
          break;
        }
      }
  }
  if (!(tip.range > 1e-12 * (1.0 + std::abs(range_hi)))) {
    tip.reason = "the order parameter does not change along the sweep";
    return tip;
  }
  if (static_cast<int>(n) < rule.min_points) {
    tip.reason = fmt::format("{} sweep points are too few to tell a jump from a trend (at least {})", n, rule.min_points);
    return tip;
  }
  // A quarter of the sweep (optionally capped): a straight ramp never puts 30 % of its range
  // into one window.
  int W = std::max(1, static_cast<int>((n - 1) / 4));
  if (rule.max_window > 0) W = std::min(W, rule.max_window);
  tip.max_window = W;
  tip.tested = R >= 2;

  // The smallest change that counts as a tip.
  const double need = rule.min_effect * tip.range;
  // ---- every window (a, a+w), w = 1..W: the change and its Welch test of "the change is at
  // most `need`" (H0: |μ_b − μ_a| ≤ need) — not of "no change": along a ramp the means do
  // differ, and what must be ruled out is a change too small to be a tip.
  struct Window {
    std::size_t a, b;
    double jump, t = 0, t_excess = 0, df = 0, p = 1, p_holm = 1;
  };
  std::vector<Window> win;
  for (int w = 1; w <= W; ++w)
    for (std::size_t a = 0; a + w < n; ++a) {
      const std::size_t b = a + static_cast<std::size_t>(w);
      if (!std::isfinite(mean[a]) || !std::isfinite(mean[b])) continue;
      Window x{a, b, mean[b] - mean[a]};
      if (tip.tested) {
        if (mo[a].n >= 2 && mo[b].n >= 2) {
          const auto t = detail::welch_test(mo[a].mean, mo[a].var, mo[a].n, mo[b].mean, mo[b].var, mo[b].n);
          x.t = t.t;
          x.t_excess = t.se > 0 ? (std::abs(t.diff) - need) / t.se
                                : (std::abs(t.diff) > need ? INFINITY : -INFINITY);
          x.df = t.df;
          x.p = detail::welch_exceeds_p(t, need);
        }
      }
      win.push_back(x);
    }
  tip.windows = static_cast<int>(win.size());
  if (win.empty()) {
    tip.reason = "no two sweep points with finite outcomes";
    return tip;
  }
  // Holm's step-down adjustment: sort p ascending, p_holm(k) = max_{j ≤ k} min(1, (m − j + 1) p_(j)).
  if (tip.tested) {
    std::vector<std::size_t> ord(win.size());
    std::iota(ord.begin(), ord.end(), 0);
    std::stable_sort(ord.begin(), ord.end(), [&](std::size_t x, std::size_t y) { return win[x].p < win[y].p; });
    const double m = static_cast<double>(win.size());
    double run = 0;
    for (std::size_t k = 0; k < ord.size(); ++k) {
      run = std::max(run, std::min(1.0, (m - static_cast<double>(k)) * win[ord[k]].p));
      win[ord[k]].p_holm = run;
    }
  }
  // One replicate: no spread to test against. The noise is estimated from the sweep itself —
  // σ̂ = median |y_{i+1} − y_i| / (0.6745 √2), the median absolute successive difference scaled
  // to a standard deviation (robust to the jump itself; a trend only inflates it) — and a
  // change must exceed 5 √2 σ̂ (five standard deviations of a difference of two noisy points).
  double noise_need = 0;
  if (!tip.tested) {
    std::vector<double> d;
    for (std::size_t i = 0; i + 1 < n; ++i)
      if (std::isfinite(mean[i]) && std::isfinite(mean[i + 1])) d.push_back(std::abs(mean[i + 1] - mean[i]));
    if (!d.empty()) {
      std::nth_element(d.begin(), d.begin() + d.size() / 2, d.end());
      const double sigma = d[d.size() / 2] / (0.6745 * std::sqrt(2.0));
      tip.noise_sd = sigma;
      noise_need = rule.untested_sds * std::sqrt(2.0) * sigma;
    }
  }
  auto qualifies = [&](const Window& x) {
    if (std::abs(x.jump) < need) return false;
    return tip.tested ? x.p_holm <= rule.alpha : std::abs(x.jump) > noise_need;
  };
  // The narrowest qualifying window, then the largest |Δ|, then the first; without one, the
  // window with the largest |Δ| (reported as the closest candidate).
  const Window* best = nullptr;
  for (const auto& x : win) {
    if (!qualifies(x)) continue;
    if (!best || (x.b - x.a) < (best->b - best->a) ||
        ((x.b - x.a) == (best->b - best->a) && std::abs(x.jump) > std::abs(best->jump)))
      best = &x;
  }
  tip.found = best != nullptr;
  if (!best) {
    for (const auto& x : win)
      if (!best || std::abs(x.jump) > std::abs(best->jump)) best = &x;
  }
  tip.interval_lo = std::min(s.control[best->a], s.control[best->b]);
  tip.interval_hi = std::max(s.control[best->a], s.control[best->b]);
  tip.from = mean[best->a];
  tip.to = mean[best->b];
  tip.jump = best->jump;
  tip.effect = std::abs(best->jump) / tip.range;
  tip.t = best->t;
  tip.t_excess = best->t_excess;
  tip.df = best->df;
  tip.p = best->p;
  tip.p_holm = best->p_holm;
  if (!tip.found) {
    const bool big = std::abs(best->jump) >= need;
    tip.reason = fmt::format(
        "the largest change within {} sweep step{}, {:+.4g} between {} and {}, is {:.0f} % of the range{}", W,
        W == 1 ? "" : "s", best->jump, num(s.control[best->a]), num(s.control[best->b]), 100 * tip.effect,
        !big        ? fmt::format(" (a tip needs {:.0f} %)", 100 * rule.min_effect)
        : tip.tested ? fmt::format(" but not significantly more than {:.0f} % given the replicates' spread (Holm-adjusted "
                                   "p = {:.3g})",
                                   100 * rule.min_effect, best->p_holm)
                     : fmt::format(" but within {} noise SDs of the sweep's own scatter (one replicate, untested)",
                                   rule.untested_sds));
    return tip;
  }
  if (!tip.tested) tip.reason = "one replicate: no spread to test against, so the tip is untested (use --replicates 2 or more)";

  // ---- location: the crossing of the window's mid-level inside the window
  const double level = 0.5 * (tip.from + tip.to), dir = tip.jump > 0 ? 1.0 : -1.0;
  {
    const auto c = crossings(s.control, mean, level, dir, best->a, best->b);
    // The ends straddle the level, so a crossing exists inside the window.
    const auto& first = c.empty() ? std::pair<double, std::size_t>{s.control[best->b], best->b - 1} : c.front();
    tip.location = first.first;
    tip.bracket_lo = std::min(s.control[first.second], s.control[first.second + 1]);
    tip.bracket_hi = std::max(s.control[first.second], s.control[first.second + 1]);
  }
  // ---- bootstrap interval of the location: resample whole replicates (chains) with
  // replacement, recompute the mean curve, take its crossing of the same level nearest the
  // estimate anywhere along the sweep.
  if (tip.tested && rule.bootstrap > 0) {
    std::vector<double> locs;
    std::vector<std::size_t> pick(R);
    std::vector<double> bm(n);
    const auto sid = core::stream_id("tipping point bootstrap " + s.direction);
    for (int b = 0; b < rule.bootstrap; ++b) {
      core::Stream rng(rule.seed, sid, static_cast<std::uint64_t>(b));
      for (auto& r : pick) r = static_cast<std::size_t>(rng.below(R));
      for (std::size_t i = 0; i < n; ++i) {
        double sum = 0, cnt = 0;
        for (std::size_t r : pick)
          if (r < s.y[i].size() && std::isfinite(s.y[i][r])) {
            sum += s.y[i][r];
            cnt += 1;
          }
        bm[i] = cnt > 0 ? sum / cnt : kNaN;
      }
      const auto c = crossings(s.control, bm, level, dir, 0, n - 1);
      if (c.empty()) continue;
      double nearest = c.front().first;
      for (const auto& [x, i] : c)
        if (std::abs(x - tip.location) < std::abs(nearest - tip.location)) nearest = x;
      locs.push_back(nearest);
    }
    tip.bootstrap_valid = static_cast<int>(locs.size());
    // An interval only when nearly every resample locates the tip (otherwise it is undefined
    // for too many resamples to be a 95 % interval).
    if (locs.size() >= static_cast<std::size_t>(std::ceil(rule.level * rule.bootstrap))) {
      std::sort(locs.begin(), locs.end());
      const double q = 0.5 * (1 - rule.level);
      // Percentiles by linear interpolation between order statistics (type 7).
      auto quant = [&](double p) {
        const double h = p * static_cast<double>(locs.size() - 1);
        const auto k = static_cast<std::size_t>(std::floor(h));
        const double f = h - static_cast<double>(k);
        return k + 1 < locs.size() ? locs[k] + f * (locs[k + 1] - locs[k]) : locs[k];
      };
      tip.ci_lo = quant(q);
      tip.ci_hi = quant(1 - q);
    }
  }
  return tip;
}

HysteresisBand hysteresis_band(const SweepSeries& up, const Tip& ut, const SweepSeries& down, const Tip& dt,
                               const TipRule& rule) {
  HysteresisBand h;
  h.verdict = "none";
  h.lo = h.hi = h.width = h.memory_lo = h.memory_hi = kNaN;
  const std::size_t n = up.control.size();
  if (n == 0 || down.control.size() != n) {
    h.reason = "no hysteresis detected: the sweep has no points";
    return h;
  }
  // The sense of the change: the up tip's, or else the up sweep's overall drift.
  const double first_up = moments(up.y.front()).mean, last_up = moments(up.y.back()).mean;
  const double sense = ut.found ? (ut.jump > 0 ? 1.0 : -1.0) : (last_up >= first_up ? 1.0 : -1.0);
  const double need = rule.min_effect * ut.range;
  // ---- memory: the values where the down sweep is still on the far side of the up sweep,
  // s·(μ_down − μ_up) > E, by Welch's test of H0 s·(μ_down − μ_up) ≤ E (one-sided), Holm over
  // the n values. With one replicate: s·d > E and > 5 √2 σ̂ (σ̂ from both directions'
  // successive differences).
  std::vector<Moments> mu(n), md(n);
  for (std::size_t i = 0; i < n; ++i) {
    mu[i] = moments(up.y[i]);
    md[i] = moments(down.y[n - 1 - i]);  // down runs hi → lo
  }
  const bool tested = ut.tested;
  double noise = 0;
  if (!tested) {
    std::vector<double> d;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      d.push_back(std::abs(mu[i + 1].mean - mu[i].mean));
      d.push_back(std::abs(md[i + 1].mean - md[i].mean));
    }
    std::nth_element(d.begin(), d.begin() + d.size() / 2, d.end());
    noise = rule.untested_sds * d[d.size() / 2] / 0.6745;  // 5 √2 σ̂, σ̂ = median/(0.6745 √2)
  }
  std::vector<double> p(n, 1.0), diff(n);
  for (std::size_t i = 0; i < n; ++i) {
    diff[i] = sense * (md[i].mean - mu[i].mean);
    if (tested && mu[i].n >= 2 && md[i].n >= 2) {
      const auto w = detail::welch_test(mu[i].mean, mu[i].var, mu[i].n, md[i].mean, md[i].var, md[i].n);
      // One-sided: P(T ≥ (s·d − E)/se).
      if (!(w.se > 0)) {
        p[i] = diff[i] > need ? 0.0 : 1.0;
      } else {
        const double x = (diff[i] - need) / w.se, two = detail::student_t_two_sided(x, w.df);
        p[i] = x >= 0 ? 0.5 * two : 1.0 - 0.5 * two;
      }
    }
  }
  std::vector<bool> mem(n, false);
  if (tested) {
    std::vector<std::size_t> ord(n);
    std::iota(ord.begin(), ord.end(), 0);
    std::stable_sort(ord.begin(), ord.end(), [&](std::size_t x, std::size_t y) { return p[x] < p[y]; });
    double run = 0;
    for (std::size_t k = 0; k < n; ++k) {
      run = std::max(run, std::min(1.0, static_cast<double>(n - k) * p[ord[k]]));
      mem[ord[k]] = run <= rule.alpha;
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) mem[i] = diff[i] > need && diff[i] > noise;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (mem[i]) {
      ++h.memory_points;
      const double x = up.control[i];
      h.memory_lo = std::isnan(h.memory_lo) ? x : std::min(h.memory_lo, x);
      h.memory_hi = std::isnan(h.memory_hi) ? x : std::max(h.memory_hi, x);
    }
  // The low end (up's first point, down's last): where "no way back" is judged.
  const std::size_t low = up.control.front() <= up.control.back() ? 0 : n - 1;
  h.end_up = mu[low].mean;
  h.end_down = md[low].mean;
  h.end_p = tested ? p[low] : kNaN;
  const std::string at = num(up.control[low]);
  const std::string memory = h.memory_points == 0 ? std::string()
                             : fmt::format("the down sweep stays apart from the up sweep (by more than {:.0f} % of the range) "
                                           "at {} of {} values, from {} to {}",
                                           100 * rule.min_effect, h.memory_points, n, num(h.memory_lo), num(h.memory_hi));

  if (ut.found && dt.found) {
    if ((ut.jump > 0) == (dt.jump > 0)) {
      h.reason = "no hysteresis detected: the up and the down tip change the order parameter the same way";
    } else if (dt.interval_hi <= ut.interval_lo && dt.location < ut.location) {
      h.verdict = "band";
      h.band = true;
      h.lo = dt.location;
      h.hi = ut.location;
      h.width = h.hi - h.lo;
      h.reason = fmt::format("hysteresis band [{}, {}]: the down tip lies in [{}, {}], the up tip in [{}, {}]", num(h.lo),
                             num(h.hi), num(dt.interval_lo), num(dt.interval_hi), num(ut.interval_lo), num(ut.interval_hi));
    } else if (dt.interval_lo < ut.interval_hi && ut.interval_lo < dt.interval_hi) {
      h.reason = fmt::format(
          "no hysteresis detected: the up tip's interval [{}, {}] and the down tip's [{}, {}] overlap (the change "
          "reverses where it happened, at this sweep's resolution)",
          num(ut.interval_lo), num(ut.interval_hi), num(dt.interval_lo), num(dt.interval_hi));
    } else {
      h.reason = fmt::format(
          "no hysteresis detected: the down tip ({}) lies above the up tip ({}), which a hysteresis loop cannot do",
          num(dt.location), num(ut.location));
    }
    return h;
  }
  if (h.memory_points == 0) {
    h.reason = fmt::format("no hysteresis detected: {}; the two sweeps agree within {:.0f} % of the range at every value",
                           ut.found ? "the down sweep has no tip" : dt.found ? "only the down sweep tips"
                                                                             : "neither sweep direction has a tip",
                           100 * rule.min_effect);
    return h;
  }
  // No way back: the low end is one pre-specified value, so its own test at level α decides
  // (the Holm correction above is for the claim "memory somewhere among the n values").
  const bool stays = tested ? p[low] <= rule.alpha : mem[low];
  if (stays) {
    h.verdict = "irreversible";
    h.reason = fmt::format(
        "irreversible within the swept range: {}; back at {} the order parameter is {} coming down against {} going up{}",
        memory, at, num(h.end_down), num(h.end_up),
        tested ? fmt::format(" (Welch p = {:.2g} against a difference below {:.0f} % of the range)", h.end_p, 100 * rule.min_effect)
               : std::string(" (one replicate, untested)"));
    return h;
  }
  // Memory above the low end: did the down sweep come back (within a tip's size) by then?
  if (std::abs(h.end_down - h.end_up) < need) {
    h.verdict = "gradual";
    h.reason = fmt::format("hysteresis without an abrupt way back: {}; coming down the change reverses gradually (no tip): "
                           "back at {} the order parameter is {} against {} going up",
                           memory, at, num(h.end_down), num(h.end_up));
    return h;
  }
  h.verdict = "memory";
  h.reason = fmt::format("hysteresis: {}; whether the change reverses within the swept range is not shown — back at {} the "
                         "order parameter is {} coming down against {} going up, a difference the replicates do not "
                         "establish (more replicates would tell)",
                         memory, at, num(h.end_down), num(h.end_up));
  return h;
}

}  // namespace agglo::simulate
