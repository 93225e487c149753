// Helpers shared by the network tests.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "agglo/io/inputs.hpp"
#include "agglo/network/graph.hpp"

namespace agglo::network::test {

inline Graph graph(std::size_t n, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& ties,
                   bool directed = false, std::vector<double> w = {}) {
  std::vector<std::uint32_t> s, t;
  for (auto [a, b] : ties) {
    s.push_back(a);
    t.push_back(b);
  }
  if (w.empty()) w.assign(s.size(), 1.0);
  return Graph::build(n, directed, s, t, w, GraphOptions{});
}

inline std::string case_file(const std::string& name) {
  return (std::filesystem::path(AGGLO_TEST_DATA) / "cases" / "network" / name).string();
}
inline std::string data_file(const std::string& name) {
  return (std::filesystem::path(AGGLO_TEST_DATA).parent_path() / "data" / "networks" / name).string();
}

// Zachary's karate club (Zachary 1977, J. Anthropological Research 33: 452–473), 34 members
// and 78 ties, as networkx ships it (nx.karate_club_graph(); node ids 0–33, groups = 'club').
inline data::ActorNetwork karate() {
  return io::load_network(case_file("karate_nodes.csv"), case_file("karate_edges.csv"), false);
}

}  // namespace agglo::network::test
