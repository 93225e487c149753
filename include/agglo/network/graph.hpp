// agglo::network — the graph every network measure works on: compressed sparse rows (CSR)
// with sorted neighbour lists, built once from an actor network (data::ActorNetwork).
//
// Three adjacency views:
//   out(v), in(v)   the ties as given (for an undirected graph both are the neighbour list);
//   nb(v)           the "mutual" neighbourhood used by Burt's measures: every node tied to v in
//                   either direction once, with mutual weight m_vj = a_vj + a_jv (networkx's
//                   mutual_weight; for an undirected graph m_vj = 2·w_vj, which leaves every
//                   proportion p_vj = m_vj / Σ_k m_vk unchanged, so the stored value is w_vj).
// Lists are sorted by neighbour index, so neighbourhood intersections are merges or binary
// searches, and the memory is O(n + m) (three lists for a directed graph, one otherwise).
//
// Cleaning (documented in docs/methods/network.md): self-loops are dropped with a warning or
// rejected; duplicate ties (the same ordered pair for a directed graph, the same unordered pair
// for an undirected one) are rejected, summed or reduced to the maximum weight.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "agglo/data/economy.hpp"

namespace agglo::network {

enum class DuplicateTies { error, sum, max };
enum class SelfLoops { drop, error };

struct GraphOptions {
  DuplicateTies duplicates = DuplicateTies::error;
  SelfLoops self_loops = SelfLoops::drop;
  bool use_weights = true;   // false: every tie weighs 1
  // For error messages: the edges file and the line of edge k (may be empty).
  std::string edges_file;
  std::function<std::uint64_t(std::size_t)> line_of;
  // For error messages: the id of node v (from_actor_network fills it from the network's ids
  // when it is empty; without it, messages show node numbers).
  std::function<std::string(std::uint32_t)> name_of;
};

class Graph {
 public:
  std::size_t n = 0;
  bool directed = false;
  // The cleaned ties, one per tie (undirected: source < target).
  std::vector<std::uint32_t> source, target;
  std::vector<double> weight;
  std::vector<std::uint32_t> origin;  // per tie: index of its (first) row in the input

  std::size_t edges() const { return source.size(); }
  std::span<const std::uint32_t> out(std::uint32_t v) const { return span(out_off_, out_nbr_, v); }
  std::span<const double> out_w(std::uint32_t v) const { return span(out_off_, out_wt_, v); }
  std::span<const std::uint32_t> in(std::uint32_t v) const {
    return directed ? span(in_off_, in_nbr_, v) : out(v);
  }
  std::span<const double> in_w(std::uint32_t v) const { return directed ? span(in_off_, in_wt_, v) : out_w(v); }
  std::span<const std::uint32_t> nb(std::uint32_t v) const { return directed ? span(nb_off_, nb_nbr_, v) : out(v); }
  std::span<const double> nb_w(std::uint32_t v) const { return directed ? span(nb_off_, nb_wt_, v) : out_w(v); }
  // True when the tie u→v exists (u–v for undirected graphs). O(log deg u).
  bool has_tie(std::uint32_t u, std::uint32_t v) const;

  // Builds from parallel arrays of ties. Throws input errors (self_loops = error, duplicates =
  // error) naming options.edges_file and the line. Appends notes on what was dropped or merged
  // to `warnings`.
  static Graph build(std::size_t n, bool directed, const std::vector<std::uint32_t>& source,
                     const std::vector<std::uint32_t>& target, const std::vector<double>& weight,
                     const GraphOptions& options, std::vector<std::string>* warnings = nullptr);
  static Graph from_actor_network(const data::ActorNetwork& net, const GraphOptions& options,
                                  std::vector<std::string>* warnings = nullptr);

 private:
  template <class T>
  static std::span<const T> span(const std::vector<std::uint64_t>& off, const std::vector<T>& v,
                                 std::uint32_t i) {
    return {v.data() + off[i], static_cast<std::size_t>(off[i + 1] - off[i])};
  }
  static void fill_csr(std::size_t n, const std::vector<std::uint32_t>& from,
                       const std::vector<std::uint32_t>& to, const std::vector<double>& w,
                       std::vector<std::uint64_t>& off, std::vector<std::uint32_t>& nbr,
                       std::vector<double>& wt);
  std::vector<std::uint64_t> out_off_, in_off_, nb_off_;
  std::vector<std::uint32_t> out_nbr_, in_nbr_, nb_nbr_;
  std::vector<double> out_wt_, in_wt_, nb_wt_;
};

}  // namespace agglo::network
