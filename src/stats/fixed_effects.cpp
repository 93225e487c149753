// Least squares with absorbed fixed effects (see include/agglo/stats/fixed_effects.hpp).
// Alternating projections are written here rather than taken from a library: Debian has no C++
// package for them (R's lfe/fixest and Stata's reghdfe are the reference implementations).
#include "agglo/stats/fixed_effects.hpp"

#include <Eigen/Dense>
#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "agglo/core/error.hpp"

namespace agglo::stats {

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

std::vector<std::vector<double>> level_counts(const std::vector<Factor>& factors, std::size_t n) {
  std::vector<std::vector<double>> counts;
  for (const auto& f : factors) {
    if (f.level.size() != n)
      throw Error(ErrorKind::internal, ErrorCode::internal_error,
                  fmt::format("factor '{}' has {} levels for {} observations", f.name, f.level.size(), n));
    std::vector<double> c(f.levels, 0.0);
    for (auto l : f.level) c[l] += 1;
    counts.push_back(std::move(c));
  }
  return counts;
}

std::size_t sweep_until_converged(std::vector<double>& v, const std::vector<Factor>& factors,
                                  const std::vector<std::vector<double>>& counts, double tol, std::size_t max_sweeps) {
  if (factors.empty() || v.empty()) return 0;
  double ss = 0;
  for (double x : v) ss += x * x;
  const double scale = 1 + std::sqrt(ss / static_cast<double>(v.size()));
  std::vector<double> mean;
  for (std::size_t s = 1; s <= max_sweeps; ++s) {
    double largest = 0;
    for (std::size_t f = 0; f < factors.size(); ++f) {
      mean.assign(factors[f].levels, 0.0);
      const auto& lv = factors[f].level;
      for (std::size_t i = 0; i < v.size(); ++i) mean[lv[i]] += v[i];
      for (std::size_t l = 0; l < mean.size(); ++l) {
        mean[l] = counts[f][l] > 0 ? mean[l] / counts[f][l] : 0.0;
        largest = std::max(largest, std::fabs(mean[l]));
      }
      for (std::size_t i = 0; i < v.size(); ++i) v[i] -= mean[lv[i]];
    }
    // A single factor is exact after one pass; otherwise the sweep that removed (almost)
    // nothing shows the projections have met.
    if (factors.size() == 1 || largest <= tol * scale) return s;
  }
  throw Error(ErrorKind::internal, ErrorCode::internal_error,
              fmt::format("the fixed effects did not converge in {} sweeps of alternating projections", max_sweeps));
}

}  // namespace

std::size_t absorb(std::vector<double>& v, const std::vector<Factor>& factors, double tolerance, std::size_t max_sweeps) {
  return sweep_until_converged(v, factors, level_counts(factors, v.size()), tolerance, max_sweeps);
}

FixedEffectsFit fixed_effects_ols(std::vector<double> y, std::vector<std::vector<double>> X, const std::vector<Factor>& factors,
                                  const std::vector<std::uint32_t>& cluster, double tolerance) {
  FixedEffectsFit fit;
  const std::size_t n = y.size(), k = X.size();
  fit.n = n;
  fit.k = k;
  const auto counts = level_counts(factors, n);
  // every column is residualised independently: in parallel, bit-identical for any thread count
  std::vector<std::size_t> sweeps(k + 1, 0);
  std::vector<double> raw_ss(k, 0.0);  // sums of squares before absorbing: a column the fixed
  for (std::size_t j = 0; j < k; ++j)  // effects absorb keeps only rounding noise of them
    for (double x : X[j]) raw_ss[j] += x * x;
  tbb::parallel_for(std::size_t{0}, k + 1, [&](std::size_t j) {
    sweeps[j] = sweep_until_converged(j == k ? y : X[j], factors, counts, tolerance, 100000);
  });
  fit.sweeps = *std::max_element(sweeps.begin(), sweeps.end());

  // X̃'X̃ and X̃'ỹ, then the column-by-column Cholesky that finds aliased columns
  Eigen::MatrixXd M(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t i = 0; i < n; ++i) M(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = X[j][i];
  X.clear();
  const Eigen::Map<const Eigen::VectorXd> yv(y.data(), static_cast<Eigen::Index>(n));
  const Eigen::MatrixXd G = M.transpose() * M;
  const Eigen::VectorXd b = M.transpose() * yv;
  std::vector<Eigen::Index> kept;
  Eigen::MatrixXd L = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
  for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(k); ++j) {
    const auto m = static_cast<Eigen::Index>(kept.size());
    Eigen::VectorXd l(m);
    for (Eigen::Index a = 0; a < m; ++a) {
      double s = G(kept[static_cast<std::size_t>(a)], j);
      for (Eigen::Index c = 0; c < a; ++c) s -= L(a, c) * l(c);
      l(a) = s / L(a, a);
    }
    const double d = G(j, j) - l.squaredNorm();
    if (!(G(j, j) > 1e-20 * raw_ss[static_cast<std::size_t>(j)]) || d <= 1e-10 * G(j, j)) {
      fit.aliased.push_back(static_cast<std::size_t>(j));
      continue;
    }
    L.row(m).head(m) = l.transpose();
    L(m, m) = std::sqrt(d);
    kept.push_back(j);
  }
  const auto m = static_cast<Eigen::Index>(kept.size());
  Eigen::MatrixXd Mk(static_cast<Eigen::Index>(n), m);
  Eigen::VectorXd bk(m);
  for (Eigen::Index a = 0; a < m; ++a) Mk.col(a) = M.col(kept[static_cast<std::size_t>(a)]), bk(a) = b(kept[static_cast<std::size_t>(a)]);
  M.resize(0, 0);
  const Eigen::MatrixXd Lk = L.topLeftCorner(m, m);
  const Eigen::MatrixXd Ginv = [&] {
    const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(m, m);
    const Eigen::MatrixXd Linv = Lk.triangularView<Eigen::Lower>().solve(I);
    return Eigen::MatrixXd(Linv.transpose() * Linv);
  }();
  const Eigen::VectorXd beta = Ginv * bk;
  const Eigen::VectorXd e = yv - Mk * beta;
  fit.residuals.assign(e.data(), e.data() + n);
  fit.sse = e.squaredNorm();

  // degrees of freedom of the fixed effects
  std::size_t fe_levels = 0;
  for (const auto& f : factors) fe_levels += f.levels;
  fit.fe_dof = factors.empty() ? 0 : fe_levels - (factors.size() - 1);
  Eigen::MatrixXd V;
  if (cluster.empty()) {
    const double df = static_cast<double>(n) - static_cast<double>(m) - static_cast<double>(fit.fe_dof);
    fit.dof_k = static_cast<std::size_t>(m) + fit.fe_dof;
    V = Ginv * (df > 0 ? fit.sse / df : nan_v);
  } else {
    if (cluster.size() != n)
      throw Error(ErrorKind::internal, ErrorCode::internal_error, "the cluster ids do not match the observations");
    const std::uint32_t C = *std::max_element(cluster.begin(), cluster.end()) + 1;
    Eigen::MatrixXd S = Eigen::MatrixXd::Zero(C, m);
    for (std::size_t i = 0; i < n; ++i) S.row(cluster[i]) += e(static_cast<Eigen::Index>(i)) * Mk.row(static_cast<Eigen::Index>(i));
    std::vector<char> seen(C, 0);
    for (auto c : cluster) seen[c] = 1;
    fit.clusters = static_cast<std::size_t>(std::count(seen.begin(), seen.end(), 1));
    // levels of the factors nested in the clusters (each level within one cluster) are not
    // counted in K (fixest's fixef.K = "nested")
    std::size_t nested = 0;
    for (const auto& f : factors) {
      std::vector<std::int64_t> owner(f.levels, -1);
      bool is_nested = true;
      for (std::size_t i = 0; i < n && is_nested; ++i) {
        auto& o = owner[f.level[i]];
        if (o < 0) o = cluster[i];
        else if (o != static_cast<std::int64_t>(cluster[i])) is_nested = false;
      }
      if (is_nested) nested += f.levels;
    }
    fit.dof_k = static_cast<std::size_t>(m) + (fit.fe_dof > nested ? fit.fe_dof - nested : 0);
    const double Gd = static_cast<double>(fit.clusters), nd = static_cast<double>(n), kd = static_cast<double>(fit.dof_k);
    const double factor = Gd > 1 && nd > kd ? Gd / (Gd - 1) * (nd - 1) / (nd - kd) : nan_v;
    V = Ginv * (S.transpose() * S) * Ginv * factor;
  }
  fit.beta.assign(k, nan_v);
  fit.std_error.assign(k, nan_v);
  fit.vcov.assign(k * k, nan_v);
  for (Eigen::Index a = 0; a < m; ++a) {
    const auto ja = static_cast<std::size_t>(kept[static_cast<std::size_t>(a)]);
    fit.beta[ja] = beta(a);
    fit.std_error[ja] = std::sqrt(V(a, a));
    for (Eigen::Index c = 0; c < m; ++c) fit.vcov[ja * k + static_cast<std::size_t>(kept[static_cast<std::size_t>(c)])] = V(a, c);
  }
  return fit;
}

}  // namespace agglo::stats
