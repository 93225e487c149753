// `agglo cluster-map`: cluster strength by region — employment, location quotients, shares,
// ranks, the US Cluster Mapping Project's strong-cluster rules and the European Cluster
// Observatory's stars; related clusters and growth. Rules in include/agglo/clusters/cluster_map.hpp
// and docs/methods/cluster-map.md. This file reads the inputs, builds the matrices and writes
// the result (a GeoPackage with region polygons joined to the tables when asked).
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <type_traits>
#include <variant>
#include <unordered_map>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/clusters/cluster_map.hpp"
#include "agglo/io/atomic_file.hpp"
#include "agglo/io/csv_reader.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/source_header.hpp"
#include "agglo/io/table_reader.hpp"
#include "agglo/io/table_writer.hpp"
#include "agglo/io/vector_reader.hpp"
#include "agglo/measure/region_industry_matrix.hpp"
#include "panel_years.hpp"

namespace agglo::api {

namespace {

namespace fs = std::filesystem;

struct ClusterMapOptions {
  std::string employment, clusters, industries, regions, level;
  std::string polygons, polygon_layer, polygon_id = "code";
  std::string relatedness, relatedness_column = "value";
  std::string preset = "us-cmp";
  // Empty / unset: the preset's value.
  std::string denominator, strong_rule;
  std::optional<double> size_quantile, strong_lq, strong_quantile, top_quantile, min_employment,
      min_establishments, eco_top, eco_lq;
  std::optional<std::int64_t> min_regions, strong_stars;
  std::optional<double> emerging_z, emerging_min_employment;
  std::optional<std::int64_t> year, from, to;
  std::string duplicates = "reject";
  std::string industry_column, cluster_column, kind_column;
  double related_quantile = 0.9;
  double related_min_share = 0.0;
  bool all_cells = false;
  std::string map_rows = "strong";

  static void describe(core::OptionSchema<ClusterMapOptions>& s) {
    using O = ClusterMapOptions;
    s.add("employment", &O::employment, "region × industry employment CSV (region,industry,employment[,establishments,year,wages])").path().required();
    s.add("clusters", &O::clusters,
          "industry → cluster CSV: industry,cluster (define-clusters output) or the benchmark layout "
          "cluster_id,cluster,type,naics2007 (data/taxonomy/us_benchmark_clusters_naics2007.csv); columns are detected")
        .path()
        .required();
    s.add("industries", &O::industries, "industry classification CSV (code,kind…): traded/local kinds for the LQ denominators").path();
    s.add("regions", &O::regions,
          "regions CSV (code,level,parent…) or a polygon layer (GeoPackage, GeoJSON, TopoJSON…): levels to compare regions within, "
          "parents to roll up to --level")
        .path();
    s.add("level", &O::level,
          "analyse regions of this level only; finer regions are summed into their ancestor of this level (needs --regions)")
        .choices({"county", "economic_area", "metro_area", "state", "country", "other"});
    s.add("polygons", &O::polygons, "region polygons for a .gpkg output (e.g. data/geo/us_counties_economic_areas_msas.topojson); default: --regions when it is a polygon layer").path();
    s.add("polygon-layer", &O::polygon_layer, "layer of --polygons (or of a polygon --regions), e.g. counties; default: the first");
    s.add("polygon-id", &O::polygon_id, "field of the polygons holding the region code, e.g. fips");
    s.add("relatedness", &O::relatedness, "industry relatedness CSV (industry_a,industry_b,value), e.g. from `agglo relatedness`: adds the related_clusters table").path();
    s.add("relatedness-column", &O::relatedness_column, "column of --relatedness holding the link strength");
    s.add("related-quantile", &O::related_quantile, "a top link is at or above this quantile of all link values (0.9 = top decile)").min(0).max(1);
    s.add("related-min-share", &O::related_min_share, "list cluster pairs whose share of linked industries is at least this").min(0).max(1);
    s.add("preset", &O::preset,
          "threshold set: us-cmp (US Cluster Mapping: LQ on traded employment for traded clusters, strong = CMP rule) or "
          "eco (European Cluster Observatory: LQ on total employment, strong = at least --strong-stars stars)")
        .choices(clusters::preset_names());
    s.add("denominator", &O::denominator,
          "employment the LQ is relative to: auto (traded clusters on traded, local on local, others on all employment), "
          "total, traded or local (default: the preset's: us-cmp auto, eco total)")
        .choices({"auto", "total", "traded", "local"});
    s.add("strong-rule", &O::strong_rule, "what `strong` means: cmp (the CMP rule) or stars (ECO stars ≥ --strong-stars); default: the preset's")
        .choices({"cmp", "stars"});
    s.add("size-quantile", &O::size_quantile, "qualifying: employment and establishments above this quantile of the cluster's regions (default 0.25, the bottom quartile)").min(0).max(1);
    s.add("strong-lq", &O::strong_lq, "significant: LQ at or above this (default 1)").min(0);
    s.add("strong-quantile", &O::strong_quantile, "strong: LQ at or above this quantile of the cluster's regions (default 0.75, the top quartile)").min(0).max(1);
    s.add("top-quantile", &O::top_quantile, "top strong: LQ at or above this quantile (default 0.9, the top decile)").min(0).max(1);
    s.add("min-employment", &O::min_employment, "qualifying: at least this many jobs in the region-cluster (default 0)").min(0);
    s.add("min-establishments", &O::min_establishments, "qualifying: at least this many establishments (default 0)").min(0);
    s.add("min-regions", &O::min_regions, "clusters present in fewer regions of a level get no flags or stars (default 2)").min(2);
    s.add("eco-top", &O::eco_top, "ECO size, focus and productivity stars: the top share of regions (default 0.10)").min(0).max(1);
    s.add("eco-lq", &O::eco_lq, "ECO specialisation star: LQ at or above this (default 2)").min(0);
    s.add("strong-stars", &O::strong_stars, "with --strong-rule stars: strong when the region-cluster has at least this many stars (default 2)").min(1).max(4);
    s.add("year", &O::year,
          "a panel (file with a year column): map this year only (default: every year, each compared with the previous one)");
    s.add("from", &O::from,
          "a panel: the base year the mapped year is compared with (growth, LQ change, shift-share, emerging); "
          "default with --to: the first year of the file");
    s.add("to", &O::to, "a panel: the year mapped and compared with --from (default: the last year of the file)");
    s.add("emerging-z", &O::emerging_z,
          "emerging: growth beyond the nation's, in Poisson standard errors, at least this (default 3)").min(0);
    s.add("emerging-min-employment", &O::emerging_min_employment,
          "emerging: at least this many jobs in the region-cluster in the mapped year (default 50)").min(0);
    s.add("duplicates", &O::duplicates, "repeated region × industry rows: reject them or sum them").choices({"reject", "sum"});
    s.add("industry-column", &O::industry_column, "industry column of --clusters (default: industry, naics2007, naics or code, the first present)");
    s.add("cluster-column", &O::cluster_column, "cluster column of --clusters (default: cluster, else cluster_id)");
    s.add("kind-column", &O::kind_column, "traded/local column of --clusters (default: kind or type when present)");
    s.add("all-cells", &O::all_cells, "write every region × cluster cell, including zero employment (default: employment > 0)");
    s.add("map-rows", &O::map_rows, "GeoPackage output with polygons: which rows of the main table get a polygon layer (cluster_map_polygons)")
        .choices({"strong", "significant", "all", "none"});
  }
  void validate() const {
    if (!level.empty() && regions.empty())
      throw_usage(ErrorCode::missing_option, "--level needs --regions", "give a regions file with level and parent columns");
  }
};

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

std::string list_of(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// The clusters file, in either layout: industry,cluster[,kind] or the benchmark
// cluster_id,cluster,type,naics2007. The header decides which columns are used.
clusters::ClusterDefinitions read_clusters(const ClusterMapOptions& o, std::vector<std::string>& warnings,
                                           std::string& layout, std::map<std::string, std::string>& labels) {
  const std::vector<std::string> header = io::source_header(o.clusters);
  auto has = [&](const std::string& c) { return std::find(header.begin(), header.end(), c) != header.end(); };
  auto pick = [&](const std::string& given, std::initializer_list<const char*> candidates, const char* what) {
    if (!given.empty()) {
      if (!has(given))
        throw_input(ErrorCode::missing_column, fmt::format("the clusters file has no column '{}' ({})", given, what),
                    Location{o.clusters, 1, 0, given}, fmt::format("its columns are: {}", list_of(header)));
      return given;
    }
    for (const char* c : candidates)
      if (has(c)) return std::string(c);
    return std::string();
  };
  const auto ind_col = pick(o.industry_column, {"industry", "naics2007", "naics", "code"}, "industry codes");
  const auto clu_col = pick(o.cluster_column, {"cluster", "cluster_id"}, "cluster names");
  const auto kind_col = pick(o.kind_column, {"kind", "type"}, "traded/local");
  // Benchmark layout: clusters are identified by cluster_id (two ids may share a name, e.g.
  // "Agricultural Products" 11 and 1001); the name is what the tables show.
  const std::string id_col = clu_col != "cluster_id" && has("cluster_id") ? "cluster_id" : "";
  if (ind_col.empty() || clu_col.empty())
    throw_input(ErrorCode::missing_column,
                fmt::format("the clusters file needs an industry column and a cluster column; it has: {}", list_of(header)),
                Location{o.clusters, 1, 0, {}},
                "use industry,cluster (as define-clusters writes) or cluster_id,cluster,type,naics2007 (the US benchmark "
                "definitions), or name the columns with --industry-column and --cluster-column");
  layout = fmt::format("industry={}, cluster={}{}{}", ind_col, clu_col, id_col.empty() ? "" : ", id=" + id_col,
                       kind_col.empty() ? "" : ", kind=" + kind_col);

  io::TableSpec spec;
  spec.what = "clusters";
  io::ColumnSpec ic;
  ic.name = ind_col;
  ic.kind = io::ColumnKind::code;
  spec.columns.push_back(ic);
  io::ColumnSpec cc;
  cc.name = clu_col;
  cc.kind = io::ColumnKind::text;
  cc.allow_empty = true;  // an empty cluster: the industry is in no cluster
  spec.columns.push_back(cc);
  if (!id_col.empty()) {
    io::ColumnSpec idc;
    idc.name = id_col;
    idc.kind = io::ColumnKind::text;
    idc.allow_empty = true;
    spec.columns.push_back(idc);
  }
  if (!kind_col.empty()) {
    io::ColumnSpec kc;
    kc.name = kind_col;
    kc.kind = io::ColumnKind::text;
    kc.required = false;
    kc.allow_empty = true;
    spec.columns.push_back(kc);
  }
  // define-clusters output names its clusters in a `label` column: carried into the map.
  const bool with_labels = has("label") && clu_col != "label";
  if (with_labels) {
    io::ColumnSpec lc;
    lc.name = "label";
    lc.kind = io::ColumnKind::text;
    lc.allow_empty = true;
    spec.columns.push_back(lc);
  }
  const auto t = io::read_table(o.clusters, spec);
  if (with_labels)
    for (std::size_t k = 0; k < t.rows; ++k)
      if (!t.col("label").texts[k].empty()) labels.emplace(t.col(clu_col).texts[k], t.col("label").texts[k]);
  const auto& ids = t.col(ind_col);
  const auto& given_names = t.col(clu_col).texts;
  // The cluster of each row: its name, made unique with " (id)" when ids share a name.
  std::vector<std::string> names = given_names;
  if (!id_col.empty()) {
    const auto& cid = t.col(id_col).texts;
    std::map<std::string, std::set<std::string>> ids_of_name;
    for (std::size_t k = 0; k < t.rows; ++k) ids_of_name[given_names[k]].insert(cid[k]);
    for (std::size_t k = 0; k < t.rows; ++k)
      if (!names[k].empty() && ids_of_name[names[k]].size() > 1) names[k] += " (" + cid[k] + ")";
  }
  clusters::ClusterDefinitions defs;
  std::vector<std::int64_t> first_line(ids.dictionary.size(), -1);
  std::vector<std::string> first_cluster(ids.dictionary.size());
  std::size_t repeats = 0, no_cluster = 0;
  for (std::size_t k = 0; k < t.rows; ++k) {
    const auto id = ids.codes[k];
    const std::string code(ids.dictionary.name(id));
    if (names[k].empty()) {
      ++no_cluster;
      continue;
    }
    if (first_line[id] >= 0) {
      if (first_cluster[id] == names[k]) {
        ++repeats;
        continue;
      }
      throw_input(ErrorCode::duplicate_id,
                  fmt::format("industry '{}' is in cluster '{}' here and in cluster '{}' on line {}", code, names[k],
                              first_cluster[id], first_line[id]),
                  Location{o.clusters, t.lines[k], 0, ind_col}, "each industry belongs to one cluster");
    }
    first_line[id] = static_cast<std::int64_t>(t.lines[k]);
    first_cluster[id] = names[k];
    auto kind = clusters::ClusterKind::unknown;
    if (!kind_col.empty()) {
      const auto kv = lower(t.col(kind_col).texts[k]);
      if (kv == "traded") kind = clusters::ClusterKind::traded;
      else if (kv == "local") kind = clusters::ClusterKind::local;
      else if (!kv.empty())
        throw_input(ErrorCode::invalid_value, fmt::format("unknown cluster type '{}'", t.col(kind_col).texts[k]),
                    Location{o.clusters, t.lines[k], 0, kind_col}, "the type is traded, local or empty");
    }
    defs.add(code, names[k], kind);
  }
  if (repeats) warnings.push_back(fmt::format("{}: {} repeated industry → cluster row(s) ignored", o.clusters, repeats));
  if (no_cluster) warnings.push_back(fmt::format("{}: {} industr{} with an empty cluster are left unclustered", o.clusters, no_cluster, no_cluster == 1 ? "y" : "ies"));
  if (defs.size() == 0)
    throw_input(ErrorCode::empty_input, "the clusters file assigns no industry to a cluster", Location{o.clusters, 0, 0, clu_col},
                "give rows of industry,cluster");
  return defs;
}

clusters::IndustryLinks read_links(const ClusterMapOptions& o) {
  io::TableSpec spec;
  spec.what = "relatedness";
  for (const char* c : {"industry_a", "industry_b"}) {
    io::ColumnSpec cs;
    cs.name = c;
    cs.kind = io::ColumnKind::code;
    spec.columns.push_back(cs);
  }
  io::ColumnSpec v;
  v.name = o.relatedness_column;
  v.kind = io::ColumnKind::real;
  v.allow_empty = true;
  v.meaning = "a relatedness value";
  spec.columns.push_back(v);
  const auto t = io::read_table(o.relatedness, spec);
  clusters::IndustryLinks links;
  const auto& a = t.col("industry_a");
  const auto& b = t.col("industry_b");
  links.a.reserve(t.rows);
  for (std::size_t k = 0; k < t.rows; ++k) {
    links.a.emplace_back(a.dictionary.name(a.codes[k]));
    links.b.emplace_back(b.dictionary.name(b.codes[k]));
  }
  links.value = t.col(o.relatedness_column).reals;
  return links;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}
std::string sql_ident(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

// Writes the tables and the region polygons into the GeoPackage `output`, all or nothing: the
// work happens on a hidden copy that is renamed over `output` at the end. Layers:
//   every table (attribute layers), cluster_map_outlines (the mapped regions' polygons),
//   cluster_map_region_polygons (outlines ⋈ cluster_map_regions, one feature per region) and
//   cluster_map_polygons (outlines ⋈ cluster_map rows chosen by --map-rows).
// The joins run inside GDAL: an OGR VRT layer whose SQL joins the two layers of the copy on
// outline id = region (SQLite compares a numeric id with a text code numerically) is copied in
// by io::write_polygon_layer.
std::vector<std::string> write_geopackage(const Result& res, const std::string& output, const std::string& polygons,
                                          const std::string& polygon_layer, const std::string& polygon_id,
                                          const std::string& map_rows, const std::vector<std::string>& region_codes) {
  const fs::path target = fs::absolute(output);
  const auto dir = target.parent_path();
  const auto stem = target.filename().string();
  const auto tmp = (dir / fmt::format(".{}.cluster-map-{}.gpkg", stem, ::getpid())).string();
  const auto vrt = (dir / fmt::format(".{}.cluster-map-{}.vrt", stem, ::getpid())).string();
  struct Cleanup {
    std::vector<std::string> paths;
    ~Cleanup() {
      std::error_code ec;
      for (const auto& p : paths) fs::remove(p, ec);
    }
  } cleanup{{tmp, vrt}};
  std::error_code ec;
  fs::remove(tmp, ec);
  if (fs::exists(target)) {
    fs::copy_file(target, tmp, ec);
    if (ec) throw_io(ErrorCode::cannot_write, fmt::format("cannot copy the GeoPackage: {}", ec.message()), output);
  }
  std::vector<io::NamedTable> named;
  for (const auto& [name, table] : res.tables) named.push_back({name, &table});
  io::write_vector(named, tmp, /*update=*/true);
  io::write_polygon_layer(tmp, "cluster_map_outlines", polygons, polygon_layer, polygon_id, region_codes);

  auto join = [&](const std::string& layer, const std::string& table, const std::string& where) {
    const auto sql = fmt::format("SELECT o.geom AS geom, t.* FROM \"cluster_map_outlines\" o JOIN {} t ON o.{} = t.region{}",
                                 sql_ident(table), sql_ident(polygon_id), where);
    io::AtomicFile f(vrt);
    f.write(fmt::format("<OGRVRTDataSource><OGRVRTLayer name=\"joined\"><SrcDataSource>{}</SrcDataSource>"
                        "<SrcSQL>{}</SrcSQL></OGRVRTLayer></OGRVRTDataSource>\n",
                        xml_escape(tmp), xml_escape(sql)));
    f.commit();
    io::write_polygon_layer(tmp, layer, vrt, "joined", "region", {});
  };
  join("cluster_map_region_polygons", "cluster_map_regions", "");
  if (map_rows != "none")
    join("cluster_map_polygons", "cluster_map",
         map_rows == "strong" ? " WHERE t.strong = 1" : map_rows == "significant" ? " WHERE t.significant = 1" : "");
  fs::rename(tmp, target, ec);
  if (ec) throw_io(ErrorCode::cannot_write, fmt::format("cannot rename the GeoPackage into place: {}", ec.message()), output);
  return {output};
}

// Adds `year` (and, when `base` is given, `from_year`, empty for a year without base year)
// after the column `after` of a per-year table.
void stamp_year(data::Table& t, const std::string& after, int year, std::optional<std::optional<int>> base) {
  const std::size_t n = t.rows();
  auto& cols = t.columns();
  auto it = std::find_if(cols.begin(), cols.end(), [&](const data::Column& c) { return c.name == after; });
  AGGLO_ASSERT(it != cols.end());
  ++it;
  if (base) {
    const double b = *base ? static_cast<double>(**base) : std::numeric_limits<double>::quiet_NaN();
    it = cols.insert(it, data::Column{"from_year", data::RealColumn(n, b)});
  }
  cols.insert(it, data::Column{"year", data::IntColumn(n, year)});
}

// Appends the rows of `src` to `dst` by column name. A column missing on one side is filled
// with empty values (NaN, "", and 0 for integers): the first year of a panel has no base year,
// so it lacks the comparison columns the later years have.
void append_rows(data::Table& dst, data::Table&& src) {
  if (dst.cols() == 0) {
    dst = std::move(src);
    return;
  }
  const std::size_t n_dst = dst.rows(), n_src = src.rows();
  auto pad = [](data::Column& c, std::size_t n) {
    std::visit(
        [n](auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, data::RealColumn>) v.resize(v.size() + n, std::numeric_limits<double>::quiet_NaN());
          else v.resize(v.size() + n);
        },
        c.values);
  };
  for (auto& c : src.columns()) {
    auto& cols = dst.columns();
    auto it = std::find_if(cols.begin(), cols.end(), [&](const data::Column& d) { return d.name == c.name; });
    if (it == cols.end()) {
      data::Column fresh{c.name, {}};
      std::visit([&](const auto& v) { fresh.values = std::decay_t<decltype(v)>{}; }, c.values);
      pad(fresh, n_dst);
      cols.push_back(std::move(fresh));
      it = std::prev(cols.end());
    }
    AGGLO_ASSERT(it->values.index() == c.values.index());
    std::visit(
        [&](auto& d) {
          auto& v = std::get<std::decay_t<decltype(d)>>(c.values);
          d.insert(d.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
        },
        it->values);
  }
  for (auto& d : dst.columns())
    if (d.size() < n_dst + n_src) pad(d, n_dst + n_src - d.size());
}

Result run_cluster_map(const ClusterMapOptions& o, Context& ctx) {
  Result res;
  std::vector<std::string> warnings;

  // Parameters: the preset, then every threshold given explicitly.
  auto params = clusters::preset_params(o.preset);
  if (o.denominator == "auto") params.denominator = clusters::LqDenominator::by_cluster_kind;
  else if (o.denominator == "total") params.denominator = clusters::LqDenominator::total;
  else if (o.denominator == "traded") params.denominator = clusters::LqDenominator::traded;
  else if (o.denominator == "local") params.denominator = clusters::LqDenominator::local;
  if (o.strong_rule == "cmp") params.strong_rule = clusters::StrongRule::cmp;
  else if (o.strong_rule == "stars") params.strong_rule = clusters::StrongRule::stars;
  if (o.size_quantile) params.size_quantile = *o.size_quantile;
  if (o.strong_lq) params.strong_lq = *o.strong_lq;
  if (o.strong_quantile) params.strong_quantile = *o.strong_quantile;
  if (o.top_quantile) params.top_quantile = *o.top_quantile;
  if (o.min_employment) params.min_employment = *o.min_employment;
  if (o.min_establishments) params.min_establishments = *o.min_establishments;
  if (o.min_regions) params.min_regions = static_cast<std::size_t>(*o.min_regions);
  if (o.eco_top) params.eco_top = *o.eco_top;
  if (o.eco_lq) params.eco_lq = *o.eco_lq;
  if (o.strong_stars) params.strong_stars = static_cast<int>(*o.strong_stars);

  const auto ext = fs::path(ctx.output).extension().string();
  const bool to_gpkg = ext == ".gpkg";
  std::string polygons = o.polygons;
  if (polygons.empty() && !o.regions.empty() && io::is_vector_source(o.regions)) polygons = o.regions;
  if (!polygons.empty() && !to_gpkg)
    warnings.push_back("--polygons is used only when -o is a .gpkg; ignored");
  if (to_gpkg && !polygons.empty() && !io::have_vector_support())
    throw_usage(ErrorCode::unsupported_format, "this build has no GDAL: cannot write a GeoPackage", "write .csv or .json");

  // Years: which are mapped, and which year each is compared with (panel_years.hpp).
  io::ReadOptions ro;
  ro.allow_duplicate_rows = o.duplicates == "sum";
  const auto panel = io::load_employment(o.employment, ro);
  const auto plan = plan_years(panel, o.year, o.from, o.to, o.employment);
  const bool compare = plan.any_comparison();
  auto matrix = [&](std::optional<int> y, const char* field) {
    return measure::to_matrix(panel, y, field, measure::DuplicateRule::sum, o.employment);
  };
  std::vector<std::string> region_names, industry_names;
  for (std::uint32_t r = 0; r < panel.rows.size(); ++r) region_names.emplace_back(panel.rows.name(r));
  for (std::uint32_t c = 0; c < panel.cols.size(); ++c) industry_names.emplace_back(panel.cols.name(c));

  std::string layout;
  std::map<std::string, std::string> labels;
  const auto defs = read_clusters(o, warnings, layout, labels);

  std::vector<data::IndustryKind> industry_kinds;
  if (!o.industries.empty()) {
    const auto cls = io::load_industries(o.industries);
    industry_kinds.reserve(industry_names.size());
    for (const auto& code : industry_names) {
      const auto id = cls.find(code);
      industry_kinds.push_back(id.valid() ? cls[id].kind : data::IndustryKind::unknown);
    }
  }

  // Regions: levels, and rolling finer regions up to --level. The rows are the panel's regions,
  // the same for every year, so the plan is made once and applied to every year's matrices.
  std::map<std::string, std::size_t> level_counts;
  std::vector<std::string> region_levels;
  std::vector<std::int64_t> roll_target;  // empty: no roll-up
  std::vector<std::string> roll_codes;
  if (!o.regions.empty()) {
    const auto regions = io::is_vector_source(o.regions)
                             ? io::read_regions(o.regions, o.polygon_layer, o.polygon_id, "name")
                             : io::load_regions(o.regions);
    const std::size_t R = region_names.size();
    std::vector<std::string> missing;
    std::vector<data::RegionId> ids(R);
    for (std::size_t r = 0; r < R; ++r) {
      ids[r] = regions.find(region_names[r]);
      if (!ids[r].valid()) missing.push_back(region_names[r]);
    }
    if (o.level.empty()) {
      for (std::size_t r = 0; r < R; ++r)
        region_levels.emplace_back(ids[r].valid() ? std::string(data::to_string(regions[ids[r]].level)) : std::string("unknown"));
      if (!missing.empty())
        warnings.push_back(fmt::format("{} region(s) of the employment file are not in {} and are compared as level 'unknown': {}{}",
                                       missing.size(), o.regions,
                                       list_of(std::vector<std::string>(missing.begin(), missing.begin() + std::min<std::size_t>(10, missing.size()))),
                                       missing.size() > 10 ? " …" : ""));
    } else {
      // Target of each row: itself at the level, else its nearest ancestor at the level. A
      // row whose ancestor has its own row in the file is already counted there: dropped.
      std::vector<std::int64_t> target(R, -1);
      std::vector<std::string> codes;
      std::unordered_map<std::string, std::int64_t> index;
      auto at_level = [&](data::RegionId id) { return std::string(data::to_string(regions[id].level)) == o.level; };
      for (std::size_t r = 0; r < R; ++r)
        if (ids[r].valid() && at_level(ids[r])) {
          index.emplace(region_names[r], static_cast<std::int64_t>(codes.size()));
          target[r] = static_cast<std::int64_t>(codes.size());
          codes.push_back(region_names[r]);
        }
      const std::size_t own = codes.size();
      std::size_t rolled = 0, covered = 0, dropped = 0;
      for (std::size_t r = 0; r < R; ++r) {
        if (target[r] >= 0) continue;
        auto a = ids[r].valid() ? regions[ids[r]].parent : data::RegionId{};
        while (a.valid() && !at_level(a)) a = regions[a].parent;
        if (!a.valid()) {
          ++dropped;
          continue;
        }
        const auto& code = regions[a].code;
        auto it = index.find(code);
        if (it != index.end() && static_cast<std::size_t>(it->second) < own) {
          ++covered;
          continue;
        }
        if (it == index.end()) {
          it = index.emplace(code, static_cast<std::int64_t>(codes.size())).first;
          codes.push_back(code);
        }
        target[r] = it->second;
        ++rolled;
      }
      if (codes.empty()) {
        std::map<std::string, std::size_t> present;
        for (std::size_t r = 0; r < R; ++r) ++present[ids[r].valid() ? std::string(data::to_string(regions[ids[r]].level)) : "unknown"];
        std::string found;
        for (const auto& [lv, n] : present) found += fmt::format("{}{} ({})", found.empty() ? "" : ", ", lv, n);
        throw_input(ErrorCode::invalid_value,
                    fmt::format("no region of the employment file is at level '{}' or has an ancestor there (levels found: {})", o.level, found),
                    Location{o.regions, 0, 0, "level"}, "choose another --level, or give parents in the regions file");
      }
      if (rolled) ctx.note(fmt::format("cluster-map: {} regions summed into {} regions of level '{}'", rolled, codes.size() - own, o.level));
      if (covered) warnings.push_back(fmt::format("{} finer region(s) skipped: their {} has its own row in the employment file", covered, o.level));
      if (dropped) warnings.push_back(fmt::format("{} region(s) left out: neither at level '{}' nor inside a region of that level", dropped, o.level));
      roll_target = std::move(target);
      roll_codes = std::move(codes);
      region_levels.assign(roll_codes.size(), o.level);
    }
    for (const auto& l : region_levels) ++level_counts[l];
  }
  auto roll = [&](data::DenseMatrix& x) {
    if (!roll_target.empty()) x = clusters::roll_up_rows(x, roll_target, roll_codes.size());
  };
  const std::vector<std::string>& region_codes = roll_target.empty() ? region_names : roll_codes;

  // The input of one mapped year (and its base year, if any).
  auto input_of = [&](std::optional<int> y, std::optional<int> base) {
    clusters::ClusterMapInput input;
    input.employment = matrix(y, "employment");
    roll(input.employment.values);
    input.employment.regions = region_codes;
    auto optional_matrix = [&](std::optional<int> yy, const char* field, bool present) -> std::optional<data::DenseMatrix> {
      if (!present) return std::nullopt;
      auto x = matrix(yy, field).values;
      roll(x);
      return x;
    };
    input.establishments = optional_matrix(y, "establishments", !panel.establishments.empty());
    input.wages = optional_matrix(y, "wages", !panel.wages.empty());
    if (base) {
      input.employment_from = optional_matrix(base, "employment", true);
      input.establishments_from = optional_matrix(base, "establishments", !panel.establishments.empty());
      input.wages_from = optional_matrix(base, "wages", !panel.wages.empty());
      input.growth_years = *y - *base;
    }
    input.region_levels = region_levels;
    input.industry_kinds = industry_kinds;
    return input;
  };

  // Map every planned year; the tables of several years are stacked, with year (and
  // from_year) columns. Warnings repeated in several years are given once, with the years.
  data::Table cells_t, clusters_t, regions_t, unclustered_t;
  std::vector<std::string> unknown_industries;
  double unclustered_employment = 0;
  std::size_t strong_cells = 0, emerging_cells = 0;
  std::vector<std::pair<std::string, std::vector<int>>> year_warnings;
  nlohmann::ordered_json comparisons = nlohmann::ordered_json::array();
  std::vector<std::string> last_emerging;  // "region: cluster" of the last comparison
  std::string clusters_text;
  const std::size_t runs = std::max<std::size_t>(plan.years.size(), 1);
  for (std::size_t k = 0; k < runs; ++k) {
    const std::optional<int> y = plan.has_years ? std::optional<int>(plan.years[k]) : std::nullopt;
    const auto base = plan.base[k];
    auto map = clusters::cluster_map(input_of(y, base), defs, params, o.all_cells);
    for (auto& w : map.warnings) {
      auto it = std::find_if(year_warnings.begin(), year_warnings.end(), [&](const auto& p) { return p.first == w; });
      if (it == year_warnings.end()) year_warnings.push_back({std::move(w), {y ? *y : 0}});
      else it->second.push_back(y ? *y : 0);
    }
    if (plan.has_years) {
      stamp_year(map.cells, "strong", *y, compare ? std::optional<std::optional<int>>(base) : std::nullopt);
      stamp_year(map.clusters, "cluster", *y, compare ? std::optional<std::optional<int>>(base) : std::nullopt);
      stamp_year(map.regions, "region", *y, compare ? std::optional<std::optional<int>>(base) : std::nullopt);
    }
    if (base) {
      last_emerging.clear();
      const auto& rg = std::get<data::TextColumn>(map.cells.at("region").values);
      const auto& cl = std::get<data::TextColumn>(map.cells.at("cluster").values);
      const auto& em = std::get<data::IntColumn>(map.cells.at("emerging").values);
      for (std::size_t j = 0; j < em.size(); ++j)
        if (em[j]) last_emerging.push_back(fmt::format("{} {}", rg[j], cl[j]));
      comparisons.push_back({{"from", *base}, {"to", *y}, {"national_growth", map.national_growth}, {"emerging", map.emerging_cells}});
    }
    strong_cells = map.strong_cells;  // of the last year mapped
    emerging_cells = map.emerging_cells;
    append_rows(cells_t, std::move(map.cells));
    append_rows(clusters_t, std::move(map.clusters));
    append_rows(regions_t, std::move(map.regions));
    if (k + 1 == runs) {
      unclustered_t = std::move(map.unclustered);
      unknown_industries = std::move(map.unknown_industries);
      unclustered_employment = map.unclustered_employment;
    }
  }
  for (auto& [w, ys] : year_warnings) {
    if (!plan.has_years || plan.years.size() == 1 || ys.size() == plan.years.size()) warnings.push_back(std::move(w));
    else warnings.push_back(fmt::format("{}: {}", measure::format_years(ys), w));
  }
  data::Table related;
  double related_threshold = std::numeric_limits<double>::quiet_NaN();
  if (!o.relatedness.empty()) {
    const auto links = read_links(o);
    related = clusters::related_clusters(defs, links, o.related_quantile, o.related_min_share, &related_threshold);
    if (!std::isfinite(related_threshold)) warnings.push_back(fmt::format("{} holds no link between distinct industries: no related clusters", o.relatedness));
  }

  std::size_t traded = 0, local = 0;
  {
    const auto& kinds = std::get<data::TextColumn>(clusters_t.at("kind").values);
    const auto& lv = std::get<data::TextColumn>(clusters_t.at("level").values);
    for (std::size_t k = 0; k < defs.size() && k < kinds.size(); ++k)
      if (lv[k] == lv.front()) {
        traded += kinds[k] == "traded";
        local += kinds[k] == "local";
      }
  }
  const std::size_t regions_n = region_codes.size();
  const std::size_t unclustered_n = unclustered_t.rows();
  const std::size_t cells = cells_t.rows();

  nlohmann::ordered_json summary{
      {"regions", regions_n},
      {"industries", industry_names.size()},
      {"clusters", defs.size()},
      {"traded_clusters", traded},
      {"local_clusters", local},
      {"clusters_file_columns", layout},
      {"preset", o.preset},
      {"denominator", o.denominator.empty() ? (params.denominator == clusters::LqDenominator::total ? "total" : "auto") : o.denominator},
      {"strong_rule", params.strong_rule == clusters::StrongRule::cmp ? "cmp" : "stars"},
      {"thresholds",
       {{"size_quantile", params.size_quantile},
        {"strong_lq", params.strong_lq},
        {"strong_quantile", params.strong_quantile},
        {"top_quantile", params.top_quantile},
        {"min_employment", params.min_employment},
        {"min_establishments", params.min_establishments},
        {"min_regions", params.min_regions},
        {"eco_top", params.eco_top},
        {"eco_lq", params.eco_lq},
        {"strong_stars", params.strong_stars},
        {"emerging_z", params.emerging_z},
        {"emerging_min_employment", params.emerging_min_employment}}},
      {"rows", cells},
      {"strong", strong_cells},
      {"unclustered_industries", unclustered_n},
      {"unclustered_employment", unclustered_employment},
      {"unknown_industries", unknown_industries.size()},
  };
  if (!level_counts.empty()) summary["levels"] = level_counts;
  if (plan.has_years) {
    if (plan.years.size() == 1) summary["year"] = plan.years.front();
    summary["years"] = plan.years;
    summary["panel_years"] = plan.panel;
    summary["changes"] = plan.describe();
    if (plan.pair) summary["growth"] = {{"from", *plan.base.front()}, {"to", plan.years.front()}};
    if (compare) {
      summary["comparisons"] = comparisons;
      summary["emerging"] = emerging_cells;
    }
  }
  if (!o.relatedness.empty())
    summary["related"] = {{"quantile", o.related_quantile},
                          {"threshold", std::isfinite(related_threshold) ? nlohmann::ordered_json(related_threshold) : nlohmann::ordered_json(nullptr)},
                          {"pairs", related.rows()}};
  summary["warnings"] = warnings;
  res.summary_json = summary.dump(1);

  // The clusters file's labels, next to the cluster column of the map and the summary.
  if (!labels.empty())
    for (auto* t : {&cells_t, &clusters_t}) {
      const auto* c = t->find("cluster");
      if (!c || !c->is_text()) continue;
      const auto ids = std::get<data::TextColumn>(c->values);
      auto& col = t->add_text("label");
      for (const auto& id : ids) {
        const auto it = labels.find(id);
        col.push_back(it == labels.end() ? std::string() : it->second);
      }
    }
  res.tables.emplace_back("cluster_map", std::move(cells_t));
  res.tables.emplace_back("cluster_summary", std::move(clusters_t));
  res.tables.emplace_back("cluster_map_regions", std::move(regions_t));
  if (unclustered_n) res.tables.emplace_back("unclustered_industries", std::move(unclustered_t));
  if (!o.relatedness.empty()) res.tables.emplace_back("related_clusters", std::move(related));
  res.warnings = std::move(warnings);

  const std::string rule = params.strong_rule == clusters::StrongRule::cmp ? "US Cluster Mapping" : "ECO stars";
  const std::string last_year = plan.has_years ? fmt::format(" in {}", plan.years.back()) : std::string();
  if (!ctx.output.empty())
    res.text = fmt::format("{} regions × {} clusters ({} traded, {} local): {} rows, {} strong region-clusters{} ({} rule){}\n", regions_n,
                           defs.size(), traded, local, cells, strong_cells, last_year, rule,
                           unclustered_n ? fmt::format("; {} industries unclustered", unclustered_n) : std::string());
  res.headline = fmt::format("{} strong region-clusters{} ({} rule) among {} regions × {} clusters", strong_cells, last_year, rule,
                             regions_n, defs.size());
  if (compare) {
    std::string names;
    for (std::size_t k = 0; k < last_emerging.size() && k < 5; ++k) names += (k ? ", " : "") + last_emerging[k];
    if (last_emerging.size() > 5) names += fmt::format(" and {} more", last_emerging.size() - 5);
    res.headline += fmt::format("; {} emerging ({} against {}){}", emerging_cells, plan.years.back(), *plan.base.back(),
                                names.empty() ? std::string() : ": " + names);
  }
  if (to_gpkg && !polygons.empty()) {
    res.files = write_geopackage(res, ctx.output, polygons, o.polygon_layer, o.polygon_id, o.map_rows, region_codes);
    res.output_written = true;
  }
  return res;
}

}  // namespace

void register_cluster_map(Registry& r) {
  r.add(make_operation<ClusterMapOptions>(
      "cluster-map", "cluster strength by region: LQ, shares, ranks, US Cluster Mapping flags, ECO stars",
      "Sums region × industry employment into clusters (industry,cluster definitions such as the US benchmark "
      "clusters of Delgado, Porter & Stern 2016, or define-clusters output) and rates every region × cluster: "
      "employment, location quotient (traded clusters on traded employment, local on local, by default), "
      "share of the cluster's national employment, rank and percentile among regions of the same level; the "
      "US Cluster Mapping Project rules (qualifying: employment and establishments above the bottom quartile; "
      "significant: also LQ ≥ 1; strong: also LQ in the top quartile; top_strong: top decile) and the European "
      "Cluster Observatory stars (size and focus in the top 10 %, specialisation LQ ≥ 2, productivity with "
      "wages). Every threshold is an option; --preset us-cmp|eco sets them. With --relatedness, related "
      "clusters (share of industries with a top-decile link into the other cluster). On a panel (a year "
      "column) every year is mapped and compared with the previous one, or --to with --from: compound annual "
      "growth, LQ change, the shift-share of each region-cluster's employment change (national growth, cluster "
      "mix and competitive effects after Dunn 1960, the competitive effect split after Esteban-Marquillas 1972), "
      "and emerging region-clusters (LQ and jobs rising, growth beyond the nation's by at least --emerging-z "
      "Poisson standard errors, at least --emerging-min-employment jobs, not strong in the base year). A "
      "one-region economy gives LQ 1 and no flags (a warning). A clusters file with a label column "
      "(define-clusters output) carries the labels into the map (the second example: tiny/ from `agglo synth "
      "--preset tiny --seed 7 -o tiny/`, clusters.csv from the first define-clusters example). See "
      "docs/methods/cluster-map.md.",
      {"agglo cluster-map --employment data/sample/panel_tiny.csv --year 2019 --clusters data/taxonomy/us_benchmark_clusters_naics2007.csv -o map.csv",
       "agglo cluster-map --employment tiny/employment.csv --clusters clusters.csv -o map_found.csv",
       "agglo cluster-map --employment data/sample/panel_tiny.csv --year 2019 --clusters data/sample/panel_tiny_industries.csv "
       "--regions data/sample/panel_tiny_regions.csv --level economic_area -o ea.csv",
       "agglo cluster-map --employment data/sample/panel_tiny.csv --year 2019 --clusters data/sample/panel_tiny_industries.csv --preset eco -o eco.csv",
       "agglo cluster-map --employment data/sample/panel_tiny.csv --clusters data/sample/panel_tiny_industries.csv --from 2019 --to 2024 -o change.csv",
       "agglo cluster-map --employment data/sample/panel_tiny.csv --clusters data/sample/panel_tiny_industries.csv --from 2019 --to 2024 "
       "--polygons data/geo/us_counties_economic_areas_msas.topojson --polygon-layer counties --polygon-id fips -o workspace.gpkg"},
      "the cluster map (region,cluster,employment,lq,strong,…; on a panel year, and when years are compared from_year "
      "and employment_from,cagr,lq_from,lq_change,strong_from,employment_change,national_effect,mix_effect,"
      "competitive_effect,homothetic_effect,allocation_effect,growth_z,emerging); beside it cluster_summary (cut-offs per cluster), "
      "cluster_map_regions (per region), unclustered_industries, related_clusters; a .gpkg with --polygons also gets "
      "cluster_map_outlines, cluster_map_region_polygons and cluster_map_polygons (polygons joined to the tables)",
      &run_cluster_map));
}

}  // namespace agglo::api
