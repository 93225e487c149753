#include "dynamics_input.hpp"

#include <algorithm>
#include <cmath>

namespace agglo::api::dynamics_input {

Location Columns::where(const std::string& name, std::size_t r) const {
  const auto& h = table.header;
  const auto it = std::find(h.begin(), h.end(), name);
  const auto col = it == h.end() ? 0u : static_cast<std::uint32_t>(it - h.begin() + 1);
  Location l{table.path, table.lines[kept[r]], col, name};
  l.is_row = table.rows_not_lines;
  return l;
}

Columns read_columns(const std::string& path, const std::string& what, const std::vector<std::string>& reals,
                     const std::vector<std::string>& codes) {
  io::TableSpec spec;
  spec.what = what;
  std::vector<std::string> seen;
  auto add = [&](const std::string& name, io::ColumnKind kind) {
    if (name.empty() || std::find(seen.begin(), seen.end(), name) != seen.end()) return;
    seen.push_back(name);
    io::ColumnSpec c;
    c.name = name;
    c.kind = kind;
    c.required = true;
    c.allow_empty = true;
    spec.columns.push_back(c);
  };
  for (const auto& r : reals) add(r, io::ColumnKind::real);
  for (const auto& c : codes) add(c, io::ColumnKind::text);
  Columns out;
  out.table = io::read_table(path, spec);
  for (std::size_t i = 0; i < out.table.rows; ++i) {
    bool ok = true;
    for (const auto& r : reals)
      if (!r.empty() && !std::isfinite(out.table.col(r).reals[i])) ok = false;
    for (const auto& c : codes)
      if (!c.empty() && out.table.col(c).texts[i].empty()) ok = false;
    if (ok) out.kept.push_back(i);
  }
  out.dropped = out.table.rows - out.kept.size();
  return out;
}

}  // namespace agglo::api::dynamics_input
