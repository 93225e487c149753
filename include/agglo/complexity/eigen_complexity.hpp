// agglo::complexity — the Economic Complexity Index (ECI) and Product Complexity Index (PCI)
// by the eigenvector method (Hidalgo & Hausmann 2009; Hausmann et al. 2014, Atlas technical box).
//
//   M̃^C = D_c⁻¹ M D_p⁻¹ Mᵀ   (D_c = diag(diversity), D_p = diag(ubiquity))
// ECI is the eigenvector of M̃^C for its second largest eigenvalue λ₂. M̃^C is similar to the
// symmetric positive semi-definite S = D_c^{-1/2} M D_p⁻¹ Mᵀ D_c^{-1/2} (S = A Aᵀ with
// A = D_c^{-1/2} M D_p^{-1/2}); its top eigenvector is √k_c with eigenvalue 1. We deflate it and
// ask Spectra's Lanczos solver for the two largest eigenpairs of S − v₁v₁ᵀ through a
// matrix-free operator that applies M and Mᵀ from the sparse presence lists: O(nnz) per
// product, no L × L or P × P matrix is ever formed. Then, with v₂ of unit length,
//   kp = D_p⁻¹ Mᵀ D_c^{-1/2} v₂      (raw PCI: the product-side eigenvector of M̃^P)
//   kc = D_c⁻¹ M kp                  (raw ECI: = λ₂ D_c^{-1/2} v₂, the eigenvector of M̃^C)
// which is exactly the pair py-ecomplexity / Stata ecomplexity form (they take kp from a dense
// eigen-decomposition of M̃^P and set kc = D_c⁻¹ M kp).
// Sign: both are multiplied by the sign of corr(kc, diversity), so ECI correlates positively
// with diversity; since D_p⁻¹ Mᵀ kc = λ₂ kp with λ₂ ≥ 0, PCI then correlates positively with
// the mean ECI of its exporters.
// Normalisation (see Normalisation): by default py-ecomplexity's — ECI = (kc − mean kc)/sd kc
// and PCI = (kp − mean kc)/sd kc with the population standard deviation (divisor n).
// Locations with diversity 0 and products with ubiquity 0 get NaN (they are outside the
// network); problems with fewer than 8 active locations use a dense decomposition (tiny).
// Complexity: O(nnz · iterations), memory O(L·ncv + nnz).
#pragma once

#include <string>
#include <vector>

#include "agglo/complexity/rca.hpp"

namespace agglo::complexity {

enum class Normalisation {
  atlas,   // ECI z-scored (population sd); PCI with ECI's mean and sd (py-ecomplexity, Stata ecomplexity)
  own,     // ECI and PCI each z-scored with its own mean and population sd
  sample,  // ECI and PCI each z-scored with its own mean and sample sd (divisor n − 1, R's scale())
  none,    // raw kc and kp (scale set by the unit eigenvector v₂)
};

struct EigenComplexity {
  std::vector<double> eci;   // per location; NaN where diversity is 0
  std::vector<double> pci;   // per product; NaN where ubiquity is 0
  // kc and kp with the sign fixed but not normalised (py-ecomplexity feeds these to COI and
  // COG). Their common scale is arbitrary (an eigenvector's); only ratios such as
  // (kp − mean kc)/sd kc are meaningful.
  std::vector<double> eci_raw, pci_raw;
  double eigenvalue2 = 0;    // λ₂ of M̃^C
  double eigenvalue3 = 0;    // λ₃ (gap λ₂ − λ₃ tells how well ECI is determined)
  bool converged = true;
  std::vector<std::string> warnings;
};

// The matrix-free Lanczos path (the one the commands use).
EigenComplexity eigen_complexity(const Presence& m, Normalisation normalisation = Normalisation::atlas);

// Brute-force reference: builds M̃^C's symmetric form densely and decomposes it completely
// (Eigen::SelfAdjointEigenSolver, O(L³)). For agreement tests and tiny problems only.
EigenComplexity eigen_complexity_dense(const Presence& m, Normalisation normalisation = Normalisation::atlas);

// Centres and scales (kc, kp) in place by `normalisation`; NaN entries are skipped. When kc
// has no spread (every location has the same mix) both become 0 and false is returned.
bool normalise(std::vector<double>& kc, std::vector<double>& kp, Normalisation normalisation);

// Pearson and Spearman (average ranks for ties) correlation over entries finite in both.
double pearson(const std::vector<double>& a, const std::vector<double>& b);
double spearman(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace agglo::complexity
