// The augmented Dickey–Fuller test and Granger causality in a VAR (formulas in
// include/agglo/stats/time_series.hpp and docs/methods/structure.md).
#include <fmt/format.h>

#include <Eigen/Dense>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>

#include "agglo/core/error.hpp"
#include "agglo/stats/time_series.hpp"

namespace agglo::stats {

namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// MacKinnon (1994) approximate p-value for the constant-only τ statistic with one I(1) series:
// p = Φ(polynomial in τ), a quadratic below τ* = −1.61 and a cubic above it.
double mackinnon_p_constant(double tau) {
  if (tau > 2.74) return 1.0;
  if (tau < -18.83) return 0.0;
  if (tau <= -1.61) return normal_cdf(2.1659 + 1.4412 * tau + 0.038269 * tau * tau);
  return normal_cdf(1.7339 + 0.93202 * tau - 0.12745 * tau * tau - 0.010368 * tau * tau * tau);
}

}  // namespace

double f_upper_tail(double x, double d1, double d2) {
  if (!(x > 0)) return 1.0;
  if (!std::isfinite(x)) return 0.0;
  boost::math::fisher_f dist(d1, d2);
  return boost::math::cdf(boost::math::complement(dist, x));
}

AdfResult adf_test(std::span<const double> y, std::size_t lags) {
  const std::size_t T = y.size();
  // Regressors: y_{t−1}, p lagged differences and a constant; n = T − p − 1 rows.
  if (T < lags + 2 + lags + 2 + 1)
    throw_input(ErrorCode::invalid_value,
                fmt::format("ADF test: {} observations are too few for {} lagged differences (need at least {})", T, lags,
                            2 * lags + 5),
                {}, "use fewer lags or a longer series");
  for (std::size_t t = 0; t < T; ++t)
    if (!std::isfinite(y[t]))
      throw_input(ErrorCode::non_finite, fmt::format("ADF test: missing or non-finite value at position {}", t + 1));
  const std::size_t n = T - lags - 1;
  MatrixXd x(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(lags + 2));
  VectorXd dy(static_cast<Eigen::Index>(n));
  for (std::size_t r = 0; r < n; ++r) {
    const std::size_t t = r + lags + 1;  // index of y_t
    const auto rr = static_cast<Eigen::Index>(r);
    dy(rr) = y[t] - y[t - 1];
    x(rr, 0) = y[t - 1];
    for (std::size_t i = 1; i <= lags; ++i) x(rr, static_cast<Eigen::Index>(i)) = y[t - i] - y[t - i - 1];
    x(rr, static_cast<Eigen::Index>(lags + 1)) = 1.0;
  }
  const MatrixXd xtx_inv = (x.transpose() * x).inverse();
  const VectorXd b = xtx_inv * x.transpose() * dy;
  const VectorXd e = dy - x * b;
  const double s2 = e.squaredNorm() / static_cast<double>(n - lags - 2);
  AdfResult r;
  r.lags = lags;
  r.observations = n;
  r.statistic = b(0) / std::sqrt(s2 * xtx_inv(0, 0));
  r.p_value = mackinnon_p_constant(r.statistic);
  // MacKinnon (2010) response surfaces, constant, N = 1: cv = b∞ + b1/n + b2/n² + b3/n³.
  static const double surf[3][4] = {{-3.43035, -6.5393, -16.786, -79.433},
                                    {-2.86154, -2.8903, -4.234, -40.040},
                                    {-2.56677, -1.5384, -2.809, 0.0}};
  const double inv = 1.0 / static_cast<double>(n);
  for (int c = 0; c < 3; ++c)
    r.critical[static_cast<std::size_t>(c)] = surf[c][0] + surf[c][1] * inv + surf[c][2] * inv * inv + surf[c][3] * inv * inv * inv;
  return r;
}

GrangerResult granger_causality(const Series& y, const std::vector<std::size_t>& caused,
                                const std::vector<std::size_t>& causing, std::size_t p) {
  const std::size_t k = y.size();
  if (k < 2) throw_input(ErrorCode::invalid_value, "Granger test: needs at least two series");
  if (p < 1) throw_usage(ErrorCode::invalid_option_value, "Granger test: the lag order must be at least 1");
  if (caused.empty() || causing.empty())
    throw_usage(ErrorCode::invalid_option_value, "Granger test: name at least one caused and one causing series");
  for (auto i : caused)
    for (auto j : causing)
      if (i == j || i >= k || j >= k)
        throw_usage(ErrorCode::invalid_option_value, "Granger test: caused and causing series must be distinct and exist");
  const std::size_t T = y[0].size();
  for (const auto& s : y)
    if (s.size() != T) throw_input(ErrorCode::invalid_value, "Granger test: the series have different lengths");
  const std::size_t params = k * p + 1;  // per equation
  if (T < p + params + 2)
    throw_input(ErrorCode::invalid_value,
                fmt::format("Granger test: {} observations are too few for a VAR({}) in {} series (need at least {})", T, p,
                            k, p + params + 2),
                {}, "use a lower lag order or longer series");
  // Z: n × (1 + k p), the constant first then lag-major blocks [y_{t−1}', …, y_{t−p}'] as
  // statsmodels orders them; Y: n × k.
  const std::size_t n = T - p;
  MatrixXd Z(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(params));
  MatrixXd Y(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  for (std::size_t r = 0; r < n; ++r) {
    const std::size_t t = r + p;
    const auto rr = static_cast<Eigen::Index>(r);
    Z(rr, 0) = 1.0;
    for (std::size_t lag = 1; lag <= p; ++lag)
      for (std::size_t j = 0; j < k; ++j) Z(rr, static_cast<Eigen::Index>(1 + (lag - 1) * k + j)) = y[j][t - lag];
    for (std::size_t j = 0; j < k; ++j) {
      if (!std::isfinite(y[j][t])) throw_input(ErrorCode::non_finite, "Granger test: missing or non-finite value");
      Y(rr, static_cast<Eigen::Index>(j)) = y[j][t];
    }
  }
  const MatrixXd ztz_inv = (Z.transpose() * Z).inverse();
  const MatrixXd B = ztz_inv * Z.transpose() * Y;  // params × k, column = equation
  const MatrixXd U = Y - Z * B;
  const double df_resid = static_cast<double>(n) - static_cast<double>(params);
  const MatrixXd sigma = U.transpose() * U / df_resid;
  // Restricted coefficients: B(1 + (lag−1)k + j, i) for causing j, caused i, every lag. Their
  // covariance is (Z'Z)⁻¹[a,b] Σ_u[i,i'] (the Kronecker structure of vec(B)).
  struct Index { Eigen::Index row, eq; };
  std::vector<Index> idx;
  for (std::size_t lag = 1; lag <= p; ++lag)
    for (auto j : causing)
      for (auto i : caused)
        idx.push_back({static_cast<Eigen::Index>(1 + (lag - 1) * k + j), static_cast<Eigen::Index>(i)});
  const auto q = static_cast<Eigen::Index>(idx.size());
  VectorXd cb(q);
  MatrixXd v(q, q);
  for (Eigen::Index a = 0; a < q; ++a) {
    cb(a) = B(idx[static_cast<std::size_t>(a)].row, idx[static_cast<std::size_t>(a)].eq);
    for (Eigen::Index b = 0; b < q; ++b)
      v(a, b) = ztz_inv(idx[static_cast<std::size_t>(a)].row, idx[static_cast<std::size_t>(b)].row) *
                sigma(idx[static_cast<std::size_t>(a)].eq, idx[static_cast<std::size_t>(b)].eq);
  }
  GrangerResult g;
  g.wald = cb.dot(v.ldlt().solve(cb));
  g.df_num = static_cast<double>(q);
  g.df_den = static_cast<double>(k) * df_resid;
  g.statistic = g.wald / g.df_num;
  g.p_value = f_upper_tail(g.statistic, g.df_num, g.df_den);
  return g;
}

}  // namespace agglo::stats
