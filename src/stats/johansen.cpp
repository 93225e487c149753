// Johansen's cointegration rank tests and the VECM of a chosen rank (formulas in
// include/agglo/stats/time_series.hpp and docs/methods/structure.md). The steps follow
// statsmodels' coint_johansen line by line, so the statistics agree to rounding error.
#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "agglo/core/error.hpp"
#include "agglo/stats/time_series.hpp"

namespace agglo::stats {

namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// OLS residuals of every column of y on the columns of x (y − x x⁺ y); x may have no columns.
MatrixXd residualise(const MatrixXd& y, const MatrixXd& x) {
  if (x.cols() == 0) return y;
  // A column-pivoting QR solves the least-squares problem stably even when x is nearly
  // collinear (pinv in statsmodels gives the same fitted values).
  Eigen::ColPivHouseholderQR<MatrixXd> qr(x);
  return y - x * qr.solve(y);
}

// Residuals of y on a polynomial of `order` in t ∈ linspace(−1, 1, n) (statsmodels' detrend);
// order −1 leaves y as it is.
MatrixXd detrend(const MatrixXd& y, int order) {
  if (order < 0) return y;
  const auto n = y.rows();
  MatrixXd v(n, order + 1);
  for (Eigen::Index t = 0; t < n; ++t) {
    const double s = n == 1 ? 0.0 : -1.0 + 2.0 * static_cast<double>(t) / static_cast<double>(n - 1);
    for (int j = 0; j <= order; ++j) v(t, j) = std::pow(s, order - j);
  }
  return residualise(y, v);
}

struct Moments {
  MatrixXd r0, r1;  // residuals of Δy_t and y_{t−1} on the lagged differences
  MatrixXd dx, lag_diffs, levels;  // before residualising (used by the VECM)
  std::size_t n = 0;
};

// The two auxiliary regressions of Johansen's procedure (concentrating out the short-run terms).
Moments johansen_moments(const MatrixXd& endog_raw, int det_order, std::size_t p) {
  const int f = det_order > -1 ? 0 : det_order;
  const MatrixXd endog = detrend(endog_raw, det_order);
  const Eigen::Index T = endog.rows(), k = endog.cols();
  const MatrixXd dx_all = endog.bottomRows(T - 1) - endog.topRows(T - 1);  // T−1 differences
  const Eigen::Index n = dx_all.rows() - static_cast<Eigen::Index>(p);
  MatrixXd z(n, k * static_cast<Eigen::Index>(p));
  for (std::size_t lag = 1; lag <= p; ++lag)
    z.middleCols(static_cast<Eigen::Index>(lag - 1) * k, k) =
        dx_all.middleRows(static_cast<Eigen::Index>(p - lag), n);
  Moments m;
  m.n = static_cast<std::size_t>(n);
  m.lag_diffs = z;
  const MatrixXd zd = detrend(z, f);
  m.dx = dx_all.bottomRows(n);
  m.r0 = residualise(detrend(m.dx, f), zd);
  // Levels y_{t−1} aligned with Δy_t: endog rows p … T−2.
  m.levels = endog.middleRows(static_cast<Eigen::Index>(p), n);
  m.r1 = residualise(detrend(m.levels, f), zd);
  return m;
}

MatrixXd to_matrix(const Series& y, std::size_t min_rows, std::size_t p, const char* what) {
  if (y.empty()) throw_input(ErrorCode::empty_input, fmt::format("{}: no series", what));
  const std::size_t T = y[0].size();
  for (const auto& s : y)
    if (s.size() != T)
      throw_input(ErrorCode::invalid_value, fmt::format("{}: the series have different lengths ({} and {})", what, T, s.size()));
  if (T < min_rows)
    throw_input(ErrorCode::invalid_value,
                fmt::format("{}: {} observations are too few for {} variables with lag order {} (need at least {})",
                            what, T, y.size(), p, min_rows),
                {}, "use a lower lag order or longer series");
  MatrixXd m(static_cast<Eigen::Index>(T), static_cast<Eigen::Index>(y.size()));
  for (std::size_t i = 0; i < y.size(); ++i)
    for (std::size_t t = 0; t < T; ++t) {
      if (!std::isfinite(y[i][t]))
        throw_input(ErrorCode::non_finite, fmt::format("{}: series {} has a missing or non-finite value at position {}", what, i + 1, t + 1));
      m(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(i)) = y[i][t];
    }
  return m;
}

}  // namespace

bool JohansenResult::critical_values_available() const { return variables >= 1 && variables <= 12; }

std::size_t JohansenResult::rank_trace(int level) const {
  for (std::size_t r = 0; r < trace_stat.size(); ++r)
    if (!(trace_stat[r] > trace_cv[r][static_cast<std::size_t>(level)])) return r;
  return trace_stat.size();
}

std::size_t JohansenResult::rank_max_eig(int level) const {
  for (std::size_t r = 0; r < max_eig_stat.size(); ++r)
    if (!(max_eig_stat[r] > max_eig_cv[r][static_cast<std::size_t>(level)])) return r;
  return max_eig_stat.size();
}

JohansenResult johansen(const Series& y, int det_order, std::size_t k_ar_diff) {
  if (det_order < -1 || det_order > 1)
    throw_usage(ErrorCode::invalid_option_value, fmt::format("Johansen test: det_order {} is not −1, 0 or 1", det_order));
  const std::size_t k = y.size();
  // The auxiliary regressions need more observations than regressors: n = T − p − 1 > k p + k + 1.
  const std::size_t min_rows = k_ar_diff + 2 + k * (k_ar_diff + 1) + 1;
  const MatrixXd endog = to_matrix(y, min_rows, k_ar_diff, "Johansen test");
  const Moments m = johansen_moments(endog, det_order, k_ar_diff);
  const double n = static_cast<double>(m.n);
  const MatrixXd skk = m.r1.transpose() * m.r1 / n;
  const MatrixXd sk0 = m.r1.transpose() * m.r0 / n;
  const MatrixXd s00 = m.r0.transpose() * m.r0 / n;
  const MatrixXd sig = sk0 * s00.ldlt().solve(sk0.transpose());
  // sig v = λ skk v, a symmetric-definite pencil: the eigenvalues of skk⁻¹ sig, with
  // eigenvectors normalised so that v' skk v = 1 (the normalisation of coint_johansen).
  Eigen::GeneralizedSelfAdjointEigenSolver<MatrixXd> es(sig, skk);
  if (es.info() != Eigen::Success)
    throw_input(ErrorCode::invalid_value,
                "Johansen test: the moment matrix of the lagged levels is singular (a constant or collinear series?)", {},
                "drop constant series or series that are exact combinations of others");
  JohansenResult r;
  r.variables = k;
  r.observations = m.n;
  r.k_ar_diff = k_ar_diff;
  r.det_order = det_order;
  r.eigenvalues.resize(k);
  r.eigenvectors.assign(k, std::vector<double>(k));
  for (std::size_t j = 0; j < k; ++j) {
    const auto src = static_cast<Eigen::Index>(k - 1 - j);  // Eigen sorts ascending
    r.eigenvalues[j] = std::clamp(es.eigenvalues()(src), 0.0, 1.0 - 1e-15);
    for (std::size_t i = 0; i < k; ++i) r.eigenvectors[j][i] = es.eigenvectors()(static_cast<Eigen::Index>(i), src);
  }
  r.trace_stat.resize(k);
  r.max_eig_stat.resize(k);
  r.trace_cv.resize(k);
  r.max_eig_cv.resize(k);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < k; ++i) {
    double s = 0;
    for (std::size_t j = i; j < k; ++j) s += std::log(1.0 - r.eigenvalues[j]);
    r.trace_stat[i] = -n * s;
    r.max_eig_stat[i] = -n * std::log(1.0 - r.eigenvalues[i]);
    const std::size_t free = k - i;  // variables under the null
    for (int c = 0; c < 3; ++c) {
      const bool ok = free >= 1 && free <= 12;
      const std::size_t row = static_cast<std::size_t>(det_order + 1) * 12 + (free - 1);
      r.trace_cv[i][static_cast<std::size_t>(c)] = ok ? detail::johansen_trace_cv[row][c] : nan;
      r.max_eig_cv[i][static_cast<std::size_t>(c)] = ok ? detail::johansen_max_eig_cv[row][c] : nan;
    }
  }
  return r;
}

VecmResult vecm(const Series& y, std::size_t rank, std::size_t p) {
  const std::size_t k = y.size();
  if (rank < 1 || rank > k)
    throw_usage(ErrorCode::invalid_option_value, fmt::format("VECM: rank {} is outside 1…{}", rank, k));
  const std::size_t min_rows = p + 2 + k * (p + 1) + 1;
  const MatrixXd endog = to_matrix(y, min_rows, p, "VECM");
  // Unrestricted constant ("co"): the constant joins the short-run regressors, and the levels
  // enter undetrended. This is coint_johansen with det_order −1 plus a column of ones in z.
  const Eigen::Index T = endog.rows(), kk = endog.cols();
  const MatrixXd dx_all = endog.bottomRows(T - 1) - endog.topRows(T - 1);
  const Eigen::Index n = dx_all.rows() - static_cast<Eigen::Index>(p);
  MatrixXd z(n, kk * static_cast<Eigen::Index>(p) + 1);
  for (std::size_t lag = 1; lag <= p; ++lag)
    z.middleCols(static_cast<Eigen::Index>(lag - 1) * kk, kk) = dx_all.middleRows(static_cast<Eigen::Index>(p - lag), n);
  z.col(z.cols() - 1).setOnes();
  const MatrixXd dx = dx_all.bottomRows(n);
  const MatrixXd lev = endog.middleRows(static_cast<Eigen::Index>(p), n);
  const MatrixXd r0 = residualise(dx, z), r1 = residualise(lev, z);
  const double dn = static_cast<double>(n);
  const MatrixXd s11 = r1.transpose() * r1 / dn, s10 = r1.transpose() * r0 / dn, s00 = r0.transpose() * r0 / dn;
  Eigen::GeneralizedSelfAdjointEigenSolver<MatrixXd> es(s10 * s00.ldlt().solve(s10.transpose()), s11);
  if (es.info() != Eigen::Success)
    throw_input(ErrorCode::invalid_value, "VECM: the moment matrix of the lagged levels is singular (a constant or collinear series?)");
  const auto r = static_cast<Eigen::Index>(rank);
  MatrixXd beta(kk, r);
  for (Eigen::Index j = 0; j < r; ++j) beta.col(j) = es.eigenvectors().col(kk - 1 - j);
  // Normalise: β ← β (β_{1:r,1:r})⁻¹, so the first r rows are the identity (Johansen 1995 §13.2).
  const MatrixXd top = beta.topRows(r);
  beta = beta * top.inverse();
  const MatrixXd alpha = (s10.transpose() * beta) * (beta.transpose() * s11 * beta).inverse();
  // Short-run terms: OLS of Δy − αβ'y_{t−1} on [lagged differences, 1].
  const MatrixXd target = dx - lev * beta * alpha.transpose();
  const MatrixXd coef = Eigen::ColPivHouseholderQR<MatrixXd>(z).solve(target);  // (kp+1) × k
  const MatrixXd resid = target - z * coef;
  VecmResult out;
  out.rank = rank;
  out.k_ar_diff = p;
  out.observations = static_cast<std::size_t>(n);
  out.alpha.assign(k, std::vector<double>(rank));
  out.beta.assign(k, std::vector<double>(rank));
  out.gamma.assign(k, std::vector<double>(k * p));
  out.constant.resize(k);
  out.sigma_u.assign(k, std::vector<double>(k));
  const MatrixXd su = resid.transpose() * resid / dn;
  for (std::size_t i = 0; i < k; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    for (std::size_t j = 0; j < rank; ++j) {
      out.alpha[i][j] = alpha(ii, static_cast<Eigen::Index>(j));
      out.beta[i][j] = beta(ii, static_cast<Eigen::Index>(j));
    }
    for (std::size_t m2 = 0; m2 < k * p; ++m2) out.gamma[i][m2] = coef(static_cast<Eigen::Index>(m2), ii);
    out.constant[i] = coef(z.cols() - 1, ii);
    for (std::size_t j = 0; j < k; ++j) out.sigma_u[i][j] = su(ii, static_cast<Eigen::Index>(j));
  }
  return out;
}

ImpulseResponses vecm_impulse_responses(const VecmResult& m, std::size_t horizon) {
  const auto k = static_cast<Eigen::Index>(m.alpha.size());
  const std::size_t p = m.k_ar_diff + 1;
  auto at = [](const std::vector<std::vector<double>>& v, Eigen::Index i, Eigen::Index j) {
    return v[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  };
  // Γ_i as k × k blocks of gamma (lag-major), Π = αβ'.
  auto gamma = [&](std::size_t lag) {  // lag = 1 … k_ar_diff
    Eigen::MatrixXd g(k, k);
    for (Eigen::Index i = 0; i < k; ++i)
      for (Eigen::Index j = 0; j < k; ++j) g(i, j) = at(m.gamma, i, static_cast<Eigen::Index>(lag - 1) * k + j);
    return g;
  };
  Eigen::MatrixXd pi = Eigen::MatrixXd::Zero(k, k);
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j)
      for (std::size_t r = 0; r < m.rank; ++r) pi(i, j) += m.alpha[static_cast<std::size_t>(i)][r] * m.beta[static_cast<std::size_t>(j)][r];
  std::vector<Eigen::MatrixXd> a(p);
  a[0] = Eigen::MatrixXd::Identity(k, k) + pi;
  if (p > 1) {
    a[0] += gamma(1);
    for (std::size_t i = 2; i < p; ++i) a[i - 1] = gamma(i) - gamma(i - 1);
    a[p - 1] = -gamma(p - 1);
  }
  Eigen::MatrixXd sigma(k, k);
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j) sigma(i, j) = at(m.sigma_u, i, j);
  const Eigen::LLT<Eigen::MatrixXd> llt(sigma);
  if (llt.info() != Eigen::Success)
    throw_input(ErrorCode::invalid_value, "the VECM residual covariance is not positive definite: the series are collinear");
  const Eigen::MatrixXd chol = llt.matrixL();
  std::vector<Eigen::MatrixXd> phi{Eigen::MatrixXd::Identity(k, k)};
  for (std::size_t h = 1; h <= horizon; ++h) {
    Eigen::MatrixXd next = Eigen::MatrixXd::Zero(k, k);
    for (std::size_t j = 1; j <= std::min(h, p); ++j) next += phi[h - j] * a[j - 1];
    phi.push_back(std::move(next));
  }
  ImpulseResponses out;
  auto nested = [&](const Eigen::MatrixXd& x) {
    std::vector<std::vector<double>> v(static_cast<std::size_t>(k), std::vector<double>(static_cast<std::size_t>(k)));
    for (Eigen::Index i = 0; i < k; ++i)
      for (Eigen::Index j = 0; j < k; ++j) v[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = x(i, j);
    return v;
  };
  for (const auto& f : phi) {
    out.irf.push_back(nested(f));
    out.orth.push_back(nested(f * chol));
  }
  return out;
}

}  // namespace agglo::stats
