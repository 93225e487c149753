// Named layouts of public data files (include/agglo/io/layouts.hpp) and the row mapper that
// applies them (src/io/detail/row_mapper.hpp). Written by hand: the rules are the publishers'
// documentation turned into data, and no library reads these files into analysis tables.
//
// Sources of the rules:
//  * County Business Patterns record layouts (US Census Bureau, "CBP Datasets, county file
//    layout", 2017+ with emp_nf noise/withheld flags; before 2017 with empflag size ranges
//    A–M). Imputation of withheld employment from establishment size classes follows the
//    common midpoint rule (e.g. Isserman & Westervelt 2006, Int. Regional Sci. Rev. 29(3));
//    Eckert, Fort, Schott & Yang (2020, NBER WP 26632) give a linear-programming refinement
//    that agglo does not implement.
//  * QCEW "CSV files: layout" and "agglvl_code" tables (US Bureau of Labor Statistics).
//  * The Atlas of Economic Complexity data downloads (Harvard Growth Lab, Dataverse) and the
//    OEC's data API/CSV downloads (Datawheel), whose ids carry a continent or section prefix.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "agglo/core/error.hpp"
#include "agglo/io/layouts.hpp"
#include "detail/row_mapper.hpp"

namespace agglo::io {

const std::vector<LayoutInfo>& layouts() {
  static const std::vector<LayoutInfo> all{
      {"cbp", "US County Business Patterns (county file)", "employment", {"fipstate", "fipscty", "naics", "emp", "est"}},
      {"qcew", "BLS QCEW annual averages (counties)", "employment",
       {"area_fips", "own_code", "industry_code", "agglvl_code", "annual_avg_emplvl"}},
      {"qcew-msa", "BLS QCEW annual averages (metropolitan areas)", "employment",
       {"area_fips", "own_code", "industry_code", "agglvl_code", "annual_avg_emplvl"}},
      {"qcew-state", "BLS QCEW annual averages (states)", "employment",
       {"area_fips", "own_code", "industry_code", "agglvl_code", "annual_avg_emplvl"}},
      {"atlas", "Atlas of Economic Complexity (Growth Lab) country × product × year", "exports", {"export_value"}},
      {"oec", "Observatory of Economic Complexity data download", "exports", {"Trade Value"}},
  };
  return all;
}

std::vector<std::string> layout_choices() {
  std::vector<std::string> c{"auto", "plain"};
  for (const auto& l : layouts()) c.push_back(l.name);
  return c;
}

namespace detail {

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '"')) s.remove_suffix(1);
  return s;
}

int find_field(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (same_name(trim(header[i]), name)) return static_cast<int>(i);
  return -1;
}

int first_field(const std::vector<std::string>& header, std::initializer_list<std::string_view> names) {
  for (auto n : names)
    if (int f = find_field(header, n); f >= 0) return f;
  return -1;
}

bool parse_number(std::string_view s, double& v) {
  s = trim(s);
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

// Builds the mapper of one layout, or explains which columns are missing.
struct Built {
  std::optional<RowMapper> mapper;
  std::vector<std::string> missing;
};

void add_column(RowMapper& m, Built& b, std::string name, int field, const char* wanted) {
  if (field < 0) {
    b.missing.emplace_back(wanted);
    return;
  }
  m.names.push_back(std::move(name));
  m.origin.push_back(field);
  m.recipes.push_back({RowMapper::Part{field, 0, 0}});
}

void add_optional(RowMapper& m, std::string name, int field) {
  if (field < 0) return;
  m.names.push_back(std::move(name));
  m.origin.push_back(field);
  m.recipes.push_back({RowMapper::Part{field, 0, 0}});
}

Built build_cbp(const std::vector<std::string>& h, const InputSettings& s) {
  Built b;
  RowMapper m;
  const int st = find_field(h, "fipstate"), ct = find_field(h, "fipscty");
  if (st < 0) b.missing.emplace_back("fipstate");
  if (ct < 0) b.missing.emplace_back("fipscty");
  if (st >= 0 && ct >= 0) {
    m.names.push_back("region");
    m.origin.push_back(ct);
    m.recipes.push_back({RowMapper::Part{st, 2, 0}, RowMapper::Part{ct, 3, 0}});
  }
  const int naics = find_field(h, "naics");
  add_column(m, b, "industry", naics, "naics");
  const int emp = find_field(h, "emp");
  add_column(m, b, "employment", emp, "emp");
  m.value_column = static_cast<int>(m.names.size()) - 1;
  add_optional(m, "establishments", find_field(h, "est"));
  if (!b.missing.empty()) return b;
  m.filters.push_back({naics, RowMapper::Filter::Test::six_digits, {}, "aggregate NAICS rows (codes with '-' or '/')"});
  m.filters.push_back({ct, RowMapper::Filter::Test::not_equals_any, {"999"}, "statewide rows (county 999, no location)"});
  // Withheld cells: emp_nf D (disclosure), S (below publication standards), N (not available);
  // before 2017 any empflag letter (and emp = 0).
  if (int f = find_field(h, "emp_nf"); f >= 0) {
    m.flag_fields.push_back(f);
    m.flag_values.push_back({"D", "S", "N"});
  }
  if (int f = find_field(h, "empflag"); f >= 0) {
    m.flag_fields.push_back(f);
    m.flag_values.push_back({});
    m.range_field = f;
    m.ranges = {{"A", 0, 19},          {"B", 20, 99},         {"C", 100, 249},       {"E", 250, 499},
                {"F", 500, 999},       {"G", 1000, 2499},     {"H", 2500, 4999},     {"I", 5000, 9999},
                {"J", 10000, 24999},   {"K", 25000, 49999},   {"L", 50000, 99999},   {"M", 100000, INFINITY}};
  }
  // Establishment size classes (employees): class midpoints; the open class 5,000+ at 7,500.
  // (Vectors, not initializer_lists: a list inside a pair would dangle after this statement.)
  const std::vector<std::pair<std::vector<std::string_view>, double>> classes = {
      {{"n<5", "n1_4"}, 2.5},   {{"n5_9"}, 7.0},        {{"n10_19"}, 14.5},     {{"n20_49"}, 34.5},
      {{"n50_99"}, 74.5},       {{"n100_249"}, 174.5},  {{"n250_499"}, 374.5},  {{"n500_999"}, 749.5},
      {{"n1000_1"}, 1249.5},    {{"n1000_2"}, 1999.5},  {{"n1000_3"}, 3749.5},  {{"n1000_4"}, 7500.0}};
  for (const auto& [names, mid] : classes)
    for (auto n : names)
      if (int f = find_field(h, n); f >= 0) {
        m.size_classes.push_back({f, mid});
        break;
      }
  if (find_field(h, "n1000_1") < 0)
    if (int f = find_field(h, "n1000"); f >= 0) m.size_classes.push_back({f, 2000.0});
  m.impute = s.suppressed == "impute";
  b.mapper = std::move(m);
  return b;
}

Built build_qcew(const std::vector<std::string>& h, const InputSettings&, const char* level) {
  Built b;
  RowMapper m;
  add_column(m, b, "region", find_field(h, "area_fips"), "area_fips");
  add_column(m, b, "industry", find_field(h, "industry_code"), "industry_code");
  add_column(m, b, "employment", find_field(h, "annual_avg_emplvl"), "annual_avg_emplvl");
  m.value_column = static_cast<int>(m.names.size()) - 1;
  add_optional(m, "establishments", find_field(h, "annual_avg_estabs"));
  add_optional(m, "wages", find_field(h, "total_annual_wages"));
  add_optional(m, "year", find_field(h, "year"));
  const int own = find_field(h, "own_code"), agg = find_field(h, "agglvl_code");
  if (own < 0) b.missing.emplace_back("own_code");
  if (agg < 0) b.missing.emplace_back("agglvl_code");
  if (!b.missing.empty()) return b;
  m.filters.push_back({own, RowMapper::Filter::Test::equals_any, {"5"}, "rows of other ownerships than private (own_code ≠ 5)"});
  m.filters.push_back({agg, RowMapper::Filter::Test::equals_any, {level},
                       fmt::format("rows of other aggregation levels (agglvl_code ≠ {})", level)});
  if (int f = find_field(h, "disclosure_code"); f >= 0) {
    m.flag_fields.push_back(f);
    m.flag_values.push_back({"N"});
  }
  b.mapper = std::move(m);
  return b;
}

Built build_atlas(const std::vector<std::string>& h, const InputSettings&) {
  Built b;
  RowMapper m;
  add_column(m, b, "location", first_field(h, {"country_iso3_code", "location_code", "iso3_code", "exporter_iso3_code"}),
             "country_iso3_code or location_code");
  add_column(m, b, "product",
             first_field(h, {"product_hs92_code", "product_hs12_code", "product_hs07_code", "product_hs02_code",
                             "product_sitc_code", "product_sitc2_code", "hs_product_code", "sitc_product_code",
                             "sitc4_product_code", "product_code"}),
             "a product code column (product_hs92_code, hs_product_code, sitc_product_code…)");
  add_column(m, b, "value", find_field(h, "export_value"), "export_value");
  add_optional(m, "year", find_field(h, "year"));
  if (!b.missing.empty()) return b;
  m.sum_duplicates = first_field(h, {"partner_iso3_code", "partner_code", "partner_id", "partner_country_id"}) >= 0;
  b.mapper = std::move(m);
  return b;
}

Built build_oec(const std::vector<std::string>& h, const InputSettings&) {
  Built b;
  RowMapper m;
  const int loc = first_field(h, {"Exporter Country ID", "Country ID"});
  if (loc < 0) {
    b.missing.emplace_back("Country ID or Exporter Country ID");
  } else {
    m.names.push_back("location");
    m.origin.push_back(loc);
    m.recipes.push_back({RowMapper::Part{loc, 0, 3}});  // "euesp" → "esp"
  }
  int prod = -1, digits = 0;
  for (auto [name, d] : {std::pair{"HS6 ID", 6}, {"HS4 ID", 4}, {"HS2 ID", 2}})
    if (prod < 0 && (prod = find_field(h, name)) >= 0) digits = d;
  if (prod < 0) {
    b.missing.emplace_back("HS4 ID, HS6 ID or HS2 ID");
  } else {
    m.names.push_back("product");
    m.origin.push_back(prod);
    m.recipes.push_back({RowMapper::Part{prod, digits, digits}});  // "10101" → "0101"
  }
  add_column(m, b, "value", find_field(h, "Trade Value"), "Trade Value");
  add_optional(m, "year", find_field(h, "Year"));
  if (!b.missing.empty()) return b;
  m.sum_duplicates = find_field(h, "Importer Country ID") >= 0;
  b.mapper = std::move(m);
  return b;
}

Built build(const std::string& name, const std::vector<std::string>& h, const InputSettings& s) {
  if (name == "cbp") return build_cbp(h, s);
  if (name == "qcew") return build_qcew(h, s, "78");
  if (name == "qcew-msa") return build_qcew(h, s, "48");
  if (name == "qcew-state") return build_qcew(h, s, "58");
  if (name == "atlas") return build_atlas(h, s);
  if (name == "oec") return build_oec(h, s);
  return {};
}

}  // namespace

std::optional<RowMapper> make_row_mapper(const std::string& input, const std::vector<std::string>& header,
                                         const InputSettings& settings, const std::string& path) {
  if (settings.layout == "plain") return std::nullopt;
  for (const auto& info : layouts()) {
    if (info.input != input) continue;
    if (settings.layout == "auto") {
      // Auto-detection needs the whole signature; the QCEW variants are only chosen by name.
      if (info.name == "qcew-msa" || info.name == "qcew-state") continue;
      bool all = true;
      for (const auto& c : info.signature) all = all && find_field(header, c) >= 0;
      if (!all) continue;
    } else if (settings.layout != info.name) {
      continue;
    }
    auto b = build(info.name, header, settings);
    if (!b.mapper) {
      std::string miss;
      for (const auto& x : b.missing) miss += (miss.empty() ? "" : ", ") + x;
      std::string have;
      for (const auto& x : header) have += (have.empty() ? "" : ",") + x;
      throw_input(ErrorCode::missing_column,
                  fmt::format("{} file does not have the {} layout: missing {}", input, info.title, miss),
                  Location{path, 1, 0, {}}, fmt::format("the header has: {}", have));
    }
    b.mapper->layout = info.name;
    b.mapper->title = info.title;
    return b.mapper;
  }
  if (settings.layout != "auto") {
    // A layout for another kind of input: say which inputs it is for.
    for (const auto& info : layouts())
      if (info.name == settings.layout && info.input != input) return std::nullopt;
    throw_usage(ErrorCode::invalid_option_value, fmt::format("unknown layout '{}'", settings.layout));
  }
  return std::nullopt;
}

bool RowMapper::map(std::span<const std::string_view> in, std::vector<std::string_view>& out,
                    std::string& scratch, MapCounts& counts) const {
  for (std::size_t k = 0; k < filters.size(); ++k) {
    const auto& f = filters[k];
    const auto v = trim(in[static_cast<std::size_t>(f.field)]);
    bool pass = true;
    switch (f.test) {
      case Filter::Test::six_digits:
        pass = v.size() == 6 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
        break;
      case Filter::Test::equals_any:
        pass = std::find(f.values.begin(), f.values.end(), v) != f.values.end();
        break;
      case Filter::Test::not_equals_any:
        pass = std::find(f.values.begin(), f.values.end(), v) == f.values.end();
        break;
    }
    if (!pass) {
      ++counts.n[0];
      return false;
    }
  }
  // Values are built into `scratch` first and viewed afterwards (it may reallocate).
  scratch.clear();
  std::vector<std::pair<std::size_t, std::size_t>> spans(recipes.size(), {SIZE_MAX, 0});
  out.resize(recipes.size());
  for (std::size_t j = 0; j < recipes.size(); ++j) {
    const auto& r = recipes[j];
    if (r.size() == 1 && r[0].width == 0 && r[0].keep_last == 0) {
      out[j] = in[static_cast<std::size_t>(r[0].field)];
      continue;
    }
    const std::size_t start = scratch.size();
    for (const auto& p : r) {
      auto v = trim(in[static_cast<std::size_t>(p.field)]);
      if (p.keep_last > 0 && static_cast<int>(v.size()) > p.keep_last) v = v.substr(v.size() - static_cast<std::size_t>(p.keep_last));
      for (int pad = p.width - static_cast<int>(v.size()); pad > 0; --pad) scratch.push_back('0');
      scratch.append(v);
    }
    spans[j] = {start, scratch.size() - start};
  }
  // Suppression of the value column.
  bool suppressed = false;
  for (std::size_t k = 0; k < flag_fields.size() && !suppressed; ++k) {
    const auto v = trim(in[static_cast<std::size_t>(flag_fields[k])]);
    if (v.empty()) continue;
    const auto& vals = flag_values[k];
    suppressed = vals.empty() || std::find(vals.begin(), vals.end(), v) != vals.end();
  }
  if (suppressed) {
    if (!impute || size_classes.empty()) {
      ++counts.n[impute ? 3 : 1];
      return false;
    }
    double est = 0;
    for (const auto& c : size_classes) {
      double n = 0;
      if (parse_number(in[static_cast<std::size_t>(c.field)], n) && n > 0) est += n * c.midpoint;
    }
    if (range_field >= 0) {
      const auto flag = trim(in[static_cast<std::size_t>(range_field)]);
      for (const auto& r : ranges)
        if (flag == r.flag) est = std::clamp(est, r.lo, r.hi);
    }
    const std::size_t start = scratch.size();
    scratch += fmt::format("{}", est);
    spans[static_cast<std::size_t>(value_column)] = {start, scratch.size() - start};
    ++counts.n[2];
  }
  for (std::size_t j = 0; j < spans.size(); ++j)
    if (spans[j].first != SIZE_MAX) out[j] = std::string_view(scratch).substr(spans[j].first, spans[j].second);
  return true;
}

std::vector<std::string> RowMapper::notes(const MapCounts& c, const std::string& path) const {
  std::vector<std::string> out;
  std::string left;
  if (c.n[0]) left += fmt::format("; {} row(s) left out ({})", c.n[0], [&] {
    std::string s;
    for (const auto& f : filters) s += (s.empty() ? "" : ", ") + f.what;
    return s;
  }());
  if (c.n[1]) left += fmt::format("; {} suppressed cell(s) dropped (--suppressed impute estimates them{})", c.n[1],
                                  size_classes.empty() ? ", where the file has size classes" : " from size classes");
  if (c.n[2]) left += fmt::format("; {} suppressed cell(s) imputed from establishment size classes", c.n[2]);
  if (c.n[3]) left += fmt::format("; {} suppressed cell(s) dropped: the file has no size classes to impute from", c.n[3]);
  out.push_back(fmt::format("{}: read as {} (layout {}){}{}", path, title, layout, left,
                            sum_duplicates ? "; rows of the same location and product are summed over partners" : ""));
  return out;
}

}  // namespace detail
}  // namespace agglo::io
