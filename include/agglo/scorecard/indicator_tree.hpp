// agglo::scorecard — the indicator tree of a composite index and the indicator table it
// aggregates (OECD/JRC Handbook on Constructing Composite Indicators, Nardo et al. 2008,
// step 1 "theoretical framework").
//
// A tree file (CSV, read by io::read_table) has one row per node:
//   node,parent,weight,direction[,name,normalise,aggregate,target,goal_low,goal_high]
// Leaves are indicators (columns of the indicator table); inner nodes are categories
// (pillars, sub-indices); the one node without a parent is the index. weight (default 1) is
// the node's weight within its parent, direction (default 1) is 1 (higher is better) or −1.
// The optional columns override the pipeline's defaults for one node: `normalise` on a leaf
// (minmax, zscore, rank, percentile, target, goalposts, none), `aggregate` on an inner node
// (arithmetic, geometric, harmonic, generalised, copeland, bod), `target` for distance to
// target, `goal_low`/`goal_high` for goalposts.
//
// Checks (each an input error naming the line): a repeated node, an unknown parent, no root
// or more than one, a cycle, a negative or non-finite weight, a direction other than ±1, a
// node that is its own parent.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace agglo::scorecard {

struct TreeNode {
  std::string name;          // code: a leaf's name is its indicator column
  std::string label;         // optional longer name
  std::string parent_name;   // empty for the root
  int parent = -1;
  double weight = 1;
  int direction = 1;
  std::vector<int> children;
  std::string normalise;     // per-node override ("" = pipeline default)
  std::string aggregate;
  double target = std::numeric_limits<double>::quiet_NaN();
  double goal_low = std::numeric_limits<double>::quiet_NaN();
  double goal_high = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t line = 0;    // source line, for messages
};

struct IndicatorTree {
  std::string source;
  std::vector<TreeNode> nodes;
  int root = -1;
  std::vector<int> leaves;   // leaf node ids, in file order
  std::vector<int> inner;    // inner node ids, every child before its parent (post-order)
  std::vector<int> depth;    // root 0
  int find(const std::string& name) const;  // -1 when absent
  bool is_leaf(int node) const { return nodes[static_cast<std::size_t>(node)].children.empty(); }
  // Position of a leaf node in `leaves` (−1 for inner nodes).
  std::vector<int> leaf_index;
};

// Links parents, checks the structure (see above) and orders the nodes. Throws input errors
// that name `source` and the node's line.
IndicatorTree make_tree(std::vector<TreeNode> nodes, const std::string& source);

// Reads a tree file through io::read_table.
IndicatorTree read_tree(const std::string& path);

// The units × indicators table: one row per unit, one column per leaf of the tree.
struct IndicatorData {
  std::string source;
  std::vector<std::string> units;
  std::vector<std::string> by;       // optional grouping of units into separate indices ("" none)
  std::vector<std::string> impute_group;  // optional groups for group-mean imputation
  std::vector<std::vector<double>> values;  // values[leaf][unit]; NaN = missing
  std::vector<std::uint64_t> lines;
};

// Reads the wide indicator table `unit,<indicator>…` through io::read_table: the `unit`
// column and one numeric column per leaf of `tree` (empty cells are missing values; other
// columns are ignored). `by` / `impute_group` name optional grouping columns. Repeated units
// (within one `by` group) are an input error.
IndicatorData read_indicators(const std::string& path, const IndicatorTree& tree, const std::string& by = "",
                              const std::string& impute_group = "");

}  // namespace agglo::scorecard
