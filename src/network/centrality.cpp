// Centralities (definitions in centrality.hpp): path measures by our parallel Brandes pass,
// eigenvector centrality and coreness through igraph.
#include "agglo/network/centrality.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/rng.hpp"
#include "detail/igraph_session.hpp"
#include "detail/path_centrality.hpp"

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
  const bool small = nn * std::max(1.0, m) <= o.exact_budget;

  // Betweenness and closeness: one shortest-path search per source, parallel over sources
  // (detail/path_centrality.hpp); igraph_betweenness / igraph_closeness give the same values
  // (unit tests compare them) on one thread.
  auto mode = o.betweenness;
  if (mode == BetweennessMode::automatic) mode = small ? BetweennessMode::exact : BetweennessMode::sampled;
  const auto k = static_cast<std::size_t>(std::max<std::int64_t>(1, o.samples));
  if (mode == BetweennessMode::sampled && k >= n) mode = BetweennessMode::exact;
  std::vector<std::uint32_t> all(n), sources;
  std::iota(all.begin(), all.end(), 0u);
  std::vector<char> accumulate;  // empty: every source's dependencies count
  if (mode == BetweennessMode::sampled) {
    // k distinct sources by a partial Fisher–Yates shuffle of a seeded stream.
    std::vector<std::uint32_t> ids = all;
    core::Stream rng(o.seed, core::stream_id("network betweenness sources"));
    for (std::size_t i = 0; i < k; ++i) std::swap(ids[i], ids[i + rng.below(n - i)]);
    ids.resize(k);
    std::sort(ids.begin(), ids.end());
    if (small) {  // closeness needs every source; only the sampled ones accumulate
      accumulate.assign(n, 0);
      for (auto s : ids) accumulate[s] = 1;
      sources = all;
    } else {
      sources = std::move(ids);
    }
  } else if (mode == BetweennessMode::exact) {
    sources = all;
  } else if (small) {
    accumulate.assign(n, 0);
    sources = all;
  }
  detail::PathCentralityOptions po;
  po.lengths = o.path_weights;
  po.closeness = small;
  auto paths = detail::path_centrality(g, sources, accumulate, po);
  c.betweenness_error_per_node = c.betweenness_error_all_nodes = nan;
  if (mode == BetweennessMode::exact) {
    c.betweenness = std::move(paths.betweenness);
    c.betweenness_method = "exact";
  } else if (mode == BetweennessMode::sampled) {
    // Only k of the n sources: scale by n / k (unbiased; a unit test checks Σ_v b(v) on a
    // vertex-transitive graph, where the estimate is exact for any sample).
    c.betweenness = std::move(paths.betweenness);
    const double scale = nn / static_cast<double>(k);
    for (auto& b : c.betweenness) b *= scale;
    c.betweenness_method = fmt::format("sampled ({} sources, Brandes & Pich 2007)", k);
    // Hoeffding's (1963) bound for sampling without replacement: the normalised estimate is
    // n/(n−1) times the mean of k values δ_s(v)/(n−2) ∈ [0, 1], so with probability ≥ 1 − α
    //   |ĉ(v) − c(v)| ≤ n/(n−1) · √(ln(2/α) / (2k))        for one node,
    //   |ĉ(v) − c(v)| ≤ n/(n−1) · √(ln(2n/α) / (2k))       for all n nodes at once (union bound).
    const double f = nn / (nn - 1), kk = static_cast<double>(k);
    c.betweenness_error_per_node = f * std::sqrt(std::log(2.0 / c.betweenness_error_alpha) / (2 * kk));
    c.betweenness_error_all_nodes = f * std::sqrt(std::log(2.0 * nn / c.betweenness_error_alpha) / (2 * kk));
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
    c.closeness = std::move(paths.closeness);
    c.closeness_method = "exact";
  } else {
    c.closeness_method = "not computed (n·m above --exact-budget)";
    c.warnings.push_back(fmt::format("closeness not computed: n·m = {:.3g} exceeds the exact budget {:.3g}",
                                     nn * m, o.exact_budget));
  }
  igraph_vector_t res;
  igraph_vector_init(&res, 0);

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
