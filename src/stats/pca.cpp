#include "agglo/stats/pca.hpp"

#include <Eigen/Dense>

#include <cmath>

namespace agglo::stats {

FirstComponent first_principal_component(const std::vector<std::vector<double>>& columns) {
  FirstComponent out;
  const std::size_t k = columns.size();
  out.loadings.assign(k, 0.0);
  out.weights.assign(k, k ? 1.0 / static_cast<double>(k) : 0.0);
  if (k == 0) return out;
  const std::size_t n = columns.front().size();
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < n; ++i) {
    bool ok = true;
    for (const auto& c : columns) ok = ok && std::isfinite(c[i]);
    if (ok) rows.push_back(i);
  }
  out.rows_used = rows.size();
  if (k == 1) {
    out.loadings[0] = 1;
    out.weights[0] = 1;
    out.eigenvalue = 1;
    out.explained = 1;
    return out;
  }
  if (rows.size() < k + 1) return out;
  // Standardise each column over the complete rows, then R = ZᵀZ / (m − 1).
  Eigen::MatrixXd z(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(k));
  for (std::size_t j = 0; j < k; ++j) {
    double s = 0, s2 = 0;
    for (auto i : rows) s += columns[j][i];
    const double mu = s / static_cast<double>(rows.size());
    for (auto i : rows) s2 += (columns[j][i] - mu) * (columns[j][i] - mu);
    const double sdv = std::sqrt(s2 / static_cast<double>(rows.size() - 1));
    if (!(sdv > 0)) return out;
    for (std::size_t r = 0; r < rows.size(); ++r)
      z(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j)) = (columns[j][rows[r]] - mu) / sdv;
  }
  const Eigen::MatrixXd corr = (z.transpose() * z) / static_cast<double>(rows.size() - 1);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(corr);
  const Eigen::Index last = static_cast<Eigen::Index>(k) - 1;  // eigenvalues ascending
  Eigen::VectorXd v = es.eigenvectors().col(last);
  if (v.sum() < 0) v = -v;
  out.eigenvalue = es.eigenvalues()(last);
  out.explained = out.eigenvalue / static_cast<double>(k);
  for (std::size_t j = 0; j < k; ++j) {
    const double vj = v(static_cast<Eigen::Index>(j));
    out.loadings[j] = vj * std::sqrt(std::max(out.eigenvalue, 0.0));
    out.weights[j] = vj * vj;
    out.negative_loading = out.negative_loading || vj < 0;
  }
  return out;
}

}  // namespace agglo::stats
