// Graph construction: duplicate detection by sorting 64-bit pair keys, then CSR rows filled in
// key order, which leaves every neighbour list sorted without a per-row sort (see graph.hpp).
#include "agglo/network/graph.hpp"

#include <fmt/format.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <numeric>

#include "agglo/core/error.hpp"

namespace agglo::network {

namespace {

Location where(const GraphOptions& o, std::size_t k, const char* column) {
  Location w;
  w.file = o.edges_file;
  w.line = o.line_of ? o.line_of(k) : 0;
  w.column_name = column;
  return w;
}

// A node as messages show it: its id, quoted, or its number when no ids were given.
std::string node_name(const GraphOptions& o, std::uint32_t v) {
  return o.name_of ? fmt::format("'{}'", o.name_of(v)) : fmt::format("{}", v);
}

}  // namespace

bool Graph::has_tie(std::uint32_t u, std::uint32_t v) const {
  const auto row = out(u);
  return std::binary_search(row.begin(), row.end(), v);
}

void Graph::fill_csr(std::size_t n, const std::vector<std::uint32_t>& from,
                     const std::vector<std::uint32_t>& to, const std::vector<double>& w,
                     std::vector<std::uint64_t>& off, std::vector<std::uint32_t>& nbr,
                     std::vector<double>& wt) {
  off.assign(n + 1, 0);
  for (auto f : from) ++off[f + 1];
  std::partial_sum(off.begin(), off.end(), off.begin());
  nbr.resize(from.size());
  wt.resize(from.size());
  std::vector<std::uint64_t> pos(off.begin(), off.end() - 1);
  for (std::size_t k = 0; k < from.size(); ++k) {
    const auto p = pos[from[k]]++;
    nbr[p] = to[k];
    wt[p] = w[k];
  }
}

Graph Graph::build(std::size_t n, bool directed, const std::vector<std::uint32_t>& source,
                   const std::vector<std::uint32_t>& target, const std::vector<double>& weight,
                   const GraphOptions& o, std::vector<std::string>* warnings) {
  Graph g;
  g.n = n;
  g.directed = directed;
  const std::size_t m = source.size();
  // (key, original index) with key = (a << 32 | b), a < b for undirected ties.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;
  keys.reserve(m);
  std::size_t loops = 0;
  for (std::size_t k = 0; k < m; ++k) {
    std::uint64_t a = source[k], b = target[k];
    if (a == b) {
      if (o.self_loops == SelfLoops::error)
        throw_input(ErrorCode::invalid_value,
                    fmt::format("self-loop: node {} is tied to itself", node_name(o, source[k])), where(o, k, "target"),
                    "remove the row, or accept dropping self-loops (--self-loops drop)");
      ++loops;
      continue;
    }
    if (!directed && a > b) std::swap(a, b);
    keys.emplace_back(a << 32 | b, static_cast<std::uint32_t>(k));
  }
  tbb::parallel_sort(keys.begin(), keys.end());
  std::size_t merged = 0;
  for (std::size_t i = 0; i < keys.size();) {
    std::size_t j = i + 1;
    double w = o.use_weights ? weight[keys[i].second] : 1.0;
    for (; j < keys.size() && keys[j].first == keys[i].first; ++j) {
      if (o.duplicates == DuplicateTies::error) {
        const auto first = keys[i].second, again = keys[j].second;
        const auto first_line = o.line_of ? o.line_of(first) : 0;
        throw_input(ErrorCode::duplicate_row,
                    fmt::format("duplicate tie {} {} {} (first given{})", node_name(o, source[again]),
                                directed ? "->" : "--", node_name(o, target[again]),
                                first_line ? fmt::format(" on line {}", first_line) : std::string()),
                    where(o, again, "source"),
                    directed ? "remove the repeated row, or merge repeated ties with --duplicate-edges sum or max"
                             : "in an undirected network a-b and b-a are the same tie; remove one, or merge "
                               "with --duplicate-edges sum or max");
      }
      const double wj = o.use_weights ? weight[keys[j].second] : 1.0;
      w = o.duplicates == DuplicateTies::sum ? w + wj : std::max(w, wj);
      ++merged;
    }
    g.source.push_back(static_cast<std::uint32_t>(keys[i].first >> 32));
    g.target.push_back(static_cast<std::uint32_t>(keys[i].first & 0xFFFFFFFFu));
    g.weight.push_back(w);
    g.origin.push_back(keys[i].second);
    i = j;
  }
  if (warnings) {
    if (loops) warnings->push_back(fmt::format("{} self-loop(s) dropped", loops));
    if (merged)
      warnings->push_back(fmt::format("{} duplicate tie(s) merged ({} of weights)", merged,
                                      o.duplicates == DuplicateTies::sum ? "sum" : "maximum"));
  }
  // Ties are in key order, so rows filled in that order come out sorted (graph.hpp).
  if (!directed) {
    std::vector<std::uint32_t> from, to;
    std::vector<double> w;
    from.reserve(2 * g.edges());
    to.reserve(2 * g.edges());
    w.reserve(2 * g.edges());
    // Row b receives a (a < b) in increasing a before its own ties (b, c > b): sorted.
    for (std::size_t k = 0; k < g.edges(); ++k) {
      from.push_back(g.source[k]); to.push_back(g.target[k]); w.push_back(g.weight[k]);
      from.push_back(g.target[k]); to.push_back(g.source[k]); w.push_back(g.weight[k]);
    }
    fill_csr(n, from, to, w, g.out_off_, g.out_nbr_, g.out_wt_);
    return g;
  }
  fill_csr(n, g.source, g.target, g.weight, g.out_off_, g.out_nbr_, g.out_wt_);
  {
    // In-rows: row b receives a in ascending a (ties sorted by source first).
    fill_csr(n, g.target, g.source, g.weight, g.in_off_, g.in_nbr_, g.in_wt_);
  }
  // Mutual neighbourhood: merge out- and in-row, adding the weights of reciprocated ties.
  g.nb_off_.assign(n + 1, 0);
  g.nb_nbr_.reserve(2 * g.edges());
  g.nb_wt_.reserve(2 * g.edges());
  for (std::uint32_t v = 0; v < n; ++v) {
    const auto o1 = g.out(v), i1 = g.in(v);
    const auto ow = g.out_w(v), iw = g.in_w(v);
    std::size_t a = 0, b = 0;
    while (a < o1.size() || b < i1.size()) {
      if (b == i1.size() || (a < o1.size() && o1[a] < i1[b])) {
        g.nb_nbr_.push_back(o1[a]); g.nb_wt_.push_back(ow[a]); ++a;
      } else if (a == o1.size() || i1[b] < o1[a]) {
        g.nb_nbr_.push_back(i1[b]); g.nb_wt_.push_back(iw[b]); ++b;
      } else {
        g.nb_nbr_.push_back(o1[a]); g.nb_wt_.push_back(ow[a] + iw[b]); ++a; ++b;
      }
    }
    g.nb_off_[v + 1] = g.nb_nbr_.size();
  }
  return g;
}

Graph Graph::from_actor_network(const data::ActorNetwork& net, const GraphOptions& options,
                                std::vector<std::string>* warnings) {
  if (options.name_of) return build(net.nodes(), net.directed, net.source, net.target, net.weight, options, warnings);
  GraphOptions named = options;
  named.name_of = [&net](std::uint32_t v) { return std::string(net.ids.name(v)); };
  return build(net.nodes(), net.directed, net.source, net.target, net.weight, named, warnings);
}

}  // namespace agglo::network
