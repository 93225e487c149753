#include "agglo/scorecard/indicator_tree.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "agglo/core/error.hpp"
#include "agglo/io/table_reader.hpp"

namespace agglo::scorecard {

int IndicatorTree::find(const std::string& name) const {
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name) return static_cast<int>(i);
  return -1;
}

IndicatorTree make_tree(std::vector<TreeNode> nodes, const std::string& source) {
  IndicatorTree t;
  t.source = source;
  t.nodes = std::move(nodes);
  auto where = [&](const TreeNode& n, const char* col) { return Location{source, n.line, 0, col}; };
  if (t.nodes.empty())
    throw_input(ErrorCode::empty_input, "the indicator tree has no nodes", {source, 0, 0, ""},
                "give one row per node: node,parent,weight,direction");
  std::unordered_map<std::string, int> id;
  for (std::size_t i = 0; i < t.nodes.size(); ++i) {
    const auto& n = t.nodes[i];
    if (n.name.empty()) throw_input(ErrorCode::invalid_value, "a node without a name", where(n, "node"), "every row names its node");
    const auto [it, fresh] = id.emplace(n.name, static_cast<int>(i));
    if (!fresh)
      throw_input(ErrorCode::duplicate_id,
                  fmt::format("node '{}' appears twice (also on line {})", n.name, t.nodes[static_cast<std::size_t>(it->second)].line),
                  where(n, "node"), "each node has one row");
    if (!std::isfinite(n.weight) || n.weight < 0)
      throw_input(ErrorCode::invalid_value, fmt::format("node '{}' has weight {}; weights are finite and ≥ 0", n.name, n.weight),
                  where(n, "weight"), "use 0 to leave a node out, or leave the cell empty for weight 1");
    if (n.direction != 1 && n.direction != -1)
      throw_input(ErrorCode::invalid_value, fmt::format("node '{}' has direction {}; it must be 1 or -1", n.name, n.direction),
                  where(n, "direction"), "1: higher values are better; -1: lower values are better");
  }
  for (std::size_t i = 0; i < t.nodes.size(); ++i) {
    auto& n = t.nodes[i];
    if (n.parent_name.empty()) {
      if (t.root >= 0)
        throw_input(ErrorCode::invalid_value,
                    fmt::format("two nodes have no parent: '{}' (line {}) and '{}'; the tree has one root (the index)",
                                t.nodes[static_cast<std::size_t>(t.root)].name, t.nodes[static_cast<std::size_t>(t.root)].line, n.name),
                    where(n, "parent"), "give every node but the index a parent");
      t.root = static_cast<int>(i);
      continue;
    }
    const auto it = id.find(n.parent_name);
    if (it == id.end())
      throw_input(ErrorCode::unknown_reference, fmt::format("node '{}' has parent '{}', which is not a node of the tree", n.name, n.parent_name),
                  where(n, "parent"), "add a row for the parent, or correct its name");
    if (it->second == static_cast<int>(i))
      throw_input(ErrorCode::invalid_value, fmt::format("node '{}' is its own parent", n.name), where(n, "parent"), "");
    n.parent = it->second;
  }
  if (t.root < 0)
    throw_input(ErrorCode::invalid_value, "every node has a parent, so the tree has a cycle and no root",
                {source, 0, 0, "parent"}, "the index (root) is the one node with an empty parent");
  // Cycle check: follow parents from every node; a path longer than the node count loops.
  for (std::size_t i = 0; i < t.nodes.size(); ++i) {
    int cur = static_cast<int>(i);
    std::size_t steps = 0;
    while (cur >= 0 && cur != t.root) {
      cur = t.nodes[static_cast<std::size_t>(cur)].parent;
      if (++steps > t.nodes.size()) {
        // Print the chain up to the first node that repeats.
        std::string path = t.nodes[i].name;
        std::set<int> on_path{static_cast<int>(i)};
        for (int c = t.nodes[i].parent; c >= 0; c = t.nodes[static_cast<std::size_t>(c)].parent) {
          path += " → " + t.nodes[static_cast<std::size_t>(c)].name;
          if (!on_path.insert(c).second) break;
        }
        throw_input(ErrorCode::invalid_value, fmt::format("the tree has a cycle: {}", path), where(t.nodes[i], "parent"),
                    "each node's chain of parents must end at the index (the node with no parent)");
      }
    }
  }
  for (std::size_t i = 0; i < t.nodes.size(); ++i)
    if (t.nodes[i].parent >= 0) t.nodes[static_cast<std::size_t>(t.nodes[i].parent)].children.push_back(static_cast<int>(i));
  if (t.nodes[static_cast<std::size_t>(t.root)].children.empty())
    throw_input(ErrorCode::invalid_value, "the tree has only its root: no indicators", {source, 0, 0, ""},
                "add the indicators as nodes whose parent is a category or the index");
  // Depths and post-order of inner nodes (iterative DFS from the root).
  t.depth.assign(t.nodes.size(), 0);
  t.leaf_index.assign(t.nodes.size(), -1);
  std::vector<std::pair<int, std::size_t>> stack{{t.root, 0}};
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    const auto& ch = t.nodes[static_cast<std::size_t>(node)].children;
    if (next < ch.size()) {
      const int c = ch[next++];
      t.depth[static_cast<std::size_t>(c)] = t.depth[static_cast<std::size_t>(node)] + 1;
      stack.emplace_back(c, 0);
    } else {
      if (!ch.empty()) t.inner.push_back(node);
      stack.pop_back();
    }
  }
  for (std::size_t i = 0; i < t.nodes.size(); ++i)
    if (t.nodes[i].children.empty()) {
      t.leaf_index[i] = static_cast<int>(t.leaves.size());
      t.leaves.push_back(static_cast<int>(i));
    }
  return t;
}

namespace {
io::ColumnSpec column(const char* name, io::ColumnKind kind, bool required, const char* meaning) {
  io::ColumnSpec c;
  c.name = name;
  c.kind = kind;
  c.required = required;
  c.allow_empty = true;
  c.meaning = meaning;
  return c;
}
}  // namespace

IndicatorTree read_tree(const std::string& path) {
  io::TableSpec spec;
  spec.what = "tree";
  spec.columns = {column("node", io::ColumnKind::text, true, "a node code (an indicator column or a category)"),
                  column("parent", io::ColumnKind::text, true, "the parent node (empty for the index)"),
                  column("weight", io::ColumnKind::real, false, "the weight within the parent (empty = 1)"),
                  column("direction", io::ColumnKind::real, false, "1 (higher is better) or -1 (empty = 1)"),
                  column("name", io::ColumnKind::text, false, "a longer name"),
                  column("normalise", io::ColumnKind::text, false, "a normalisation method for this leaf"),
                  column("aggregate", io::ColumnKind::text, false, "an aggregation method for this node"),
                  column("target", io::ColumnKind::real, false, "the target for distance-to-target normalisation"),
                  column("goal_low", io::ColumnKind::real, false, "the lower goalpost"),
                  column("goal_high", io::ColumnKind::real, false, "the upper goalpost")};
  const auto t = io::read_table(path, spec);
  std::vector<TreeNode> nodes(t.rows);
  static const std::set<std::string> norms{"", "minmax", "zscore", "rank", "percentile", "target", "goalposts", "none"};
  static const std::set<std::string> aggs{"", "arithmetic", "geometric", "harmonic", "generalised", "copeland", "bod"};
  for (std::size_t k = 0; k < t.rows; ++k) {
    auto& n = nodes[k];
    n.line = t.lines[k];
    n.name = t.col("node").texts[k];
    n.parent_name = t.col("parent").texts[k];
    if (t.has("weight") && std::isfinite(t.col("weight").reals[k])) n.weight = t.col("weight").reals[k];
    if (t.has("direction") && std::isfinite(t.col("direction").reals[k])) {
      const double d = t.col("direction").reals[k];
      if (d != 1 && d != -1)
        throw_input(ErrorCode::invalid_value, fmt::format("node '{}' has direction {}; it must be 1 or -1", n.name, d),
                    {path, n.line, 0, "direction"}, "1: higher values are better; -1: lower values are better");
      n.direction = static_cast<int>(d);
    }
    if (t.has("name")) n.label = t.col("name").texts[k];
    if (t.has("normalise")) n.normalise = t.col("normalise").texts[k];
    if (t.has("aggregate")) n.aggregate = t.col("aggregate").texts[k];
    if (!norms.count(n.normalise))
      throw_input(ErrorCode::invalid_value, fmt::format("unknown normalisation '{}' for node '{}'", n.normalise, n.name),
                  {path, n.line, 0, "normalise"}, "use minmax, zscore, rank, percentile, target, goalposts or none");
    if (!aggs.count(n.aggregate))
      throw_input(ErrorCode::invalid_value, fmt::format("unknown aggregation '{}' for node '{}'", n.aggregate, n.name),
                  {path, n.line, 0, "aggregate"}, "use arithmetic, geometric, harmonic, generalised, copeland or bod");
    if (t.has("target")) n.target = t.col("target").reals[k];
    if (t.has("goal_low")) n.goal_low = t.col("goal_low").reals[k];
    if (t.has("goal_high")) n.goal_high = t.col("goal_high").reals[k];
  }
  return make_tree(std::move(nodes), path);
}

IndicatorData read_indicators(const std::string& path, const IndicatorTree& tree, const std::string& by,
                              const std::string& impute_group) {
  io::TableSpec spec;
  spec.what = "indicators";
  {
    io::ColumnSpec u;
    u.name = "unit";
    u.kind = io::ColumnKind::text;
    u.meaning = "the unit (region, cluster, country) the row describes";
    spec.columns.push_back(u);
  }
  for (const auto& g : {by, impute_group})
    if (!g.empty() && g != "unit") {
      io::ColumnSpec c;
      c.name = g;
      c.kind = io::ColumnKind::text;
      c.allow_empty = true;
      c.meaning = "a group of units";
      bool seen = false;
      for (const auto& s : spec.columns) seen = seen || s.name == g;
      if (!seen) spec.columns.push_back(c);
    }
  for (int leaf : tree.leaves) {
    io::ColumnSpec c;
    c.name = tree.nodes[static_cast<std::size_t>(leaf)].name;
    c.kind = io::ColumnKind::real;
    c.allow_empty = true;
    c.meaning = "an indicator value (empty = missing)";
    spec.columns.push_back(c);
  }
  auto t = io::read_table(path, spec);
  IndicatorData d;
  d.source = path;
  d.units = std::move(t.col("unit").texts);
  d.lines = t.lines;
  if (!by.empty()) d.by = t.col(by).texts;
  if (!impute_group.empty()) d.impute_group = t.col(impute_group).texts;
  if (t.rows == 0) throw_input(ErrorCode::empty_input, "the indicator table has no rows", {path, 1, 0, ""}, "give one row per unit");
  std::map<std::pair<std::string, std::string>, std::uint64_t> seen;
  for (std::size_t k = 0; k < t.rows; ++k) {
    if (d.units[k].empty()) throw_input(ErrorCode::invalid_value, "empty unit name", {path, t.lines[k], 0, "unit"}, "every row names its unit");
    const auto key = std::make_pair(by.empty() ? std::string() : d.by[k], d.units[k]);
    const auto [it, fresh] = seen.emplace(key, t.lines[k]);
    if (!fresh)
      throw_input(ErrorCode::duplicate_row, fmt::format("unit '{}' appears twice (also on line {})", d.units[k], it->second),
                  {path, t.lines[k], 0, "unit"}, by.empty() ? "one row per unit" : "one row per unit within each group");
  }
  for (int leaf : tree.leaves) d.values.push_back(std::move(t.col(tree.nodes[static_cast<std::size_t>(leaf)].name).reals));
  return d;
}

}  // namespace agglo::scorecard
