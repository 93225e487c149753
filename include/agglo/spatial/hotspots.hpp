// agglo::spatial — hot spots on regions: Getis–Ord G*_i and local Moran I_i (getis.hpp,
// moran.hpp) with conditional permutation inference (Anselin 1995, "Local indicators of spatial
// association — LISA", Geographical Analysis 27:93–115, §4), pseudo p-values, false-discovery-
// rate control (fdr.hpp), LISA classes and the global Moran's I with a permutation test.
//
// Conditional permutation (Anselin 1995). For region i with k_i neighbours, hold x_i fixed and
// draw k_i values without replacement from the other n − 1 regions' values, assign them to i's
// neighbours, and recompute the statistic; R such draws give the reference distribution of
// I_i and of G*_i under spatial randomness (both are monotone in the drawn neighbour sum
// S_i = Σ_j w_ij x_j, so one draw serves both). Draw r of region i comes from the stream
// core::Stream(seed, stream_id("hotspots.conditional"), i): each region has its own stream, so
// the result is the same for any number of threads or MPI ranks.
//
// Pseudo p-value (folded, as PySAL esda and GeoDa; spdep localmoran_perm "Pr(folded) Sim"):
// with M the number of simulated statistics ≥ the observed one,
//   p = (min(M, R − M) + 1) / (R + 1),
// a one-tailed p-value in the direction the observed value lies; its smallest value is
// 1/(R + 1). Simulated values equal to the observed one count as ≥ (exact ties arise with
// integer data, and the neighbour sums are formed the same way for observed and drawn values).
// When z_i = x_i − x̄ = 0, I_i is 0 whatever the draw and its pseudo p is set to 1.
// spdep 1.2-7's localmoran_perm draws WITH replacement; the difference is O(k/n).
//
// Classes. A region is significant when its p (of the chosen statistic) is ≤ alpha, or, with
// FDR control at level q > 0, when its Benjamini–Hochberg adjusted p is ≤ q. Significant
// regions are classed by the Moran scatterplot quadrant of (z_i, lag of z_i): HH (high value,
// high neighbours: a hot spot), LL (cold spot), HL and LH (spatial outliers) — for --statistic
// gi the quadrant is still reported, and the class is "hot" (G*_i > 0) or "cold". z_i > 0 is
// "high", ≤ 0 "low" (as spdep's "pysal" quadrant). Others: "not_significant"; islands:
// "no_neighbours" (p undefined).
//
// Global Moran's I is tested with R full random permutations of all values (moran.mc), draw r
// from Stream(seed, stream_id("hotspots.global"), r), folded pseudo p as above.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "agglo/spatial/moran.hpp"
#include "agglo/spatial/weights.hpp"

namespace agglo::spatial {

enum class HotspotStatistic : std::uint8_t { lisa, gi };

struct HotspotParams {
  std::size_t permutations = 999;  // ≥ 1
  std::uint64_t seed = 0;
  HotspotStatistic statistic = HotspotStatistic::lisa;
  double alpha = 0.05;             // significance level of the pseudo p (without FDR)
  double fdr = 0;                  // > 0: BH control at this level instead of alpha
  // Called with the number of regions finished (from worker threads); may be empty.
  std::function<void(std::size_t)> progress;
};

// The permutation results for the regions of one worker (or all): per region, M (simulated
// S ≥ observed), L (simulated S ≤ observed), and the mean and variance of the simulated I_i.
struct PermutationCounts {
  std::vector<std::uint32_t> ge, le;
  std::vector<double> mean_I, var_I;
};

// Conditional permutations for the regions in `which` (all when empty): returns counts for
// every region (regions not in `which` stay 0). x the values, w the weights of the statistic.
// O(|which| · R · k) time, O(n) memory per thread.
PermutationCounts conditional_permutations(const std::vector<double>& x, const SpatialWeights& w,
                                           const HotspotParams& p, const std::vector<std::uint32_t>& which = {});

// The same, region by region without the shortcuts (one full loop per draw, statistic
// recomputed from scratch): the reference the tests compare against.
PermutationCounts conditional_permutations_reference(const std::vector<double>& x, const SpatialWeights& w,
                                                     const HotspotParams& p);

// Folded pseudo p-value (min(M, R − M) + 1)/(R + 1).
double folded_pseudo_p(std::size_t M, std::size_t R);

struct HotspotResult {
  std::vector<double> value, lag;                     // x_i and Σ_j w_ij x_j
  std::vector<std::uint32_t> neighbours;              // k_i
  LocalMoran lisa;                                    // I_i and its analytical moments
  std::vector<double> lisa_p_sim, lisa_z_sim;         // folded pseudo p; (I − mean_sim)/sd_sim
  std::vector<double> gi_star, gi_p_normal, gi_p_sim; // G*_i (z), normal p, pseudo p
  std::vector<double> p_fdr;                          // BH adjusted p of the chosen statistic
  std::vector<std::string> quadrant, klass;
  GlobalMoran global;
  double global_p_sim = 0;                            // folded pseudo p of I
  double global_mean_sim = 0, global_sd_sim = 0;
  std::size_t significant = 0;
  bool root = true;  // false on MPI ranks other than 0 (which hold no result)
};

// The whole analysis. Throws input errors for n < 4, zero variance or a weights object with no
// link at all; permutations are dealt to MPI ranks (region i to rank i mod size) and gathered
// on rank 0, each rank using its TBB threads.
HotspotResult hotspots(const std::vector<double>& x, const SpatialWeights& w, const HotspotParams& p);

std::string to_string(HotspotStatistic s);

}  // namespace agglo::spatial
