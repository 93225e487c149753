// agglo::spatial — HDBSCAN* (Campello, Moulavi & Sander 2013, "Density-based clustering based
// on hierarchical density estimates", PAKDD 2013, LNCS 7819, pp. 160–172; Campello, Moulavi,
// Zimek & Sander 2015, "Hierarchical density estimates for data clustering, visualization, and
// outlier detection", ACM TKDD 10(1):5), computed with the accelerated algorithm of McInnes &
// Healy (2017, "Accelerated hierarchical density based clustering", IEEE ICDMW, pp. 33–42).
//
// Definitions, with m = min_samples and d the distance (Euclidean for x,y; great-circle km for
// lon/lat):
//   * core distance   core_m(p) = distance from p to its m-th nearest neighbour, p ITSELF
//     COUNTED as the first (R dbscan's minPts and hdbscan's min_samples: m = 1 gives 0);
//   * mutual reachability   d_mreach(p, q) = max(core_m(p), core_m(q), d(p, q));
//   * the minimum spanning tree of the complete graph under d_mreach, cut at decreasing
//     heights, is the single-linkage hierarchy of density levels λ = 1/d;
//   * the condensed tree keeps, walking down from the root, a split only where both sides hold
//     ≥ min_cluster_size points; a smaller side "falls out" of its parent cluster at that λ;
//   * the stability (excess of mass) of a cluster C born at λ_birth(C) is
//       S(C) = Σ_{p ∈ C} (λ_p − λ_birth(C)),
//     λ_p the level at which p (or the sub-cluster holding it) leaves C;
//   * selection: bottom-up, C is kept when S(C) ≥ Σ S(children), else it is replaced by its
//     children (whose sum becomes its stability). The root is never selected (as in R dbscan
//     and in hdbscan's default allow_single_cluster = False); points outside every selected
//     cluster are noise (−1);
//   * membership probability of p in its selected cluster C: min(λ_p, λ_max(C)) / λ_max(C),
//     λ_max(C) the largest λ at which anything leaves C directly (hdbscan's convention). The
//     R dbscan 1.1 convention, (max_{q∈C} core(q) − core(p)) / max_{q∈C} core(q), is also
//     returned (probability_coredist; NaN when every core distance in C is 0, as in R).
// Clusters are numbered 0, 1, … in input order of their first member.
//
// Memory is O(n): a kd-tree (nanoflann) for the core distances and for the Borůvka minimum
// spanning tree; never a distance matrix. The result is identical for any thread count: every
// tie in the spanning tree is broken by point index (see mst.cpp).
#pragma once

#include <cstdint>
#include <vector>

namespace agglo::spatial {

// Two conventions for the level λ_p at which a point leaves a cluster of the condensed tree:
//   campello  when the connected component holding p drops below min_cluster_size points
//             (Campello et al. 2013/2015; McInnes' hdbscan library) — the default;
//   r_dbscan  when p is split off alone, or at the latest when the cluster splits into two
//             clusters (R dbscan 1.1's computeStability). This counts the internal density of
//             groups smaller than min_cluster_size towards the cluster's stability, so the
//             selected clusters can differ a little. With r_dbscan, `probability` is R's
//             membership_prob (the core-distance convention below).
enum class HdbscanConvention { campello, r_dbscan };

struct HdbscanParams {
  std::size_t min_cluster_size = 5;  // ≥ 2
  std::size_t min_samples = 0;       // ≥ 1; 0 = min_cluster_size (R and hdbscan default)
  bool geographic = false;           // x = lon, y = lat in degrees; distances in km
  HdbscanConvention convention = HdbscanConvention::campello;
};

// One edge of a spanning tree: points a < b, weight the mutual reachability distance.
struct MstEdge {
  std::uint32_t a = 0, b = 0;
  double weight = 0;
};

struct HdbscanResult {
  std::vector<std::int32_t> label;              // per point: cluster 0.., or −1 for noise
  std::vector<double> probability;              // _lambda, or _coredist with r_dbscan
  std::vector<double> probability_lambda;       // min(λ_p, λ_max(C)) / λ_max(C) (0 for noise)
  std::vector<double> probability_coredist;     // R dbscan 1.1's membership_prob (0 for noise)
  std::vector<double> core_distance;            // core_m(p), km for lon/lat
  // 1 for a point that leaves its cluster at exactly the level where that cluster splits into
  // two or more clusters (its group ties with the split: e.g. a point whose core distance
  // bridges two clusters). Such a point is never in a child cluster alone, so it is noise of
  // the parent; a binary dendrogram (R dbscan, Python hdbscan) instead puts it, depending on
  // the order of equal edges, into one child with λ_p = λ_birth — R's membership_prob 0.
  std::vector<std::uint8_t> split_tie;
  std::vector<double> stability;                // per selected cluster
  std::vector<double> lambda_birth;             // per selected cluster
  std::size_t clusters = 0;
  std::size_t noise = 0;
  double mst_weight = 0;                        // total mutual reachability weight of the MST
};

// HDBSCAN* as above. Throws usage errors for min_cluster_size < 2, min_samples < 1 and input
// errors for fewer points than min_cluster_size.
HdbscanResult hdbscan(const std::vector<double>& x, const std::vector<double>& y,
                      const HdbscanParams& p);

// ---- building blocks, exposed for the tests ------------------------------------------------

// Core distances by k-nearest-neighbour queries on a nanoflann kd-tree (k = min_samples, the
// point itself included). Parallel.
std::vector<double> core_distances(const std::vector<double>& x, const std::vector<double>& y,
                                   std::size_t min_samples, bool geographic);

// Minimum spanning tree of the mutual reachability graph by Borůvka on the kd-tree; edges
// sorted by (weight, a, b). `core` as from core_distances().
std::vector<MstEdge> mreach_mst(const std::vector<double>& x, const std::vector<double>& y,
                                const std::vector<double>& core, bool geographic);

// The O(n²) reference: Prim's algorithm over all pairs (O(n) memory, O(n²) time).
std::vector<MstEdge> mreach_mst_prim(const std::vector<double>& x, const std::vector<double>& y,
                                     const std::vector<double>& core, bool geographic);

// HDBSCAN* from a spanning tree (any minimum spanning tree gives the same result).
HdbscanResult hdbscan_from_mst(std::size_t n, std::vector<MstEdge> mst,
                               std::vector<double> core, std::size_t min_cluster_size,
                               HdbscanConvention convention = HdbscanConvention::campello);

// The whole method by brute force: core distances and Prim over all pairs, then the same
// hierarchy code. The reference the tests compare hdbscan() against.
HdbscanResult hdbscan_bruteforce(const std::vector<double>& x, const std::vector<double>& y,
                                 const HdbscanParams& p);

}  // namespace agglo::spatial
