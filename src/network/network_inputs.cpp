// Extra inputs of the network commands (see network_inputs.hpp).
#include "agglo/network/network_inputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "agglo/core/error.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/table_reader.hpp"

namespace agglo::network {

namespace {

io::ColumnSpec column(std::string name, io::ColumnKind kind, bool required, std::string meaning) {
  io::ColumnSpec c;
  c.name = std::move(name);
  c.kind = kind;
  c.required = required;
  c.meaning = std::move(meaning);
  return c;
}

}  // namespace

NodeAttribute read_node_attribute(const std::string& nodes_path, const std::string& name,
                                  const core::Interner& ids) {
  io::TableSpec spec;
  spec.what = "nodes";
  spec.columns.push_back(column("id", io::ColumnKind::code, true, "a node id"));
  auto attr = column(name, io::ColumnKind::text, false, "a node attribute");
  attr.allow_empty = true;
  spec.columns.push_back(attr);
  auto t = io::read_table(nodes_path, spec);
  NodeAttribute a;
  a.present = t.has(name);
  a.values.assign(ids.size(), "");
  a.lines.assign(ids.size(), 0);
  const auto& id = t.col("id");
  for (std::size_t i = 0; i < t.rows; ++i) {
    const auto v = ids.find(id.dictionary.name(id.codes[i]));
    if (!v) continue;
    a.lines[*v] = t.lines[i];
    if (a.present) a.values[*v] = t.col(name).texts[i];
  }
  return a;
}

std::vector<std::uint64_t> edge_lines(const std::string& edges_path) {
  io::TableSpec spec;
  spec.what = "edges";
  spec.columns.push_back(column("source", io::ColumnKind::text, true, "a node id"));
  return io::read_table(edges_path, spec).lines;
}

data::ActorNetwork load_io_network(const std::string& path, std::vector<std::uint64_t>* lines) {
  io::TableSpec spec;
  spec.what = "io";
  spec.columns.push_back(column("from", io::ColumnKind::text, true, "a supplying industry"));
  spec.columns.push_back(column("to", io::ColumnKind::text, true, "a buying industry"));
  auto v = column("value", io::ColumnKind::real, true, "a flow value ≥ 0");
  v.non_negative = true;
  spec.columns.push_back(v);
  auto t = io::read_table(path, spec);
  data::ActorNetwork g;
  g.directed = true;
  const auto& from = t.col("from").texts;
  const auto& to = t.col("to").texts;
  const auto& value = t.col("value").reals;
  for (std::size_t i = 0; i < t.rows; ++i) {
    if (from[i].empty() || to[i].empty())
      throw_input(ErrorCode::wrong_type, "empty industry code", Location{path, t.lines[i], 0, from[i].empty() ? "from" : "to"},
                  "every row needs a from and a to industry");
    const auto a = g.ids.intern(from[i]);
    const auto b = g.ids.intern(to[i]);
    if (value[i] == 0) continue;
    g.source.push_back(a);
    g.target.push_back(b);
    g.weight.push_back(value[i]);
    g.edge_type.emplace_back("io");
    g.edge_level.emplace_back("");
    if (lines) lines->push_back(t.lines[i]);
  }
  const auto n = g.ids.size();
  g.type.assign(n, "industry");
  g.group.assign(n, "");
  g.cluster.assign(n, "");
  g.region.assign(n, "");
  return g;
}

GoalRatings load_goal_ratings(const std::string& path, double lo, double hi) {
  io::TableSpec spec;
  spec.what = "goals";
  spec.columns.push_back(column("participant", io::ColumnKind::code, true, "a participant id"));
  spec.columns.push_back(column("goal", io::ColumnKind::code, true, "a goal"));
  auto r = column("rating", io::ColumnKind::real, true, fmt::format("a rating in [{}, {}]", lo, hi));
  r.min = lo;
  r.max = hi;
  spec.columns.push_back(r);
  auto t = io::read_table(path, spec);
  if (t.rows == 0) throw_input(ErrorCode::empty_input, "the goal-rating table has no rows", Location{path, 0, 0, ""});
  GoalRatings g;
  g.scale_min = lo;
  g.scale_max = hi;
  const auto& goal = t.col("goal");
  g.goals.resize(goal.dictionary.size());
  g.ratings.resize(goal.dictionary.size());
  for (std::size_t k = 0; k < g.goals.size(); ++k) g.goals[k] = std::string(goal.dictionary.name(static_cast<std::uint32_t>(k)));
  for (std::size_t i = 0; i < t.rows; ++i) g.ratings[goal.codes[i]].push_back(t.col("rating").reals[i]);
  return g;
}

FirmDimensions load_firm_dimensions(const std::string& path, const std::vector<std::string>& dims,
                                    const std::string& weight_column, const std::string& group_column) {
  io::TableSpec spec;
  spec.what = "firms";
  std::vector<std::string> cols = dims;
  if (!group_column.empty()) cols.push_back(group_column);
  for (const auto& d : cols) spec.columns.push_back(column(d, io::ColumnKind::code, true, "a category"));
  if (!weight_column.empty()) {
    auto w = column(weight_column, io::ColumnKind::real, true, "a weight ≥ 0");
    w.non_negative = true;
    spec.columns.push_back(w);
  }
  auto t = io::read_table(path, spec);
  if (t.rows == 0) throw_input(ErrorCode::empty_input, "the firm table has no rows", Location{path, 0, 0, ""},
                               "give one row per firm");
  FirmDimensions f;
  f.names = cols;
  for (const auto& d : cols) {
    auto& c = t.col(d);
    f.codes.push_back(std::move(c.codes));
    f.dictionary.push_back(std::move(c.dictionary));
  }
  if (!weight_column.empty()) f.weight = std::move(t.col(weight_column).reals);
  return f;
}

}  // namespace agglo::network
