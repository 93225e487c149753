// Private bridge to igraph (C library, 0.10): never included by a public header.
//
// igraph as packaged by Debian is built without thread safety (IGRAPH_THREAD_SAFE 0: one
// global RNG, one error stack), so every use goes through an IgraphSession, which holds a
// process-wide mutex, installs handlers that turn igraph errors into return codes (never
// abort) and collect warnings, and seeds igraph's default RNG from our seed, so results are
// reproducible. IgraphGraph owns an igraph_t built from our CSR Graph.
#pragma once

#include <igraph/igraph.h>

#include <mutex>
#include <string>
#include <vector>

#include "agglo/network/graph.hpp"

namespace agglo::network::detail {

class IgraphSession {
 public:
  explicit IgraphSession(std::uint64_t seed);
  ~IgraphSession();
  IgraphSession(const IgraphSession&) = delete;
  IgraphSession& operator=(const IgraphSession&) = delete;
  void reseed(std::uint64_t seed);
  // Throws an internal error naming `what` when code is not IGRAPH_SUCCESS.
  void check(igraph_error_t code, const char* what) const;
  std::vector<std::string> take_warnings();

 private:
  std::unique_lock<std::mutex> lock_;
  igraph_error_handler_t* old_error_;
  igraph_warning_handler_t* old_warning_;
};

// The graph in igraph form; `undirected` forces an undirected copy of a directed graph (each
// ordered pair becomes one tie, reciprocated pairs merged with summed weight).
class IgraphGraph {
 public:
  IgraphGraph(const Graph& g, bool undirected);
  ~IgraphGraph();
  IgraphGraph(const IgraphGraph&) = delete;
  IgraphGraph& operator=(const IgraphGraph&) = delete;
  igraph_t* get() { return &g_; }
  // Tie weights aligned with igraph's edge ids, divided by the largest weight. Every use
  // (eigenvector centrality, modularity, Leiden/Louvain) is invariant to scaling all weights,
  // while igraph's sums of products of raw weights overflow for weights near 1e160.
  igraph_vector_t* relative_weights() { return &w_; }
  // 1 / weight, for path lengths where a strong tie is a short one.
  igraph_vector_t* inverse_weights() { return &iw_; }

 private:
  igraph_t g_;
  igraph_vector_t w_, iw_;
};


}  // namespace agglo::network::detail
