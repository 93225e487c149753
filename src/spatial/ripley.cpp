// Ripley's K and L with spatstat's border, translation and isotropic corrections (definitions
// in include/agglo/spatial/ripley.hpp).
#include "agglo/spatial/ripley.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/geo/pair_grid.hpp"

namespace agglo::spatial {

namespace {

constexpr double pi = 3.14159265358979323846;
constexpr double max_weight = 100;

// Index of the bin (r_{k−1}, r_k] holding d (spatstat's whist on breaks c(−Δ, r)).
std::size_t bin_of(double d, double step) { return d <= 0 ? 0 : static_cast<std::size_t>(std::ceil(d / step)); }
// Largest k < G with r_k = k·step ≤ b (b ≥ 0).
std::size_t last_within(double b, double step, std::size_t G) {
  auto k = static_cast<std::size_t>(std::min(std::floor(b / step), static_cast<double>(G - 1)));
  while (k + 1 < G && step * static_cast<double>(k + 1) <= b) ++k;
  while (k > 0 && step * static_cast<double>(k) > b) --k;
  return k;
}

struct Acc {
  std::vector<double> border, trans, iso;  // difference array (border), per-bin sums (others)
  explicit Acc(std::size_t G) : border(G + 2, 0.0), trans(G + 1, 0.0), iso(G + 1, 0.0) {}
  Acc() = default;
};

// Adds the ordered pair i → j at distance d.
inline void add_ordered(Acc& a, double d, double dx, double dy, double bi, double xi, double yi,
                        const RectWindow& w, double step, std::size_t G) {
  const std::size_t k0 = bin_of(d, step);
  if (k0 >= G) return;
  {
    const std::size_t kmax = last_within(bi, step, G);
    if (kmax >= k0) {
      a.border[k0] += 1;
      a.border[kmax + 1] -= 1;
    }
  }
  const double e = w.area() / ((w.width() - std::abs(dx)) * (w.height() - std::abs(dy)));
  a.trans[k0] += std::min(e, max_weight);
  a.iso[k0] += ripley_isotropic_weight(xi, yi, d, w);
}

RipleyK finish(const Acc& a, const std::vector<double>& b, std::size_t n, const RectWindow& w, double step, std::size_t G) {
  RipleyK k;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double A = w.area(), lambda = static_cast<double>(n) / A;
  const double npairs = static_cast<double>(n) * static_cast<double>(n - 1);
  // denominator of the border estimate: #{i : b_i ≥ r_k}
  std::vector<double> den(G + 1, 0.0);
  for (double bi : b) {
    const std::size_t kmax = last_within(bi, step, G);
    den[0] += 1;
    den[kmax + 1] -= 1;
  }
  double cb = 0, cd = 0, ct = 0, ci = 0;
  const double trans_max = std::min(w.width(), w.height());
  const double iso_max = 0.5 * std::hypot(w.width(), w.height());
  for (std::size_t g = 0; g < G; ++g) {
    const double r = step * static_cast<double>(g);
    cb += a.border[g];
    cd += den[g];
    ct += a.trans[g];
    ci += a.iso[g];
    k.distance.push_back(r);
    k.theo.push_back(pi * r * r);
    k.border.push_back(cd > 0 ? cb / (lambda * cd) : nan);
    k.translation.push_back(r >= trans_max ? nan : ct * A / npairs);
    k.isotropic.push_back(r >= iso_max ? nan : ci * A / npairs);
  }
  return k;
}

void check(const std::vector<double>& x, const std::vector<double>& y, const RectWindow& w, double rmax, std::size_t points) {
  if (!(w.width() > 0 && w.height() > 0))
    throw_input(ErrorCode::invalid_value, "the window must have a positive width and height",
                {}, "all points on one line? give --window xmin,ymin,xmax,ymax");
  if (!(rmax > 0) || !std::isfinite(rmax)) throw_usage(ErrorCode::invalid_option_value, "--max-distance must be > 0");
  if (points < 2) throw_usage(ErrorCode::invalid_option_value, "--points must be ≥ 2");
  if (x.size() < 2) throw_input(ErrorCode::invalid_value, "Ripley's K needs at least 2 points");
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!(x[i] >= w.xmin && x[i] <= w.xmax && y[i] >= w.ymin && y[i] <= w.ymax))
      throw_input(ErrorCode::coordinate_out_of_range,
                  "point " + std::to_string(i + 1) + " (" + std::to_string(x[i]) + ", " + std::to_string(y[i]) + ") lies outside the window");
}

std::vector<double> border_distances(const std::vector<double>& x, const std::vector<double>& y, const RectWindow& w) {
  std::vector<double> b(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    b[i] = std::min(std::min(x[i] - w.xmin, w.xmax - x[i]), std::min(y[i] - w.ymin, w.ymax - y[i]));
  return b;
}

}  // namespace

double ripley_isotropic_weight(double x, double y, double r, const RectWindow& w) {
  if (r <= 0) return 1;
  const double d[4] = {x - w.xmin, w.xmax - x, y - w.ymin, w.ymax - y};  // L, R, D, U
  double a[4];
  double out = 0;
  for (int s = 0; s < 4; ++s) {
    a[s] = d[s] < r ? std::acos(std::max(0.0, d[s]) / r) : 0.0;
    out += 2 * a[s];
  }
  // corners: (L,D), (L,U), (R,D), (R,U)
  const int corner[4][2] = {{0, 2}, {0, 3}, {1, 2}, {1, 3}};
  for (const auto& c : corner)
    if (a[c[0]] > 0 && a[c[1]] > 0) out -= std::max(0.0, a[c[0]] + a[c[1]] - pi / 2);
  const double inside = 1 - out / (2 * pi);
  return inside <= 1 / max_weight ? max_weight : 1 / inside;
}

RipleyK ripley_k(const std::vector<double>& x, const std::vector<double>& y, const RectWindow& w, double rmax,
                 std::size_t G) {
  check(x, y, w, rmax, G);
  const double step = rmax / static_cast<double>(G - 1);
  const auto b = border_distances(x, y, w);
  const geo::PairGrid grid(x, y, false, rmax);
  auto states = grid.for_each_pair_parallel<Acc>([&] { return Acc(G); }, [&](Acc& a, std::size_t i, std::size_t j, double d) {
    const double dx = x[j] - x[i], dy = y[j] - y[i];
    add_ordered(a, d, dx, dy, b[i], x[i], y[i], w, step, G);
    add_ordered(a, d, -dx, -dy, b[j], x[j], y[j], w, step, G);
  });
  Acc total(G);
  for (const auto& s : states) {  // task order: deterministic
    for (std::size_t g = 0; g < total.border.size(); ++g) total.border[g] += s.border[g];
    for (std::size_t g = 0; g < total.trans.size(); ++g) total.trans[g] += s.trans[g], total.iso[g] += s.iso[g];
  }
  return finish(total, b, x.size(), w, step, G);
}

RipleyK ripley_k_bruteforce(const std::vector<double>& x, const std::vector<double>& y, const RectWindow& w,
                            double rmax, std::size_t G) {
  check(x, y, w, rmax, G);
  const double step = rmax / static_cast<double>(G - 1);
  const auto b = border_distances(x, y, w);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = x.size();
  const double A = w.area(), lambda = static_cast<double>(n) / A, npairs = static_cast<double>(n * (n - 1));
  RipleyK k;
  for (std::size_t g = 0; g < G; ++g) {
    const double r = step * static_cast<double>(g);
    double num = 0, den = 0, tr = 0, iso = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (b[i] >= r) den += 1;
      for (std::size_t j = 0; j < n; ++j) {
        if (i == j) continue;
        const double dx = x[j] - x[i], dy = y[j] - y[i];
        const double d = std::sqrt(dx * dx + dy * dy);
        if (bin_of(d, step) > g) continue;  // d ≤ r_g on spatstat's bins
        if (b[i] >= r) num += 1;
        tr += std::min(max_weight, A / ((w.width() - std::abs(dx)) * (w.height() - std::abs(dy))));
        iso += ripley_isotropic_weight(x[i], y[i], d, w);
      }
    }
    k.distance.push_back(r);
    k.theo.push_back(pi * r * r);
    k.border.push_back(den > 0 ? num / (lambda * den) : nan);
    k.translation.push_back(r >= std::min(w.width(), w.height()) ? nan : tr * A / npairs);
    k.isotropic.push_back(r >= 0.5 * std::hypot(w.width(), w.height()) ? nan : iso * A / npairs);
  }
  return k;
}

RipleyEnvelope ripley_envelope(std::size_t n, const RectWindow& w, double rmax, std::size_t G, RipleyCorrection c,
                               std::size_t simulations, double alpha, std::uint64_t seed) {
  const auto stream = core::stream_id("ripley");
  auto fill = [&](std::size_t s, double* row) {
    core::Stream rng(seed, stream, s);
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = rng.uniform(w.xmin, w.xmax);
      y[i] = rng.uniform(w.ymin, w.ymax);
    }
    const auto k = ripley_k(x, y, w, rmax, G);
    const auto& v = c == RipleyCorrection::border ? k.border : c == RipleyCorrection::translation ? k.translation : k.isotropic;
    for (std::size_t g = 0; g < G; ++g) {
      row[g] = v[g];
      row[G + g] = std::isfinite(v[g]) ? std::sqrt(std::max(0.0, v[g]) / pi) : v[g];
    }
  };
  const auto m = run_simulations(simulations, 2 * G, "ripley CSR envelope", fill);
  RipleyEnvelope e;
  if (!m.root) {
    e.root = false;
    return e;
  }
  e.k = envelope_bands(m, alpha, 0, G);
  e.l = envelope_bands(m, alpha, G, G);
  return e;
}

}  // namespace agglo::spatial
