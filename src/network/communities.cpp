// Leiden and Louvain communities through igraph (definitions in communities.hpp).
#include "agglo/network/communities.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "agglo/core/rng.hpp"
#include "detail/igraph_session.hpp"

namespace agglo::network {

namespace {

// Relabels communities by decreasing size, ties by smallest member.
std::vector<std::int64_t> canonical(const igraph_vector_int_t& m, std::size_t n, std::size_t* count) {
  std::map<igraph_integer_t, std::pair<std::size_t, std::size_t>> info;  // label → (size, first)
  for (std::size_t v = 0; v < n; ++v) {
    auto [it, fresh] = info.try_emplace(VECTOR(m)[v], 0, v);
    ++it->second.first;
  }
  std::vector<std::pair<igraph_integer_t, std::pair<std::size_t, std::size_t>>> order(info.begin(), info.end());
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (a.second.first != b.second.first) return a.second.first > b.second.first;
    return a.second.second < b.second.second;
  });
  std::map<igraph_integer_t, std::int64_t> label;
  for (std::size_t i = 0; i < order.size(); ++i) label[order[i].first] = static_cast<std::int64_t>(i);
  std::vector<std::int64_t> out(n);
  for (std::size_t v = 0; v < n; ++v) out[v] = label[VECTOR(m)[v]];
  *count = order.size();
  return out;
}

}  // namespace

Communities communities(const Graph& g, const CommunityOptions& o) {
  Communities out;
  const std::size_t n = g.n;
  if (n == 0) return out;
  detail::IgraphSession session(o.seed);
  detail::IgraphGraph ig(g, true);
  const igraph_integer_t m = igraph_ecount(ig.get());
  igraph_vector_t* w = o.use_weights ? ig.relative_weights() : nullptr;
  // Node weights for Leiden's modularity objective: strengths.
  igraph_vector_t strength;
  igraph_vector_init(&strength, static_cast<igraph_integer_t>(n));
  double total = 0;
  for (igraph_integer_t e = 0; e < m; ++e) {
    const double we = w ? VECTOR(*w)[e] : 1.0;
    VECTOR(strength)[IGRAPH_FROM(ig.get(), e)] += we;
    VECTOR(strength)[IGRAPH_TO(ig.get(), e)] += we;
    total += we;
  }
  igraph_vector_int_t membership, best;
  igraph_vector_int_init(&membership, static_cast<igraph_integer_t>(n));
  igraph_vector_int_init(&best, 0);
  double best_q = -2;
  const auto runs = static_cast<std::size_t>(std::max<std::int64_t>(1, o.runs));
  for (std::size_t r = 0; r < runs; ++r) {
    session.reseed(core::splitmix64(o.seed ^ core::stream_id("network communities")) + r);
    double q = 0;
    if (total <= 0) {
      // No weight at all: every node alone.
      for (std::size_t v = 0; v < n; ++v) VECTOR(membership)[v] = static_cast<igraph_integer_t>(v);
    } else if (o.method == CommunityMethod::leiden) {
      igraph_integer_t nb = 0;
      igraph_real_t quality = 0;
      session.check(igraph_community_leiden(ig.get(), w, &strength, o.resolution / (2 * total), 0.01, false,
                                            -1, &membership, &nb, &quality),
                    "Leiden communities");
    } else {
      igraph_vector_t qs;
      igraph_vector_init(&qs, 0);
      session.check(igraph_community_multilevel(ig.get(), w, o.resolution, &membership, nullptr, &qs),
                    "Louvain communities");
      igraph_vector_destroy(&qs);
    }
    session.check(igraph_modularity(ig.get(), &membership, w, o.resolution, false, &q), "modularity");
    out.run_modularity.push_back(q);
    if (q > best_q) {
      best_q = q;
      out.best_run = r;
      igraph_vector_int_update(&best, &membership);
    }
  }
  out.modularity = best_q;
  out.membership = canonical(best, n, &out.count);
  igraph_vector_int_destroy(&best);
  igraph_vector_int_destroy(&membership);
  igraph_vector_destroy(&strength);
  return out;
}

double modularity(const Graph& g, const std::vector<std::int64_t>& membership, double resolution,
                  bool use_weights) {
  detail::IgraphSession session(1);
  detail::IgraphGraph ig(g, true);
  igraph_vector_int_t m;
  igraph_vector_int_init(&m, static_cast<igraph_integer_t>(g.n));
  for (std::size_t v = 0; v < g.n; ++v) VECTOR(m)[v] = membership[v];
  igraph_real_t q = 0;
  session.check(igraph_modularity(ig.get(), &m, use_weights ? ig.relative_weights() : nullptr, resolution, false, &q),
                "modularity");
  igraph_vector_int_destroy(&m);
  return q;
}

}  // namespace agglo::network
