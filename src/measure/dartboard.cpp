// The dartboard test of random location on establishment counts (see dartboard.hpp for the
// formulas and docs/methods/cluster-definitions.md for their derivation and calibration).
#include "agglo/measure/dartboard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "agglo/core/error.hpp"

namespace agglo::measure {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Upper tail of the standard normal, 1 − Φ(z) = erfc(z / √2) / 2 (accurate far into the tail).
double normal_sf(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

// Saddlepoint tail P(T ≥ t) of T = Σ μ_k Z_k² from its cumulant generating function
// `cgf(s, &K', &K'')` on (−∞, s_max) (Kuonen 1999, r* form). `mean` = K'(0), `var` = K''(0).
template <class Cgf>
double saddlepoint_tail(double t, double mean, double var, double s_max, const Cgf& cgf) {
  if (!(var > 0)) return t > mean ? 0.0 : 1.0;  // T is the constant `mean`
  if (!(t > 0)) return 1.0;
  // K' is increasing from 0 (s → −∞) to +∞ (s → s_max); find ŝ with K'(ŝ) = t in a bracket,
  // by Newton steps kept inside it (bisection otherwise).
  double lo, hi;
  if (t > mean) {
    lo = 0;
    hi = s_max;
  } else {
    hi = 0;
    lo = -1.0 / s_max;
    for (int k = 0; k < 200; ++k) {
      double d1 = 0;
      cgf(lo, &d1, nullptr);
      if (d1 < t) break;
      lo *= 2;
    }
  }
  double s = t > mean ? 0.5 * s_max : 0.5 * lo;
  for (int it = 0; it < 300; ++it) {
    double d1 = 0, d2 = 0;
    const double k = cgf(s, &d1, &d2);
    if (!std::isfinite(k) || !std::isfinite(d1)) {  // past the pole at s_max (rounding)
      hi = s;
      s = 0.5 * (lo + hi);
      continue;
    }
    if (std::abs(d1 - t) <= 1e-14 * t) break;
    if (d1 > t) hi = s;
    else lo = s;
    if (hi - lo <= 1e-16 * std::max(std::abs(lo), std::abs(hi))) break;
    // K' is convex, so Newton steps from the right of the root approach it monotonically;
    // from the left they may overshoot, into the bracket's right part (or out of it: bisect).
    double next = s - (d1 - t) / d2;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    s = next;
  }
  double d1 = 0, d2 = 0;
  const double k = cgf(s, &d1, &d2);
  const double w2 = 2 * (s * t - k);
  const double w = (s > 0 ? 1.0 : -1.0) * std::sqrt(std::max(w2, 0.0));
  const double u = s * std::sqrt(d2);
  // Near the mean (ŝ → 0) w and u both vanish and r* is 0/0 numerically: there the one-term
  // Edgeworth expansion P ≈ 1 − Φ(z) + φ(z) γ₁ (z² − 1) / 6 is as accurate (z the standardised
  // t, γ₁ = K'''(0) / K''(0)^{3/2}, K''' by a central difference of K''). Such p are near ½ and
  // never decide anything.
  if (!(w2 > 0) || std::abs(w) < 1e-2) {
    const double h = 1e-4 * s_max;
    double a1 = 0, a2 = 0, b1 = 0, b2 = 0;
    cgf(h, &a1, &a2);
    cgf(-h, &b1, &b2);
    const double skew = (a2 - b2) / (2 * h) / std::pow(var, 1.5);
    const double z = (t - mean) / std::sqrt(var);
    const double phi = std::exp(-0.5 * z * z) / std::sqrt(2 * 3.14159265358979323846);
    return std::clamp(normal_sf(z) + phi * skew * (z * z - 1) / 6, 0.0, 1.0);
  }
  return std::clamp(normal_sf(w + std::log(u / w) / w), 0.0, 1.0);
}

}  // namespace

DartboardNull::DartboardNull(const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) {
    if (!(w >= 0) || !std::isfinite(w))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("a reference weight is {} (must be finite and ≥ 0)", w));
    total += w;
  }
  if (!(total > 0))
    throw_usage(ErrorCode::invalid_option_value, "the reference distribution of the dartboard test is all zeros",
                "give a reference with a positive weight in at least one region");
  const std::size_t R = weights.size();
  x_.resize(R);
  for (std::size_t r = 0; r < R; ++r) {
    x_[r] = weights[r] / total;
    s2_ += x_[r] * x_[r];
    s3_ += x_[r] * x_[r] * x_[r];
  }
  top_ = static_cast<std::size_t>(std::max_element(x_.begin(), x_.end()) - x_.begin());
  double second = 0;
  for (std::size_t r = 0; r < R; ++r)
    if (r != top_) second = std::max(second, x_[r]);
  const double xm = x_[top_];
  // Largest eigenvalue of diag(x) − x xᵀ: the eigenvalues interlace the shares, so it lies in
  // [second, xm]; it equals xm when the largest share is tied, else it is the root of the
  // decreasing secular function f(μ) = 1 − Σ x_r² / (x_r − μ) on (second, xm).
  if (R <= 1) {
    mu_max_ = 0;
  } else if (xm - second <= 1e-15 * xm) {
    mu_max_ = xm;
  } else {
    double lo = second, hi = xm;
    for (int it = 0; it < 200 && hi - lo > 1e-17 * xm; ++it) {
      const double mid = 0.5 * (lo + hi);
      double f = 1;
      for (double v : x_)
        if (v > 0) f -= v * v / (v - mid);
      if (f > 0) lo = mid;
      else hi = mid;
    }
    mu_max_ = 0.5 * (lo + hi);
  }
  // Alias tables (Vose 1991): every column holds probability mass 1/R split between itself
  // and one alias.
  alias_prob_.assign(R, 1.0);
  alias_.resize(R);
  std::vector<std::uint32_t> small, large;
  std::vector<double> scaled(R);
  for (std::size_t r = 0; r < R; ++r) {
    alias_[r] = static_cast<std::uint32_t>(r);
    scaled[r] = x_[r] * static_cast<double>(R);
    (scaled[r] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(r));
  }
  while (!small.empty() && !large.empty()) {
    const auto s = small.back(), l = large.back();
    small.pop_back();
    alias_prob_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers are 1 up to rounding: they keep themselves.
  for (auto r : small) alias_prob_[r] = x_[r] > 0 ? 1.0 : 0.0;
  for (auto r : large) alias_prob_[r] = 1.0;
}

std::uint32_t DartboardNull::draw(core::Stream& rng) const {
  // One 64-bit draw: the high half picks the column (multiply-shift, Lemire 2019; the bias is
  // below R / 2³² and R is a few thousand), the low half is the uniform for its split.
  const std::uint64_t b = rng.next();
  const auto r = static_cast<std::uint32_t>(((b >> 32) * static_cast<std::uint64_t>(x_.size())) >> 32);
  const double u = static_cast<double>(b & 0xFFFFFFFFULL) * 0x1.0p-32;
  return u < alias_prob_[r] ? r : alias_[r];
}

double DartboardNull::cgf(double s, double* d1, double* d2) const {
  // det(I − 2s(D − x xᵀ)) = Π_{r≠m} a_r · h(s), with a_r = 1 − 2 s x_r, m the largest share,
  //   B = 1 + 2s Σ_{r≠m} x_r² / a_r,  h = a_m B + 2 s x_m²
  // (the factor a_m is folded into h so that nothing changes sign on (−∞, 1/(2 μ_max))).
  // Derivatives: B' = 2 Σ x_r²/a_r², B'' = 8 Σ x_r³/a_r³, h' = −2 x_m B + a_m B' + 2 x_m²,
  // h'' = −4 x_m B' + a_m B''; K = −½(Σ log a_r + log h), K' = Σ x_r/a_r − h'/(2h),
  // K'' = 2 Σ x_r²/a_r² − (h'' h − h'²)/(2h²).
  double sum_log = 0, sum_x_a = 0, sum_x2_a = 0, sum_x2_a2 = 0, sum_x3_a3 = 0;
  for (std::size_t r = 0; r < x_.size(); ++r) {
    const double v = x_[r];
    if (r == top_ || v == 0) continue;
    const double a = 1 - 2 * s * v;
    if (!(a > 0)) return std::numeric_limits<double>::quiet_NaN();  // outside the domain
    const double q = v / a;
    sum_log += std::log(a);
    sum_x_a += q;
    sum_x2_a += v * q;
    sum_x2_a2 += q * q;
    sum_x3_a3 += q * q * q;
  }
  const double xm = x_[top_];
  const double am = 1 - 2 * s * xm;
  const double B = 1 + 2 * s * sum_x2_a, B1 = 2 * sum_x2_a2, B2 = 8 * sum_x3_a3;
  const double h = am * B + 2 * s * xm * xm;
  const double h1 = -2 * xm * B + am * B1 + 2 * xm * xm;
  const double h2 = -4 * xm * B1 + am * B2;
  if (!(h > 0)) return std::numeric_limits<double>::quiet_NaN();  // outside the domain
  if (d1) *d1 = sum_x_a - h1 / (2 * h);
  if (d2) *d2 = 2 * sum_x2_a2 - (h2 * h - h1 * h1) / (2 * h * h);
  return -0.5 * (sum_log + std::log(h));
}

double weighted_chi_square_tail(double t, const std::vector<double>& weights) {
  double mean = 0, var = 0, wmax = 0;
  for (double w : weights) {
    mean += w;
    var += 2 * w * w;
    wmax = std::max(wmax, w);
  }
  if (!(wmax > 0)) return t > 0 ? 0.0 : 1.0;
  auto cgf = [&](double s, double* d1, double* d2) {
    double k = 0, k1 = 0, k2 = 0;
    for (double w : weights) {
      if (w == 0) continue;
      const double a = 1 - 2 * s * w;
      k -= 0.5 * std::log(a);
      k1 += w / a;
      k2 += 2 * w * w / (a * a);
    }
    if (d1) *d1 = k1;
    if (d2) *d2 = k2;
    return k;
  };
  return saddlepoint_tail(t, mean, var, 0.5 / wmax, cgf);
}

DartboardTest dartboard_test(const DartboardNull& null, const std::vector<std::uint64_t>& counts,
                             const DartboardOptions& o, std::uint64_t item) {
  const auto& x = null.shares();
  AGGLO_ASSERT(counts.size() == x.size());
  DartboardTest t;
  std::uint64_t n = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    n += counts[r];
    if (counts[r] > 0 && x[r] == 0) t.impossible = true;
  }
  t.establishments = n;
  const double s2 = null.sum_x2(), s3 = null.sum_x3();
  const double one_minus = 1 - s2;
  if (n == 0) {
    t.gamma = t.excess = kNaN;
    return t;
  }
  const double N = static_cast<double>(n);
  double g = 0, sum_sq = 0, sum_nx = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    const double c = static_cast<double>(counts[r]);
    const double d = c / N - x[r];
    g += d * d;
    sum_sq += c * c;
    sum_nx += c * x[r];
  }
  t.g = g;
  t.expected = one_minus / N;
  const double var = 2.0 / (N * N) * ((s2 - 2 * s3 + s2 * s2) - (s2 - 4 * s3 + 3 * s2 * s2) / N);
  t.sd = std::sqrt(std::max(var, 0.0));
  t.gamma = n > 1 && one_minus > 0 ? (g / one_minus - 1 / N) / (1 - 1 / N) : kNaN;
  t.excess = s2 > 0 ? t.gamma * one_minus / s2 : kNaN;
  if (t.impossible) {
    t.p = 0;
    return t;
  }
  if (!(one_minus > 1e-15)) {  // one region holds the whole reference: G = 0 is the only outcome
    t.p = 1;
    return t;
  }
  if (n <= o.exact_up_to && o.draws > 0) {
    // Monte Carlo from the null. G* is computed as Σn²/N² − 2Σ n x/N + Σx², the observed value
    // the same way, so identical configurations compare equal (up to the order of a sum).
    t.monte_carlo = true;
    const double g_obs = sum_sq / (N * N) - 2 * sum_nx / N + s2;
    const double tol = 1e-12 * std::max(g_obs, 1e-300);
    core::Stream rng(o.seed, core::stream_id("dartboard"), item);
    std::vector<std::uint32_t> c(x.size(), 0);
    std::vector<std::uint32_t> touched;
    touched.reserve(n);
    std::uint64_t exceed = 0;
    for (std::uint64_t k = 1; k <= o.draws; ++k) {
      double sq = 0, nx = 0;
      for (std::uint64_t j = 0; j < n; ++j) {
        const auto r = null.draw(rng);
        sq += 2.0 * c[r] + 1.0;
        nx += x[r];
        if (c[r]++ == 0) touched.push_back(r);
      }
      for (auto r : touched) c[r] = 0;
      touched.clear();
      const double g_sim = sq / (N * N) - 2 * nx / N + s2;
      if (g_sim >= g_obs - tol) ++exceed;
      t.draws = k;
      t.exceedances = exceed;
      if (o.stop_after > 0 && exceed >= o.stop_after) {
        t.p = static_cast<double>(exceed) / static_cast<double>(k);
        return t;
      }
    }
    t.p = static_cast<double>(exceed + 1) / static_cast<double>(o.draws + 1);
    return t;
  }
  // Asymptotic law of N·G: Σ μ_k Z_k², mean 1 − Σx², variance 2 tr(C²) = 2(Σx² − 2Σx³ + (Σx²)²).
  const double mean = one_minus, avar = 2 * (s2 - 2 * s3 + s2 * s2);
  auto cgf = [&](double s, double* d1, double* d2) { return null.cgf(s, d1, d2); };
  t.p = saddlepoint_tail(N * g, mean, avar, 0.5 / null.largest_eigenvalue(), cgf);
  return t;
}

}  // namespace agglo::measure
