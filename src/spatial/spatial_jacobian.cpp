// ln|I − ρW| and solves with I − ρW (see include/agglo/spatial/spatial_jacobian.hpp).
#include "agglo/spatial/spatial_jacobian.hpp"

#include <Eigen/Dense>
#include <Eigen/Eigenvalues>
#include <Eigen/OrderingMethods>
#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstdlib>
#include <limits>

#include "agglo/core/error.hpp"
#include "agglo/parallel/cancel.hpp"

namespace agglo::spatial {

namespace {

using SpMat = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;
using Ldlt = Eigen::SimplicialLDLT<SpMat, Eigen::Lower, Eigen::AMDOrdering<int>>;
using Lu = Eigen::SparseLU<SpMat, Eigen::COLAMDOrdering<int>>;

}  // namespace

// The sparse system matrix and its factorisations.
//
// Symmetric relations (contiguity, distance bands; binary or row-standardised) are solved through
// the symmetric similar matrix S = D^{1/2} W D^{−1/2} (D = diag(k_i) for row-standardised W, so
// s_ij = c_ij / √(k_i k_j); D = I for binary W, S = W): I − ρW = D^{−1/2}(I − ρS)D^{1/2}, so
// ln|I − ρW| = ln|I − ρS|, and I − ρS is symmetric positive definite on the whole parameter
// space (its eigenvalues are 1 − ρω > 0). A sparse LDLᵀ (Cholesky) factorisation with AMD
// ordering then replaces the general LU: about half the fill and no pivoting (the route of
// spatialreg's method "Matrix", Pace & Barry 1997). Islands have k_i = 0 and an empty row and
// column; any d_i > 0 leaves them untouched, so d_i = 1 is used for them.
// Asymmetric relations (k nearest neighbours) keep the sparse LU of I − ρW.
struct SpatialJacobian::Impl {
  const SpatialWeights& w;
  bool chol = false;
  Eigen::VectorXd root_d;       // D^{1/2} (chol only)
  SpMat m;                      // pattern of I − ρS (chol) or I − ρW (LU), values set per ρ
  std::vector<double> unit, s;  // per stored entry: 1 on the diagonal, else 0; and s_ij (or w_ij)
  Ldlt ldlt, det_ldlt;
  Lu lu, det_lu;
  bool analysed = false, det_analysed = false;
  double rho = std::numeric_limits<double>::quiet_NaN();  // last factorised ρ

  explicit Impl(const SpatialWeights& ww) : w(ww) {
    const std::size_t n = w.n;
    chol = w.symmetric;
    const bool row = w.transform == WeightsTransform::row;
    if (chol) {
      root_d.resize(static_cast<Eigen::Index>(n));
      for (std::size_t i = 0; i < n; ++i)
        root_d[static_cast<Eigen::Index>(i)] = row && w.cardinality(i) > 0 ? std::sqrt(static_cast<double>(w.cardinality(i))) : 1.0;
    }
  }
  // The sparse matrix, built on first use (the GMM estimators never need it).
  bool built = false;
  void build() {
    if (built) return;
    built = true;
    const std::size_t n = w.n;
    const bool row = w.transform == WeightsTransform::row;
    std::vector<Eigen::Triplet<double, int>> t;
    t.reserve(n + w.links());
    for (std::size_t i = 0; i < n; ++i) {
      t.emplace_back(static_cast<int>(i), static_cast<int>(i), 0.0);
      for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) {
        const std::size_t j = w.neighbour[e];
        // S's entry: w_ij √k_i / √k_j = 1/√(k_i k_j) for row-standardised weights.
        const double v = chol && row ? 1.0 / (root_d[static_cast<Eigen::Index>(i)] * root_d[static_cast<Eigen::Index>(j)]) : w.weight[e];
        t.emplace_back(static_cast<int>(i), static_cast<int>(j), v);
      }
    }
    m.resize(static_cast<int>(n), static_cast<int>(n));
    m.setFromTriplets(t.begin(), t.end());
    m.makeCompressed();
    const auto nnz = static_cast<std::size_t>(m.nonZeros());
    unit.assign(nnz, 0.0), s.assign(m.valuePtr(), m.valuePtr() + nnz);
    for (int c = 0; c < m.outerSize(); ++c)
      for (int p = m.outerIndexPtr()[c]; p < m.outerIndexPtr()[c + 1]; ++p)
        if (m.innerIndexPtr()[p] == c) unit[static_cast<std::size_t>(p)] = 1.0;
  }
  void set(double r) {
    build();
    double* v = m.valuePtr();
    for (std::size_t p = 0; p < s.size(); ++p) v[p] = unit[p] - r * s[p];
  }
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
    if (w.symmetric) {
      // The symmetric similar matrix S (see Impl): real eigenvalues, symmetric eigensolver.
      impl_->build();
      const Eigen::MatrixXd S = Eigen::MatrixXd(impl_->m);
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

bool SpatialJacobian::uses_cholesky() const { return impl_->chol; }

double SpatialJacobian::log_det(double rho) const {
  constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
  if (eigen_) {
    // Σ ln(1 − ρ ω_i); complex pairs contribute ln|1 − ρω|² together, so the real part suffices.
    double s = 0;
    for (std::size_t i = 0; i < eig_re_.size(); ++i) {
      const double re = 1.0 - rho * eig_re_[i], im = -rho * eig_im_[i];
      if (eig_im_[i] == 0) {
        if (re <= 0) return kMinusInf;
        s += std::log(re);
      } else {
        s += 0.5 * std::log(re * re + im * im);
      }
    }
    return s;
  }
  Impl& im = *impl_;
  im.set(rho);
  if (im.chol) {
    // ln|I − ρS| = Σ ln d_ii of LDLᵀ; a non-positive pivot means ρ is outside the space.
    if (!im.det_analysed) im.det_ldlt.analyzePattern(im.m), im.det_analysed = true;
    im.det_ldlt.factorize(im.m);
    if (im.det_ldlt.info() != Eigen::Success) return kMinusInf;
    const Eigen::VectorXd& d = im.det_ldlt.vectorD();
    double s = 0;
    for (Eigen::Index i = 0; i < d.size(); ++i) {
      if (!(d[i] > 0)) return kMinusInf;
      s += std::log(d[i]);
    }
    return s;
  }
  if (!im.det_analysed) im.det_lu.analyzePattern(im.m), im.det_analysed = true;
  im.det_lu.factorize(im.m);
  if (im.det_lu.info() != Eigen::Success) return kMinusInf;
  // Inside the parameter space det(I − ρW) > 0 (it is 1 at ρ = 0 and never crosses 0), so the
  // log of the absolute value is the log-determinant.
  return im.det_lu.logAbsDeterminant();
}

void SpatialJacobian::factorise(double rho) {
  Impl& im = *impl_;
  if (im.rho == rho) return;
  im.set(rho);
  bool ok;
  if (im.chol) {
    if (!im.analysed) im.ldlt.analyzePattern(im.m), im.analysed = true;
    im.ldlt.factorize(im.m);
    ok = im.ldlt.info() == Eigen::Success && (im.ldlt.vectorD().array() > 0).all();
  } else {
    if (!im.analysed) im.lu.analyzePattern(im.m), im.analysed = true;
    im.lu.factorize(im.m);
    ok = im.lu.info() == Eigen::Success;
  }
  if (!ok)
    throw_input(ErrorCode::invalid_value, fmt::format("I - {}·W is singular", rho), {},
                "the spatial parameter is at the boundary of its space; check the weights");
  im.rho = rho;
}

std::vector<double> SpatialJacobian::solve(const std::vector<double>& b) const {
  const Impl& im = *impl_;
  const Eigen::Map<const Eigen::VectorXd> bv(b.data(), static_cast<Eigen::Index>(b.size()));
  Eigen::VectorXd x;
  if (im.chol) x = im.root_d.cwiseInverse().cwiseProduct(im.ldlt.solve(im.root_d.cwiseProduct(bv)).eval());  // D^{-1/2} G D^{1/2} b
  else x = im.lu.solve(bv);
  return {x.data(), x.data() + x.size()};
}

std::vector<double> SpatialJacobian::solve_transpose(const std::vector<double>& b) const {
  Impl& im = *impl_;  // SparseLU::transpose() is not const
  const Eigen::Map<const Eigen::VectorXd> bv(b.data(), static_cast<Eigen::Index>(b.size()));
  Eigen::VectorXd x;
  if (im.chol) x = im.root_d.cwiseProduct(im.ldlt.solve(im.root_d.cwiseInverse().cwiseProduct(bv)).eval());  // D^{1/2} G D^{-1/2} b
  else x = im.lu.transpose().solve(bv);
  return {x.data(), x.data() + x.size()};
}

// tr(B), tr(B²), tr(BᵀB) for B = W(I − ρW)^{-1}, from every column of the inverse.
//
// Symmetric relations: with G = (I − ρS)^{-1} and M = S G (symmetric: S and G commute),
// B = D^{−1/2} M D^{1/2}, so tr(B) = tr(M), tr(B²) = tr(M²) = Σ_ij m_ij², and
// tr(BᵀB) = Σ_ij m_ij² d_j / d_i — sums over the columns of M, never an n × n matrix. The
// columns come from the LDLᵀ factors by the blocked kernel below.
// Asymmetric relations: B's columns W A^{-1} e_j from Eigen's supernodal LU solve of a block;
// tr(B²) = Σ_ij b_ij b_ji needs B's rows too, so B is kept (n² doubles; the caller bounds n).
// Blocks of columns run in parallel into their own partial sums, added in block order: the
// result does not depend on the thread count.
ExactTraces SpatialJacobian::exact_traces() const {
  const Impl& im = *impl_;
  AGGLO_ASSERT(im.rho == im.rho);
  return im.chol ? cholesky_traces(im) : lu_traces(im);
}

namespace {

// Columns j0.. of W A^{-1} for the LU path, n² doubles in all.
ExactTraces lu_traces_impl(const SpatialWeights& w, const Lu& lu) {
  const std::size_t n = w.n;
  const Eigen::Index N = static_cast<Eigen::Index>(n);
  constexpr std::size_t kBlock = 64;
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  Eigen::MatrixXd B(N, N);
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    if (parallel::cancel_requested()) return;
    const std::size_t j0 = b * kBlock, c = std::min(kBlock, n - j0);
    const Eigen::Index C = static_cast<Eigen::Index>(c);
    Eigen::MatrixXd rhs = Eigen::MatrixXd::Zero(N, C);
    for (Eigen::Index j = 0; j < C; ++j) rhs(static_cast<Eigen::Index>(j0) + j, j) = 1.0;
    const Eigen::MatrixXd x = lu.solve(rhs);  // columns of A^{-1}
    for (Eigen::Index j = 0; j < C; ++j) {    // B e_j = W (A^{-1} e_j), row by row of W
      const double* xj = x.col(j).data();
      double* bj = B.col(static_cast<Eigen::Index>(j0) + j).data();
      for (std::size_t i = 0; i < n; ++i) {
        double v = 0;
        for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) v += w.weight[e] * xj[w.neighbour[e]];
        bj[i] = v;
      }
    }
  });
  parallel::check_loop_completed();
  parallel::check_cancelled();
  ExactTraces t;
  t.tr_b = B.trace();
  t.tr_btb = B.squaredNorm();
  t.tr_bb = B.cwiseProduct(B.transpose()).sum();
  return t;
}

}  // namespace

ExactTraces SpatialJacobian::lu_traces(const Impl& im) { return lu_traces_impl(im.w, im.lu); }

namespace {

constexpr std::size_t kWidth = 32;  // right-hand sides solved together

// The inputs of the blocked kernel (permuted order; see cholesky_traces).
struct CholKernel {
  std::size_t n = 0;
  const int *Lp = nullptr, *Li = nullptr;
  const double* Lx = nullptr;
  const double *dinv = nullptr, *dt = nullptr, *inv_dt = nullptr, *sv = nullptr;
  const std::size_t* so = nullptr;
  const std::uint32_t* sj = nullptr;
  double rho = 0;
};

struct CholScratch {
  std::vector<double> x, m;
  std::vector<char> touched;
};

// One block of kWidth columns of G̃: its (tr, Σm², Σm² d_j/d_i). Compiled twice (AVX2/FMA and
// baseline x86-64), the CPU's best chosen at load time: the updates are kWidth-wide vector FMAs.
[[gnu::target_clones("arch=haswell", "default")]] std::array<double, 3> chol_block(const CholKernel& k, std::size_t b,
                                                                                    CholScratch& s) {
  const std::size_t n = k.n;
  s.x.assign(n * kWidth, 0.0), s.m.resize(std::fabs(k.rho) >= 0.05 ? 0 : n * kWidth), s.touched.assign(n, 0);
  double* X = s.x.data();
  double* M = s.m.data();
  const std::size_t k0 = b * kWidth, cnt = std::min(kWidth, n - k0);
  for (std::size_t c = 0; c < cnt; ++c) X[(k0 + c) * kWidth + c] = 1.0, s.touched[k0 + c] = 1;
  // Forward: L Y = E (rows before k0 stay 0; untouched rows stay 0).
  for (std::size_t i = k0; i < n; ++i) {
    if (!s.touched[i]) continue;
    const double* xi = X + i * kWidth;
    for (int p = k.Lp[i]; p < k.Lp[i + 1]; ++p) {
      const auto r = static_cast<std::size_t>(k.Li[p]);
      if (r <= i) continue;  // a stored diagonal (unit, implicit)
      const double v = k.Lx[p];
      double* xr = X + r * kWidth;
      for (std::size_t c = 0; c < kWidth; ++c) xr[c] -= v * xi[c];
      s.touched[r] = 1;
    }
  }
  for (std::size_t i = k0; i < n; ++i)
    if (s.touched[i])
      for (std::size_t c = 0; c < kWidth; ++c) X[i * kWidth + c] *= k.dinv[i];
  // Away from ρ = 0, M̃ = S̃G̃ = (G̃ − I)/ρ (since (I − ρS̃)G̃ = I), which is symmetric like G̃:
  // then only the block's lower part (rows ≥ k0) is needed, each off-diagonal m_ij standing for
  // m_ji too, and the backward solve stops at row k0 (row i of Lᵀx = y needs only rows > i) —
  // half the work. Near ρ = 0 that difference would cancel digits, so all of G̃'s rows are
  // solved and M̃ is formed as the product S̃G̃.
  const bool by_identity = std::fabs(k.rho) >= 0.05;
  const std::size_t first_row = by_identity ? k0 : 0;
  // Backward: Lᵀ X = Y.
  for (std::size_t i = n; i-- > first_row;) {
    double* xi = X + i * kWidth;
    for (int p = k.Lp[i]; p < k.Lp[i + 1]; ++p) {
      const auto r = static_cast<std::size_t>(k.Li[p]);
      if (r <= i) continue;
      const double v = k.Lx[p];
      const double* xr = X + r * kWidth;
      for (std::size_t c = 0; c < kWidth; ++c) xi[c] -= v * xr[c];
    }
  }
  double tr = 0, sq = 0, wsq = 0;
  if (by_identity) {
    const double inv_rho = 1.0 / k.rho;
    // The block's own rows: the diagonal and the entries below it (row i > column k).
    for (std::size_t c = 0; c < cnt; ++c) {
      const std::size_t kc = k0 + c;
      const double mkk = (X[kc * kWidth + c] - 1.0) * inv_rho;
      tr += mkk, sq += mkk * mkk, wsq += mkk * mkk;
      for (std::size_t i = kc + 1; i < k0 + cnt; ++i) {
        const double m = X[i * kWidth + c] * inv_rho, m2 = m * m;
        sq += 2 * m2, wsq += m2 * (k.dt[kc] * k.inv_dt[i] + k.dt[i] * k.inv_dt[kc]);
      }
    }
    // Rows below the block: every column's entry is off-diagonal.
    for (std::size_t i = k0 + cnt; i < n; ++i) {
      const double* xi = X + i * kWidth;
      for (std::size_t c = 0; c < cnt; ++c) {
        const double m = xi[c] * inv_rho, m2 = m * m;
        sq += 2 * m2, wsq += m2 * (k.dt[k0 + c] * k.inv_dt[i] + k.dt[i] * k.inv_dt[k0 + c]);
      }
    }
    return {tr, sq, wsq};
  }
  for (std::size_t i = 0; i < n; ++i) {
    double* mi = M + i * kWidth;
    std::fill(mi, mi + kWidth, 0.0);
    for (std::size_t q = k.so[i]; q < k.so[i + 1]; ++q) {
      const double v = k.sv[q];
      const double* xj = X + static_cast<std::size_t>(k.sj[q]) * kWidth;
      for (std::size_t c = 0; c < kWidth; ++c) mi[c] += v * xj[c];
    }
    for (std::size_t c = 0; c < cnt; ++c) {
      const double m2 = mi[c] * mi[c];
      sq += m2;
      wsq += m2 * k.dt[k0 + c] * k.inv_dt[i];
    }
  }
  for (std::size_t c = 0; c < cnt; ++c) tr += M[(k0 + c) * kWidth + c];
  return {tr, sq, wsq};
}

}  // namespace

// The symmetric path's kernel, written by hand because no library call does it: Eigen's (and
// CHOLMOD's simplicial) solve with a matrix right-hand side walks L once per column, which is
// memory-bound. Here a block of kWidth columns is solved together with the right-hand sides
// stored row-major, so every entry of L is read once per block and applied as a kWidth-wide
// vector update; and the block holds consecutive columns *of the permuted matrix*, whose forward
// solve starts at the block's first column and touches only rows reached from it in L (the
// elimination-tree ancestors), skipping the rest.
//   P(I − ρS)Pᵀ = L D Lᵀ;  G̃ = P G Pᵀ = L^{-T} D^{-1} L^{-1};  M̃ = S̃ G̃ with S̃ = P S Pᵀ.
// Sums over all entries (and the diagonal) are the same in the permuted order, with d̃ = P d.
ExactTraces SpatialJacobian::cholesky_traces(const Impl& im) {
  const SpatialWeights& w = im.w;
  const std::size_t n = w.n;
  const auto& L = im.ldlt.matrixL().nestedExpression();  // unit lower triangle, column-major
  const int* Lp = L.outerIndexPtr();
  const int* Li = L.innerIndexPtr();
  const double* Lx = L.valuePtr();
  const Eigen::VectorXd& Dv = im.ldlt.vectorD();
  const auto& perm = im.ldlt.permutationP().indices();  // original i → permuted perm[i]
  // S̃ by rows, and d̃.
  std::vector<std::size_t> so(n + 1, 0);
  std::vector<std::uint32_t> sj(w.links());
  std::vector<double> sv(w.links()), dt(n), inv_dt(n), dinv(n);
  for (std::size_t i = 0; i < n; ++i) so[static_cast<std::size_t>(perm[static_cast<Eigen::Index>(i)]) + 1] = w.cardinality(i);
  for (std::size_t i = 0; i < n; ++i) so[i + 1] += so[i];
  const bool row = w.transform == WeightsTransform::row;
  for (std::size_t i = 0; i < n; ++i) {
    const auto pi = static_cast<std::size_t>(perm[static_cast<Eigen::Index>(i)]);
    const double ri = im.root_d[static_cast<Eigen::Index>(i)];
    dt[pi] = ri * ri, inv_dt[pi] = 1.0 / (ri * ri), dinv[pi] = 0;
    std::size_t q = so[pi];
    for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e, ++q) {
      const std::size_t j = w.neighbour[e];
      sj[q] = static_cast<std::uint32_t>(perm[static_cast<Eigen::Index>(j)]);
      sv[q] = row ? 1.0 / (ri * im.root_d[static_cast<Eigen::Index>(j)]) : w.weight[e];
    }
  }
  for (std::size_t k = 0; k < n; ++k) dinv[k] = 1.0 / Dv[static_cast<Eigen::Index>(k)];

  CholKernel kern{n, Lp, Li, Lx, dinv.data(), dt.data(), inv_dt.data(), sv.data(), so.data(), sj.data(), im.rho};
  const std::size_t blocks = (n + kWidth - 1) / kWidth;
  tbb::enumerable_thread_specific<CholScratch> scratch;
  std::vector<std::array<double, 3>> part(blocks, {0.0, 0.0, 0.0});
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    if (parallel::cancel_requested()) return;
    part[b] = chol_block(kern, b, scratch.local());
  });
  parallel::check_loop_completed();
  parallel::check_cancelled();
  ExactTraces t;
  for (const auto& p : part) t.tr_b += p[0], t.tr_bb += p[1], t.tr_btb += p[2];
  return t;
}

}  // namespace agglo::spatial
