// agglo::spatial — the Jacobian term ln|I − ρW| of the spatial lag and error likelihoods, and
// solves with A = I − ρW (Ord 1975; Anselin 1988, ch. 6; LeSage & Pace 2009, ch. 4).
//
// Two exact methods, chosen by size (LogDetMethod::automatic) or by the caller:
//   eigen   ln|I − ρW| = Σ_i ln(1 − ρ ω_i) from the eigenvalues ω_i of W, computed once (Ord 1975).
//           When W is a row-standardised symmetric relation (or binary symmetric), W is similar to
//           the symmetric S = D^{1/2} W D^{−1/2} and a symmetric eigensolver is used (real ω);
//           otherwise the general one (complex ω, the real part of the sum is taken). O(n³) once,
//           then O(n) per ρ; memory O(n²). spatialreg method = "eigen".
//   sparse  a sparse LU factorisation of I − ρW at every ρ (Eigen SparseLU, COLAMD ordering, the
//           symbolic analysis done once), ln|I − ρW| = Σ ln|U_ii| (Pace & Barry 1997; spatialreg
//           method = "LU"). O(nnz(L+U)) per ρ; exact, scales to 10^5–10^6 regions on planar graphs.
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

  // Factorises I − ρW for the solves below (sparse LU; any method).
  void factorise(double rho);
  // x = (I − ρW)^{-1} b, and x = (I − ρW)^{-T} b, with the last factorised ρ.
  std::vector<double> solve(const std::vector<double>& b) const;
  std::vector<double> solve_transpose(const std::vector<double>& b) const;
  // Columns first..first+count−1 of (I − ρW)^{-1}, column-major n × count, by one blocked solve
  // (the supernodal LU works on the whole block at once: far faster than count single solves).
  std::vector<double> inverse_columns(std::size_t first, std::size_t count) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool eigen_ = false;
  double lower_ = -1, upper_ = 1;
  std::vector<double> eig_re_, eig_im_;
};

// Spectral radius of W by power iteration (for the sparse method's interval).
double spectral_radius(const SpatialWeights& w);

}  // namespace agglo::spatial
