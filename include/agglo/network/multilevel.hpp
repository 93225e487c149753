// agglo::network — multi-level cluster networks (Schüßler, Decker & Lerch 2013: organisations nested in clusters,
// clusters linked into a cluster network; the IMP network approach: the actors of business networks).
//
// Every node belongs to one member cluster (its `cluster` attribute) or to none (an
// organisation outside the member clusters, such as an inter-cluster administrative office).
// Ties are classified as
//   inside    both ends in the same cluster                    (organisation / cluster level)
//   across    ends in two different clusters                   (inter-cluster level)
//   external  one end outside every member cluster             (ties of the inter-cluster body)
// and counted per cluster and per pair of clusters (with the trust ties among them).
//
// Who brokers the inter-cluster ties: the cross-cluster betweenness of v is the share of the
// ordered pairs (s, t) of organisations in different clusters, t reachable from s, whose
// shortest paths pass through v, each pair split over its σ_st geodesics:
//   X(v) = Σ_{s,t: c(s)≠c(t)} σ_st(v)/σ_st  /  #{(s,t): c(s)≠c(t), t reachable from s}
// (Brandes' 2001 accumulation with targets restricted to other clusters; hop counts; out-paths
// when directed). X = 1 for an organisation every cross-cluster path runs through. For large
// graphs the sources are sampled like betweenness (the ratio estimator needs no rescaling).
// The "central administrative organisation" is the node with the largest X; the summary gives
// its share and whether it lies outside the member clusters.
//
// The inter-cluster tie graph (across + external ties, directions ignored) has its own Freeman
// degree centralization: high when one organisation holds most cross-cluster ties.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/network/graph.hpp"

namespace agglo::network {

struct MultilevelOptions {
  double exact_budget = 2e9;  // n·m up to which cross-cluster betweenness uses every source
  std::int64_t samples = 256;
  std::uint64_t seed = 1;
};

struct ClusterPairTies {
  std::int32_t a = 0, b = 0;  // cluster indices, a < b
  std::size_t ties = 0, trust_ties = 0;
};

struct ClusterLevels {
  std::size_t n_clusters = 0;
  std::vector<std::int32_t> node_cluster;            // −1 outside every member cluster
  std::vector<double> inside_ties, across_ties, external_ties;  // per node
  std::vector<double> cross_cluster_betweenness;     // X(v), per node
  std::vector<std::size_t> cluster_size, cluster_inside, cluster_across, cluster_external;
  std::vector<ClusterPairTies> pairs;                // pairs with at least one tie
  std::size_t ties_inside = 0, ties_across = 0, ties_external = 0;
  double inter_cluster_centralization = 0;           // of the across + external tie graph
  std::size_t inter_cluster_nodes = 0;
  double cluster_trust_density = 0;   // share of cluster pairs joined by ≥ 1 trust tie
  std::int64_t top_broker = -1;        // argmax X (smallest index on ties)
  double top_share = 0;
  std::int64_t top_external_broker = -1;  // argmax X among nodes outside the clusters
  double top_external_share = 0;
  std::string betweenness_method;
};

// trust[k]: tie k (of g) is a trust tie.
ClusterLevels cluster_levels(const Graph& g, const std::vector<std::int32_t>& node_cluster,
                             std::size_t n_clusters, const std::vector<char>& trust,
                             const MultilevelOptions& options);

// X(v) alone, from the given sources (all nodes in a cluster when empty). Exposed for tests.
std::vector<double> cross_cluster_betweenness(const Graph& g, const std::vector<std::int32_t>& node_cluster,
                                              const std::vector<std::uint32_t>& sources);

}  // namespace agglo::network
