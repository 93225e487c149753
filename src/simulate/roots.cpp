#include "agglo/simulate/roots.hpp"

#include <cmath>

#include "agglo/core/error.hpp"

namespace agglo::simulate {

double bisect(const std::function<double(double)>& f, double lo, double hi, double tol) {
  double flo = f(lo);
  const double fhi = f(hi);
  if (flo == 0.0) return lo;
  if (fhi == 0.0) return hi;
  AGGLO_ASSERT((flo < 0) != (fhi < 0));
  // Bisection halves the bracket each time; 200 iterations reach the double resolution of any
  // bracket, so the loop also stops when tol is below what doubles can resolve.
  for (int it = 0; it < 200 && hi - lo > tol; ++it) {
    const double mid = 0.5 * (lo + hi);
    const double fm = f(mid);
    if (fm == 0.0) return mid;
    if ((fm < 0) == (flo < 0)) {
      lo = mid;
      flo = fm;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

std::vector<double> all_roots(const std::function<double(double)>& f, double lo, double hi, int n,
                              double tol) {
  std::vector<double> roots;
  double x0 = lo, f0 = f(lo);
  if (f0 == 0.0) roots.push_back(lo);
  for (int i = 1; i <= n; ++i) {
    const double x1 = lo + (hi - lo) * i / n;
    const double f1 = f(x1);
    if (f1 == 0.0) roots.push_back(x1);
    else if (f0 != 0.0 && (f0 < 0) != (f1 < 0)) roots.push_back(bisect(f, x0, x1, tol));
    x0 = x1;
    f0 = f1;
  }
  return roots;
}

double golden_max(const std::function<double(double)>& f, double lo, double hi, double tol) {
  const double g = (std::sqrt(5.0) - 1.0) / 2.0;
  double a = lo, b = hi;
  double c = b - g * (b - a), d = a + g * (b - a);
  double fc = f(c), fd = f(d);
  while (b - a > tol) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
    if (b - a < 1e-15 * (1.0 + std::abs(a))) break;
  }
  return 0.5 * (a + b);
}

double first_switch(const std::function<bool(double)>& f, double from, double to, int n, double tol) {
  bool prev = f(from);
  double x0 = from;
  for (int i = 1; i <= n; ++i) {
    const double x1 = from + (to - from) * i / n;
    const bool cur = f(x1);
    if (cur != prev) {
      // Invariant: f(a) == prev, f(b) != prev.
      double a = x0, b = x1;
      for (int it = 0; it < 200 && std::abs(b - a) > tol; ++it) {
        const double m = 0.5 * (a + b);
        (f(m) == prev ? a : b) = m;
      }
      return 0.5 * (a + b);
    }
    x0 = x1;
  }
  return std::nan("");
}

}  // namespace agglo::simulate
