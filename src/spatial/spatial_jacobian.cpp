// ln|I − ρW| and solves with I − ρW (see include/agglo/spatial/spatial_jacobian.hpp).
#include "agglo/spatial/spatial_jacobian.hpp"

#include <Eigen/Dense>
#include <Eigen/Eigenvalues>
#include <Eigen/OrderingMethods>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>

#include "agglo/core/error.hpp"

namespace agglo::spatial {

namespace {

using SpMat = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;

// I − ρW as a sparse matrix; the pattern (diagonal + links) does not depend on ρ.
SpMat i_minus_rho_w(const SpatialWeights& w, double rho) {
  std::vector<Eigen::Triplet<double, int>> t;
  t.reserve(w.n + w.links());
  for (std::size_t i = 0; i < w.n; ++i) {
    t.emplace_back(static_cast<int>(i), static_cast<int>(i), 1.0);
    for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e)
      t.emplace_back(static_cast<int>(i), static_cast<int>(w.neighbour[e]), -rho * w.weight[e]);
  }
  SpMat m(static_cast<int>(w.n), static_cast<int>(w.n));
  m.setFromTriplets(t.begin(), t.end());
  m.makeCompressed();
  return m;
}

}  // namespace

struct SpatialJacobian::Impl {
  const SpatialWeights& w;
  Eigen::SparseLU<SpMat, Eigen::COLAMDOrdering<int>> lu;
  bool analysed = false;
  mutable Eigen::SparseLU<SpMat, Eigen::COLAMDOrdering<int>> det_lu;  // for log_det with the sparse method
  mutable bool det_analysed = false;
  explicit Impl(const SpatialWeights& ww) : w(ww) {}
};

double spectral_radius(const SpatialWeights& w) {
  // Power iteration on |W| (non-negative weights: the Perron root is the spectral radius).
  std::vector<double> v(w.n, 1.0), u(w.n);
  double lambda = 0;
  for (int it = 0; it < 1000; ++it) {
    double norm = 0;
    for (std::size_t i = 0; i < w.n; ++i) {
      double s = 0;
      for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) s += w.weight[e] * v[w.neighbour[e]];
      u[i] = s;
      norm = std::max(norm, std::fabs(s));
    }
    if (norm == 0) return 0;
    for (std::size_t i = 0; i < w.n; ++i) v[i] = u[i] / norm;
    if (std::fabs(norm - lambda) <= 1e-12 * norm) return norm;
    lambda = norm;
  }
  return lambda;
}

SpatialJacobian::SpatialJacobian(const SpatialWeights& w, LogDetMethod method) : impl_(std::make_unique<Impl>(w)) {
  const std::size_t n = w.n;
  eigen_ = method == LogDetMethod::eigen || (method == LogDetMethod::automatic && n <= 1500);
  if (eigen_ && n > 20000)
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("--logdet eigen needs a dense {} × {} matrix; too large", n, n), "use --logdet sparse (or auto)");
  if (eigen_) {
    const Eigen::Index N = static_cast<Eigen::Index>(n);
    const bool row = w.transform == WeightsTransform::row;
    if (w.symmetric) {
      // Symmetric similar matrix S = D^{1/2} W D^{-1/2}: s_ij = b_ij / sqrt(k_i k_j) (row) or b_ij.
      Eigen::MatrixXd S = Eigen::MatrixXd::Zero(N, N);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) {
          const std::size_t j = w.neighbour[e];
          const double v = row ? 1.0 / std::sqrt(static_cast<double>(w.cardinality(i)) * static_cast<double>(w.cardinality(j)))
                               : w.weight[e];
          S(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = v;
        }
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(S, Eigen::EigenvaluesOnly);
      const Eigen::VectorXd ev = es.eigenvalues();
      eig_re_.assign(ev.data(), ev.data() + ev.size());
      eig_im_.assign(n, 0.0);
    } else {
      Eigen::MatrixXd W = Eigen::MatrixXd::Zero(N, N);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e)
          W(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(w.neighbour[e])) = w.weight[e];
      Eigen::EigenSolver<Eigen::MatrixXd> es(W, false);
      const Eigen::VectorXcd ev = es.eigenvalues();
      eig_re_.resize(n), eig_im_.resize(n);
      for (std::size_t i = 0; i < n; ++i) eig_re_[i] = ev[static_cast<Eigen::Index>(i)].real(), eig_im_[i] = ev[static_cast<Eigen::Index>(i)].imag();
    }
    // spatialreg's eigen interval: 1 / range of the (real parts of the) eigenvalues.
    const auto [mn, mx] = std::minmax_element(eig_re_.begin(), eig_re_.end());
    lower_ = *mn < 0 ? 1.0 / *mn : -1.0;
    upper_ = *mx > 0 ? 1.0 / *mx : 1.0;
  } else {
    if (w.transform == WeightsTransform::row) {
      lower_ = -1, upper_ = 1;
    } else {
      const double r = spectral_radius(w);
      lower_ = r > 0 ? -1.0 / r : -1.0;
      upper_ = r > 0 ? 1.0 / r : 1.0;
    }
  }
}

SpatialJacobian::~SpatialJacobian() = default;

double SpatialJacobian::log_det(double rho) const {
  if (eigen_) {
    // Σ ln(1 − ρ ω_i); complex pairs contribute ln|1 − ρω|² together, so the real part suffices.
    double s = 0;
    for (std::size_t i = 0; i < eig_re_.size(); ++i) {
      const double re = 1.0 - rho * eig_re_[i], im = -rho * eig_im_[i];
      if (eig_im_[i] == 0) {
        if (re <= 0) return -std::numeric_limits<double>::infinity();
        s += std::log(re);
      } else {
        s += 0.5 * std::log(re * re + im * im);
      }
    }
    return s;
  }
  const SpMat m = i_minus_rho_w(impl_->w, rho);
  if (!impl_->det_analysed) impl_->det_lu.analyzePattern(m), impl_->det_analysed = true;
  impl_->det_lu.factorize(m);
  if (impl_->det_lu.info() != Eigen::Success) return -std::numeric_limits<double>::infinity();
  // Inside the parameter space det(I − ρW) > 0 (it is 1 at ρ = 0 and never crosses 0), so the
  // log of the absolute value is the log-determinant.
  return impl_->det_lu.logAbsDeterminant();
}

void SpatialJacobian::factorise(double rho) {
  const SpMat m = i_minus_rho_w(impl_->w, rho);
  if (!impl_->analysed) impl_->lu.analyzePattern(m), impl_->analysed = true;
  impl_->lu.factorize(m);
  if (impl_->lu.info() != Eigen::Success)
    throw_input(ErrorCode::invalid_value, fmt::format("I - {}·W is singular", rho), {},
                "the spatial parameter is at the boundary of its space; check the weights");
}

std::vector<double> SpatialJacobian::solve(const std::vector<double>& b) const {
  const Eigen::Map<const Eigen::VectorXd> bv(b.data(), static_cast<Eigen::Index>(b.size()));
  const Eigen::VectorXd x = impl_->lu.solve(bv);
  return {x.data(), x.data() + x.size()};
}

std::vector<double> SpatialJacobian::inverse_columns(std::size_t first, std::size_t count) const {
  const Eigen::Index n = static_cast<Eigen::Index>(impl_->w.n), c = static_cast<Eigen::Index>(count);
  Eigen::MatrixXd rhs = Eigen::MatrixXd::Zero(n, c);
  for (Eigen::Index j = 0; j < c; ++j) rhs(static_cast<Eigen::Index>(first) + j, j) = 1.0;
  const Eigen::MatrixXd x = impl_->lu.solve(rhs);
  return {x.data(), x.data() + x.size()};
}

std::vector<double> SpatialJacobian::solve_transpose(const std::vector<double>& b) const {
  const Eigen::Map<const Eigen::VectorXd> bv(b.data(), static_cast<Eigen::Index>(b.size()));
  const Eigen::VectorXd x = impl_->lu.transpose().solve(bv);
  return {x.data(), x.data() + x.size()};
}

}  // namespace agglo::spatial
