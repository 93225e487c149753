// agglo::spatial — prevalent co-location patterns of industries (Huang, Shekhar & Xiong 2004,
// "Discovering colocation patterns from spatial data sets: a general approach", IEEE TKDE
// 16(12):1472–1485), as applied to industry clusters by Liu, Chen, Xu, Chen & Li (2021,
// "Detecting industry clusters from the bottom up based on co-location patterns mining: a case
// study in Dongguan, China", Environment and Planning B 48(9):2827–2841).
//
// Definitions. Each establishment is an instance of one feature (its industry).
//   * Two establishments are neighbours when their distance is ≤ D (Euclidean in the file's
//     unit for x,y; great-circle km for lon/lat). Only pairs of DIFFERENT features matter.
//   * A co-location pattern C is a set of k ≥ 2 distinct features. A row instance of C is a
//     set of k establishments, one of each feature of C, that are pairwise neighbours (a
//     clique of the neighbour graph).
//   * The participation ratio of feature f in C is
//         pr(f, C) = |{ instances of f that belong to at least one row instance of C }|
//                    / |instances of f|,
//     and the participation index is PI(C) = min over f ∈ C of pr(f, C).
//   * C is prevalent when PI(C) ≥ θ (the minimum prevalence). PI is anti-monotone: if C ⊂ C'
//     then every row instance of C' contains one of C, so pr(f, C') ≤ pr(f, C) and
//     PI(C') ≤ PI(C). Hence every prevalent pattern of size k+1 has only prevalent subpatterns
//     of size k, and the candidates of size k+1 are generated from the prevalent patterns of
//     size k as in Apriori (Agrawal & Srikant 1994).
//
// Algorithm (clique-based, in the spirit of Yoo & Shekhar 2006, "A joinless approach for
// mining spatial colocation patterns", IEEE TKDE 18(10):1323–1337): the neighbour graph is
// held once as sorted adjacency lists (the "star neighbourhoods"); for each candidate C the
// participation of every instance is decided by searching for ONE clique that contains it,
// never by materialising the (possibly huge) table of all row instances as the join-based
// algorithm of Huang et al. does. Two exact filters come first: an instance can only
// participate in C if it participates in every prevalent (k−1)-subpattern of C that contains
// its feature (instance-level anti-monotonicity), and C is dropped as soon as the instances
// still possible for one feature fall below θ. See colocation.cpp for the details.
//
// Memory: O(n + P) for n establishments and P neighbour pairs of distinct features, plus one
// bit per instance per feature of each prevalent pattern of the previous size. Candidates are
// evaluated in parallel (TBB), each by one thread, so the result does not depend on the number
// of threads.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace agglo::spatial {

struct ColocationParams {
  double min_prevalence = 0;  // θ in (0, 1]
  // Minimum support s ≥ 1: every feature of a reported pattern takes part with at least s
  // establishments (so the pattern has at least s row instances, since a row instance holds
  // one establishment per feature). Anti-monotone like PI (a superset's participants are a
  // subset of the pattern's), so patterns failing it are not extended and Apriori stays exact.
  // 1 = the plain definition of Huang et al. (2004).
  std::size_t min_support = 1;
  std::size_t max_size = 0;   // largest pattern size to mine; 0 = no limit, else ≥ 2
  bool progress = false;      // draw a progress bar per pattern size (parallel::Progress)
};

struct ColocationPattern {
  std::vector<std::uint32_t> features;       // feature ids, ascending
  double participation_index = 0;            // min of the ratios
  std::vector<std::uint32_t> participating;  // per feature (same order): participating instances
  std::vector<double> participation_ratio;   // per feature (same order)
};

struct ColocationLevel {
  std::size_t size = 0;        // pattern size k
  std::size_t candidates = 0;  // candidates generated (all feature pairs for k = 2)
  std::size_t pruned = 0;      // rejected by the participation upper bound before or during search
  std::size_t low_support = 0; // PI ≥ θ, but an industry takes part with fewer than min_support establishments
  std::size_t prevalent = 0;
};

struct ColocationResult {
  // Prevalent patterns of size ≥ 2, ordered by size, then lexicographically by feature ids.
  std::vector<ColocationPattern> patterns;
  std::vector<std::uint32_t> instances;  // per feature id: number of establishments
  std::vector<ColocationLevel> levels;
  std::size_t neighbour_pairs = 0;       // pairs of distinct features within the distance
};

// A neighbour pair (i, j), i ≠ j, of point indices.
using NeighbourPair = std::pair<std::uint32_t, std::uint32_t>;

// Mines the prevalent patterns from a neighbour relation given as a list of pairs (each
// unordered pair once, in either orientation; pairs of the same feature and repeats are
// ignored). feature[i] < num_features for every point. Throws usage errors for θ outside
// (0, 1], max_size = 1 and min_support = 0; cancellation (Ctrl-C) is checked between candidates.
ColocationResult mine_colocations(const std::vector<std::uint32_t>& feature,
                                  std::uint32_t num_features,
                                  const std::vector<NeighbourPair>& pairs,
                                  const ColocationParams& params);

// The pairs of points of distinct features within `distance` (km great-circle when
// geographic, x = lon and y = lat in degrees; else Euclidean), each once as (i, j) with
// i < j, sorted. Uses the shared grid kernel; O(n + P) memory.
std::vector<NeighbourPair> colocation_pairs(const std::vector<double>& x,
                                            const std::vector<double>& y,
                                            const std::vector<std::uint32_t>& feature,
                                            double distance, bool geographic);

// The reference: enumerates every set of k points with distinct features by nested loops
// (O(n^k) for each k ≤ max_size, max_size required here), tests each pair's distance
// directly, and computes PI of every pattern from the row instances found. Returns every
// pattern with PI ≥ θ and the minimum support (no Apriori pruning), in the same order as mine_colocations. Small
// inputs only (tests).
ColocationResult colocations_bruteforce(const std::vector<double>& x, const std::vector<double>& y,
                                        const std::vector<std::uint32_t>& feature,
                                        std::uint32_t num_features, double distance,
                                        bool geographic, const ColocationParams& params);

}  // namespace agglo::spatial
