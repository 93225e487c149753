// agglo::structure — a synthetic economy with planted development blocks and a planted
// recession, so `agglo blocks` and `agglo resilience` are scored on a known answer
// (`agglo synth-structure`; docs/methods/structure.md, "Synthetic ground truth").
//
// Industries: `blocks` planted blocks of `block_size` industries and `decoys` IO-linked groups
// of `decoy_size` industries, plus nothing else. Inside a block or a decoy group every pair
// trades (a_ij ~ U(0.03, 0.10)); between groups there are sparse weak flows (a_ij ~ U(0, 0.12/n)
// with probability 0.3, about 0.018 per column whatever the number of industries n). Gross output x_j ~ U(1000, 2000); final demand and value added are the
// balancing items.
// Series (log output, `years` years from `first_year`):
//   block member i of block b:  y_it = ln x_i + λ_i τ_bt + u_it,  τ_bt a random walk with drift
//                               0.02 and innovation sd trend_sd, λ_i ~ U(0.7, 1.3), u_it an
//                               AR(1) with φ = noise_ar and innovation sd noise_sd
//   decoy member:               y_it = ln x_i + an independent random walk (drift 0.02, sd trend_sd)
// so decoys are linked by IO but do not co-evolve: the dynamic test must reject them. With
// `null_series` every industry is an independent random walk (the null of no blocks).
// Recession (region × industry employment in the years from, trough, to): region r has
// planted sensitivities β_r (contraction) and ρ_r (recovery) drawn from U(0.3, 2.0) and
// rescaled so their employment-weighted means are 1; every cell moves by
//   E_ir(trough) = E_ir(from) (1 + β_r c)(1 + ε),  E_ir(to) = E_ir(trough) (1 + ρ_r g)(1 + ε')
// with c = contraction, g = recovery and ε, ε' ~ N(0, cell_noise). Martin's (2012) sensitivity
// index then recovers β_r and ρ_r, and the resistance is ≈ 1 − β_r.
// Location: the first `colocated_blocks` blocks are cluster blocks: `home_pull` of every member's
// jobs outside the block's home region (region b mod R) move there, national totals unchanged, so
// the block is co-located; the other blocks and the decoys are spread like everything else
// (national blocks).
// Occupations: 12 occupations; an industry's shares are 1 + U(0, 1) each plus 6 on the two
// occupations of its IO group, normalised — linked industries draw on the same labour pool.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/data/table.hpp"
#include "agglo/structure/input_output.hpp"
#include "agglo/structure/structure_inputs.hpp"

namespace agglo::structure {

struct SyntheticStructureConfig {
  std::size_t blocks = 4, block_size = 5;
  std::size_t decoys = 3, decoy_size = 4;
  std::size_t years = 40;
  long long first_year = 1980;
  double trend_sd = 0.05, noise_sd = 0.01, noise_ar = 0.0;
  bool null_series = false;
  std::size_t regions = 30;
  int from = 2007, trough = 2009, to = 2014;
  double contraction = -0.08, recovery = 0.10, cell_noise = 0.005;
  std::size_t colocated_blocks = 2;
  double home_pull = 0.6;
};

struct SyntheticStructure {
  IoTable table;
  IndustrySeries series;                  // raw values (exp of the log series)
  std::vector<std::int64_t> planted_block; // per industry: block id, −1 for decoys
  std::vector<std::int64_t> io_group;      // per industry: IO group (blocks then decoys)
  std::vector<std::string> location;       // per industry: cluster, national ("" for decoys)
  std::vector<std::string> regions;
  std::vector<double> sensitivity, recovery_sensitivity;  // planted β_r, ρ_r
  data::Table flows, totals, series_table, employment, occupations, truth_blocks, truth_regions;
};

SyntheticStructure synthetic_structure(const SyntheticStructureConfig& config, std::uint64_t seed);

}  // namespace agglo::structure
