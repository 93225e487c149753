// Ordinary least squares by column-pivoted QR (see include/agglo/stats/ols.hpp).
#include "agglo/stats/ols.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace agglo::stats {

namespace {

Eigen::MatrixXd design(const std::vector<std::vector<double>>& X, std::size_t n) {
  Eigen::MatrixXd M(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(X.size()));
  for (std::size_t j = 0; j < X.size(); ++j)
    for (std::size_t i = 0; i < n; ++i) M(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = X[j][i];
  return M;
}

}  // namespace

OlsFit ols(const std::vector<double>& y, const std::vector<std::vector<double>>& X) {
  OlsFit f;
  f.n = y.size();
  f.k = X.size();
  const Eigen::Map<const Eigen::VectorXd> yv(y.data(), static_cast<Eigen::Index>(y.size()));
  const Eigen::MatrixXd M = design(X, f.n);
  // Aliasing is judged as R's lm.fit does (LINPACK dqrdc2, tol 1e-7): a column whose residual
  // norm after projecting on the earlier columns is below tol times its own norm. We test it
  // column by column with an unpivoted QR of the growing design, which keeps R's order (the later
  // of two collinear columns is the aliased one).
  Eigen::MatrixXd kept(static_cast<Eigen::Index>(f.n), 0);
  for (std::size_t j = 0; j < f.k; ++j) {
    const Eigen::VectorXd c = M.col(static_cast<Eigen::Index>(j));
    const double norm = c.norm();
    double resid = norm;
    if (kept.cols() > 0) {
      Eigen::HouseholderQR<Eigen::MatrixXd> qr(kept);
      const Eigen::VectorXd coef = qr.solve(c);
      resid = (c - kept * coef).norm();
    }
    if (norm == 0 || resid <= 1e-7 * norm) {
      f.aliased.push_back(j);
    } else {
      kept.conservativeResize(Eigen::NoChange, kept.cols() + 1);
      kept.col(kept.cols() - 1) = c;
    }
  }
  f.rank = f.k - f.aliased.size();
  if (!f.aliased.empty()) return f;

  Eigen::HouseholderQR<Eigen::MatrixXd> qr(M);
  const Eigen::VectorXd b = qr.solve(yv);
  const Eigen::VectorXd fit = M * b;
  f.beta.assign(b.data(), b.data() + b.size());
  f.fitted.assign(fit.data(), fit.data() + fit.size());
  f.residuals.resize(f.n);
  f.sse = 0;
  for (std::size_t i = 0; i < f.n; ++i) {
    f.residuals[i] = y[i] - f.fitted[i];
    f.sse += f.residuals[i] * f.residuals[i];
  }
  // (X'X)^{-1} = R^{-1} R^{-T} from the triangular factor (better conditioned than inverting X'X).
  const Eigen::Index k = static_cast<Eigen::Index>(f.k);
  const Eigen::MatrixXd R = qr.matrixQR().topLeftCorner(k, k).triangularView<Eigen::Upper>();
  const Eigen::MatrixXd Rinv = R.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(k, k));
  const Eigen::MatrixXd V = Rinv * Rinv.transpose();
  f.xtx_inv.resize(f.k * f.k);
  for (Eigen::Index a = 0; a < k; ++a)
    for (Eigen::Index c = 0; c < k; ++c) f.xtx_inv[static_cast<std::size_t>(a * k + c)] = V(a, c);
  return f;
}

double ols_sse(const std::vector<double>& y, const std::vector<std::vector<double>>& X) {
  const Eigen::Map<const Eigen::VectorXd> yv(y.data(), static_cast<Eigen::Index>(y.size()));
  const Eigen::MatrixXd M = design(X, y.size());
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(M);
  const Eigen::VectorXd e = yv - M * qr.solve(yv);
  return e.squaredNorm();
}

}  // namespace agglo::stats
