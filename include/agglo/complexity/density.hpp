// agglo::complexity — relatedness density and the complexity outlook (Hausmann et al. 2014).
//   density  d_cp = Σ_p' M_cp' φ_pp' / Σ_p' φ_pp'       (0 when product p is related to nothing)
//   COI_c    = Σ_p d_cp (1 − M_cp) PCI_p                 complexity outlook index
//   COG_cp   = (1 − M_cp) Σ_p' (1 − M_cp') φ_p'p PCI_p' / Σ_p'' φ_p'p''
//                                                        complexity outlook gain
// These are the sums of py-ecomplexity's calc_coi_cog (and the Mata code of Stata
// ecomplexity it transcribes): COI weights each absent product's complexity by how near it is;
// COG is the change in COI that entering p would bring (the first term of the Atlas'
// "opportunity gain"), 0 for products already present. `pci` is whatever complexity vector
// the caller weights by: analyse() passes the raw eigenvector and rescales afterwards for
// py-ecomplexity's convention, or the normalised PCI for agglo's (OutlookConvention in
// complexity.hpp). Whether φ_pp is in the sums is decided when φ is built
// (proximity(…, self_term)). Products with NaN PCI count as 0 in the sums.
// Computed as the sparse-times-dense products M·φ and M·diag(w)·φ, blocked so each block of φ
// is read once from memory and reused from cache by every location: O(nnz · P) multiply-adds,
// vectorised and parallel over column strips; memory 2 L·P doubles for the results.
#pragma once

#include <vector>

#include "agglo/complexity/rca.hpp"
#include "agglo/data/dense_matrix.hpp"

namespace agglo::complexity {

struct Outlook {
  data::DenseMatrix density;  // L × P
  data::DenseMatrix cog;      // L × P
  std::vector<double> coi;    // per location
};

Outlook outlook(const Presence& m, const data::DenseMatrix& phi, const std::vector<double>& pci);

}  // namespace agglo::complexity
