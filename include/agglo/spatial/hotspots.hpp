// agglo::spatial — hot spots on regions: Getis–Ord G*_i and local Moran I_i (getis.hpp,
// moran.hpp) with conditional permutation inference (Anselin 1995, "Local indicators of spatial
// association — LISA", Geographical Analysis 27:93–115, §4), pseudo p-values, false-discovery-
// rate control (fdr.hpp), LISA classes and the global Moran's I with a permutation test.
//
// Conditional permutation (Anselin 1995). For region i with k_i neighbours, hold x_i fixed and
// draw k_i values from the other n − 1 regions' values, assign them to i's neighbours, and
// recompute the statistic; R such draws give the reference distribution of I_i and of G*_i
// under spatial randomness (both are monotone in the drawn neighbour sum S_i = Σ_j w_ij x_j, so
// one draw serves both). Draw r of region i comes from the stream
// core::Stream(seed, stream_id("hotspots.conditional"), i): each region has its own stream, so
// the result is the same for any number of threads or MPI ranks.
//
// Two conventions differ between implementations, and both are offered by name:
//   * sampling (PermutationSampling): the k_i values are drawn WITHOUT replacement (default:
//     a permutation of the other values, Anselin 1995; PySAL esda's crand, GeoDa, spdep ≥ 1.2-8
//     with no_repeat_in_row = TRUE) or WITH replacement (spdep's default in localmoran_perm
//     and localG_perm, every version). The difference is O(k_i/n).
//   * the G*_i permutation (GiPermutation): G*_i counts region i among its own neighbours, so
//     i's own slot can be held (conditional, default: x_i stays, only the k_i neighbour slots
//     are drawn — Anselin's conditional randomisation; esda G_Local(star=True); GeoDa; spdep
//     ≥ 1.2-8, fix_i_in_Gstar_permutations = TRUE) or redrawn too (total: all k_i + 1 slots
//     drawn from the other n − 1 values — spdep ≤ 1.2-7, the version in Debian 12, and spdep
//     ≥ 1.2-8 with fix_i_in_Gstar_permutations = FALSE). `total` tests whether the
//     neighbourhood sum including x_i is unusual, so a single extreme region with ordinary
//     neighbours tends to be called a hot spot; `conditional` asks whether the NEIGHBOURS of i
//     are unusual given x_i, which is what a local test of association asks (spdep adopted it
//     in 1.2-8 after comparing with PySAL and GeoDa, spdep issue #123). The `total` draws of
//     region i come from their own stream Stream(seed, "hotspots.gi_total", i), so the LISA
//     results do not change with the G* convention.
//
// Pseudo p-value (folded, as PySAL esda and GeoDa; spdep localmoran_perm "Pr(folded) Sim"):
// with M the number of simulated statistics ≥ the observed one,
//   p = (min(M, R − M) + 1) / (R + 1),
// a one-tailed p-value in the direction the observed value lies; its smallest value is
// 1/(R + 1). Simulated values equal to the observed one count as ≥ (exact ties arise with
// integer data, and the neighbour sums are formed the same way for observed and drawn values).
// When z_i = x_i − x̄ = 0, I_i is 0 whatever the draw and its pseudo p is set to 1.
// (With --sampling with, spdep's localmoran_perm and localG_perm draws are reproduced in distribution.)
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
enum class GiPermutation : std::uint8_t { conditional, total };
enum class PermutationSampling : std::uint8_t { without_replacement, with_replacement };

struct HotspotParams {
  std::size_t permutations = 999;  // ≥ 1
  std::uint64_t seed = 0;
  HotspotStatistic statistic = HotspotStatistic::lisa;
  GiPermutation gi_permutation = GiPermutation::conditional;
  PermutationSampling sampling = PermutationSampling::without_replacement;
  double alpha = 0.05;             // significance level of the pseudo p (without FDR)
  double fdr = 0;                  // > 0: BH control at this level instead of alpha
  // Called with the number of regions finished (from worker threads); may be empty.
  std::function<void(std::size_t)> progress;
};

// The permutation results for the regions of one worker (or all): per region, M (simulated
// S ≥ observed), L (simulated S ≤ observed), and the mean and variance of the simulated I_i;
// gi_ge: simulated G*_i ≥ observed, under the G* convention of the parameters (equal to ge
// for conditional draws with equal weights in the row).
struct PermutationCounts {
  std::vector<std::uint32_t> ge, le, gi_ge;
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

// The exact randomisation distribution of region i: the same comparisons as the Monte-Carlo
// path, made for EVERY equally likely draw instead of R random ones — all ordered m-tuples of
// distinct other regions (without replacement) or all (n − 1)^m tuples (with replacement),
// m = k_i for I_i and conditional G*_i, k_i + 1 for total G*_i. draws = the number of tuples
// of the I_i enumeration, gi_draws of the G*_i one; lisa_ge/lisa_le count drawn neighbour
// sums ≥ / ≤ the observed one, gi_ge drawn G*_i ≥ the observed one. The exact pseudo p is
// folded_pseudo_p over these counts. Cost O(tuples · m); throws a usage error when an
// enumeration would exceed max_draws tuples. For small data and for the tests that compare
// agglo's conventions with spdep's code fed the same enumeration.
struct ExactCounts {
  std::uint64_t draws = 0, lisa_ge = 0, lisa_le = 0;
  std::uint64_t gi_draws = 0, gi_ge = 0;
};
ExactCounts exact_permutation_counts(const std::vector<double>& x, const SpatialWeights& w, const HotspotParams& p,
                                     std::size_t i, std::uint64_t max_draws = 100'000'000);

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
std::string to_string(GiPermutation g);        // "conditional" / "total"
std::string to_string(PermutationSampling s);  // "without" / "with"

}  // namespace agglo::spatial
