// agglo::structure — do industries that trade with each other locate together? The regression
// of Ellison, Glaeser & Kerr (2010, AER 100(3), "What causes industry agglomeration?") of
// pairwise co-agglomeration on input–output dependence and labour-pool similarity (issue 17 §3).
// Formulas in docs/methods/structure.md §3b.
//
// For industries i, j with employment E_ir in regions r, s_ir = E_ir / Σ_r E_ir, and x_r = E_r / E
// the region's share of all employment:
//   co-agglomeration (Ellison & Glaeser 1997, eq. 1 of EGK 2010 without the plant-Herfindahl term)
//                  γc_ij = Σ_r (s_ir − x_r)(s_jr − x_r) / (1 − Σ_r x_r²)
//   input          Input_ij  = max(z_ji / Σ_k z_ki, z_ij / Σ_k z_kj)   (share of one's inputs bought
//                  from the other, the larger direction)
//   output         Output_ij = max(z_ij / x_i, z_ji / x_j)             (share of one's output sold
//                  to the other)
//   labour         Labour_ij = corr(o_i, o_j), o_i industry i's occupation shares (when given)
//   regression     γc_ij = b0 + b1 Input_ij + b2 Output_ij [+ b3 Labour_ij] + e_ij, by OLS over all
//                  pairs; EGK report the coefficients with every variable standardised (mean 0,
//                  sd 1), which are given here too. Standard errors: heteroskedasticity-robust
//                  (HC1). Pairs that share an industry are not independent, so these are a lower
//                  bound (EGK bootstrap instead); the permutation p-value of b1 (industries'
//                  locations shuffled, `permutations` draws, seeded) does not assume independence.
// O(pairs · regions) time for γc.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/structure/input_output.hpp"
#include "agglo/structure/regional_io.hpp"

namespace agglo::structure {

struct CoagglomerationPair {
  std::size_t i = 0, j = 0;  // industries of the table
  double coagglomeration = 0, input = 0, output = 0, labour = 0;  // labour NaN without occupations
};

struct RegressionTerm {
  std::string term;
  double coefficient = 0, std_error = 0, t = 0, p_value = 0;
  double standardised = 0, standardised_se = 0;  // coefficient and se on standardised variables
};

struct CoagglomerationResult {
  std::vector<CoagglomerationPair> pairs;
  std::vector<RegressionTerm> terms;  // const, input, output[, labour]
  double r2 = 0;
  std::size_t industries = 0;
  double permutation_p = 1;           // of the input coefficient (two-sided); NaN with 0 draws
  std::size_t permutations = 0;
  std::vector<std::string> warnings;
};

// `occupations`: per industry of the table, its occupation shares (empty: no labour term; an
// industry with an empty vector is left out of the pairs). Industries with no employment are left
// out. Throws invalid input when fewer than 4 industries (so at least 6 pairs) remain.
CoagglomerationResult coagglomeration(const IoTable& table, const EmploymentMatrix& employment,
                                      const std::vector<std::vector<double>>& occupations, std::size_t permutations,
                                      std::uint64_t seed);

}  // namespace agglo::structure
