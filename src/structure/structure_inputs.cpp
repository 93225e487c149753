// Loaders for the structure commands (include/agglo/structure/structure_inputs.hpp).
#include "agglo/structure/structure_inputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "agglo/core/error.hpp"
#include "agglo/io/table_reader.hpp"

namespace agglo::structure {

namespace {

io::ColumnSpec column(const std::string& name, io::ColumnKind kind, bool required, const std::string& meaning) {
  io::ColumnSpec c;
  c.name = name;
  c.kind = kind;
  c.required = required;
  c.meaning = meaning;
  return c;
}

Location where(const io::LoadedTable& t, std::size_t row, const std::string& col) {
  std::uint32_t index = 0;
  for (std::size_t k = 0; k < t.header.size(); ++k)
    if (t.header[k] == col) index = static_cast<std::uint32_t>(k + 1);
  Location loc{t.path, t.lines[row], index, col};
  loc.is_row = t.rows_not_lines;
  return loc;
}

}  // namespace

IoTable load_io_table(const std::string& io_path, const std::string& totals_path) {
  io::TableSpec ts;
  ts.what = "totals";
  ts.columns.push_back(column("industry", io::ColumnKind::text, true, "an industry code"));
  auto out = column("output", io::ColumnKind::real, true, "gross output (> 0)");
  ts.columns.push_back(out);
  auto fd = column("final_demand", io::ColumnKind::real, false, "final demand");
  fd.allow_empty = true;
  ts.columns.push_back(fd);
  auto va = column("value_added", io::ColumnKind::real, false, "value added (all primary inputs)");
  va.allow_empty = true;
  ts.columns.push_back(va);
  const auto totals = io::read_table(totals_path, ts);
  if (totals.rows == 0)
    throw_input(ErrorCode::empty_input, "the totals file has no rows", Location{totals_path, 0, 0, {}},
                "give one row per industry: industry,output,final_demand,value_added");
  IoTable t;
  std::unordered_map<std::string, std::size_t> index;
  const auto& names = totals.col("industry").texts;
  const auto& output = totals.col("output").reals;
  for (std::size_t r = 0; r < totals.rows; ++r) {
    if (names[r].empty())
      throw_input(ErrorCode::wrong_type, "empty industry code", where(totals, r, "industry"), "every row needs an industry");
    if (!index.emplace(names[r], t.industries.size()).second)
      throw_input(ErrorCode::duplicate_row, fmt::format("industry {} appears twice in the totals", names[r]),
                  where(totals, r, "industry"), "give one row per industry");
    if (!(output[r] > 0))
      throw_input(ErrorCode::invalid_value, fmt::format("industry {} has output {}: gross output must be > 0", names[r], output[r]),
                  where(totals, r, "output"), "drop industries without output");
    t.industries.push_back(names[r]);
    t.output.push_back(output[r]);
  }
  const std::size_t n = t.industries.size();

  io::TableSpec fs;
  fs.what = "io";
  fs.columns.push_back(column("from", io::ColumnKind::text, true, "the selling industry"));
  fs.columns.push_back(column("to", io::ColumnKind::text, true, "the buying industry"));
  auto v = column("value", io::ColumnKind::real, true, "a flow value ≥ 0");
  v.non_negative = true;
  fs.columns.push_back(v);
  const auto flows = io::read_table(io_path, fs);
  t.flows.assign(n * n, 0.0);
  std::vector<bool> seen(n * n, false);
  const auto& from = flows.col("from").texts;
  const auto& to = flows.col("to").texts;
  const auto& value = flows.col("value").reals;
  for (std::size_t r = 0; r < flows.rows; ++r) {
    const auto a = index.find(from[r]);
    const auto b = index.find(to[r]);
    if (a == index.end() || b == index.end()) {
      const bool fa = a == index.end();
      throw_input(ErrorCode::unknown_reference,
                  fmt::format("industry {} is not in the totals file {}", fa ? from[r] : to[r], totals_path),
                  where(flows, r, fa ? "from" : "to"), "add the industry to the totals (with its output) or drop the flow");
    }
    const std::size_t k = a->second * n + b->second;
    if (seen[k])
      throw_input(ErrorCode::duplicate_row, fmt::format("the flow {} → {} appears twice", from[r], to[r]),
                  where(flows, r, "from"), "give one row per pair of industries (sum repeated rows first)");
    seen[k] = true;
    t.flows[k] = value[r];
  }
  // Final demand and value added: given, or the balancing items x − Σ_j z_ij and x − Σ_i z_ij.
  const bool has_fd = totals.has("final_demand"), has_va = totals.has("value_added");
  t.final_demand.resize(n);
  t.value_added.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    double rs = 0, cs = 0;
    for (std::size_t j = 0; j < n; ++j) {
      rs += t.flows[i * n + j];
      cs += t.flows[j * n + i];
    }
    const double gfd = has_fd ? totals.col("final_demand").reals[i] : std::nan("");
    const double gva = has_va ? totals.col("value_added").reals[i] : std::nan("");
    t.final_demand[i] = std::isfinite(gfd) ? gfd : t.output[i] - rs;
    t.value_added[i] = std::isfinite(gva) ? gva : t.output[i] - cs;
  }
  return t;
}

IndustrySeries load_industry_series(const std::string& path, bool log_values) {
  io::TableSpec spec;
  spec.what = "series";
  spec.columns.push_back(column("industry", io::ColumnKind::text, true, "an industry code"));
  spec.columns.push_back(column("year", io::ColumnKind::integer, true, "a year"));
  spec.columns.push_back(column("value", io::ColumnKind::real, true, log_values ? "a positive value (logged)" : "a value"));
  const auto t = io::read_table(path, spec);
  if (t.rows == 0)
    throw_input(ErrorCode::empty_input, "the series file has no rows", Location{path, 0, 0, {}},
                "give industry,year,value rows");
  const auto& ind = t.col("industry").texts;
  const auto& year = t.col("year").integers;
  const auto& value = t.col("value").reals;
  std::map<long long, std::size_t> years;
  std::unordered_map<std::string, std::size_t> index;
  IndustrySeries s;
  for (std::size_t r = 0; r < t.rows; ++r) {
    years.emplace(year[r], 0);
    if (index.emplace(ind[r], s.industries.size()).second) s.industries.push_back(ind[r]);
    if (log_values && !(value[r] > 0))
      throw_input(ErrorCode::invalid_value, fmt::format("value {} for {} in {} is not positive; the series are logged", value[r], ind[r], year[r]),
                  where(t, r, "value"), "give positive output, value added or employment, or use --transform none");
  }
  std::size_t k = 0;
  for (auto& [y, pos] : years) {
    pos = k++;
    s.years.push_back(y);
  }
  s.values.assign(s.industries.size(), std::vector<double>(years.size(), std::nan("")));
  for (std::size_t r = 0; r < t.rows; ++r) {
    auto& cell = s.values[index[ind[r]]][years[year[r]]];
    if (!std::isnan(cell))
      throw_input(ErrorCode::duplicate_row, fmt::format("industry {} has two values for {}", ind[r], year[r]),
                  where(t, r, "year"), "give one row per industry and year");
    cell = log_values ? std::log(value[r]) : value[r];
  }
  for (std::size_t i = 0; i < s.industries.size(); ++i)
    for (std::size_t y = 0; y < s.years.size(); ++y)
      if (std::isnan(s.values[i][y]))
        throw_input(ErrorCode::invalid_value,
                    fmt::format("industry {} has no value for {}: the series must cover every year for every industry",
                                s.industries[i], s.years[y]),
                    Location{path, 0, 0, {}}, "fill or drop the gap (the tests need a balanced panel)");
  return s;
}

std::vector<std::pair<std::string, std::string>> load_industry_labels(const std::string& path, const std::string& what,
                                                                      const std::string& column_name) {
  io::TableSpec spec;
  spec.what = what;
  spec.columns.push_back(column("industry", io::ColumnKind::text, true, "an industry code"));
  auto c = column(column_name, io::ColumnKind::text, true, "the industry's " + column_name + " (empty: none)");
  c.allow_empty = true;
  spec.columns.push_back(c);
  const auto t = io::read_table(path, spec);
  std::vector<std::pair<std::string, std::string>> out;
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t r = 0; r < t.rows; ++r) {
    const auto& ind = t.col("industry").texts[r];
    if (!seen.emplace(ind, r).second)
      throw_input(ErrorCode::duplicate_row, fmt::format("industry {} is listed twice", ind), where(t, r, "industry"),
                  "give each industry one " + column_name);
    const auto& label = t.col(column_name).texts[r];
    if (label.empty() || label == "-1") continue;
    out.emplace_back(ind, label);
  }
  return out;
}

std::vector<std::pair<std::string, std::vector<std::size_t>>> group_industries(
    const std::vector<std::pair<std::string, std::string>>& labels, const std::vector<std::string>& industries,
    std::size_t* missing) {
  std::unordered_map<std::string, std::string> of(labels.begin(), labels.end());
  std::vector<std::pair<std::string, std::vector<std::size_t>>> groups;
  std::unordered_map<std::string, std::size_t> index;
  std::size_t without = 0;
  for (std::size_t i = 0; i < industries.size(); ++i) {
    const auto it = of.find(industries[i]);
    if (it == of.end()) {
      ++without;
      continue;
    }
    const auto [g, added] = index.emplace(it->second, groups.size());
    if (added) groups.emplace_back(it->second, std::vector<std::size_t>{});
    groups[g->second].second.push_back(i);
  }
  if (missing) *missing = without;
  return groups;
}

std::vector<std::vector<double>> load_occupations(const std::string& path, const std::vector<std::string>& industries) {
  io::TableSpec spec;
  spec.what = "occupations";
  spec.columns.push_back(column("industry", io::ColumnKind::text, true, "an industry code"));
  spec.columns.push_back(column("occupation", io::ColumnKind::text, true, "an occupation code"));
  auto v = column("share", io::ColumnKind::real, true, "the occupation's share (or count) of the industry's jobs, ≥ 0");
  v.non_negative = true;
  spec.columns.push_back(v);
  const auto t = io::read_table(path, spec);
  std::unordered_map<std::string, std::size_t> occ, ind;
  for (std::size_t i = 0; i < industries.size(); ++i) ind.emplace(industries[i], i);
  for (std::size_t r = 0; r < t.rows; ++r) occ.emplace(t.col("occupation").texts[r], occ.size());
  std::vector<std::vector<double>> out(industries.size());
  for (std::size_t r = 0; r < t.rows; ++r) {
    const auto it = ind.find(t.col("industry").texts[r]);
    if (it == ind.end()) continue;
    auto& v = out[it->second];
    if (v.empty()) v.assign(occ.size(), 0.0);
    v[occ[t.col("occupation").texts[r]]] += t.col("share").reals[r];
  }
  for (auto& v : out) {
    double s = 0;
    for (double x : v) s += x;
    if (s > 0)
      for (double& x : v) x /= s;
    else
      v.clear();
  }
  return out;
}

}  // namespace agglo::structure
