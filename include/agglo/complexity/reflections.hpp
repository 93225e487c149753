// agglo::complexity — the method of reflections (Hidalgo & Hausmann 2009):
//   k_c,0 = diversity, k_p,0 = ubiquity,
//   k_c,N = (1/k_c,0) Σ_p M_cp k_p,N−1,   k_p,N = (1/k_p,0) Σ_c M_cp k_c,N−1.
// k_c,1 is the average ubiquity of a location's products, k_p,1 the average diversity of a
// product's exporters. The chain k_c,0 → k_p,1 → k_c,2 → … is a power iteration of M̃^C, whose
// constant top eigenvector carries no information: every step maps constants to constants, so
// we z-score after each step (an affine change that commutes with the iteration) and the
// z-scored k_c,N (N even) converges to the eigenvector ECI at rate (λ₃/λ₂)^{N/2}; k_p,N+1 to PCI.
// Complexity: O(nnz · N).
#pragma once

#include <vector>

#include "agglo/complexity/rca.hpp"

namespace agglo::complexity {

struct Reflections {
  std::vector<double> eci;           // z-scored k_c,N (N even; population sd); NaN if diversity 0
  std::vector<double> pci;           // z-scored k_p,N+1
  std::vector<double> avg_ubiquity;  // k_c,1
  std::vector<double> avg_diversity; // k_p,1
  int iterations = 0;                // N
};

// `iterations` is rounded up to an even number (default 20).
Reflections reflections(const Presence& m, int iterations = 20);

}  // namespace agglo::complexity
