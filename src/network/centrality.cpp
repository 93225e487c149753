// Centralities through igraph (definitions in centrality.hpp).
#include "agglo/network/centrality.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/rng.hpp"
#include "detail/brandes.hpp"
#include "detail/igraph_session.hpp"

namespace agglo::network {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::vector<double> to_std(const igraph_vector_t& v) {
  std::vector<double> out(static_cast<std::size_t>(igraph_vector_size(&v)));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = VECTOR(v)[i];
  return out;
}
}  // namespace

double degree_centralization(const std::vector<double>& degree, bool directed) {
  const double n = static_cast<double>(degree.size());
  if (n < 3) return nan;
  const double mx = *std::max_element(degree.begin(), degree.end());
  double s = 0;
  for (double d : degree) s += mx - d;
  return s / ((directed ? 2.0 : 1.0) * (n - 1) * (n - 2));
}

Centrality centrality(const Graph& g, const CentralityOptions& o) {
  const std::size_t n = g.n;
  Centrality c;
  c.degree.resize(n);
  c.in_degree.resize(n);
  c.out_degree.resize(n);
  c.strength.assign(n, 0.0);
  for (std::uint32_t v = 0; v < n; ++v) {
    c.out_degree[v] = static_cast<double>(g.out(v).size());
    c.in_degree[v] = static_cast<double>(g.in(v).size());
    c.degree[v] = g.directed ? c.in_degree[v] + c.out_degree[v] : c.out_degree[v];
    for (double w : g.out_w(v)) c.strength[v] += w;
    if (g.directed)
      for (double w : g.in_w(v)) c.strength[v] += w;
  }
  const double nn = static_cast<double>(n), m = static_cast<double>(g.edges());
  c.density = n > 1 ? m / (nn * (nn - 1) / (g.directed ? 1.0 : 2.0)) : nan;
  c.degree_centralization = degree_centralization(c.degree, g.directed);
  c.betweenness.assign(n, nan);
  c.closeness.assign(n, nan);
  c.eigenvector.assign(n, nan);
  c.coreness.assign(n, 0);
  if (n == 0) return c;

  detail::IgraphSession session(o.seed);
  detail::IgraphGraph ig(g, false);
  const igraph_vector_t* lengths = o.path_weights ? ig.inverse_weights() : nullptr;
  const bool small = nn * std::max(1.0, m) <= o.exact_budget;

  // Betweenness.
  auto mode = o.betweenness;
  if (mode == BetweennessMode::automatic) mode = small ? BetweennessMode::exact : BetweennessMode::sampled;
  const auto k = static_cast<std::size_t>(std::max<std::int64_t>(1, o.samples));
  if (mode == BetweennessMode::sampled && k >= n) mode = BetweennessMode::exact;
  igraph_vector_t res;
  igraph_vector_init(&res, 0);
  if (mode == BetweennessMode::exact) {
    session.check(igraph_betweenness(ig.get(), &res, igraph_vss_all(), g.directed, lengths), "betweenness");
    c.betweenness = to_std(res);
    c.betweenness_method = "exact";
  } else if (mode == BetweennessMode::sampled) {
    // k distinct sources by a partial Fisher–Yates shuffle of a seeded stream.
    std::vector<std::uint32_t> ids(n);
    std::iota(ids.begin(), ids.end(), 0u);
    core::Stream rng(o.seed, core::stream_id("network betweenness sources"));
    for (std::size_t i = 0; i < k; ++i) std::swap(ids[i], ids[i + rng.below(n - i)]);
    ids.resize(k);
    std::sort(ids.begin(), ids.end());
    if (o.path_weights) {
      // Weighted lengths: igraph's subset betweenness (Dijkstra), single-threaded.
      igraph_vector_int_t src;
      igraph_vector_int_init(&src, static_cast<igraph_integer_t>(k));
      for (std::size_t i = 0; i < k; ++i) VECTOR(src)[i] = ids[i];
      igraph_vs_t sources;
      igraph_vs_vector(&sources, &src);
      session.check(igraph_betweenness_subset(ig.get(), &res, igraph_vss_all(), g.directed, sources,
                                              igraph_vss_all(), lengths),
                    "sampled betweenness");
      igraph_vs_destroy(&sources);
      igraph_vector_int_destroy(&src);
      c.betweenness = to_std(res);
    } else {
      // Hop counts: our parallel Brandes accumulation (detail/brandes.hpp); undirected pairs are
      // counted from both ends, so halve to igraph's scale.
      auto total = detail::brandes(g, ids, [](std::uint32_t, std::uint32_t) { return true; });
      total.pop_back();
      if (!g.directed)
        for (auto& b : total) b /= 2;
      c.betweenness = std::move(total);
    }
    // Only k of the n sources: scale by n / k (unbiased; a unit test checks Σ_v b(v) on a
    // vertex-transitive graph, where the estimate is exact for any sample).
    const double scale = nn / static_cast<double>(k);
    for (auto& b : c.betweenness) b *= scale;
    c.betweenness_method = fmt::format("sampled ({} sources, Brandes & Pich 2007)", k);
  } else {
    c.betweenness_method = "not computed";
  }
  if (mode != BetweennessMode::none && n > 2) {
    const double norm = (nn - 1) * (nn - 2) / (g.directed ? 1.0 : 2.0);
    for (auto& b : c.betweenness) b /= norm;
    const double mx = *std::max_element(c.betweenness.begin(), c.betweenness.end());
    double s = 0;
    for (double b : c.betweenness) s += mx - b;
    c.betweenness_centralization = s / (nn - 1);
  } else {
    c.betweenness_centralization = nan;
  }

  // Closeness.
  if (small) {
    session.check(igraph_closeness(ig.get(), &res, nullptr, nullptr, igraph_vss_all(), IGRAPH_OUT,
                                   lengths, true),
                  "closeness");
    c.closeness = to_std(res);
    c.closeness_method = "exact";
  } else {
    c.closeness_method = "not computed (n·m above --exact-budget)";
    c.warnings.push_back(fmt::format("closeness not computed: n·m = {:.3g} exceeds the exact budget {:.3g}",
                                     nn * m, o.exact_budget));
  }

  // Eigenvector centrality on the symmetrised graph.
  if (o.eigenvector && g.edges() > 0) {
    detail::IgraphGraph und(g, true);
    igraph_arpack_options_t arpack;
    igraph_arpack_options_init(&arpack);
    igraph_real_t value = 0;
    session.check(igraph_eigenvector_centrality(und.get(), &res, &value, false, true, und.relative_weights(), &arpack),
                  "eigenvector centrality");
    c.eigenvector = to_std(res);
  }

  // Coreness, ignoring directions.
  igraph_vector_int_t cores;
  igraph_vector_int_init(&cores, 0);
  session.check(igraph_coreness(ig.get(), &cores, IGRAPH_ALL), "coreness");
  for (std::size_t v = 0; v < n; ++v) c.coreness[v] = VECTOR(cores)[v];
  igraph_vector_int_destroy(&cores);
  igraph_vector_destroy(&res);
  for (auto& w : session.take_warnings()) c.warnings.push_back(std::move(w));
  return c;
}

CutStructure cut_structure(const Graph& g) {
  CutStructure cs;
  cs.cut_point.assign(g.n, 0);
  if (g.n == 0) return cs;
  detail::IgraphSession session(1);
  detail::IgraphGraph ig(g, true);
  igraph_vector_int_t res;
  igraph_vector_int_init(&res, 0);
  session.check(igraph_bridges(ig.get(), &res), "bridges");
  for (igraph_integer_t i = 0; i < igraph_vector_int_size(&res); ++i) {
    igraph_integer_t from = 0, to = 0;
    igraph_edge(ig.get(), VECTOR(res)[i], &from, &to);
    cs.bridges.emplace_back(static_cast<std::uint32_t>(std::min(from, to)), static_cast<std::uint32_t>(std::max(from, to)));
  }
  std::sort(cs.bridges.begin(), cs.bridges.end());
  session.check(igraph_articulation_points(ig.get(), &res), "articulation points");
  for (igraph_integer_t i = 0; i < igraph_vector_int_size(&res); ++i) cs.cut_point[static_cast<std::size_t>(VECTOR(res)[i])] = 1;
  igraph_integer_t comps = 0;
  session.check(igraph_connected_components(ig.get(), nullptr, nullptr, &comps, IGRAPH_WEAK), "components");
  cs.components = static_cast<std::size_t>(comps);
  igraph_vector_int_destroy(&res);
  return cs;
}

}  // namespace agglo::network
