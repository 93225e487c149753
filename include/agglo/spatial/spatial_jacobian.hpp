// agglo::spatial — the Jacobian term ln|I − ρW| of the spatial lag and error likelihoods, and
// solves with A = I − ρW (Ord 1975; Anselin 1988, ch. 6; LeSage & Pace 2009, ch. 4).
//
// Two exact methods, chosen by size (LogDetMethod::automatic) or by the caller:
//   eigen   ln|I − ρW| = Σ_i ln(1 − ρ ω_i) from the eigenvalues ω_i of W, computed once (Ord 1975).
//           When W is a row-standardised symmetric relation (or binary symmetric), W is similar to
//           the symmetric S = D^{1/2} W D^{−1/2} and a symmetric eigensolver is used (real ω);
//           otherwise the general one (complex ω, the real part of the sum is taken). O(n³) once,
//           then O(n) per ρ; memory O(n²). spatialreg method = "eigen".
//   sparse  a sparse factorisation at every ρ, the symbolic analysis done once (Pace & Barry 1997):
//           for a symmetric relation (contiguity, distance band) the LDLᵀ (Cholesky) factorisation
//           of the symmetric similar matrix I − ρS, S = D^{1/2} W D^{−1/2}, with AMD ordering
//           (Eigen SimplicialLDLT; spatialreg method = "Matrix"); ln|I − ρW| = Σ ln d_ii. For an
//           asymmetric one (k nearest neighbours) a sparse LU of I − ρW (Eigen SparseLU, COLAMD;
//           spatialreg method = "LU"), ln|I − ρW| = Σ ln|U_ii|. O(nnz(L)) per ρ; exact, scales to
//           10^5–10^6 regions on planar graphs.
// automatic: eigen for n ≤ 1500 (spatialreg's `small`), sparse above.
//
// The parameter space. ρ must keep I − ρW non-singular with the likelihood's branch: ρ ∈
// (1/ω_min, 1/ω_max) for real ω (Anselin 1988; LeSage & Pace 2009 §4.3). With the eigenvalues the
// interval is exact; with the sparse method the interval is [−1, 1) for row-standardised W (whose
// spectral radius is 1) and (−1/r, 1/r) for other W, r the spectral radius from power iteration.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "agglo/spatial/weights.hpp"

namespace agglo::spatial {

enum class LogDetMethod : std::uint8_t { automatic, eigen, sparse };

// Traces of B = W(I − ρW)^{-1} at a factorised ρ (the information matrices' terms).
struct ExactTraces {
  double tr_b = 0, tr_bb = 0, tr_btb = 0;  // tr(B), tr(B²), tr(BᵀB)
};

class SpatialJacobian {
 public:
  SpatialJacobian(const SpatialWeights& w, LogDetMethod method);
  ~SpatialJacobian();
  SpatialJacobian(const SpatialJacobian&) = delete;
  SpatialJacobian& operator=(const SpatialJacobian&) = delete;

  // ln|I − ρW|; −∞ when I − ρW is singular.
  double log_det(double rho) const;
  // Bounds of the parameter space (see above).
  double lower() const { return lower_; }
  double upper() const { return upper_; }
  bool uses_eigen() const { return eigen_; }
  // Real parts of the eigenvalues (eigen method only; empty otherwise).
  const std::vector<double>& eigenvalues_real() const { return eig_re_; }
  const std::vector<double>& eigenvalues_imag() const { return eig_im_; }

  // Symmetric relation: the sparse path factorises I − ρS by LDLᵀ instead of I − ρW by LU.
  bool uses_cholesky() const;

  // Factorises I − ρW for the solves below (sparse LDLᵀ or LU; any method).
  void factorise(double rho);
  // x = (I − ρW)^{-1} b, and x = (I − ρW)^{-T} b, with the last factorised ρ.
  std::vector<double> solve(const std::vector<double>& b) const;
  std::vector<double> solve_transpose(const std::vector<double>& b) const;
  // tr(B), tr(B²), tr(BᵀB) exactly, with the last factorised ρ: n solves in blocks, in parallel
  // (the result does not depend on the thread count). O(n · nnz(L)) time; O(n) extra memory
  // for a symmetric relation, n² doubles otherwise.
  ExactTraces exact_traces() const;

 private:
  struct Impl;
  static ExactTraces cholesky_traces(const Impl& im);
  static ExactTraces lu_traces(const Impl& im);
  std::unique_ptr<Impl> impl_;
  bool eigen_ = false;
  double lower_ = -1, upper_ = 1;
  std::vector<double> eig_re_, eig_im_;
};

// Spectral radius of W by power iteration (for the sparse method's interval).
double spectral_radius(const SpatialWeights& w);

}  // namespace agglo::spatial
