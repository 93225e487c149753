// agglo::clusters — traded vs local industries by a test of random location (step 1 of
// Delgado, Porter & Stern 2016).
//
// Local industries serve the local market, so their establishments are spread like local
// demand; traded industries concentrate (Porter 2003; DPS 2016). The rule: industry i is
// **traded** when both
//   1. the dartboard null — its N_i establishments located independently with probabilities
//      x_r, the reference distribution — is rejected by the test of measure/dartboard.hpp,
//      at false discovery rate `fdr` over all industries (Benjamini & Hochberg 1995), and
//   2. its excess concentration is material: V_i = γ_i (1 − Σx²)/Σx² ≥ `min_excess`, with
//      γ_i EG's index on establishment counts (H = 1/N_i) — √V_i is the size-weighted RMS
//      relative deviation of its regional shares from x (measure/dartboard.hpp);
// otherwise it is **local**. (1) alone can say "no split" in both directions; (2) keeps it
// from calling everything traded when N_i is in the thousands, where any real industry differs
// detectably from a multinomial (Ellison & Glaeser 1997 find γ > 0 for almost every industry
// and call γ < 0.02 "not very localised"). The floor is on V rather than γ because γ scales
// with Σx², the regions' own concentration: EG's 0.02 on 50 states (Σx² ≈ 0.05) is V ≈ 0.4;
// min_excess = 0.25 (shares off by 50 % RMS) is γ ≥ 0.013 on states, 0.008 on the 67 New
// England counties of the tiny synthetic economy and 0.0004 on 3,100 US counties.
//
// The reference x (`reference`):
//   "local" (default): the pooled establishments of a core of industries close to random
//     location: the `core_fraction` · n industries with the smallest N_i·G_i against all
//     establishments (one concentration step, Rousseeuw & Van Driessen 1999). Total employment
//     mixes in the traded clusters themselves, whose hubs pull x away from where local demand
//     is; the core leaves the most concentrated half out (Porter's local industries follow
//     population), so fewer than (1 − core_fraction) · n concentrated industries cannot move
//     it. The step is not iterated (iterating converges to the most homogeneous half, which in
//     an economy of a few traded clusters can be one cluster). Core members are tested against
//     the core without themselves.
//   "all": the establishments of all industries, once.
//   "given": `reference_weights` (one per region, e.g. population), once.
// Complexity: one test per industry and round (see dartboard.hpp), in parallel over industries;
// results do not depend on the number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/data/dense_matrix.hpp"
#include "agglo/measure/dartboard.hpp"

namespace agglo::clusters {

struct TradedLocalOptions {
  std::string reference = "local";       // local | all | given
  std::vector<double> reference_weights;  // per region, for "given"
  double fdr = 0.05;
  double min_excess = 0.25;
  double core_fraction = 0.5;   // "local": the share of industries in the reference core
  measure::DartboardOptions test;
};

std::vector<std::string> traded_reference_names();  // local, all, given

struct TradedLocalSplit {
  std::vector<measure::DartboardTest> tests;  // per industry, against the final reference
  std::vector<double> q;                      // Benjamini–Hochberg adjusted p (NaN when N = 0)
  std::vector<bool> traded;
  std::vector<bool> in_reference;             // per industry: in the reference ("all": every one)
  std::string reference;                      // the reference of `tests`: all, local or given
  double local_share = 1;                     // share of all establishments held by the reference
                                              // industries (1 for all and given)
  std::vector<std::string> warnings;
};

// `establishments`: regions × industries counts (rounded to integers; negative → usage error).
TradedLocalSplit split_traded_local(const data::DenseMatrix& establishments, const TradedLocalOptions& options);

// Establishment counts when the panel has none: n_ri = max(1, round(E_ri / mean_size)) where
// E_ri > 0, else 0 (a cell with employment has at least one establishment).
data::DenseMatrix approximate_establishments(const data::DenseMatrix& employment, double mean_size);

}  // namespace agglo::clusters
