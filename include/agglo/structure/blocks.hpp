// agglo::structure — development blocks (Dahmén 1950, 1988): sets of complementary industries
// that are linked by input–output flows and co-evolve, found in two steps.
//
//  1. Candidates from structure: communities of the IO network (Leiden, Traag, Waltman & van
//     Eck 2019) on normalised flows w_ij = a_ij + a_ji (technical coefficients both ways, so a
//     flow counts by its weight in the buyer's costs, not by the seller's size). A community
//     larger than `max_size` is split again by Leiden on its own subgraph (a hierarchy, level 1,
//     2, …) until every candidate fits the Johansen critical-value tables.
//  2. A dynamic test inside each candidate on the industries' (log) series net of the aggregate
//     trend (y_it − ȳ_t, ȳ_t the mean over all industries): Johansen's trace test of the
//     cointegration rank with a constant (det_order 0) and `k_ar_diff` lagged differences. A
//     candidate with rank ≥ 1 at `level` is a block: its members share at least one common
//     stochastic trend, the signature of Dahmén's "structural tensions" being resolved.
//  Inside each block: the VECM loading matrix α (who adjusts back to equilibrium; Σ_j |α_ij| per
//  industry) and Granger causality in the levels VAR(k_ar_diff + 1) of each member on the rest
//  (who leads; Granger 1969), and the VECM's impulse responses (a shock to one member moves the
//  others for good when they share a trend). In every tested candidate, the structural-tension
//  index of its linked pairs (tension.hpp). A candidate of one industry cannot be tested (documented status
//  "single"); a candidate with fewer observations than the VAR needs is "too_short".
//
// Small samples: Johansen's trace test over-rejects when T is small relative to k·p; with
// `small_sample` the statistics are scaled by (n − k·(p+1))/n (Reinsel & Ahn 1992) before
// comparing with the critical values. The raw statistic equals statsmodels' and is reported too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/data/economy.hpp"
#include "agglo/stats/time_series.hpp"
#include "agglo/structure/input_output.hpp"
#include "agglo/structure/structure_inputs.hpp"
#include "agglo/structure/tension.hpp"

namespace agglo::structure {

struct BlockOptions {
  std::size_t k_ar_diff = 0;     // lagged differences; 0 = a VAR(1) in levels (annual data, T ≈ 40)
  std::size_t max_size = 8;      // split larger communities (≤ 12: the critical-value tables)
  double resolution = 1.0;       // Leiden resolution γ
  int level = 1;                 // critical value: 0 = 90 %, 1 = 95 %, 2 = 99 %
  bool small_sample = true;      // Reinsel–Ahn scaling of the statistics
  bool detrend_aggregate = true; // subtract the cross-industry mean of the series each year
  double granger_alpha = 0.05;   // a member leads when it Granger-causes the rest at this level
  std::size_t horizon = 10;      // impulse responses up to this many years (blocks)
  std::size_t tension_window = 5; // h of the structural-tension index (tension.hpp)
  std::uint64_t seed = 1;
};

struct CandidateTest {
  std::size_t candidate = 0;
  std::vector<std::size_t> members;   // industry indices (into BlockResult::industries)
  int level = 1;                      // depth in the Leiden hierarchy
  std::string status;                 // block, not_cointegrated, single, too_short
  std::size_t rank = 0;
  stats::JohansenResult johansen;     // empty for single / too_short
  double scale = 1.0;                 // small-sample factor applied to the statistics
  std::vector<double> adjustment;     // per member: Σ_j |α_ij| (blocks only)
  std::vector<double> granger_p;      // per member: p of "member → rest" (blocks only)
  std::vector<double> granger_f;
  stats::ImpulseResponses irf;        // of the block's VECM (blocks only)
  TensionResult tension;              // every tested candidate of ≥ 2 industries
  std::string note;
};

struct BlockResult {
  std::vector<std::string> industries;      // industries in both the table and the series
  std::vector<std::int64_t> candidate;      // per industry
  std::vector<std::int64_t> block;          // per industry: block id 0, 1, … or −1 (none)
  std::vector<CandidateTest> candidates;
  std::size_t blocks = 0;
  double modularity = 0;                    // of the first-level IO partition
  std::size_t years = 0;
  std::vector<std::string> warnings;
};

// Industries present in the table but not in the series (or vice versa) are dropped with a
// warning. Throws invalid input when fewer than two industries remain or the series are too
// short for any test.
BlockResult find_blocks(const IoTable& table, const IndustrySeries& series, const BlockOptions& options);

}  // namespace agglo::structure

namespace agglo::structure {

// Where each block is (blocks against clusters, issue 17 §3). With E_rb the employment of the
// block's industries in region r, E_b = Σ_r E_rb, E_r all employment of region r, E = Σ_r E_r:
//   LQ_rb  = (E_rb / E_r) / (E_b / E)                       (location quotient)
//   hoover = ½ Σ_r |E_rb / E_b − E_r / E|                   (Hoover 1936 localisation, 0 … 1)
// A block is a cluster block (co-located) when hoover ≥ `colocated`, else a national block.
// Regions and industries are those of the panel (its latest year when it has years); block
// members absent from it are ignored.
struct BlockLocation {
  std::int64_t block = 0;
  double employment = 0, hoover = 0, top_lq = 0;
  std::string top_region, location_class;  // "cluster" or "national" ("none" without employment)
  std::vector<std::pair<std::string, double>> lq;  // (region, LQ) for every region
};
std::vector<BlockLocation> block_locations(const data::Panel& employment, const std::vector<std::string>& industries,
                                           const std::vector<std::int64_t>& block, double colocated);

}  // namespace agglo::structure
