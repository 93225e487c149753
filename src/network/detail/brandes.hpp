// Brandes' (2001) dependency accumulation from a list of sources, on hop counts, parallel over
// sources with a thread-count-independent sum. Private to src/network/.
//
// For each source s: BFS gives distances and path counts σ; in reverse BFS order
//   δ(v) = Σ_{w: v ∈ pred(w)} σ_v/σ_w · (t_s(w) + δ(w)),
// where t_s(w) ∈ {0, 1} says whether w is a target counted for source s (all nodes for plain
// betweenness; nodes of another cluster for cross-cluster brokerage). Returns Σ_s δ_s(v) for
// every v, and in slot n the number of (s, t) pairs with t a reachable target.
#pragma once

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "agglo/network/graph.hpp"
#include "source_blocks.hpp"

namespace agglo::network::detail {

template <class IsTarget>
std::vector<double> brandes(const Graph& g, const std::vector<std::uint32_t>& sources, IsTarget is_target) {
  const std::size_t n = g.n;
  struct Scratch {
    std::vector<std::int32_t> dist;
    std::vector<double> sigma, delta;
    std::vector<std::uint32_t> order;
  };
  tbb::enumerable_thread_specific<Scratch> scratch([n] {
    Scratch s;
    s.dist.assign(n, -1);
    s.sigma.assign(n, 0);
    s.delta.assign(n, 0);
    return s;
  });
  // Sources in fixed blocks summed in block order (source_blocks.hpp); slot n counts pairs.
  return sum_over_sources(sources, n + 1, scratch, 16, 8, [&](std::uint32_t src, Scratch& s, std::vector<double>& a) {
    s.order.clear();
    s.dist[src] = 0;
    s.sigma[src] = 1;
    s.order.push_back(src);
    for (std::size_t h = 0; h < s.order.size(); ++h) {
      const auto v = s.order[h];
      const auto dv = s.dist[v];
      const auto sv = s.sigma[v];
      for (auto w : g.out(v)) {
        if (s.dist[w] < 0) {
          s.dist[w] = dv + 1;
          s.order.push_back(w);
        }
        if (s.dist[w] == dv + 1) s.sigma[w] += sv;
      }
    }
    double pairs = 0;
    for (std::size_t h = s.order.size(); h-- > 1;) {
      const auto w = s.order[h];
      const double t = is_target(src, w) ? 1.0 : 0.0;
      pairs += t;
      const double coef = (t + s.delta[w]) / s.sigma[w];
      const auto dw = s.dist[w];
      for (auto v : g.in(w))
        if (s.dist[v] == dw - 1) s.delta[v] += s.sigma[v] * coef;
      a[w] += s.delta[w];
    }
    a[n] += pairs;
    for (auto v : s.order) {
      s.dist[v] = -1;
      s.sigma[v] = 0;
      s.delta[v] = 0;
    }
  });
}

}  // namespace agglo::network::detail
