// Multi-level cluster network measures (definitions in multilevel.hpp).
#include "agglo/network/multilevel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "agglo/core/rng.hpp"
#include "agglo/network/centrality.hpp"
#include "detail/brandes.hpp"

namespace agglo::network {

std::vector<double> cross_cluster_betweenness(const Graph& g, const std::vector<std::int32_t>& cl,
                                              const std::vector<std::uint32_t>& sources_in) {
  const std::size_t n = g.n;
  std::vector<std::uint32_t> sources = sources_in;
  if (sources.empty())
    for (std::uint32_t v = 0; v < n; ++v)
      if (cl[v] >= 0) sources.push_back(v);
  // Targets: organisations of another member cluster than the source's.
  const auto total = detail::brandes(g, sources, [&](std::uint32_t s, std::uint32_t w) {
    return cl[w] >= 0 && cl[w] != cl[s];
  });
  std::vector<double> x(n, 0.0);
  if (total[n] > 0)
    for (std::size_t v = 0; v < n; ++v) x[v] = total[v] / total[n];
  return x;
}

ClusterLevels cluster_levels(const Graph& g, const std::vector<std::int32_t>& cl, std::size_t K,
                             const std::vector<char>& trust, const MultilevelOptions& o) {
  const std::size_t n = g.n;
  ClusterLevels L;
  L.n_clusters = K;
  L.node_cluster = cl;
  L.inside_ties.assign(n, 0);
  L.across_ties.assign(n, 0);
  L.external_ties.assign(n, 0);
  L.cluster_size.assign(K, 0);
  L.cluster_inside.assign(K, 0);
  L.cluster_across.assign(K, 0);
  L.cluster_external.assign(K, 0);
  for (auto c : cl)
    if (c >= 0) ++L.cluster_size[static_cast<std::size_t>(c)];
  std::map<std::pair<std::int32_t, std::int32_t>, ClusterPairTies> pairs;
  // Inter-cluster tie graph degrees (distinct neighbours, directions ignored).
  std::vector<std::vector<std::uint32_t>> inter(n);
  for (std::size_t k = 0; k < g.edges(); ++k) {
    const auto u = g.source[k], v = g.target[k];
    const auto cu = cl[u], cv = cl[v];
    if (cu >= 0 && cu == cv) {
      ++L.ties_inside;
      ++L.inside_ties[u];
      ++L.inside_ties[v];
      ++L.cluster_inside[static_cast<std::size_t>(cu)];
      continue;
    }
    inter[u].push_back(v);
    inter[v].push_back(u);
    if (cu >= 0 && cv >= 0) {
      ++L.ties_across;
      ++L.across_ties[u];
      ++L.across_ties[v];
      ++L.cluster_across[static_cast<std::size_t>(cu)];
      ++L.cluster_across[static_cast<std::size_t>(cv)];
      auto key = std::minmax(cu, cv);
      auto& p = pairs[{key.first, key.second}];
      p.a = key.first;
      p.b = key.second;
      ++p.ties;
      if (!trust.empty() && trust[k]) ++p.trust_ties;
    } else {
      ++L.ties_external;
      ++L.external_ties[u];
      ++L.external_ties[v];
      if (cu >= 0) ++L.cluster_external[static_cast<std::size_t>(cu)];
      if (cv >= 0) ++L.cluster_external[static_cast<std::size_t>(cv)];
    }
  }
  std::size_t trusted = 0;
  for (auto& [key, p] : pairs) {
    trusted += p.trust_ties > 0;
    L.pairs.push_back(p);
  }
  L.cluster_trust_density = K > 1 ? static_cast<double>(trusted) / (static_cast<double>(K) * (K - 1) / 2) : 0.0;
  std::vector<double> deg;
  for (auto& nbrs : inter) {
    if (nbrs.empty()) continue;
    std::sort(nbrs.begin(), nbrs.end());
    deg.push_back(static_cast<double>(std::unique(nbrs.begin(), nbrs.end()) - nbrs.begin()));
  }
  L.inter_cluster_nodes = deg.size();
  L.inter_cluster_centralization = deg.size() >= 3 ? degree_centralization(deg, false) : 0.0;

  // Cross-cluster betweenness, sampled above the budget.
  std::vector<std::uint32_t> sources;
  for (std::uint32_t v = 0; v < n; ++v)
    if (cl[v] >= 0) sources.push_back(v);
  const double work = static_cast<double>(sources.size()) * static_cast<double>(std::max<std::size_t>(1, g.edges()));
  const auto k = static_cast<std::size_t>(std::max<std::int64_t>(1, o.samples));
  if (work > o.exact_budget && k < sources.size()) {
    core::Stream rng(o.seed, core::stream_id("network cross-cluster sources"));
    for (std::size_t i = 0; i < k; ++i) std::swap(sources[i], sources[i + rng.below(sources.size() - i)]);
    sources.resize(k);
    std::sort(sources.begin(), sources.end());
    L.betweenness_method = fmt::format("sampled ({} sources)", k);
  } else {
    L.betweenness_method = "exact";
  }
  L.cross_cluster_betweenness = sources.empty() ? std::vector<double>(n, 0.0) : cross_cluster_betweenness(g, cl, sources);
  for (std::uint32_t v = 0; v < n; ++v) {
    const double x = L.cross_cluster_betweenness[v];
    if (L.top_broker < 0 || x > L.top_share) {
      L.top_broker = v;
      L.top_share = x;
    }
    if (cl[v] < 0 && (L.top_external_broker < 0 || x > L.top_external_share)) {
      L.top_external_broker = v;
      L.top_external_share = x;
    }
  }
  return L;
}

}  // namespace agglo::network
