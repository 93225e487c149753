#include "agglo/io/inputs.hpp"

#include "detail/plausibility.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <cmath>
#include <cctype>
#include <map>
#include <numeric>
#include <tuple>
#include <optional>

namespace agglo::io {

namespace {

ColumnSpec code(std::string name, bool required = true) {
  ColumnSpec c;
  c.name = std::move(name);
  c.kind = ColumnKind::code;
  c.required = required;
  return c;
}
ColumnSpec count(std::string name, std::string meaning, bool required = true) {
  ColumnSpec c;
  c.name = std::move(name);
  c.kind = ColumnKind::real;
  c.required = required;
  c.non_negative = true;
  c.meaning = std::move(meaning);
  return c;
}
// An optional non-negative number whose cells may be empty (NaN = unknown).
ColumnSpec optional_count(std::string name, std::string meaning) {
  ColumnSpec c = count(std::move(name), std::move(meaning), false);
  c.allow_empty = true;
  return c;
}
ColumnSpec text(std::string name) {
  ColumnSpec c;
  c.name = std::move(name);
  c.kind = ColumnKind::text;
  c.required = false;
  return c;
}
ColumnSpec real_in(std::string name, double lo, double hi, std::string meaning) {
  ColumnSpec c;
  c.name = std::move(name);
  c.kind = ColumnKind::real;
  c.required = false;
  c.min = lo;
  c.max = hi;
  c.meaning = std::move(meaning);
  return c;
}

// Either throws the error (strict) or records it (collect).
struct Sink {
  const ReadOptions& opts;
  InputReport* report;
  std::vector<Error> errors;
  void add(Error e) {
    if (!opts.collect) throw e;
    if (errors.size() < opts.max_errors) errors.push_back(std::move(e));
  }
};

// Each value may be finite and the sum still overflow (three cells of 1e308): every share,
// location quotient and total built on the column would then be infinite or NaN, and would
// reach the output as empty cells with exit 0. The loaders refuse such a column instead.
void check_total_is_finite(const std::vector<double>& values, Sink& sink, const std::string& path, const char* column) {
  double total = 0;
  for (double v : values)
    if (std::isfinite(v) && v > 0) total += v;
  if (!std::isfinite(total))
    sink.add(Error(ErrorKind::input, ErrorCode::non_finite,
                   fmt::format("the values of column '{}' add up to more than the largest number (about 1.8e308), "
                               "so totals and shares cannot be computed",
                               column),
                   Location{path, 0, 0, column}, "rescale the column (thousands instead of units, say)"));
}

LoadedTable read_into_report(const std::string& path, const TableSpec& spec,
                             const ReadOptions& opts, InputReport* report) {
  InputReport local;
  InputReport& r = report ? *report : local;
  r.kind = spec.what;
  r.path = path;
  try {
    auto t = read_table(path, spec, opts);
    r.rows = t.rows;
    r.bytes = t.bytes;
    for (auto& e : t.errors) r.errors.push_back(std::move(e));
    r.truncated = t.truncated_errors;
    return t;
  } catch (const Error& e) {
    // Structural problems (missing columns, empty file) stop reading; in collect mode they are
    // reported like any other, and an empty table is returned.
    if (!opts.collect || e.kind() != ErrorKind::input) throw;
    r.errors.push_back(e);
    LoadedTable empty;
    empty.path = path;
    for (const auto& cs : spec.columns) {
      LoadedColumn lc;
      lc.spec = cs;
      empty.columns.push_back(std::move(lc));
    }
    return empty;
  }
}

// Reports rows whose key repeats. `key_less` / `key_eq` compare row indices.
template <class Less, class Eq>
void check_duplicates(const LoadedTable& t, std::size_t rows, Less less, Eq eq, Sink& sink,
                      ErrorCode code, const std::function<std::string(std::size_t)>& describe,
                      const std::string& hint) {
  std::vector<std::uint32_t> order(rows);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), less);
  for (std::size_t i = 1; i < rows; ++i)
    if (eq(order[i - 1], order[i])) {
      const auto first = std::min(order[i - 1], order[i]);
      const auto again = std::max(order[i - 1], order[i]);
      Location w{t.path, t.lines[again], 0, {}};
      sink.add(Error(ErrorKind::input, code,
                     fmt::format("{} repeats line {}", describe(again), t.lines[first]), w, hint));
    }
}

void finish(Sink& sink, InputReport* report) {
  if (!report) return;
  for (auto& e : sink.errors) report->errors.push_back(std::move(e));
  // Keep errors in file order so the report reads top to bottom.
  std::stable_sort(report->errors.begin(), report->errors.end(),
                   [](const Error& a, const Error& b) {
                     return std::tie(a.where().file, a.where().line) < std::tie(b.where().file, b.where().line);
                   });
}

// True when no (row, col, year) cell of the panel appears twice, decided with a bitmap over
// the key space in one pass over the rows — when that space is small enough (at most
// 64 bits per row plus 8 MB): a national panel of 13 M rows over 250 × 5,000 × 20 cells
// needs a 3 MB bitmap and no sort. False means "repeated, or not decidable this way": the
// caller then sorts, which also names every repeat and the line it repeats.
bool no_repeated_cell(const data::Panel& p) {
  const std::size_t n = p.row.size();
  std::int64_t y0 = 0, y1 = 0;
  if (!p.year.empty()) {
    const auto [lo, hi] = std::minmax_element(p.year.begin(), p.year.end());
    y0 = *lo;
    y1 = *hi;
  }
  const double span = static_cast<double>(p.rows.size()) * static_cast<double>(p.cols.size()) *
                      static_cast<double>(y1 - y0 + 1);
  if (span > 64.0 * static_cast<double>(n) + static_cast<double>(std::uint64_t{1} << 26)) return false;
  const auto cols = static_cast<std::uint64_t>(p.cols.size());
  const auto years = static_cast<std::uint64_t>(y1 - y0 + 1);
  std::vector<std::uint64_t> seen((static_cast<std::uint64_t>(span) + 63) / 64, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t y = p.year.empty() ? 0 : static_cast<std::uint64_t>(p.year[i] - y0);
    const std::uint64_t key = (p.row[i] * cols + p.col[i]) * years + y;
    const std::uint64_t bit = std::uint64_t{1} << (key % 64);
    if (seen[key / 64] & bit) return false;
    seen[key / 64] |= bit;
  }
  return true;
}

data::Panel panel_from(LoadedTable& t, const char* row, const char* col, const char* value,
                       Sink& sink, const char* row_word, const char* col_word, bool allow_duplicates) {
  data::Panel p;
  auto& r = t.col(row);
  auto& c = t.col(col);
  // Columns are moved out of the loaded table: no copy of millions of codes.
  p.rows = std::move(r.dictionary);
  p.cols = std::move(c.dictionary);
  p.row = std::move(r.codes);
  p.col = std::move(c.codes);
  p.value = std::move(t.col(value).reals);
  if (t.has("year")) {
    const auto& y = t.col("year").integers;
    p.year.assign(y.begin(), y.end());
  }
  if (t.has("establishments")) p.establishments = std::move(t.col("establishments").reals);
  if (t.has("wages")) p.wages = std::move(t.col("wages").reals);
  const std::size_t n = t.rows;
  if (p.row.size() != n || p.col.size() != n) return p;  // structural error already reported
  // A layout of bilateral rows (exports by partner) repeats cells by design: they are summed.
  if (allow_duplicates || t.sum_duplicates) return p;
  if (no_repeated_cell(p)) return p;  // the common case, decided in one pass
  auto year_of = [&](std::size_t i) { return p.year.empty() ? 0 : p.year[i]; };
  check_duplicates(
      t, n,
      [&](std::uint32_t a, std::uint32_t b) {
        return std::tuple(p.row[a], p.col[a], year_of(a)) < std::tuple(p.row[b], p.col[b], year_of(b));
      },
      [&](std::uint32_t a, std::uint32_t b) {
        return p.row[a] == p.row[b] && p.col[a] == p.col[b] && year_of(a) == year_of(b);
      },
      sink, ErrorCode::duplicate_row,
      [&](std::size_t i) {
        return fmt::format("duplicate row: {} '{}' × {} '{}'{}", row_word, p.rows.name(p.row[i]),
                           col_word, p.cols.name(p.col[i]),
                           p.year.empty() ? "" : fmt::format(" in {}", p.year[i]));
      },
      "each combination may appear once; sum the rows first");
  return p;
}

void check_unique_ids(const LoadedTable& t, const LoadedColumn& ids, Sink& sink, const char* what) {
  if (ids.dictionary.size() == ids.codes.size()) return;
  std::vector<std::uint32_t> first(ids.dictionary.size(), UINT32_MAX);
  for (std::size_t i = 0; i < ids.codes.size(); ++i) {
    auto& f = first[ids.codes[i]];
    if (f == UINT32_MAX) {
      f = static_cast<std::uint32_t>(i);
      continue;
    }
    Location w{t.path, t.lines[i], 0, ids.spec.name};
    sink.add(Error(ErrorKind::input, ErrorCode::duplicate_id,
                   fmt::format("duplicate {} id '{}' (first on line {})", what,
                               ids.dictionary.name(ids.codes[i]), t.lines[f]),
                   w, "ids must be unique"));
  }
}

}  // namespace

const TableSpec& employment_spec() {
  static const TableSpec s{"employment",
                           {code("region"), code("industry"),
                            count("employment", "a number of jobs ≥ 0"),
                            count("establishments", "a count ≥ 0", false),
                            [] {
                              ColumnSpec y;
                              y.name = "year";
                              y.kind = ColumnKind::integer;
                              y.required = false;
                              return y;
                            }(),
                            count("wages", "a wage bill ≥ 0", false)},
                           {}};
  return s;
}

const TableSpec& establishments_spec() {
  static const TableSpec s{
      "establishments",
      {[] { auto c = code("id"); c.kind = ColumnKind::id; return c; }(), code("industry"),
       [] { auto c = real_in("lon", -180, 180, "a longitude in degrees"); c.aliases = {"longitude", "long", "lng"}; return c; }(),
       [] { auto c = real_in("lat", -90, 90, "a latitude in degrees"); c.aliases = {"latitude"}; return c; }(),
       real_in("x", -1e12, 1e12, "a projected x coordinate"),
       real_in("y", -1e12, 1e12, "a projected y coordinate"),
       [] { auto c = code("region", false); c.allow_empty = true; return c; }(),
       count("employees", "a number of employees ≥ 0", false),
       [] { auto c = code("firm", false); c.allow_empty = true; return c; }(),
       optional_count("sales", "sales ≥ 0"), optional_count("exports", "exports ≥ 0"),
       optional_count("rnd", "R&D spending ≥ 0"), optional_count("patents", "a patent count ≥ 0"),
       [] { auto c = real_in("founded", 1000, 2200, "a founding year"); c.allow_empty = true; return c; }(),
       [] { auto c = real_in("foreign", 0, 1, "0 or 1 (foreign owned)"); c.allow_empty = true; return c; }()},
      {{"lon+lat", "x+y"}}};
  return s;
}

const TableSpec& exports_spec() {
  static const TableSpec s{"exports",
                           {code("location"), code("product"),
                            count("value", "an export value ≥ 0"),
                            [] {
                              ColumnSpec y;
                              y.name = "year";
                              y.kind = ColumnKind::integer;
                              y.required = false;
                              return y;
                            }()},
                           {}};
  return s;
}

const TableSpec& nodes_spec() {
  static const TableSpec s{"nodes",
                           {code("id"), text("type"), text("group"), text("cluster"), text("region")},
                           {}};
  return s;
}

const TableSpec& edges_spec() {
  static const TableSpec s{"edges",
                           {code("source"), code("target"),
                            [] { auto c = count("weight", "a tie weight ≥ 0", false); return c; }(),
                            text("type"), text("level")},
                           {}};
  return s;
}

const TableSpec& responses_spec() {
  static const TableSpec s{[] {
    TableSpec t;
    t.what = "responses";
    t.columns.push_back(code("id"));
    for (const char* item : data::Survey::diamond_items) t.columns.push_back(text(item));
    ColumnSpec w = count("weight", "a survey weight > 0", false);
    t.columns.push_back(w);
    return t;
  }()};
  return s;
}

const TableSpec& regions_spec() {
  static const TableSpec s{"regions",
                           {code("code"), text("name"), text("level"), text("parent"),
                            real_in("lon", -180, 180, "a longitude in degrees"),
                            real_in("lat", -90, 90, "a latitude in degrees"),
                            count("area_km2", "an area in km² ≥ 0", false),
                            count("population", "a population ≥ 0", false)},
                           {}};
  return s;
}

const TableSpec& industries_spec() {
  static const TableSpec s{"industries",
                           {code("code"), text("title"), text("kind"), text("parent"), text("cluster")},
                           {}};
  return s;
}

namespace {
std::optional<data::RegionLevel> parse_level(const std::string& s) {
  using L = data::RegionLevel;
  for (L l : {L::county, L::economic_area, L::metro_area, L::state, L::country, L::other})
    if (s == data::to_string(l)) return l;
  if (s.empty()) return L::other;
  return std::nullopt;
}
}  // namespace

data::RegionSet load_regions(const std::string& path, const ReadOptions& opts, InputReport* report) {
  Sink sink{opts, report, {}};
  auto t = read_into_report(path, regions_spec(), opts, report);
  const auto& ids = t.col("code");
  check_unique_ids(t, ids, sink, "region");
  data::RegionSet regions;
  auto text_at = [&](const char* c, std::size_t i) { return t.has(c) ? t.col(c).texts[i] : std::string(); };
  auto real_at = [&](const char* c, std::size_t i) { return t.has(c) ? t.col(c).reals[i] : 0.0; };
  std::vector<std::string> parents;
  for (std::size_t i = 0; i < ids.codes.size(); ++i) {
    const auto& code = ids.dictionary.name(ids.codes[i]);
    if (regions.find(code).valid()) continue;  // duplicate, already reported
    data::Region r;
    r.code = code;
    r.name = text_at("name", i);
    const auto lvl = text_at("level", i);
    if (auto l = parse_level(lvl)) {
      r.level = *l;
    } else {
      sink.add(Error(ErrorKind::input, ErrorCode::invalid_value,
                     fmt::format("unknown region level '{}'", lvl), Location{path, t.lines[i], 0, "level"},
                     "levels: county, economic_area, metro_area, state, country, other"));
    }
    r.lon = real_at("lon", i);
    r.lat = real_at("lat", i);
    r.area_km2 = real_at("area_km2", i);
    r.population = real_at("population", i);
    regions.add(std::move(r));
    parents.push_back(text_at("parent", i));
  }
  // Second pass: parents can be listed after their children.
  for (std::size_t k = 0; k < parents.size(); ++k) {
    if (parents[k].empty()) continue;
    const auto p = regions.find(parents[k]);
    if (!p.valid()) {
      sink.add(Error(ErrorKind::input, ErrorCode::unknown_reference,
                     fmt::format("parent '{}' of region '{}' is not a region of the file", parents[k],
                                 regions[data::RegionId(static_cast<std::uint32_t>(k))].code),
                     Location{path, k < t.lines.size() ? t.lines[k] : 0, 0, "parent"}, "add the parent region or leave parent empty"));
      continue;
    }
    regions[data::RegionId(static_cast<std::uint32_t>(k))].parent = p;
  }
  // A hierarchy has no cycles: walking up from any region must end within |regions| steps.
  for (std::size_t k = 0; k < regions.size(); ++k) {
    auto cur = data::RegionId(static_cast<std::uint32_t>(k));
    std::size_t steps = 0;
    while (cur.valid() && steps <= regions.size()) {
      cur = regions[cur].parent;
      ++steps;
    }
    if (steps > regions.size()) {
      sink.add(Error(ErrorKind::input, ErrorCode::invalid_value,
                     fmt::format("region '{}' is its own ancestor", regions[data::RegionId(static_cast<std::uint32_t>(k))].code),
                     Location{path, k < t.lines.size() ? t.lines[k] : 0, 0, "parent"}, "the parent column must form a tree"));
      break;
    }
  }
  if (report) {
    report->counts = {{"regions", regions.size()}};
    std::map<std::string, std::size_t> by_level;
    for (const auto& r : regions.items()) ++by_level[std::string(data::to_string(r.level))];
    for (const auto& [l, n] : by_level) report->counts.emplace_back(l, n);
  }
  finish(sink, report);
  return regions;
}

data::Classification load_industries(const std::string& path, const ReadOptions& opts, InputReport* report) {
  Sink sink{opts, report, {}};
  auto t = read_into_report(path, industries_spec(), opts, report);
  const auto& ids = t.col("code");
  check_unique_ids(t, ids, sink, "industry");
  data::Classification cls(path);
  auto text_at = [&](const char* c, std::size_t i) { return t.has(c) ? t.col(c).texts[i] : std::string(); };
  std::vector<std::string> parents;
  for (std::size_t i = 0; i < ids.codes.size(); ++i) {
    const auto& code = ids.dictionary.name(ids.codes[i]);
    if (cls.find(code).valid()) continue;
    data::Industry ind;
    ind.code = code;
    ind.title = text_at("title", i);
    ind.cluster = text_at("cluster", i);
    const auto kind = text_at("kind", i);
    if (kind == "traded") ind.kind = data::IndustryKind::traded;
    else if (kind == "local") ind.kind = data::IndustryKind::local;
    else if (!kind.empty())
      sink.add(Error(ErrorKind::input, ErrorCode::invalid_value, fmt::format("unknown industry kind '{}'", kind),
                     Location{path, t.lines[i], 0, "kind"}, "kind is traded, local or empty"));
    cls.add(std::move(ind));
    parents.push_back(text_at("parent", i));
  }
  for (std::size_t k = 0; k < parents.size(); ++k)
    if (!parents[k].empty() && !cls.find(parents[k]).valid())
      sink.add(Error(ErrorKind::input, ErrorCode::unknown_reference,
                     fmt::format("parent '{}' is not an industry of the file", parents[k]),
                     Location{path, k < t.lines.size() ? t.lines[k] : 0, 0, "parent"}, ""));
  if (report) {
    std::size_t traded = 0, local = 0;
    for (const auto& i : cls.items()) {
      traded += i.kind == data::IndustryKind::traded;
      local += i.kind == data::IndustryKind::local;
    }
    report->counts = {{"industries", cls.size()}, {"traded", traded}, {"local", local}};
  }
  finish(sink, report);
  return cls;
}

data::Panel load_employment(const std::string& path, const ReadOptions& opts, InputReport* report) {
  Sink sink{opts, report, {}};
  auto t = read_into_report(path, employment_spec(), opts, report);
  auto p = panel_from(t, "region", "industry", "employment", sink, "region", "industry", opts.allow_duplicate_rows);
  check_total_is_finite(p.value, sink, path, "employment");
  if (report) {
    report->counts = {{"regions", p.rows.size()}, {"industries", p.cols.size()}};
    if (p.has_years()) {
      std::vector<std::int32_t> ys = p.year;
      std::sort(ys.begin(), ys.end());
      report->counts.emplace_back("years", std::unique(ys.begin(), ys.end()) - ys.begin());
    }
    double total = 0;
    // Only valid values count: NaN and negative cells are reported as errors above.
    for (double v : p.value)
      if (std::isfinite(v) && v > 0) total += v;
    report->counts.emplace_back("employment", static_cast<std::size_t>(total));
    if (p.rows.size() == 1 && t.rows > 0)
      report->warnings.push_back("only one region: location quotients are all 1");
  }
  finish(sink, report);
  return p;
}

data::Establishments load_establishments(const std::string& path, const std::string& crs,
                                         const ReadOptions& opts, InputReport* report) {
  Sink sink{opts, report, {}};
  // Resolve the CRS before reading a single row: an unknown CRS is a usage-level mistake in
  // the input description and should fail fast.
  geo::CoordinateSystem cs;
  if (!crs.empty()) {
    try {
      cs = geo::resolve_crs(crs);
    } catch (const Error& e) {
      // Name the file whose coordinates the CRS was meant for.
      Error located(e.kind(), e.code(), e.message() + " (given with --crs)", Location{path, 0, 0, {}}, e.hint());
      if (!opts.collect) throw located;
      if (report) report->errors.push_back(located);
    }
  }
  auto t = read_into_report(path, establishments_spec(), opts, report);
  data::Establishments e;
  // Check first, then move the columns out of the loaded table (no copies).
  check_unique_ids(t, t.col("id"), sink, "establishment");
  auto take_reals = [&](const char* name) { return std::move(t.col(name).reals); };
  e.ids = std::move(t.col("id").dictionary);
  e.industry_codes = std::move(t.col("industry").dictionary);
  e.industry = std::move(t.col("industry").codes);
  const bool lonlat = t.has("lon") && t.has("lat");
  if (lonlat) {
    e.x = take_reals("lon");
    e.y = take_reals("lat");
    if (!crs.empty() && !cs.geographic && report)
      report->warnings.push_back(fmt::format(
          "--crs {} is projected but the file has lon,lat: using lon,lat as EPSG:4326", crs));
    e.crs = geo::CoordinateSystem{};
  } else if (t.has("x") && t.has("y")) {
    e.x = take_reals("x");
    e.y = take_reals("y");
    if (crs.empty()) {
      e.crs = geo::CoordinateSystem{false, "", "unit"};
      if (report)
        report->warnings.push_back("x,y given without --crs: distances are in the file's own unit");
    } else {
      e.crs = cs;
    }
  }
  if (t.has("region")) {
    e.region_codes = std::move(t.col("region").dictionary);
    e.region = std::move(t.col("region").codes);
  }
  if (lonlat)
    for (auto& err : detail::swapped_coordinates(e, t.lines, t.path, t.rows_not_lines, opts.collect ? opts.max_errors : 1))
      sink.add(std::move(err));
  if (t.has("employees")) {
    e.employees = take_reals("employees");
    check_total_is_finite(e.employees, sink, path, "employees");
  }
  if (t.has("firm")) {
    e.firm_codes = std::move(t.col("firm").dictionary);
    e.firm = std::move(t.col("firm").codes);
  }
  for (auto [name, dst] : {std::pair{"sales", &e.sales}, {"exports", &e.exports}, {"rnd", &e.rnd},
                           {"patents", &e.patents}, {"founded", &e.founded}, {"foreign", &e.foreign}})
    if (t.has(name)) *dst = take_reals(name);
  if (report) {
    report->counts = {{"establishments", e.ids.size()}, {"industries", e.industry_codes.size()}};
    if (!e.region.empty()) report->counts.emplace_back("regions", e.region_codes.size());
    if (e.size() > 1) {
      bool all_same = true;
      for (std::size_t i = 1; i < e.size() && all_same; ++i)
        all_same = e.x[i] == e.x[0] && e.y[i] == e.y[0];
      if (all_same) report->warnings.push_back("all establishments are at the same point");
    }
  }
  finish(sink, report);
  return e;
}

data::Panel load_exports(const std::string& path, const ReadOptions& opts, InputReport* report) {
  Sink sink{opts, report, {}};
  auto t = read_into_report(path, exports_spec(), opts, report);
  auto p = panel_from(t, "location", "product", "value", sink, "location", "product", opts.allow_duplicate_rows);
  check_total_is_finite(p.value, sink, path, "value");
  if (report) {
    report->counts = {{"locations", p.rows.size()}, {"products", p.cols.size()}};
    // Locations that export nothing cannot be ranked by complexity; say so up front.
    std::vector<double> tot(p.rows.size(), 0.0);
    for (std::size_t i = 0; i < p.size(); ++i) tot[p.row[i]] += p.value[i];
    std::size_t zero = std::count(tot.begin(), tot.end(), 0.0);
    if (zero) report->warnings.push_back(fmt::format("{} location(s) export nothing", zero));
  }
  finish(sink, report);
  return p;
}

data::ActorNetwork load_network(const std::string& nodes_path, const std::string& edges_path,
                                bool directed, const ReadOptions& opts, InputReport* report) {
  Sink sink{opts, report, {}};
  InputReport edges_report;
  auto nt = read_into_report(nodes_path, nodes_spec(), opts, report);
  auto et = read_into_report(edges_path, edges_spec(), opts, &edges_report);
  if (report) {
    report->kind = "network";
    for (auto& e : edges_report.errors) report->errors.push_back(std::move(e));
    report->rows += edges_report.rows;
  }
  data::ActorNetwork g;
  g.directed = directed;
  const auto& ids = nt.col("id");
  g.ids = ids.dictionary;
  auto text_or_empty = [&](const char* name) {
    return nt.has(name) ? nt.col(name).texts : std::vector<std::string>(nt.rows);
  };
  g.type = text_or_empty("type");
  g.group = text_or_empty("group");
  g.cluster = text_or_empty("cluster");
  g.region = text_or_empty("region");
  check_unique_ids(nt, ids, sink, "node");

  const auto& src = et.col("source");
  const auto& dst = et.col("target");
  std::size_t self_loops = 0;
  for (std::size_t i = 0; i < et.rows && i < src.codes.size(); ++i) {
    const auto& s = src.dictionary.name(src.codes[i]);
    const auto& d = dst.dictionary.name(dst.codes[i]);
    const auto si = g.ids.find(s), di = g.ids.find(d);
    if (!si || !di) {
      const bool bad_src = !si;
      Location w{edges_path, et.lines[i], 0, bad_src ? "source" : "target"};
      sink.add(Error(ErrorKind::input, ErrorCode::unknown_reference,
                     fmt::format("edge refers to unknown node '{}'", bad_src ? s : d), w,
                     "every source and target must be an id in the nodes file"));
      continue;
    }
    if (*si == *di) ++self_loops;
    g.source.push_back(*si);
    g.target.push_back(*di);
    g.weight.push_back(et.has("weight") ? et.col("weight").reals[i] : 1.0);
    g.edge_type.push_back(et.has("type") ? et.col("type").texts[i] : "");
    g.edge_level.push_back(et.has("level") ? et.col("level").texts[i] : "");
  }
  if (report) {
    report->counts = {{"nodes", g.nodes()}, {"edges", g.edges()}};
    if (self_loops) report->warnings.push_back(fmt::format("{} self-loop(s)", self_loops));
    if (g.edges() == 0) report->warnings.push_back("the network has no edges");
    std::size_t no_group = std::count(g.group.begin(), g.group.end(), std::string());
    if (nt.has("group") && no_group)
      report->warnings.push_back(fmt::format("{} node(s) have no group", no_group));
  }
  finish(sink, report);
  return g;
}

data::Survey load_survey(const std::string& path, const ReadOptions& opts, InputReport* report) {
  Sink sink{opts, report, {}};
  auto t = read_into_report(path, responses_spec(), opts, report);
  data::Survey s;
  const auto& ids = t.col("id");
  s.ids = ids.dictionary;
  check_unique_ids(t, ids, sink, "response");
  for (int k = 0; k < 6; ++k) {
    const char* item = data::Survey::diamond_items[k];
    auto& out = s.items[k];
    out.assign(t.rows, data::FactorLocation::not_applicable);
    if (!t.has(item)) continue;
    const auto& col = t.col(item).texts;
    for (std::size_t i = 0; i < col.size(); ++i) {
      std::string v;
      for (char c : col[i]) if (c != ' ') v.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      if (v.empty()) continue;
      if (v == "regional") out[i] = data::FactorLocation::regional;
      else if (v == "national") out[i] = data::FactorLocation::national;
      else if (v == "international") out[i] = data::FactorLocation::international;
      else {
        Location w{path, t.lines[i], 0, item};
        sink.add(Error(ErrorKind::input, ErrorCode::invalid_value,
                       fmt::format("'{}' is not a location: expected regional, national, international or empty", col[i]),
                       w, ""));
      }
    }
  }
  if (t.has("weight")) {
    s.weight = t.col("weight").reals;
    for (std::size_t i = 0; i < s.weight.size(); ++i)
      if (s.weight[i] == 0) {
        Location w{path, t.lines[i], 0, "weight"};
        sink.add(Error(ErrorKind::input, ErrorCode::invalid_value, "weight is 0: survey weights must be > 0", w, ""));
      }
  }
  if (report) report->counts = {{"responses", s.size()}};
  finish(sink, report);
  return s;
}

}  // namespace agglo::io
