// agglo::network — centralities, k-cores and Freeman centralization. Betweenness and closeness
// come from one parallel shortest-path pass per source (src/network/detail/path_centrality.hpp,
// byte-identical for any thread count, equal to igraph's values); eigenvector centrality and
// coreness from igraph (Csárdi & Nepusz 2006).
//
//   degree        number of distinct neighbours (directed: in + out ties, also reported apart)
//   strength      sum of tie weights (directed: in + out)
//   betweenness   Freeman (1977) by Brandes' (2001) algorithm, on hop counts (or 1/weight as
//                 length with path_weights, Dijkstra), normalised like networkx's default:
//                 divided by (n−1)(n−2)/2 for undirected graphs, (n−1)(n−2) for directed ones.
//                 Modes: exact; sampled — Brandes & Pich (2007): shortest paths from k sources
//                 drawn uniformly without replacement (seeded), dependencies scaled by n/k, with
//                 Hoeffding error bounds (betweenness_error_*); auto — exact when
//                 n·m ≤ exact_budget, else sampled; none — not computed (NaN).
//   closeness     igraph's: (r−1) / Σ distances to the r−1 nodes reachable from v (out-paths
//                 when directed; NaN when none); exact only, computed when n·m ≤ exact_budget
//                 (else NaN + a note).
//   eigenvector   of the undirected (symmetrised, mutually weighted) graph, scaled to max 1
//                 (igraph_eigenvector_centrality, ARPACK); Bonacich (1972).
//   coreness      k-core index ignoring directions (Seidman 1983; Batagelj & Zaversnik).
//   Freeman centralization (Freeman 1979): Σ_v (max − c_v) / theoretical maximum, for degree
//   ((n−1)(n−2) undirected, 2(n−1)(n−2) directed on total degree) and betweenness (normalised
//   scores: (n−1) undirected and directed).
//   density       m / (n(n−1)/2) undirected, m / (n(n−1)) directed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/network/graph.hpp"

namespace agglo::network {

enum class BetweennessMode { automatic, exact, sampled, none };

struct CentralityOptions {
  BetweennessMode betweenness = BetweennessMode::automatic;
  std::int64_t samples = 256;           // sources for sampled betweenness
  double exact_budget = 2e9;            // n·m up to which path measures are exact
  bool path_weights = false;            // lengths 1/weight instead of hop counts
  bool eigenvector = true;
  std::uint64_t seed = 1;
};

struct Centrality {
  std::vector<double> degree, in_degree, out_degree, strength, betweenness, closeness, eigenvector;
  std::vector<std::int64_t> coreness;
  std::string betweenness_method;  // "exact", "sampled (k sources)", "not computed"
  std::string closeness_method;
  double density = 0, degree_centralization = 0, betweenness_centralization = 0;
  // Sampled betweenness only (NaN otherwise): Hoeffding bounds on |estimate − exact| of the
  // normalised betweenness holding with probability ≥ 1 − alpha, for one node and for all.
  double betweenness_error_alpha = 0.05, betweenness_error_per_node = 0, betweenness_error_all_nodes = 0;
  std::vector<std::string> warnings;
};

Centrality centrality(const Graph& g, const CentralityOptions& options);

// Freeman degree centralization from degrees (exposed for tests).
double degree_centralization(const std::vector<double>& degree, bool directed);

// Bridges (ties whose removal disconnects their component) and cut points (articulation
// points), ignoring directions; igraph_bridges / igraph_articulation_points (Tarjan 1974).
struct CutStructure {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> bridges;
  std::vector<char> cut_point;  // per node
  std::size_t components = 0;
};
CutStructure cut_structure(const Graph& g);

}  // namespace agglo::network
