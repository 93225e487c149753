// Welch's t-test and the Student t tail; see welch.hpp.
#include "welch.hpp"

#include <cmath>
#include <limits>

namespace agglo::simulate::detail {

namespace {

// The continued fraction of I_x(a,b) (DLMF 8.17.22): I_x = x^a (1−x)^b / (a B(a,b)) · 1/(1+ d1/(1+ d2/(1+ …)))
// with d_{2m+1} = −(a+m)(a+b+m) x / ((a+2m)(a+2m+1)), d_{2m} = m(b−m) x / ((a+2m−1)(a+2m)).
// Modified Lentz: f = Π C_j D_j with tiny-value guards against division by zero.
double beta_continued_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300, eps = 1e-15;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double f = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    // even step d_{2m}
    double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + num * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + num / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    f *= d * c;
    // odd step d_{2m+1}
    num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + num * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + num / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double delta = d * c;
    f *= delta;
    if (std::fabs(delta - 1.0) < eps) break;
  }
  return f;
}

}  // namespace

double incomplete_beta(double a, double b, double x) {
  if (!(x > 0)) return 0.0;
  if (!(x < 1)) return 1.0;
  // log of the prefactor x^a (1−x)^b / B(a,b)
  const double lp = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  // The fraction converges quickly for x < (a+1)/(a+b+2); otherwise use the symmetry.
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(lp) * beta_continued_fraction(a, b, x) / a;
  return 1.0 - std::exp(lp) * beta_continued_fraction(b, a, 1.0 - x) / b;
}

double student_t_two_sided(double t, double df) {
  if (std::isnan(t) || !(df > 0)) return std::numeric_limits<double>::quiet_NaN();
  if (std::isinf(t)) return 0.0;
  if (t == 0) return 1.0;
  return incomplete_beta(0.5 * df, 0.5, df / (df + t * t));
}

WelchResult welch_test(double m1, double v1, double n1, double m2, double v2, double n2) {
  WelchResult w;
  w.diff = m2 - m1;
  const double a = v1 / n1, b = v2 / n2;
  w.se = std::sqrt(a + b);
  if (!(w.se > 0)) {
    // Both samples constant: any difference is certain, none is none.
    w.t = w.diff == 0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), w.diff);
    w.df = n1 + n2 - 2;
    w.p = w.diff == 0 ? 1.0 : 0.0;
    return w;
  }
  w.t = w.diff / w.se;
  const double den = (n1 > 1 ? a * a / (n1 - 1) : 0.0) + (n2 > 1 ? b * b / (n2 - 1) : 0.0);
  w.df = den > 0 ? (a + b) * (a + b) / den : n1 + n2 - 2;
  w.p = student_t_two_sided(w.t, w.df);
  return w;
}

double welch_exceeds_p(const WelchResult& w, double delta) {
  const double d = std::fabs(w.diff);
  if (!(w.se > 0)) return d > delta ? 0.0 : 1.0;
  // One tail of Student t: P(T ≥ x) = ½ P(|T| ≥ |x|) for x ≥ 0, 1 − ½ P(|T| ≥ |x|) for x < 0.
  auto upper = [&](double x) {
    const double two = student_t_two_sided(x, w.df);
    return x >= 0 ? 0.5 * two : 1.0 - 0.5 * two;
  };
  return std::min(1.0, upper((d - delta) / w.se) + upper((d + delta) / w.se));
}

}  // namespace agglo::simulate::detail
