// Maximum-likelihood spatial lag / error / Durbin models, SLX and OLS with diagnostics (see
// include/agglo/spatial/spatial_model.hpp and docs/methods/spatial_model.md).
#include "agglo/spatial/spatial_model.hpp"

#include <Eigen/Dense>
#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <functional>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/stats/ols.hpp"
#include "detail/spatial_model_parts.hpp"

namespace agglo::spatial {

namespace detail {

constexpr double kPi = 3.14159265358979323846;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

double dot(const Vec& a, const Vec& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

double normal_p(double z) { return std::erfc(std::fabs(z) / std::sqrt(2.0)); }

// Brent's (1973) one-dimensional minimiser without derivatives (the algorithm of R's optimize,
// netlib fmin), on [a, b]. `eps` is the relative precision (R uses sqrt(DBL_EPSILON); we use a
// smaller one because every evaluation is cheap and the references are made with a tight tol).
double brent_min(const std::function<double(double)>& f, double a, double b, double tol, std::size_t& evals, double start) {
  const double c = (3.0 - std::sqrt(5.0)) * 0.5, eps = 1e-11;
  // The first point: the golden section of [a, b], or a caller's guess inside it.
  double v = start > a && start < b ? start : a + c * (b - a), w = v, x = v, d = 0, e = 0;
  double fx = f(x), fv = fx, fw = fx;
  ++evals;
  const double tol3 = tol / 3.0;
  for (int it = 0; it < 500; ++it) {
    const double xm = (a + b) * 0.5, tol1 = eps * std::fabs(x) + tol3, t2 = tol1 * 2;
    if (std::fabs(x - xm) <= t2 - (b - a) * 0.5) break;
    double p = 0, q = 0, r = 0;
    if (std::fabs(e) > tol1) {  // parabolic fit through x, w, v
      r = (x - w) * (fx - fv);
      q = (x - v) * (fx - fw);
      p = (x - v) * q - (x - w) * r;
      q = (q - r) * 2;
      if (q > 0) p = -p; else q = -q;
      r = e;
      e = d;
    }
    double u;
    if (std::fabs(p) >= std::fabs(q * 0.5 * r) || p <= q * (a - x) || p >= q * (b - x)) {  // golden section
      e = x < xm ? b - x : a - x;
      d = c * e;
    } else {
      d = p / q;
      u = x + d;
      if (u - a < t2 || b - u < t2) d = x >= xm ? -tol1 : tol1;
    }
    u = std::fabs(d) >= tol1 ? x + d : (d > 0 ? x + tol1 : x - tol1);
    const double fu = f(u);
    ++evals;
    if (fu <= fx) {
      (u < x ? b : a) = x;
      v = w, fv = fw, w = x, fw = fx, x = u, fx = fu;
    } else {
      (u < x ? a : b) = u;
      if (fu <= fw || w == x) v = w, fv = fw, w = u, fw = fu;
      else if (fu <= fv || v == x || v == w) v = u, fv = fu;
    }
  }
  return x;
}

// Inverse of a symmetric positive definite matrix, or empty when it is not.
Eigen::MatrixXd spd_inverse(const Eigen::MatrixXd& m) {
  Eigen::LDLT<Eigen::MatrixXd> ldlt(m);
  if (ldlt.info() != Eigen::Success || !ldlt.isPositive()) return {};
  Eigen::MatrixXd inv = ldlt.solve(Eigen::MatrixXd::Identity(m.rows(), m.cols()));
  if (!inv.allFinite()) return {};
  return inv;
}

Traces traces_at(const SpatialWeights& w, SpatialJacobian& jac, double rho, const SpatialModelParams& prm) {
  const std::size_t n = w.n;
  jac.factorise(rho);
  Traces t;
  {
    const Vec a1 = jac.solve(Vec(n, 1.0));
    const Vec b1 = spatial_lag(w, a1);
    for (std::size_t i = 0; i < n; ++i) t.sum_a1 += a1[i], t.sum_b1 += b1[i];
  }
  if (n <= prm.exact_trace_max_n) {
    t.method = "exact";
    const ExactTraces e = jac.exact_traces();
    t.tr_b = e.tr_b, t.tr_bb = e.tr_bb, t.tr_btb = e.tr_btb;
  } else {
    // Hutchinson (1990): tr(M) = E[z'Mz] for Rademacher z. Seeded stream per probe.
    t.method = "monte_carlo";
    const std::size_t p = std::max<std::size_t>(prm.trace_probes, 1);
    for (std::size_t r = 0; r < p; ++r) {
      core::Stream s(prm.seed, core::stream_id("spatial_model/hutchinson"), r);
      Vec z(n);
      for (auto& v : z) v = s.uniform() < 0.5 ? -1.0 : 1.0;
      const Vec u = spatial_lag(w, jac.solve(z));   // B z
      const Vec u2 = spatial_lag(w, jac.solve(u));  // B² z
      t.tr_b += dot(z, u), t.tr_btb += dot(u, u), t.tr_bb += dot(z, u2);
    }
    t.tr_b /= static_cast<double>(p), t.tr_btb /= static_cast<double>(p), t.tr_bb /= static_cast<double>(p);
  }
  return t;
}

// out = W x for `Width` probes at once (row-major n × Width): one pass over W, a Width-wide FMA
// per link. Compiled for AVX2/FMA and baseline x86-64, chosen at load time.
template <std::size_t Width>
[[gnu::always_inline]] inline void lag_rows(const SpatialWeights& w, const double* __restrict x, double* __restrict out,
                                            std::size_t i0, std::size_t i1) {
  for (std::size_t i = i0; i < i1; ++i) {
    double acc[Width] = {};
    for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) {
      const double wt = w.weight[e];
      const double* xj = x + static_cast<std::size_t>(w.neighbour[e]) * Width;
      for (std::size_t r = 0; r < Width; ++r) acc[r] += wt * xj[r];
    }
    std::copy(acc, acc + Width, out + i * Width);
  }
}
[[gnu::target_clones("arch=haswell", "default")]] void lag_rows4(const SpatialWeights& w, const double* x, double* out,
                                                                  std::size_t i0, std::size_t i1) {
  lag_rows<4>(w, x, out, i0, i1);
}
[[gnu::target_clones("arch=haswell", "default")]] void lag_rows16(const SpatialWeights& w, const double* x, double* out,
                                                                   std::size_t i0, std::size_t i1) {
  lag_rows<16>(w, x, out, i0, i1);
}

// Rows in parallel (each row is computed alone, so the result does not depend on the threads).
void lag_probes(const SpatialWeights& w, std::size_t width, const double* x, double* out) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, w.n, 4096), [&](const tbb::blocked_range<std::size_t>& r) {
    if (width == 4) lag_rows4(w, x, out, r.begin(), r.end());
    else lag_rows16(w, x, out, r.begin(), r.end());
  });
  parallel::check_loop_completed();
}

// W in Cuthill–McKee order (breadth-first from a least-connected region of each component,
// neighbours by increasing degree; Cuthill & McKee 1969): neighbours get nearby indices, so the
// repeated products W^j Z below read memory nearly in order instead of at random (regions read
// in file order have neighbours anywhere; at 10^6 regions each product was bound by cache misses,
// 17.6 s of series against 9 s after). tr(W^j) and 1'W^j 1 do not depend on the order of the
// regions. Used above 50,000 regions.
SpatialWeights locality_ordered(const SpatialWeights& w) {
  const std::size_t n = w.n;
  std::vector<std::uint32_t> order;
  order.reserve(n);
  std::vector<char> seen(n, 0);
  std::vector<std::uint32_t> by_degree(n);
  for (std::size_t i = 0; i < n; ++i) by_degree[i] = static_cast<std::uint32_t>(i);
  std::stable_sort(by_degree.begin(), by_degree.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return w.cardinality(a) < w.cardinality(b); });
  std::vector<std::uint32_t> nb;
  for (std::uint32_t start : by_degree) {
    if (seen[start]) continue;
    seen[start] = 1;
    std::size_t head = order.size();
    order.push_back(start);
    for (; head < order.size(); ++head) {
      const std::uint32_t i = order[head];
      nb.clear();
      for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e)
        if (!seen[w.neighbour[e]]) seen[w.neighbour[e]] = 1, nb.push_back(w.neighbour[e]);
      std::stable_sort(nb.begin(), nb.end(), [&](std::uint32_t a, std::uint32_t b) { return w.cardinality(a) < w.cardinality(b); });
      order.insert(order.end(), nb.begin(), nb.end());
    }
  }
  std::vector<std::uint32_t> pos(n);
  for (std::size_t k = 0; k < n; ++k) pos[order[k]] = static_cast<std::uint32_t>(k);
  SpatialWeights o;
  o.n = n, o.transform = w.transform, o.symmetric = w.symmetric;
  o.offset.assign(n + 1, 0);
  o.neighbour.resize(w.links()), o.weight.resize(w.links());
  std::vector<std::pair<std::uint32_t, double>> row;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t i = order[k];
    row.clear();
    for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) row.emplace_back(pos[w.neighbour[e]], w.weight[e]);
    std::sort(row.begin(), row.end());
    o.offset[k + 1] = o.offset[k] + row.size();
    for (std::size_t r = 0; r < row.size(); ++r) o.neighbour[o.offset[k] + r] = row[r].first, o.weight[o.offset[k] + r] = row[r].second;
  }
  return o;
}

constexpr std::size_t kReorderAbove = 50'000;

// Power traces t_j = tr(W^j)/n (j = 0..q): exact from the eigenvalues when available, else
// t_0 = 1, t_1 = tr(W)/n = 0, t_2 = Σ w_ij w_ji / n exactly and Hutchinson estimates above (the
// Monte-Carlo traces of LeSage & Pace 2009 §4.4 / spatialreg trW(type = "MC")).
Vec power_traces(const SpatialWeights& w, const SpatialJacobian& jac, std::size_t q, const SpatialModelParams& prm) {
  const std::size_t n = w.n;
  Vec t(q + 1, 0.0);
  if (jac.uses_eigen()) {
    const auto& re = jac.eigenvalues_real();
    const auto& im = jac.eigenvalues_imag();
    for (std::size_t i = 0; i < n; ++i) {
      std::complex<double> z(re[i], im[i]), pw(1.0, 0.0);
      for (std::size_t j = 0; j <= q; ++j) t[j] += pw.real(), pw *= z;
    }
    for (auto& v : t) v /= static_cast<double>(n);
    return t;
  }
  // Probes in chunks of `width` (a short last chunk padded with zero probes, which add nothing):
  // Z is n × width row-major, V = W^j Z by one pass over W per power.
  // Each probe averages over n diagonal entries, so above 100,000 regions 4 probes estimate t_j
  // as well as 16 do at 25,000 (their sd falls as 1/√(p n)).
  const std::size_t p = n > 100'000 ? 4 : std::max<std::size_t>(prm.trace_probes / 2, 16);
  const std::size_t width = p == 4 ? 4 : 16;
  Vec z(n * width), v(n * width), u(n * width);
  for (std::size_t r0 = 0; r0 < p; r0 += width) {
    std::fill(z.begin(), z.end(), 0.0);
    for (std::size_t r = r0; r < std::min(p, r0 + width); ++r) {
      core::Stream s(prm.seed, core::stream_id("spatial_model/power_traces"), r);
      for (std::size_t i = 0; i < n; ++i) z[i * width + (r - r0)] = s.uniform() < 0.5 ? -1.0 : 1.0;
    }
    v = z;
    for (std::size_t j = 1; j <= q; ++j) {
      lag_probes(w, width, v.data(), u.data());
      std::swap(u, v);
      t[j] += dot(z, v);
    }
  }
  for (auto& v : t) v /= static_cast<double>(p) * static_cast<double>(n);
  t[0] = 1.0;
  t[1] = 0.0;
  if (q >= 2) {
    double tr_ww = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) {
        const std::size_t j = w.neighbour[e];
        for (std::size_t f = w.offset[j]; f < w.offset[j + 1]; ++f)
          if (w.neighbour[f] == i) tr_ww += w.weight[e] * w.weight[f];
      }
    t[2] = tr_ww / static_cast<double>(n);
  }
  return t;
}

// 1'W^j 1 / n, exactly by repeated products (j = 0..q).
Vec row_sum_series(const SpatialWeights& w, std::size_t q) {
  Vec c(q + 1), v(w.n, 1.0);
  for (std::size_t j = 0; j <= q; ++j) {
    double s = 0;
    for (double x : v) s += x;
    c[j] = s / static_cast<double>(w.n);
    if (j < q) v = spatial_lag(w, v);
  }
  return c;
}

SeriesTraces series_traces(const SpatialWeights& w, const SpatialJacobian& jac, std::size_t q, const SpatialModelParams& prm) {
  if (w.n > kReorderAbove && !jac.uses_eigen()) {
    const SpatialWeights o = locality_ordered(w);
    return {power_traces(o, jac, q, prm), row_sum_series(o, q)};
  }
  return {power_traces(w, jac, q, prm), row_sum_series(w, q)};
}

double series(const Vec& coef, std::size_t shift, double rho) {
  // Σ_{j ≥ 0} ρ^j coef[j + shift]
  double s = 0, pw = 1;
  for (std::size_t j = 0; j + shift < coef.size(); ++j) s += pw * coef[j + shift], pw *= rho;
  return s;
}

Design make_design(const SpatialWeights& w, const Cols& X, const std::vector<std::string>& names, bool durbin) {
  Design d;
  d.X = X;
  d.names = names;
  d.base = X.size();
  for (std::size_t j = 0; j < names.size(); ++j)
    if (names[j] == "(Intercept)") d.intercept = j;
  if (!durbin) return d;
  for (std::size_t j = 0; j < X.size(); ++j) {
    // spatialreg create_WX: the lag of the constant is the constant itself for row-standardised
    // W, so it is left out; for other W it is a real covariate (the neighbour count).
    if (j == d.intercept && w.transform == WeightsTransform::row) continue;
    d.X.push_back(spatial_lag(w, X[j]));
    d.names.push_back("lag." + names[j]);
    d.lag_of.push_back(j);
  }
  return d;
}

void check_aliased(const stats::OlsFit& f, const Design& d) {
  if (f.aliased.empty()) return;
  std::string cols;
  for (std::size_t j : f.aliased) cols += (cols.empty() ? "" : ", ") + d.names[j];
  throw_input(ErrorCode::invalid_value,
              fmt::format("the covariates are collinear: {} {} a linear combination of the other columns (singular X'X)", cols,
                          f.aliased.size() == 1 ? "is" : "are"),
              {}, "drop the aliased column(s); a constant column duplicates the intercept, and for a Durbin model "
                  "a covariate whose lag is collinear with it (e.g. a regional average) cannot be used");
}

Cols lag_columns(const SpatialWeights& w, const Cols& X) {
  Cols out;
  out.reserve(X.size());
  for (const auto& c : X) out.push_back(spatial_lag(w, c));
  return out;
}

void spatial_filter(const Vec& y, const Vec& wy, const Cols& X, const Cols& WX, double l, Vec& yt, Cols& xt) {
  yt.resize(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) yt[i] = y[i] - l * wy[i];
  xt.assign(X.size(), Vec(y.size()));
  for (std::size_t j = 0; j < X.size(); ++j)
    for (std::size_t i = 0; i < y.size(); ++i) xt[j][i] = X[j][i] - l * WX[j][i];
}

double ols_loglik(double sse, std::size_t n) {
  const double nd = static_cast<double>(n);
  return -0.5 * nd * (std::log(2 * kPi) + std::log(sse / nd) + 1.0);
}

// Impacts of a lag model (sar, sdm) at (ρ̂, β̂) with covariance `cov` (order ρ, β; empty: no
// simulated SEs), from the traces `tr` at ρ̂ and the power traces t_j (LeSage & Pace 2009, §2.7).
void lag_impacts(SpatialModelFit& fit, const SpatialWeights& w, const SpatialJacobian& jac, const Design& d, const Vec& beta,
                 double par, const Eigen::MatrixXd& cov, const Traces& tr, const SeriesTraces& st, const SpatialModelParams& prm) {
  const Vec& tj = st.tj;
  const Vec& cj = st.cj;
  const std::size_t n = w.n, k = d.X.size();
  const double nd = static_cast<double>(n);
  const bool have_cov = cov.size() > 0;
  // Lag models: S_k = A(β_k I + θ_k W). tr(A) = n + ρ tr(B) since A = I + ρB.
  const double tra = nd + par * tr.tr_b;
  struct Term { std::string name; std::size_t b; std::size_t t; };  // t = SIZE_MAX: no θ
  std::vector<Term> terms;
  for (std::size_t j = 0; j < d.base; ++j) {
    if (j == d.intercept) continue;
    Term tm{d.names[j], j, SIZE_MAX};
    for (std::size_t l = 0; l < d.lag_of.size(); ++l)
      if (d.lag_of[l] == j) tm.t = d.base + l;
    terms.push_back(tm);
  }
  for (const auto& tm : terms) {
    const double b = beta[tm.b], th = tm.t == SIZE_MAX ? 0.0 : beta[tm.t];
    SpatialImpact im;
    im.term = tm.name;
    im.direct = (b * tra + th * tr.tr_b) / nd;
    im.total = (b * tr.sum_a1 + th * tr.sum_b1) / nd;
    im.indirect = im.total - im.direct;
    fit.impacts.push_back(im);
  }

  // Series for the draws and the spillover decay: t_j = tr(W^j)/n, c_j = 1'W^j 1/n.
  for (const auto& tm : terms) {
    const double b = beta[tm.b], th = tm.t == SIZE_MAX ? 0.0 : beta[tm.t];
    double pw = 1;
    for (std::size_t j = 0; j < prm.impact_orders; ++j, pw *= par) {
      SpatialImpactOrder io;
      io.term = tm.name;
      io.order = j;
      io.direct = pw * (b * tj[j] + th * tj[j + 1]);
      io.total = pw * (b * cj[j] + th * cj[j + 1]);
      io.indirect = io.total - io.direct;
      fit.impact_orders.push_back(io);
    }
  }

  // Simulated standard errors: draws of (ρ, β) ~ N(estimate, cov) (spatialreg impacts, R draws).
  if (!have_cov || prm.impact_draws < 2) return;
  const Eigen::Index P = static_cast<Eigen::Index>(k + 1);
  Eigen::VectorXd mu(P);
  mu(0) = par;
  for (std::size_t j = 0; j < k; ++j) mu(1 + static_cast<Eigen::Index>(j)) = beta[j];
  // A square root of cov by its eigen-decomposition (as MASS::mvrnorm), robust to near-singularity.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(cov);
  const Eigen::MatrixXd root = es.eigenvectors() * es.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal();
  const bool row_exact = w.transform == WeightsTransform::row && w.islands() == 0;
  // a(ρ) = tr(A)/n, b(ρ) = tr(B)/n, c(ρ) = 1'A1/n, e(ρ) = 1'B1/n at a drawn ρ: exact from the
  // eigenvalues / closed form where available, else the exact value at ρ̂ plus the series change.
  const double a_hat = tra / nd, b_hat = tr.tr_b / nd, c_hat = tr.sum_a1 / nd, e_hat = tr.sum_b1 / nd;
  auto funcs = [&](double r, double& a, double& bb, double& c, double& e) {
    if (jac.uses_eigen()) {
      const auto& re = jac.eigenvalues_real();
      const auto& im = jac.eigenvalues_imag();
      double sa = 0, sb = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const std::complex<double> om(re[i], im[i]);
        const std::complex<double> inv = 1.0 / (1.0 - r * om);
        sa += inv.real(), sb += (om * inv).real();
      }
      a = sa / nd, bb = sb / nd;
    } else {
      a = a_hat + series(tj, 0, r) - series(tj, 0, par);
      bb = b_hat + series(tj, 1, r) - series(tj, 1, par);
    }
    if (row_exact) {
      c = e = 1.0 / (1.0 - r);
    } else {
      c = c_hat + series(cj, 0, r) - series(cj, 0, par);
      e = e_hat + series(cj, 1, r) - series(cj, 1, par);
    }
  };
  const std::size_t R = prm.impact_draws;
  std::vector<std::vector<double>> dir(terms.size()), ind(terms.size()), tot(terms.size());
  for (std::size_t r = 0; r < R; ++r) {
    core::Stream s(prm.seed, core::stream_id("spatial_model/impact_draws"), r);
    Eigen::VectorXd z(P);
    for (Eigen::Index i = 0; i < P; ++i) z(i) = s.normal();
    const Eigen::VectorXd th = mu + root * z;
    // A draw of ρ outside the parameter space has no impacts (S is not defined or changes sign
    // at 1/ω): it is dropped, as spatialreg's impacts() drops samples outside the interval.
    if (!(th(0) > jac.lower() && th(0) < jac.upper())) continue;
    double a, bb, c, e;
    funcs(th(0), a, bb, c, e);
    for (std::size_t m = 0; m < terms.size(); ++m) {
      const double b = th(1 + static_cast<Eigen::Index>(terms[m].b));
      const double t = terms[m].t == SIZE_MAX ? 0.0 : th(1 + static_cast<Eigen::Index>(terms[m].t));
      const double di = b * a + t * bb, to = b * c + t * e;
      dir[m].push_back(di), tot[m].push_back(to), ind[m].push_back(to - di);
    }
  }
  auto sd = [](const std::vector<double>& v) {
    double m = 0;
    for (double x : v) m += x;
    m /= static_cast<double>(v.size());
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return std::sqrt(s / static_cast<double>(v.size() - 1));
  };
  if (dir.empty() || dir[0].size() < 2) return;
  for (std::size_t m = 0; m < terms.size(); ++m) {
    fit.impacts[m].direct_se = sd(dir[m]);
    fit.impacts[m].indirect_se = sd(ind[m]);
    fit.impacts[m].total_se = sd(tot[m]);
  }
}

}  // namespace detail

using namespace detail;

SpatialModelKind parse_spatial_model(const std::string& s) {
  if (s == "ols") return SpatialModelKind::ols;
  if (s == "slx") return SpatialModelKind::slx;
  if (s == "sar" || s == "lag") return SpatialModelKind::sar;
  if (s == "sem" || s == "error") return SpatialModelKind::sem;
  if (s == "sdm" || s == "durbin") return SpatialModelKind::sdm;
  if (s == "sdem") return SpatialModelKind::sdem;
  throw_usage(ErrorCode::invalid_option_value, fmt::format("unknown spatial model '{}'", s), "ols, slx, sar, sem, sdm or sdem");
}

std::string to_string(SpatialModelKind k) {
  switch (k) {
    case SpatialModelKind::ols: return "ols";
    case SpatialModelKind::slx: return "slx";
    case SpatialModelKind::sar: return "sar";
    case SpatialModelKind::sem: return "sem";
    case SpatialModelKind::sdm: return "sdm";
    case SpatialModelKind::sdem: return "sdem";
  }
  return "?";
}

SpatialModelFit fit_spatial_model(const SpatialWeights& w, const Vec& y, const Cols& X, const std::vector<std::string>& names,
                                  const SpatialModelParams& prm) {
  if (prm.estimator == SpatialEstimator::gmm) return fit_spatial_gmm(w, y, X, names, prm);
  const std::size_t n = y.size();
  AGGLO_ASSERT(w.n == n && names.size() == X.size());
  const SpatialModelKind kind = prm.kind;
  const bool durbin = kind == SpatialModelKind::slx || kind == SpatialModelKind::sdm || kind == SpatialModelKind::sdem;
  const bool lag_model = kind == SpatialModelKind::sar || kind == SpatialModelKind::sdm;
  const bool err_model = kind == SpatialModelKind::sem || kind == SpatialModelKind::sdem;
  const Design d = make_design(w, X, names, durbin);
  const std::size_t k = d.X.size();
  const double nd = static_cast<double>(n), kd = static_cast<double>(k);
  if (n < k + 3)
    throw_input(ErrorCode::empty_input,
                fmt::format("{} regions are too few for a {} model with {} coefficients (need at least {})", n, to_string(kind), k, k + 3),
                {}, "use fewer covariates or more regions");

  SpatialModelFit fit;
  fit.kind = kind;
  fit.n = n;

  // OLS on the design: the baseline, the diagnostics and the SLX/OLS estimates.
  const stats::OlsFit o = stats::ols(y, d.X);
  check_aliased(o, d);
  fit.ols_log_likelihood = ols_loglik(o.sse, n);
  fit.ols_aic = -2 * fit.ols_log_likelihood + 2 * (kd + 1);
  fit.diagnostics = ols_diagnostics(w, y, d.X, o.residuals, o.fitted, o.xtx_inv);

  if (!lag_model && !err_model) {  // ols, slx: lm with s² = SSE/(n − k) and t p-values
    const double s2 = o.sse / (nd - kd);
    for (std::size_t j = 0; j < k; ++j) {
      const double se = std::sqrt(s2 * o.xtx_inv[j * k + j]);
      const double t = o.beta[j] / se;
      fit.coefficients.push_back({d.names[j], o.beta[j], se, t, student_t_p(t, nd - kd)});
    }
    fit.sigma2 = s2;
    fit.log_likelihood = fit.ols_log_likelihood;
    fit.aic = fit.ols_aic;
    fit.parameters = k + 1;
    fit.residuals = o.residuals;
    fit.fitted = o.fitted;
    fit.logdet_method = "none";
    fit.trace_method = "none";
    if (kind == SpatialModelKind::slx) {
      for (std::size_t l = 0; l < d.lag_of.size(); ++l) {
        const std::size_t b = d.lag_of[l], t = d.base + l;
        if (b == d.intercept) continue;
        SpatialImpact im;
        im.term = d.names[b];
        im.direct = o.beta[b], im.indirect = o.beta[t], im.total = o.beta[b] + o.beta[t];
        im.direct_se = std::sqrt(s2 * o.xtx_inv[b * k + b]);
        im.indirect_se = std::sqrt(s2 * o.xtx_inv[t * k + t]);
        im.total_se = std::sqrt(s2 * (o.xtx_inv[b * k + b] + o.xtx_inv[t * k + t] + 2 * o.xtx_inv[b * k + t]));
        fit.impacts.push_back(im);
      }
    }
    return fit;
  }

  SpatialJacobian jac(w, prm.logdet);
  fit.logdet_method = jac.uses_eigen() ? "eigen" : jac.uses_cholesky() ? "sparse_cholesky" : "sparse_lu";
  fit.interval_lower = jac.lower();
  fit.interval_upper = jac.upper();
  const Vec wy = spatial_lag(w, y);
  const double c2pi = -0.5 * nd * std::log(2 * kPi);
  // t_j = tr(W^j)/n for the impacts' draws and decay (j = 0..q+1); with the sparse Jacobian also
  // the warm start of the maximisation below.
  const std::size_t q = std::max<std::size_t>(40, prm.impact_orders + 1);
  const SeriesTraces st = series_traces(w, jac, q + 1, prm);
  const Vec& tj = st.tj;
  // ρ̂ (λ̂) maximises ℓ(ρ) = ln|I − ρW| + rest(ρ) by Brent's method. With the eigenvalues every
  // evaluation is O(n), so Brent runs on the whole interval. With a sparse factorisation per
  // evaluation, a warm start halves their number: Brent first maximises the power-series
  // approximation ln|I − ρW| ≈ −n Σ_{j=1}^{q+1} ρ^j t_j / j (LeSage & Pace 2009, §4.4; free, since
  // t_j is computed anyway), then the exact ℓ on a window of ±0.02 (warm_start_window) around
  // that maximum, starting from it; if the exact maximum lies at an inner edge of the window (the
  // series is poor near |ρ| = 1), Brent runs again on the whole interval. Either way the result
  // is the exact ℓ's maximiser.
  auto maximise = [&](const std::function<double(double)>& negll, const std::function<double(double)>& rest) {
    const double lo = jac.lower(), hi = jac.upper();
    if (jac.uses_eigen()) return brent_min(negll, lo, hi, prm.tol, fit.evaluations);
    auto approx = [&](double r) {
      double ld = 0, pw = r;
      for (std::size_t j = 1; j < tj.size(); ++j, pw *= r) ld -= nd * pw * tj[j] / static_cast<double>(j);
      return -(ld + rest(r));
    };
    std::size_t approx_evals = 0;
    const double guess = brent_min(approx, lo, hi, 1e-6, approx_evals);
    const double h = prm.warm_start_window, a = std::max(lo, guess - h), b = std::min(hi, guess + h);
    const double r = brent_min(negll, a, b, prm.tol, fit.evaluations, guess);
    // Brent never evaluates closer than ~2·tol to an end, so "at the edge" means within a small
    // share of the window (a true interior maximum that close to it only costs the re-run).
    const double edge = std::max(2e-3 * (b - a), 10 * prm.tol);
    if ((a > lo && r - a < edge) || (b < hi && b - r < edge)) return brent_min(negll, lo, hi, prm.tol, fit.evaluations);
    return r;
  };

  double par = 0;
  if (lag_model) {
    // Concentrated likelihood of the lag model (Anselin 1988, eq. 6.23): with e0, eL the OLS
    // residuals of y and Wy on X, SSE(ρ) = e0'e0 − 2ρ eL'e0 + ρ² eL'eL and
    // ℓ(ρ) = ln|I − ρW| − n/2 ln(2π) − n/2 ln(SSE/n) − n/2.
    const stats::OlsFit ol = stats::ols(wy, d.X);
    const double ea = dot(o.residuals, o.residuals), eb = dot(ol.residuals, o.residuals), ec = dot(ol.residuals, ol.residuals);
    auto rest = [&](double r) {
      const double sse = ea - 2 * r * eb + r * r * ec;
      return c2pi - 0.5 * nd * std::log(sse / nd) - 0.5 * nd;
    };
    auto negll = [&](double r) { return -(jac.log_det(r) + rest(r)); };
    par = maximise(negll, rest);
    fit.log_likelihood = -negll(par);
  } else {
    // Concentrated likelihood of the error model (Anselin 1988, eq. 6.32): SSE(λ) of the OLS of
    // y − λWy on X − λWX.
    const Cols WX = lag_columns(w, d.X);
    auto sse_at = [&](double l) {
      Vec yl;
      Cols xl;
      spatial_filter(y, wy, d.X, WX, l, yl, xl);
      return stats::ols_sse(yl, xl);
    };
    auto rest = [&](double l) { return c2pi - 0.5 * nd * std::log(sse_at(l) / nd) - 0.5 * nd; };
    auto negll = [&](double l) { return -(jac.log_det(l) + rest(l)); };
    par = maximise(negll, rest);
    fit.log_likelihood = -negll(par);
  }
  const double span = jac.upper() - jac.lower();
  if (par - jac.lower() < 1e-6 * span || jac.upper() - par < 1e-6 * span) {
    fit.at_boundary = true;
    fit.warnings.push_back(fmt::format("{} = {:.6g} is at the bound of its interval [{:.6g}, {:.6g}]: the likelihood has no "
                                       "interior maximum; standard errors and impacts are not reported",
                                       lag_model ? "rho" : "lambda", par, jac.lower(), jac.upper()));
  }
  fit.parameters = k + 2;
  fit.aic = -2 * fit.log_likelihood + 2 * static_cast<double>(fit.parameters);
  fit.lr_statistic = 2 * (fit.log_likelihood - fit.ols_log_likelihood);
  fit.lr_p = std::erfc(std::sqrt(std::max(0.0, fit.lr_statistic) / 2));

  // β at the estimate, residuals, σ² = SSE/n: OLS of (I − ρW)y on X, or of (I − λW)y on (I − λW)X.
  Vec yt;
  Cols xt;
  if (lag_model) {
    spatial_filter(y, wy, {}, {}, par, yt, xt);  // y − ρWy
    xt = d.X;
  } else {
    spatial_filter(y, wy, d.X, lag_columns(w, d.X), par, yt, xt);
  }
  const stats::OlsFit f = stats::ols(yt, xt);
  check_aliased(f, d);
  const double s2 = f.sse / nd;
  fit.sigma2 = s2;
  fit.residuals = f.residuals;
  fit.fitted.resize(n);
  for (std::size_t i = 0; i < n; ++i) fit.fitted[i] = y[i] - f.residuals[i];

  // Asymptotic covariance from the analytic information matrix (spatialreg's "eigen"/small-n path).
  Eigen::MatrixXd cov;  // (ρ or λ, β) block
  Traces tr;
  if (!fit.at_boundary) {
    tr = traces_at(w, jac, par, prm);
    fit.trace_method = jac.uses_eigen() && tr.method == "exact" ? "exact" : tr.method;
    const Eigen::Index K = static_cast<Eigen::Index>(k);
    Eigen::MatrixXd I = Eigen::MatrixXd::Zero(K + 2, K + 2);
    I(0, 0) = nd / (2 * s2 * s2);
    I(0, 1) = I(1, 0) = tr.tr_b / s2;
    Eigen::MatrixXd XtX(K, K);
    for (Eigen::Index a = 0; a < K; ++a)
      for (Eigen::Index b = 0; b < K; ++b) XtX(a, b) = dot(xt[static_cast<std::size_t>(a)], xt[static_cast<std::size_t>(b)]);
    I.bottomRightCorner(K, K) = XtX / s2;
    if (lag_model) {
      // B X β and its cross-products: the ρ–β block (Anselin 1988, eq. 6.28).
      Vec xb(n, 0.0);
      for (std::size_t j = 0; j < k; ++j)
        for (std::size_t i = 0; i < n; ++i) xb[i] += d.X[j][i] * f.beta[j];
      jac.factorise(par);
      const Vec bxb = spatial_lag(w, jac.solve(xb));
      I(1, 1) = tr.tr_bb + tr.tr_btb + dot(bxb, bxb) / s2;
      for (std::size_t j = 0; j < k; ++j) I(1, 2 + static_cast<Eigen::Index>(j)) = I(2 + static_cast<Eigen::Index>(j), 1) = dot(d.X[j], bxb) / s2;
    } else {
      I(1, 1) = tr.tr_bb + tr.tr_btb;
    }
    const Eigen::MatrixXd V = spd_inverse(I);
    if (V.size() == 0) {
      fit.warnings.push_back("the information matrix is not positive definite; standard errors are not reported");
    } else if (lag_model) {
      cov = V.bottomRightCorner(K + 1, K + 1);
    } else {
      // errorsarlm: λ's variance from the (σ², λ) block; β's from s² (X_λ'X_λ)^{-1} (block diagonal).
      cov = Eigen::MatrixXd::Zero(K + 1, K + 1);
      cov(0, 0) = V(1, 1);
      for (Eigen::Index a = 0; a < K; ++a)
        for (Eigen::Index b = 0; b < K; ++b) cov(1 + a, 1 + b) = s2 * f.xtx_inv[static_cast<std::size_t>(a * K + b)];
    }
  }
  const bool have_cov = cov.size() > 0;
  for (std::size_t j = 0; j < k; ++j) {
    const double se = have_cov ? std::sqrt(cov(1 + static_cast<Eigen::Index>(j), 1 + static_cast<Eigen::Index>(j))) : kNaN;
    const double z = f.beta[j] / se;
    fit.coefficients.push_back({d.names[j], f.beta[j], se, z, normal_p(z)});
  }
  const double par_se = have_cov ? std::sqrt(cov(0, 0)) : kNaN;
  fit.coefficients.push_back({lag_model ? "rho" : "lambda", par, par_se, par / par_se, normal_p(par / par_se)});
  if (lag_model) fit.rho = par, fit.rho_se = par_se;
  else fit.lambda = par, fit.lambda_se = par_se;

  // ---- impacts
  if (err_model) {
    if (kind == SpatialModelKind::sdem) {
      // Direct β, indirect θ, total β + θ, with the ML covariance σ̂²(X_λ'X_λ)^{-1} (σ̂² = SSE/n),
      // the values spatialreg's impacts() of errorsarlm(Durbin = TRUE) reports.
      const double s2u = s2;
      for (std::size_t l = 0; l < d.lag_of.size(); ++l) {
        const std::size_t b = d.lag_of[l], t = d.base + l;
        if (b == d.intercept) continue;
        SpatialImpact im;
        im.term = d.names[b];
        im.direct = f.beta[b], im.indirect = f.beta[t], im.total = f.beta[b] + f.beta[t];
        im.direct_se = std::sqrt(s2u * f.xtx_inv[b * k + b]);
        im.indirect_se = std::sqrt(s2u * f.xtx_inv[t * k + t]);
        im.total_se = std::sqrt(s2u * (f.xtx_inv[b * k + b] + f.xtx_inv[t * k + t] + 2 * f.xtx_inv[b * k + t]));
        fit.impacts.push_back(im);
      }
    }
    return fit;
  }
  if (fit.at_boundary) return fit;

  lag_impacts(fit, w, jac, d, f.beta, par, cov, tr, st, prm);
  return fit;
}

}  // namespace agglo::spatial
