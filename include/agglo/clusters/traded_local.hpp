// agglo::clusters — traded vs local industries by a test of random location (step 1 of
// Delgado, Porter & Stern 2016).
//
// Local industries serve the local market, so their establishments are spread like local
// demand; traded industries concentrate (Porter 2003; DPS 2016). The rule: industry i is
// **traded** when both
//   1. the dartboard null — its N_i establishments located independently with probabilities
//      x_r, the reference distribution — is rejected by the test of measure/dartboard.hpp,
//      at false discovery rate `fdr` over all industries (Benjamini & Hochberg 1995), and
//   2. its excess concentration is material: EG's γ_i (H = 1/N_i) ≥ `min_gamma`;
// otherwise it is **local**. (1) alone can say "no split" in both directions; (2) keeps it
// from calling everything traded when N_i is in the thousands, where any real industry differs
// detectably from a multinomial (Ellison & Glaeser 1997 find γ > 0 for almost every industry
// and call γ < 0.02 "not very localised"; min_gamma = 0.005 is a quarter of that).
//
// The reference x (`reference`):
//   "local" (default): the pooled establishments of a core of industries most consistent
//     with random location, found by concentration steps (Rousseeuw & Van Driessen 1999): from
//     x = all establishments, the core is the `core_fraction` · n industries with the smallest
//     N_i·G_i(x), x is re-estimated from the core, until the core repeats. Total employment
//     mixes in the traded clusters themselves, whose hubs pull x away from where local demand
//     is; the core is a robust estimate of how establishments spread when nothing concentrates
//     them (Porter's local industries follow population), which fewer than (1 − core_fraction)
//     · n concentrated industries cannot move. Core members are tested against the core
//     without themselves.
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
  double min_gamma = 0.005;
  double core_fraction = 0.5;   // "local": the share of industries in the reference core
  std::size_t max_rounds = 100;  // "local": concentration steps at most
  measure::DartboardOptions test;
};

std::vector<std::string> traded_reference_names();  // local, all, given

struct TradedLocalSplit {
  std::vector<measure::DartboardTest> tests;  // per industry, against the final reference
  std::vector<double> q;                      // Benjamini–Hochberg adjusted p (NaN when N = 0)
  std::vector<bool> traded;
  std::vector<bool> in_reference;             // per industry: in the reference ("all": every one)
  std::size_t rounds = 0;                     // "local": concentration steps made
  bool converged = true;                      // "local": the core repeated within max_rounds
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
