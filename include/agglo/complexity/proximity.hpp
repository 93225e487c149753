// agglo::complexity — product proximity (relatedness) from co-occurrence in the same locations.
// C_pp' = Σ_c M_cp M_cp' (co-occurrence), k_p = ubiquity. Measures (φ):
//   min-conditional  φ = C_pp' / max(k_p, k_p')      Hidalgo, Klinger, Barabási & Hausmann 2007
//                                                    (py-ecomplexity's symmetric proximity)
//   cosine           φ = C_pp' / √(k_p k_p')
//   jaccard          φ = C_pp' / (k_p + k_p' − C_pp')
//   association      φ = C_pp' · T / (S_p S_p'), S_p = Σ_{p'≠p} C_pp', T = Σ_p S_p — observed over
//                    expected co-occurrence (van Eck & Waltman 2009's association strength);
//                    1 = as often as chance, not bounded by 1
// Diagonal: φ_pp = 1 with `self_term` (what min-conditional gives, and what py-ecomplexity
// keeps), else 0. Products with ubiquity 0 have an all-zero row.
// C is computed with bitsets over locations: O(P² · L/64) time, P² doubles of memory
// (5,000 products → 200 MB).
#pragma once

#include <string>

#include "agglo/complexity/rca.hpp"
#include "agglo/data/dense_matrix.hpp"

namespace agglo::complexity {

enum class ProximityMeasure { min_conditional, association, cosine, jaccard };
ProximityMeasure proximity_measure_from(const std::string& name);  // "min-conditional"…

// C = MᵀM as counts (P × P, diagonal = ubiquity).
data::DenseMatrix cooccurrence(const Presence& m);
// The same written into `out` (reshaped to P × P; every entry overwritten, storage reused).
void cooccurrence_into(const Presence& m, data::DenseMatrix& out);

data::DenseMatrix proximity(const Presence& m, ProximityMeasure measure = ProximityMeasure::min_conditional,
                            bool self_term = false);
// The same written into `phi`, reusing its storage (a panel computes φ once per year).
void proximity_into(const Presence& m, ProximityMeasure measure, bool self_term, data::DenseMatrix& phi);

}  // namespace agglo::complexity
