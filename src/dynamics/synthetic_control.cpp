// Synthetic control (include/agglo/dynamics/synthetic_control.hpp).
#include "agglo/dynamics/synthetic_control.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"

namespace agglo::dynamics {

namespace {

// Euclidean projection of v onto the simplex {w ≥ 0, Σ w = 1} (Duchi, Shalev-Shwartz, Singer
// & Chandra 2008): w_j = max(v_j − θ, 0) with θ from the sorted values. O(J log J).
void project_simplex(std::vector<double>& v) {
  std::vector<double> u = v;
  std::sort(u.begin(), u.end(), std::greater<>());
  double css = 0, theta = 0;
  for (std::size_t j = 0; j < u.size(); ++j) {
    css += u[j];
    const double t = (css - 1) / static_cast<double>(j + 1);
    if (u[j] - t > 0) theta = t;
  }
  for (auto& x : v) x = std::max(x - theta, 0.0);
}

}  // namespace

std::vector<double> simplex_least_squares(const std::vector<double>& A, std::size_t m, std::size_t J,
                                          const std::vector<double>& b, int max_iterations, double tolerance,
                                          int* iterations) {
  // f(w) = ||b − A w||², ∇f = 2 A'(A w − b), Lipschitz constant L = 2 λ_max(A'A) by power iteration
  auto Aw = [&](const std::vector<double>& w) {
    std::vector<double> r(m, 0.0);
    for (std::size_t j = 0; j < J; ++j)
      if (w[j] != 0)
        for (std::size_t i = 0; i < m; ++i) r[i] += A[j * m + i] * w[j];
    return r;
  };
  auto Atr = [&](const std::vector<double>& r) {
    std::vector<double> g(J, 0.0);
    for (std::size_t j = 0; j < J; ++j)
      for (std::size_t i = 0; i < m; ++i) g[j] += A[j * m + i] * r[i];
    return g;
  };
  std::vector<double> q(J, 1.0);
  double lam = 0;
  for (int it = 0; it < 200; ++it) {
    auto g = Atr(Aw(q));
    double nrm = 0;
    for (double x : g) nrm += x * x;
    nrm = std::sqrt(nrm);
    if (nrm == 0) break;
    for (std::size_t j = 0; j < J; ++j) q[j] = g[j] / nrm;
    lam = nrm;
  }
  const double L = std::max(2 * lam * 1.01, 1e-300);
  std::vector<double> w(J, 1.0 / static_cast<double>(J)), z = w, w_old = w;
  auto f = [&](const std::vector<double>& x) {
    const auto r = Aw(x);
    double s = 0;
    for (std::size_t i = 0; i < m; ++i) s += (r[i] - b[i]) * (r[i] - b[i]);
    return s;
  };
  double tk = 1, f_old = f(w);
  int it = 0;
  int stable = 0;
  for (; it < max_iterations; ++it) {
    auto r = Aw(z);
    for (std::size_t i = 0; i < m; ++i) r[i] -= b[i];
    const auto g = Atr(r);
    std::vector<double> v(J);
    for (std::size_t j = 0; j < J; ++j) v[j] = z[j] - 2 * g[j] / L;
    project_simplex(v);
    w_old = w;
    w = v;
    const double fw = f(w);
    if (fw > f_old) tk = 1;  // adaptive restart (O'Donoghue & Candès 2015) keeps descent monotone
    const double tn = (1 + std::sqrt(1 + 4 * tk * tk)) / 2;
    for (std::size_t j = 0; j < J; ++j) z[j] = w[j] + ((tk - 1) / tn) * (w[j] - w_old[j]);
    tk = tn;
    if (std::fabs(f_old - fw) <= tolerance * std::max(f_old, 1e-300)) {
      if (++stable >= 20) break;
    } else {
      stable = 0;
    }
    f_old = fw;
  }
  if (iterations) *iterations = it;
  return w;
}

SynthControlResult synthetic_control(const PanelData& p, std::size_t treated, std::int64_t T0, const SynthControlOptions& o) {
  const std::size_t n = p.unit_names.size(), T = p.periods.size();
  std::size_t pre = 0;
  for (auto t : p.periods) pre += t < T0;
  if (pre == 0) throw_input(ErrorCode::invalid_value, fmt::format("no period before the treatment time {}", T0));
  if (pre == T) throw_input(ErrorCode::invalid_value, fmt::format("no period at or after the treatment time {}", T0));
  if (n < 3) throw_input(ErrorCode::invalid_value, "synthetic control needs at least two donor units");
  auto fit_one = [&](std::size_t unit, const std::vector<std::size_t>& donors, int* iters) {
    const std::size_t J = donors.size();
    std::vector<double> A(pre * J), b(pre);
    for (std::size_t j = 0; j < J; ++j)
      for (std::size_t t = 0; t < pre; ++t) A[j * pre + t] = p.y[donors[j] * T + t];
    for (std::size_t t = 0; t < pre; ++t) b[t] = p.y[unit * T + t];
    return simplex_least_squares(A, pre, J, b, o.max_iterations, o.tolerance, iters);
  };
  auto paths = [&](std::size_t unit, const std::vector<std::size_t>& donors, const std::vector<double>& w, Placebo& pl,
                   std::vector<double>* synth) {
    double spre = 0, spost = 0;
    for (std::size_t t = 0; t < T; ++t) {
      double s = 0;
      for (std::size_t j = 0; j < donors.size(); ++j) s += w[j] * p.y[donors[j] * T + t];
      const double gap = p.y[unit * T + t] - s;
      (t < pre ? spre : spost) += gap * gap;
      if (synth) synth->push_back(s);
    }
    pl.unit = unit;
    pl.pre_rmspe = std::sqrt(spre / static_cast<double>(pre));
    pl.post_rmspe = std::sqrt(spost / static_cast<double>(T - pre));
    pl.ratio = pl.pre_rmspe > 0 ? pl.post_rmspe / pl.pre_rmspe : std::numeric_limits<double>::infinity();
  };
  SynthControlResult r;
  for (std::size_t i = 0; i < n; ++i)
    if (i != treated) r.donors.push_back(i);
  r.weights = fit_one(treated, r.donors, &r.iterations);
  Placebo main;
  paths(treated, r.donors, r.weights, main, &r.synthetic_path);
  for (std::size_t t = 0; t < T; ++t) {
    r.treated_path.push_back(p.y[treated * T + t]);
    r.gap.push_back(r.treated_path[t] - r.synthetic_path[t]);
    if (t >= pre) r.att += r.gap[t] / static_cast<double>(T - pre);
  }
  r.pre_rmspe = main.pre_rmspe;
  r.post_rmspe = main.post_rmspe;
  r.ratio = main.ratio;
  r.placebos.push_back(main);
  r.placebo_p = std::numeric_limits<double>::quiet_NaN();
  if (o.placebos) {
    std::size_t at_least = 1;
    for (auto d : r.donors) {
      std::vector<std::size_t> pool;
      for (auto e : r.donors)
        if (e != d) pool.push_back(e);
      const auto w = fit_one(d, pool, nullptr);
      Placebo pl;
      paths(d, pool, w, pl, nullptr);
      r.placebos.push_back(pl);
      at_least += pl.ratio >= r.ratio;
    }
    r.placebo_p = static_cast<double>(at_least) / static_cast<double>(r.placebos.size());
  }
  // the convex hull condition: a treated path outside the donors' range cannot be matched
  if (r.pre_rmspe > 0) {
    double sd = 0, mean = 0;
    for (std::size_t t = 0; t < pre; ++t) mean += r.treated_path[t] / static_cast<double>(pre);
    for (std::size_t t = 0; t < pre; ++t) sd += (r.treated_path[t] - mean) * (r.treated_path[t] - mean);
    sd = std::sqrt(sd / static_cast<double>(pre));
    if (sd > 0 && r.pre_rmspe > 0.5 * sd)
      r.warnings.push_back(fmt::format(
          "poor pre-treatment fit (RMSPE {:.4g} against a pre-treatment standard deviation of {:.4g}): the treated unit "
          "may lie outside the convex hull of the donors, and the gap is not a credible effect",
          r.pre_rmspe, sd));
  }
  return r;
}

}  // namespace agglo::dynamics

// ---------------------------------------------------------------------------------------------
// Synthetic difference in differences (include/agglo/dynamics/synthetic_control.hpp).
namespace agglo::dynamics {

namespace {

struct SdidCore {
  double tau = 0, zeta = 0, sigma = 0;
  std::vector<double> omega, lambda;
};

// τ for treated rows `tr` and control rows `co` of Y (n × T row-major), pre periods [0, pre).
SdidCore sdid_core(const std::vector<double>& Y, std::size_t T, std::size_t pre, const std::vector<std::size_t>& tr,
                   const std::vector<std::size_t>& co) {
  const std::size_t J = co.size(), post = T - pre;
  SdidCore c;
  // σ̂: sd of the controls' first differences in the pre-treatment periods
  std::vector<double> diffs;
  for (auto j : co)
    for (std::size_t t = 0; t + 1 < pre; ++t) diffs.push_back(Y[j * T + t + 1] - Y[j * T + t]);
  double m = 0;
  for (double d : diffs) m += d / static_cast<double>(diffs.size());
  double ss = 0;
  for (double d : diffs) ss += (d - m) * (d - m);
  c.sigma = diffs.size() > 1 ? std::sqrt(ss / static_cast<double>(diffs.size() - 1)) : 0;
  c.zeta = std::pow(static_cast<double>(tr.size() * post), 0.25) * c.sigma;
  std::vector<double> ytr(T, 0.0);
  for (auto i : tr)
    for (std::size_t t = 0; t < T; ++t) ytr[t] += Y[i * T + t] / static_cast<double>(tr.size());
  // unit weights: rows = pre periods (centred over t) + J ridge rows
  {
    const std::size_t rows = pre + J;
    std::vector<double> A(rows * J, 0.0), b(rows, 0.0);
    double mb = 0;
    for (std::size_t t = 0; t < pre; ++t) mb += ytr[t] / static_cast<double>(pre);
    for (std::size_t t = 0; t < pre; ++t) b[t] = ytr[t] - mb;
    const double ridge = std::sqrt(c.zeta * c.zeta * static_cast<double>(pre));
    for (std::size_t j = 0; j < J; ++j) {
      double mj = 0;
      for (std::size_t t = 0; t < pre; ++t) mj += Y[co[j] * T + t] / static_cast<double>(pre);
      for (std::size_t t = 0; t < pre; ++t) A[j * rows + t] = Y[co[j] * T + t] - mj;
      A[j * rows + pre + j] = ridge;
    }
    c.omega = simplex_least_squares(A, rows, J, b, 100000, 1e-14);
  }
  // time weights: rows = controls (centred over units) + pre ridge rows
  {
    const std::size_t rows = J + pre;
    std::vector<double> A(rows * pre, 0.0), b(rows, 0.0);
    std::vector<double> ypost(J, 0.0);
    for (std::size_t j = 0; j < J; ++j)
      for (std::size_t t = pre; t < T; ++t) ypost[j] += Y[co[j] * T + t] / static_cast<double>(post);
    double mp = 0;
    for (double v : ypost) mp += v / static_cast<double>(J);
    for (std::size_t j = 0; j < J; ++j) b[j] = ypost[j] - mp;
    const double zl = 1e-6 * c.sigma;
    const double ridge = std::sqrt(zl * zl * static_cast<double>(J));
    for (std::size_t t = 0; t < pre; ++t) {
      double mt = 0;
      for (std::size_t j = 0; j < J; ++j) mt += Y[co[j] * T + t] / static_cast<double>(J);
      for (std::size_t j = 0; j < J; ++j) A[t * rows + j] = Y[co[j] * T + t] - mt;
      A[t * rows + J + t] = ridge;
    }
    c.lambda = simplex_least_squares(A, rows, pre, b, 100000, 1e-14);
  }
  auto contrast = [&](auto y) {  // ȳ_post − Σ λ_t y_t
    double p = 0, q = 0;
    for (std::size_t t = pre; t < T; ++t) p += y(t) / static_cast<double>(post);
    for (std::size_t t = 0; t < pre; ++t) q += c.lambda[t] * y(t);
    return p - q;
  };
  c.tau = contrast([&](std::size_t t) { return ytr[t]; });
  for (std::size_t j = 0; j < J; ++j) c.tau -= c.omega[j] * contrast([&](std::size_t t) { return Y[co[j] * T + t]; });
  return c;
}

}  // namespace

SdidResult synthetic_did(const PanelData& p, const std::vector<std::size_t>& treated, std::int64_t T0, std::size_t placebos,
                         std::uint64_t seed) {
  const std::size_t n = p.unit_names.size(), T = p.periods.size();
  std::size_t pre = 0;
  for (auto t : p.periods) pre += t < T0;
  if (pre < 2) throw_input(ErrorCode::invalid_value, fmt::format("synthetic DiD needs at least two periods before {}", T0));
  if (pre == T) throw_input(ErrorCode::invalid_value, fmt::format("no period at or after the treatment time {}", T0));
  std::vector<bool> is_tr(n, false);
  for (auto i : treated) is_tr[i] = true;
  SdidResult r;
  for (std::size_t i = 0; i < n; ++i)
    if (!is_tr[i]) r.controls.push_back(i);
  if (r.controls.size() <= treated.size())
    throw_input(ErrorCode::invalid_value, "synthetic DiD needs more control units than treated units");
  const auto core = sdid_core(p.y, T, pre, treated, r.controls);
  r.att = core.tau;
  r.unit_weights = core.omega;
  r.time_weights = core.lambda;
  r.zeta = core.zeta;
  r.sigma = core.sigma;
  r.std_error = std::numeric_limits<double>::quiet_NaN();
  if (placebos >= 2) {
    std::vector<double> taus;
    const auto sid = core::stream_id("sdid placebo");
    for (std::size_t b = 0; b < placebos; ++b) {
      core::Stream rng(seed, sid, b);
      auto pool = r.controls;
      for (std::size_t i = pool.size(); i > 1; --i) std::swap(pool[i - 1], pool[rng.below(i)]);
      std::vector<std::size_t> ptr(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(treated.size()));
      std::vector<std::size_t> pco(pool.begin() + static_cast<std::ptrdiff_t>(treated.size()), pool.end());
      taus.push_back(sdid_core(p.y, T, pre, ptr, pco).tau);
    }
    double m = 0;
    for (double v : taus) m += v / static_cast<double>(taus.size());
    double ss = 0;
    for (double v : taus) ss += (v - m) * (v - m);
    const double B = static_cast<double>(taus.size());
    r.std_error = std::sqrt((B - 1) / B) * std::sqrt(ss / (B - 1));
    r.placebos = taus.size();
  }
  return r;
}

}  // namespace agglo::dynamics
