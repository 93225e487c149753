// Spatial diagnostics of OLS residuals: Moran's I with its moments under normality (Cliff & Ord
// 1981, ch. 8; spdep lm.morantest) and the LM tests of Anselin, Bera, Florax & Yoon (1996)
// (spdep lm.LMtests). Formulas in docs/methods/spatial_model.md §3. Every trace is computed
// from sparse products and k × k matrices, O(links · k + n k² + k³), never an n × n matrix.
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

#include "agglo/spatial/spatial_model.hpp"

namespace agglo::spatial {

namespace {

// Regularised incomplete beta I_x(a, b) by Lentz's continued fraction (Press et al. 2007, §6.4).
double betacf(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < 1e-16) break;
  }
  return h;
}

double inc_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double lbt = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return std::exp(lbt) * betacf(a, b, x) / a;
  return 1 - std::exp(lbt) * betacf(b, a, 1 - x) / b;
}

double chisq_p(double x, int df) {
  if (!(x >= 0)) return std::nan("");
  if (df == 1) return std::erfc(std::sqrt(x / 2));
  if (df == 2) return std::exp(-x / 2);
  return std::nan("");
}

using Mat = Eigen::MatrixXd;

}  // namespace

double student_t_p(double t, double df) {
  if (std::isnan(t)) return t;
  return inc_beta(df / 2, 0.5, df / (df + t * t));
}

OlsDiagnostics ols_diagnostics(const SpatialWeights& w, const std::vector<double>& y,
                               const std::vector<std::vector<double>>& X, const std::vector<double>& e,
                               const std::vector<double>& fitted, const std::vector<double>& xtx_inv) {
  const std::size_t n = w.n, k = X.size();
  const Eigen::Index K = static_cast<Eigen::Index>(k);
  OlsDiagnostics d;

  // Sparse products with W and W'.
  auto lag = [&](const std::vector<double>& v) { return spatial_lag(w, v); };
  auto lag_t = [&](const std::vector<double>& v) {
    std::vector<double> r(n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t q = w.offset[i]; q < w.offset[i + 1]; ++q) r[w.neighbour[q]] += w.weight[q] * v[i];
    return r;
  };
  auto dot = [](const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
  };

  // tr(WW) = Σ w_ij w_ji and tr(W'W) = Σ w_ij².
  double tr_ww = 0, tr_wtw = 0, S0 = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t q = w.offset[i]; q < w.offset[i + 1]; ++q) {
      const std::size_t j = w.neighbour[q];
      S0 += w.weight[q];
      tr_wtw += w.weight[q] * w.weight[q];
      // w_ji by binary search in row j.
      const auto b = w.neighbour.begin() + static_cast<std::ptrdiff_t>(w.offset[j]);
      const auto en = w.neighbour.begin() + static_cast<std::ptrdiff_t>(w.offset[j + 1]);
      const auto it = std::lower_bound(b, en, static_cast<std::uint32_t>(i));
      if (it != en && *it == i) tr_ww += w.weight[q] * w.weight[static_cast<std::size_t>(it - w.neighbour.begin())];
    }

  Mat XtXi(K, K);
  for (Eigen::Index a = 0; a < K; ++a)
    for (Eigen::Index b = 0; b < K; ++b) XtXi(a, b) = xtx_inv[static_cast<std::size_t>(a * K + b)];
  std::vector<std::vector<double>> WX(k), WtX(k);
  for (std::size_t j = 0; j < k; ++j) WX[j] = lag(X[j]), WtX[j] = lag_t(X[j]);
  Mat XWX(K, K), WXWX(K, K), WtXWtX(K, K);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b) {
      XWX(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = dot(X[a], WX[b]);
      WXWX(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = dot(WX[a], WX[b]);
      WtXWtX(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = dot(WtX[a], WtX[b]);
    }
  const Mat P1 = XtXi * XWX;  // (X'X)^{-1} X'WX
  const double tr_mw = -P1.trace();
  // X'W W X = (W'X)'(WX) and X'W W' X = (W'X)'(W'X), X'W'W X = (WX)'(WX).
  Mat WtXWX(K, K);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b) WtXWX(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = dot(WtX[a], WX[b]);
  const double tr_mwmw = tr_ww - 2 * (XtXi * WtXWX).trace() + (P1 * P1).trace();
  const double tr_mwmwt = tr_wtw - (XtXi * WtXWtX).trace() - (XtXi * WXWX).trace() + (P1 * (XtXi * XWX.transpose())).trace();

  const double ee = dot(e, e);
  const std::vector<double> We = lag(e);
  const double eWe = dot(e, We);
  // spdep lm.morantest with zero.policy: N counts the regions that have neighbours.
  const double nd = static_cast<double>(n - w.islands()), kd = static_cast<double>(k);
  d.moran_I = nd / S0 * eWe / ee;
  d.moran_expected = nd / S0 * tr_mw / (nd - kd);
  d.moran_variance = (nd / S0) * (nd / S0) * (tr_mwmwt + tr_mwmw + tr_mw * tr_mw) / ((nd - kd) * (nd - kd + 2)) -
                     d.moran_expected * d.moran_expected;
  d.moran_z = (d.moran_I - d.moran_expected) / std::sqrt(d.moran_variance);
  d.moran_p = 0.5 * std::erfc(d.moran_z / std::sqrt(2.0));

  // LM tests (spdep lm.LMtests): σ² = e'e/n, T = tr(W'W + WW),
  // nJ = [(W ŷ)'M(W ŷ) + T σ²] / σ², with M = I − X(X'X)^{-1}X'.
  const double s2 = ee / static_cast<double>(n);  // lm.LMtests: N is all regions
  const double T = tr_wtw + tr_ww;
  const std::vector<double> Wy = lag(y), Wyhat = lag(fitted);
  Eigen::VectorXd XtWyhat(K);
  for (std::size_t a = 0; a < k; ++a) XtWyhat(static_cast<Eigen::Index>(a)) = dot(X[a], Wyhat);
  const double nJ = (dot(Wyhat, Wyhat) - XtWyhat.dot(XtXi * XtWyhat) + T * s2) / s2;
  const double dutWu = eWe / s2, dutWy = dot(e, Wy) / s2;
  auto test = [](double stat, int df) { return LmTest{stat, chisq_p(stat, df), df}; };
  d.lm_err = test(dutWu * dutWu / T, 1);
  d.lm_lag = test(dutWy * dutWy / nJ, 1);
  const double r_err = dutWu - T / nJ * dutWy;
  d.rlm_err = test(r_err * r_err / (T * (1 - T / nJ)), 1);
  d.rlm_lag = test((dutWy - dutWu) * (dutWy - dutWu) / (nJ - T), 1);
  d.sarma = test(d.rlm_lag.statistic + d.lm_err.statistic, 2);
  return d;
}

}  // namespace agglo::spatial
