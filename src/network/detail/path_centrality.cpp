// Parallel Brandes betweenness and closeness (definitions in path_centrality.hpp).
#include "path_centrality.hpp"
#include "source_blocks.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

namespace agglo::network::detail {

namespace {

// igraph 0.10's tolerance for "equal" path lengths (IGRAPH_SHORTEST_PATH_EPSILON) and its
// comparison igraph_cmp_epsilon, reduced to the case that occurs here: both distances are
// stored plus one, so they are ≥ 1, finite, and the relative test is the one that applies.
constexpr double kEps = 1e-10;
inline bool same_length(double a, double b) { return a == b || std::fabs(a - b) / (std::fabs(a) + std::fabs(b)) < kEps; }

// Adjacency with lengths beside the neighbour, for Dijkstra (one cache line brings both).
struct Arc {
  std::uint32_t to;
  double len;
};
struct ArcLists {
  std::vector<std::uint64_t> off;
  std::vector<Arc> arc;
  std::span<const Arc> of(std::uint32_t v) const { return {arc.data() + off[v], static_cast<std::size_t>(off[v + 1] - off[v])}; }
};
// Length of a tie: 1/weight, and 1e12 for weight 0 — the lengths the igraph path used
// (IgraphGraph::inverse_weights), so results match igraph_betweenness on those lengths.
inline double tie_length(double w) { return w > 0 ? 1.0 / w : 1e12; }

ArcLists arcs(const Graph& g, bool in) {
  ArcLists a;
  a.off.assign(g.n + 1, 0);
  for (std::uint32_t v = 0; v < g.n; ++v) a.off[v + 1] = a.off[v] + (in ? g.in(v) : g.out(v)).size();
  a.arc.resize(a.off[g.n]);
  for (std::uint32_t v = 0; v < g.n; ++v) {
    const auto nb = in ? g.in(v) : g.out(v);
    const auto w = in ? g.in_w(v) : g.out_w(v);
    for (std::size_t i = 0; i < nb.size(); ++i) a.arc[a.off[v] + i] = {nb[i], tie_length(w[i])};
  }
  return a;
}

struct Scratch {
  std::vector<std::int32_t> hops;  // BFS: −1 unreached
  std::vector<double> dist;        // Dijkstra: distance + 1, 0 unreached (igraph's convention)
  std::vector<char> done;
  std::vector<double> sigma, delta;
  std::vector<std::uint32_t> order;  // nodes in order of non-decreasing distance
  std::vector<std::pair<double, std::uint32_t>> heap;
};

// Breadth-first search from src: order, hop counts and σ. Returns Σ distances.
double bfs(const Graph& g, std::uint32_t src, Scratch& s) {
  s.order.clear();
  s.hops[src] = 0;
  s.sigma[src] = 1;
  s.order.push_back(src);
  std::int64_t sum = 0;
  for (std::size_t h = 0; h < s.order.size(); ++h) {
    const auto v = s.order[h];
    const auto dv = s.hops[v];
    const auto sv = s.sigma[v];
    sum += dv;
    for (auto w : g.out(v)) {
      if (s.hops[w] < 0) {
        s.hops[w] = dv + 1;
        s.order.push_back(w);
      }
      if (s.hops[w] == dv + 1) s.sigma[w] += sv;
    }
  }
  return static_cast<double>(sum);
}

// Dijkstra from src with a binary heap and lazy deletion (a node whose distance drops is pushed
// again; stale entries are skipped when popped). σ follows igraph_i_sspf_weighted: a strictly
// shorter path (beyond the tolerance) resets σ_w to σ_v, an equal one adds σ_v.
// Returns Σ distances over the nodes reached, summed in the order they are settled.
double dijkstra(const ArcLists& out, std::uint32_t src, Scratch& s) {
  s.order.clear();
  s.heap.clear();
  s.dist[src] = 1.0;
  s.sigma[src] = 1;
  s.heap.emplace_back(1.0, src);
  const auto later = [](const auto& a, const auto& b) { return a.first > b.first; };
  double sum = 0;
  while (!s.heap.empty()) {
    std::pop_heap(s.heap.begin(), s.heap.end(), later);
    const auto v = s.heap.back().second;
    s.heap.pop_back();
    if (s.done[v]) continue;
    s.done[v] = 1;
    s.order.push_back(v);
    const double dv = s.dist[v];
    sum += dv - 1.0;
    const double sv = s.sigma[v];
    for (const auto& a : out.of(v)) {
      if (s.done[a.to]) continue;
      const double alt = dv + a.len, cur = s.dist[a.to];
      if (cur == 0 || (alt < cur && !same_length(alt, cur))) {
        s.dist[a.to] = alt;
        s.sigma[a.to] = sv;
        s.heap.emplace_back(alt, a.to);
        std::push_heap(s.heap.begin(), s.heap.end(), later);
      } else if (same_length(alt, cur)) {
        s.sigma[a.to] += sv;
      }
    }
  }
  return sum;
}

}  // namespace

PathCentrality path_centrality(const Graph& g, const std::vector<std::uint32_t>& sources,
                               const std::vector<char>& accumulate, const PathCentralityOptions& o) {
  const std::size_t n = g.n;
  PathCentrality res;
  res.betweenness.assign(n, 0.0);
  res.closeness.assign(n, std::numeric_limits<double>::quiet_NaN());
  if (n == 0 || sources.empty()) return res;
  ArcLists out, in;
  if (o.lengths) {
    out = arcs(g, false);
    if (g.directed) in = arcs(g, true);
  }
  const ArcLists& rev = g.directed ? in : out;

  tbb::enumerable_thread_specific<Scratch> scratch([&] {
    Scratch s;
    if (o.lengths) {
      s.dist.assign(n, 0.0);
      s.done.assign(n, 0);
    } else {
      s.hops.assign(n, -1);
    }
    s.sigma.assign(n, 0);
    s.delta.assign(n, 0);
    s.order.reserve(n);
    return s;
  });

  // One source: search, closeness, and (if accumulated) its dependencies added into `acc`.
  const auto run = [&](std::uint32_t src, Scratch& s, std::vector<double>& acc) {
    const double sum = o.lengths ? dijkstra(out, src, s) : bfs(g, src, s);
    if (o.closeness) res.closeness[src] = sum == 0 ? std::numeric_limits<double>::quiet_NaN()
                                                   : static_cast<double>(s.order.size() - 1) / sum;
    if (accumulate.empty() || accumulate[src]) {
      for (std::size_t h = s.order.size(); h-- > 1;) {
        const auto w = s.order[h];
        const double coef = (1.0 + s.delta[w]) / s.sigma[w];
        if (o.lengths) {
          const double dw = s.dist[w];
          for (const auto& a : rev.of(w)) {
            const double dv = s.dist[a.to];
            if (dv != 0 && dv < dw && same_length(dv + a.len, dw)) s.delta[a.to] += s.sigma[a.to] * coef;
          }
        } else {
          const auto dw = s.hops[w];
          for (auto v : g.in(w))
            if (s.hops[v] == dw - 1) s.delta[v] += s.sigma[v] * coef;
        }
        acc[w] += s.delta[w];
      }
    }
    for (auto v : s.order) {
      if (o.lengths) {
        s.dist[v] = 0;
        s.done[v] = 0;
      } else {
        s.hops[v] = -1;
      }
      s.sigma[v] = 0;
      s.delta[v] = 0;
    }
    // Nodes pushed on the heap are all settled (every reached node is), so nothing else to reset.
  };

  // Fixed blocks of sources summed in block order: the result does not depend on the thread
  // count (detail/source_blocks.hpp).
  res.betweenness = sum_over_sources(sources, n, scratch, 16, 16, run);
  if (!g.directed)
    for (auto& b : res.betweenness) b /= 2;
  return res;
}

}  // namespace agglo::network::detail
