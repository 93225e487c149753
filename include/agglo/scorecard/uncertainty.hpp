// agglo::scorecard — uncertainty and sensitivity analysis of a composite index (Saisana,
// Saltelli & Tarantola 2005; OECD/JRC Handbook, Nardo et al. 2008, step 7).
//
// The pipeline's choices are uncertain inputs, each drawn uniformly from its alternatives:
//   imputation      {the base choice, none, mean}            (only when values are missing)
//   normalisation   {the base choice, minmax, percentile}    (all on the base [l, u] scale)
//   weights         one of 1,000 weight sets: every node's weight × U(1 − δ, 1 + δ), δ = 0.25
//   aggregation     {the base choice, arithmetic, geometric} (geometric with the zero floor;
//                    left out when a normalisation can give negative scores)
//   drop            none, or leave out one of the L indicators (L + 1 levels)
// Draw d takes its inputs from core::Stream(seed, "index-uncertainty", d) (matrix A) and, for
// the Sobol design, Stream(seed, "index-uncertainty-b", d) (matrix B), so results depend on
// the seed only, never on the thread count.
//
// Outputs per unit: the 5 %, 50 % and 95 % quantiles (type 7) of its rank over the N draws of
// A, and the mean absolute rank shift |rank_d − rank_base|; with `sobol`, first-order and
// total Sobol indices of the unit's rank for each input (stats::sobol_indices: Saltelli et al.
// 2010, Jansen 1999) from N (k + 2) runs.
//
// Cost: the normalised indicators are computed once per (imputation, normalisation) pair; a
// draw then costs O(n L) to aggregate and O(n) to rank (LSD radix sort of the scores), so
// 10,000 draws over 67 groups of 3,000 units and 17 indicators take seconds
// (docs/benchmarks.md). Ranks are kept as 32-bit integers: 4 n N bytes per group.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/scorecard/composite.hpp"

namespace agglo::scorecard {

struct UncertaintyOptions {
  std::size_t draws = 1000;
  bool sobol = false;
  std::uint64_t seed = 0;
  double weight_perturbation = 0.25;  // δ
  bool vary_imputation = true, vary_normalisation = true, vary_weights = true, vary_aggregation = true,
       vary_drop = true;
  bool force_reference = false;  // tests: evaluate every draw through compute_index
};

struct UncertaintyResult {
  std::vector<std::string> factors;  // names of the varied inputs, in design order
  std::vector<std::string> levels;   // per factor: its alternatives ("minmax|percentile")
  std::vector<int> base_rank;
  std::vector<double> rank_q05, rank_median, rank_q95, mean_shift;  // per unit
  std::vector<std::vector<double>> first, total;  // [factor][unit] (with sobol)
  std::size_t runs = 0;       // pipeline evaluations
  bool fast_path = false;     // the precomputed path (no per-node overrides, fixed weights)
  std::vector<std::string> warnings;
};

// Runs the analysis on `units` (indices into data's rows; all rows when empty), with `base`
// the pipeline of the nominal index.
UncertaintyResult analyse_uncertainty(const IndicatorTree& tree, const IndicatorData& data, const PipelineOptions& base,
                                      const UncertaintyOptions& options, const std::vector<std::size_t>& units = {});

// Descending competition ranks (1 = largest, ties share the smallest rank, NaN → 0) by an LSD
// radix sort of the IEEE-754 keys: the same result as rank_scores (composite.hpp) in O(n).
// Scores are first rounded to multiples of `resolution` (0 = exact), as rank_scores does.
void fast_descending_ranks(const double* x, std::size_t n, std::uint32_t* rank, std::vector<std::uint64_t>& scratch_keys,
                           std::vector<std::uint32_t>& scratch_idx, double resolution);

}  // namespace agglo::scorecard
