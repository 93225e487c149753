// agglo::network — inputs the network commands need beyond io::load_network: a node attribute
// column by name (for --group COLUMN), an input–output table read as a weighted directed graph,
// a goal-rating table for the governance diagnosis, and the categorical columns of a firm table
// for the Triple Helix. Every error names the file, line and column (io::read_table).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/core/ids.hpp"
#include "agglo/data/economy.hpp"
#include "agglo/network/governance.hpp"

namespace agglo::network {

struct NodeAttribute {
  bool present = false;               // the nodes file has the column
  std::vector<std::string> values;    // per node ("" when empty)
  std::vector<std::uint64_t> lines;   // per node: its line in the nodes file
};

// Reads column `column` of the nodes file, aligned with the ids of `ids` (as loaded by
// io::load_network). A missing column gives present = false.
NodeAttribute read_node_attribute(const std::string& nodes_path, const std::string& column,
                                  const core::Interner& ids);

// The lines of the edges file, row by row (for messages about rows of the edges file).
std::vector<std::uint64_t> edge_lines(const std::string& edges_path);

// from,to,value: an industry × industry input–output table (DESIGN.md "io"). Nodes are the
// industries in order of first appearance; every row is a tie from → to of weight value ≥ 0.
// Rows with value 0 are dropped (no flow is no tie); from = to rows are kept here and dropped as
// self-loops by the graph builder (intra-industry flows).
data::ActorNetwork load_io_network(const std::string& path, std::vector<std::uint64_t>* lines = nullptr);

// participant,goal,rating: how important (or agreed) each goal is to each participant, on a
// scale [scale_min, scale_max]; ratings outside the scale are input errors.
GoalRatings load_goal_ratings(const std::string& path, double scale_min, double scale_max);

struct FirmDimensions {
  std::vector<std::string> names;                      // the three column names (+ group)
  std::vector<std::vector<std::uint32_t>> codes;       // x, y, z (+ group) per firm
  std::vector<core::Interner> dictionary;              // category names per column
  std::vector<double> weight;                          // empty when no weight column
};
// Three categorical columns (and optionally a grouping column and a weight column ≥ 0).
FirmDimensions load_firm_dimensions(const std::string& path, const std::vector<std::string>& dimensions,
                                    const std::string& weight_column, const std::string& group_column);

}  // namespace agglo::network
