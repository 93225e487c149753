#include "agglo/stats/transform.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "agglo/core/error.hpp"
#include "agglo/stats/descriptive.hpp"

namespace agglo::stats {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

void record(Treated& t, std::span<const double> before) {
  t.skew_before = skewness(before);
  t.kurt_before = kurtosis(before);
  t.skew_after = skewness(t.values);
  t.kurt_after = kurtosis(t.values);
}

double box_cox_value(double x, double lambda) {
  return std::abs(lambda) < 1e-12 ? std::log(x) : (std::pow(x, lambda) - 1) / lambda;
}
}  // namespace

bool passes_skew_kurtosis(std::span<const double> x, double skew_threshold, double kurt_threshold) {
  const double s = skewness(x), k = kurtosis(x);
  // Too few points or no variance: nothing to treat.
  if (!std::isfinite(s) || !std::isfinite(k)) return true;
  return std::abs(s) < skew_threshold || k < kurt_threshold;
}

Treated log_shift(std::span<const double> x) {
  Treated t;
  double lo = std::numeric_limits<double>::infinity();
  for (double v : x)
    if (std::isfinite(v)) lo = std::min(lo, v);
  t.values.assign(x.begin(), x.end());
  for (auto& v : t.values)
    if (std::isfinite(v)) v = std::log(v - lo + 1);
  t.logged = true;
  t.note = "log-transformed, ln(x − min + 1)";
  record(t, x);
  return t;
}

Treated winsorise(std::span<const double> x, double skew_threshold, double kurt_threshold, std::size_t max_points,
                  bool log_fallback) {
  Treated t;
  t.values.assign(x.begin(), x.end());
  auto& v = t.values;
  std::size_t treated = 0;
  bool pass = passes_skew_kurtosis(v, skew_threshold, kurt_threshold);
  while (!pass && treated < max_points) {
    const bool high = skewness(v) >= 0;
    // The extreme value and the next one inward among the finite values.
    double extreme = high ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    for (double d : v)
      if (std::isfinite(d)) extreme = high ? std::max(extreme, d) : std::min(extreme, d);
    double next = high ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    for (double d : v)
      if (std::isfinite(d) && d != extreme) next = high ? std::max(next, d) : std::min(next, d);
    if (!std::isfinite(next)) break;  // every value equal: nothing left to pull in
    std::size_t n = 0;
    for (auto& d : v)
      if (d == extreme) {
        d = next;
        ++n;
      }
    (high ? t.winsorised_high : t.winsorised_low) += n;
    treated += n;
    pass = passes_skew_kurtosis(v, skew_threshold, kurt_threshold);
  }
  if (!pass && log_fallback) {
    auto l = log_shift(x);
    l.note = fmt::format("still skewed after winsorising {} point(s): log-transformed instead, ln(x − min + 1)", treated);
    return l;
  }
  if (treated)
    t.note = fmt::format("{} high and {} low point(s) winsorised", t.winsorised_high, t.winsorised_low);
  record(t, x);
  return t;
}

double box_cox_log_likelihood(std::span<const double> x, double lambda) {
  double s = 0, s2 = 0, slog = 0;
  std::size_t n = 0;
  for (double v : x)
    if (std::isfinite(v)) {
      const double y = box_cox_value(v, lambda);
      s += y;
      s2 += y * y;
      slog += std::log(v);
      ++n;
    }
  if (n < 2) return nan;
  const double m = static_cast<double>(n);
  // Variance by the two-pass formula for accuracy with large |λ|.
  const double mu = s / m;
  double ss = 0;
  for (double v : x)
    if (std::isfinite(v)) {
      const double d = box_cox_value(v, lambda) - mu;
      ss += d * d;
    }
  (void)s2;
  const double var = ss / m;
  if (var <= 0) return nan;
  return -0.5 * m * std::log(var) + (lambda - 1) * slog;
}

Treated box_cox(std::span<const double> x, double lambda, const std::string& what) {
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]) && x[i] <= 0)
      throw_input(ErrorCode::invalid_value,
                  fmt::format("{}: the Box–Cox transformation needs values > 0, value {} is {}", what, i + 1, x[i]), {},
                  "use --treat log (ln(x − min + 1) works for any values) or winsorise");
  Treated t;
  if (!std::isfinite(lambda)) {
    // Grid, then golden section around the best grid point.
    double best = 1, best_ll = -std::numeric_limits<double>::infinity();
    for (int k = -60; k <= 60; ++k) {
      const double l = 0.05 * k, ll = box_cox_log_likelihood(x, l);
      if (std::isfinite(ll) && ll > best_ll) {
        best_ll = ll;
        best = l;
      }
    }
    double a = std::max(-3.0, best - 0.05), b = std::min(3.0, best + 0.05);
    const double g = (std::sqrt(5.0) - 1) / 2;
    double c = b - g * (b - a), d = a + g * (b - a);
    double fc = box_cox_log_likelihood(x, c), fd = box_cox_log_likelihood(x, d);
    while (b - a > 1e-8) {
      if (fc > fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - g * (b - a);
        fc = box_cox_log_likelihood(x, c);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + g * (b - a);
        fd = box_cox_log_likelihood(x, d);
      }
    }
    lambda = 0.5 * (a + b);
  }
  t.lambda = lambda;
  t.values.assign(x.begin(), x.end());
  for (auto& v : t.values)
    if (std::isfinite(v)) v = box_cox_value(v, lambda);
  t.note = fmt::format("Box–Cox with λ = {:.4g}", lambda);
  record(t, x);
  return t;
}

}  // namespace agglo::stats
