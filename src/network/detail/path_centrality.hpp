// Betweenness and closeness from one single-source shortest-path pass per source, parallel over
// sources with a thread-count-independent sum. Private to src/network/.
//
// For each source s, a breadth-first search (hop counts) or Dijkstra's algorithm with a binary
// heap (lengths 1/weight) gives the distance d_s(v) and the number of shortest paths σ_sv.
// From them, for every node at once:
//
//   closeness   C(s) = (r_s − 1) / Σ_{v reached} d_s(v), r_s = nodes reached from s including s
//               (NaN when s reaches nobody) — igraph_closeness(..., IGRAPH_OUT, normalized = true)
//               in igraph 0.10: out-paths for a directed graph, unreachable nodes left out.
//   betweenness Brandes (2001): in order of non-increasing distance,
//                 δ_s(v) = Σ_{w: v ∈ P_s(w)} σ_sv / σ_sw · (1 + δ_s(w)),
//               b(v) = Σ_s δ_s(v) (halved for an undirected graph, whose pairs are met from both
//               ends), as igraph_betweenness returns before any normalisation.
//
// Equal lengths as igraph decides them. With real-valued lengths, two paths of "equal" length
// rarely add up to the same double (1/3 + 1/6 ≠ 1/2 in binary). igraph 0.10 stores every distance
// plus one (the source at 1.0) and treats a and b as equal when |a − b| / (|a| + |b|) < 10⁻¹⁰
// (igraph_cmp_epsilon with IGRAPH_SHORTEST_PATH_EPSILON); a path within that tolerance of the
// best known one adds its paths to σ instead of replacing it. We do the same, so the set of
// shortest-path predecessors P_s(w) — and hence betweenness — agrees with igraph's. In the
// backward pass, v ∈ P_s(w) is re-tested as "v reached and d_s(v) + ℓ(v, w) equals d_s(w)
// under that tolerance", the test the forward pass used when it added σ_sv to σ_sw.
//
// Determinism: sources go in fixed blocks; each block sums its dependencies into its own
// accumulator, and accumulators are added to the total in block order, so the floating-point
// sum is the same for any number of threads. Closeness is a per-source value: no reduction.
#pragma once

#include <cstdint>
#include <vector>

#include "agglo/network/graph.hpp"

namespace agglo::network::detail {

struct PathCentralityOptions {
  bool lengths = false;  // false: hop counts; true: length 1/weight (1e12 for weight 0), as igraph
  bool closeness = true;  // closeness of every source in `sources`
};

struct PathCentrality {
  std::vector<double> betweenness;  // Σ over accumulated sources of δ_s(v); halved if undirected
  std::vector<double> closeness;    // per source in `sources` with options.closeness, NaN elsewhere
};

// `sources`: nodes to run a search from (each once, any order); `accumulate[s]` (per node, or
// empty for "all") says whether s's dependencies enter betweenness.
PathCentrality path_centrality(const Graph& g, const std::vector<std::uint32_t>& sources,
                               const std::vector<char>& accumulate, const PathCentralityOptions& options);

}  // namespace agglo::network::detail
