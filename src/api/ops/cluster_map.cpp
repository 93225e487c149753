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
#include <unordered_map>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/clusters/cluster_map.hpp"
#include "agglo/io/atomic_file.hpp"
#include "agglo/io/csv_reader.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/table_reader.hpp"
#include "agglo/io/table_writer.hpp"
#include "agglo/io/vector_reader.hpp"
#include "agglo/measure/region_industry_matrix.hpp"

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
    s.add("year", &O::year, "the year to map when the employment file is a panel (default: --to, else the only year)");
    s.add("from", &O::from, "growth: base year (with --to): adds employment_from and cagr");
    s.add("to", &O::to, "growth: final year (with --from); also the year mapped unless --year is given");
    s.add("duplicates", &O::duplicates, "repeated region × industry rows: reject them or sum them").choices({"reject", "sum"});
    s.add("industry-column", &O::industry_column, "industry column of --clusters (default: industry, naics2007, naics or code, the first present)");
    s.add("cluster-column", &O::cluster_column, "cluster column of --clusters (default: cluster, else cluster_id)");
    s.add("kind-column", &O::kind_column, "traded/local column of --clusters (default: kind or type when present)");
    s.add("all-cells", &O::all_cells, "write every region × cluster cell, including zero employment (default: employment > 0)");
    s.add("map-rows", &O::map_rows, "GeoPackage output with polygons: which rows of the main table get a polygon layer (cluster_map_polygons)")
        .choices({"strong", "significant", "all", "none"});
  }
  void validate() const {
    if (from.has_value() != to.has_value())
      throw_usage(ErrorCode::missing_option, "--from and --to go together", "give both years for growth rates");
    if (from && *to <= *from)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--to {} must be after --from {}", *to, *from));
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
  std::vector<std::string> header;
  {
    io::CsvSource src(o.clusters);
    header = src.header();
  }
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

  // Employment (one year), establishments, wages, and the base year for growth.
  io::ReadOptions ro;
  ro.allow_duplicate_rows = o.duplicates == "sum";
  const auto panel = io::load_employment(o.employment, ro);
  std::optional<int> year;
  if (o.year) year = static_cast<int>(*o.year);
  else if (o.to) year = static_cast<int>(*o.to);
  if ((year || o.from) && !panel.has_years())
    throw_usage(ErrorCode::invalid_option_value, "--year, --from and --to need a year column in the employment file",
                "add a year column, or leave these options out");
  if (panel.has_years()) {
    const std::set<int> years(panel.year.begin(), panel.year.end());
    for (auto y : {year, o.from ? std::optional<int>(static_cast<int>(*o.from)) : std::nullopt})
      if (y && !years.count(*y))
        throw_input(ErrorCode::invalid_value,
                    fmt::format("year {} is not in the employment file (it has {}…{})", *y, *years.begin(), *years.rbegin()),
                    Location{o.employment, 0, 0, "year"}, "choose a year of the file");
  }
  clusters::ClusterMapInput input;
  input.employment = measure::to_matrix(panel, year, "employment", measure::DuplicateRule::sum);
  if (!panel.establishments.empty()) input.establishments = measure::to_matrix(panel, year, "establishments").values;
  if (!panel.wages.empty()) input.wages = measure::to_matrix(panel, year, "wages").values;
  if (o.from) {
    input.employment_from = measure::to_matrix(panel, static_cast<int>(*o.from), "employment").values;
    input.growth_years = static_cast<int>(*o.to - *o.from);
  }

  std::string layout;
  std::map<std::string, std::string> labels;
  const auto defs = read_clusters(o, warnings, layout, labels);

  if (!o.industries.empty()) {
    const auto cls = io::load_industries(o.industries);
    input.industry_kinds.reserve(input.employment.industries.size());
    for (const auto& code : input.employment.industries) {
      const auto id = cls.find(code);
      input.industry_kinds.push_back(id.valid() ? cls[id].kind : data::IndustryKind::unknown);
    }
  }

  // Regions: levels, and rolling finer regions up to --level.
  std::map<std::string, std::size_t> level_counts;
  if (!o.regions.empty()) {
    const auto regions = io::is_vector_source(o.regions)
                             ? io::read_regions(o.regions, o.polygon_layer, o.polygon_id, "name")
                             : io::load_regions(o.regions);
    auto& m = input.employment;
    const std::size_t R = m.regions.size();
    std::vector<std::string> missing;
    std::vector<data::RegionId> ids(R);
    for (std::size_t r = 0; r < R; ++r) {
      ids[r] = regions.find(m.regions[r]);
      if (!ids[r].valid()) missing.push_back(m.regions[r]);
    }
    if (o.level.empty()) {
      for (std::size_t r = 0; r < R; ++r)
        input.region_levels.emplace_back(ids[r].valid() ? std::string(data::to_string(regions[ids[r]].level)) : std::string("unknown"));
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
          index.emplace(m.regions[r], static_cast<std::int64_t>(codes.size()));
          target[r] = static_cast<std::int64_t>(codes.size());
          codes.push_back(m.regions[r]);
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
      m.values = clusters::roll_up_rows(m.values, target, codes.size());
      if (input.establishments) input.establishments = clusters::roll_up_rows(*input.establishments, target, codes.size());
      if (input.wages) input.wages = clusters::roll_up_rows(*input.wages, target, codes.size());
      if (input.employment_from) input.employment_from = clusters::roll_up_rows(*input.employment_from, target, codes.size());
      m.regions = codes;
      input.region_levels.assign(codes.size(), o.level);
    }
    for (const auto& l : input.region_levels) ++level_counts[l];
  }

  auto map = clusters::cluster_map(input, defs, params, o.all_cells);
  for (auto& w : map.warnings) warnings.push_back(std::move(w));

  data::Table related;
  double related_threshold = std::numeric_limits<double>::quiet_NaN();
  if (!o.relatedness.empty()) {
    const auto links = read_links(o);
    related = clusters::related_clusters(defs, links, o.related_quantile, o.related_min_share, &related_threshold);
    if (!std::isfinite(related_threshold)) warnings.push_back(fmt::format("{} holds no link between distinct industries: no related clusters", o.relatedness));
  }

  std::size_t traded = 0, local = 0;
  {
    const auto& kinds = std::get<data::TextColumn>(map.clusters.at("kind").values);
    const auto& lv = std::get<data::TextColumn>(map.clusters.at("level").values);
    for (std::size_t k = 0; k < kinds.size(); ++k)
      if (lv[k] == lv.front()) {
        traded += kinds[k] == "traded";
        local += kinds[k] == "local";
      }
  }
  const std::size_t regions_n = input.employment.regions.size();
  const std::size_t unclustered_n = map.unclustered.rows();
  const std::size_t cells = map.cells.rows();
  std::vector<std::string> region_codes = input.employment.regions;

  nlohmann::ordered_json summary{
      {"regions", regions_n},
      {"industries", input.employment.industries.size()},
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
        {"strong_stars", params.strong_stars}}},
      {"rows", cells},
      {"strong", map.strong_cells},
      {"unclustered_industries", unclustered_n},
      {"unclustered_employment", map.unclustered_employment},
      {"unknown_industries", map.unknown_industries.size()},
  };
  if (!level_counts.empty()) summary["levels"] = level_counts;
  if (year) summary["year"] = *year;
  if (o.from) summary["growth"] = {{"from", *o.from}, {"to", *o.to}};
  if (!o.relatedness.empty())
    summary["related"] = {{"quantile", o.related_quantile},
                          {"threshold", std::isfinite(related_threshold) ? nlohmann::ordered_json(related_threshold) : nlohmann::ordered_json(nullptr)},
                          {"pairs", related.rows()}};
  summary["warnings"] = warnings;
  res.summary_json = summary.dump(1);

  // The clusters file's labels, next to the cluster column of the map and the summary.
  if (!labels.empty())
    for (auto* t : {&map.cells, &map.clusters}) {
      const auto* c = t->find("cluster");
      if (!c || !c->is_text()) continue;
      const auto ids = std::get<data::TextColumn>(c->values);
      auto& col = t->add_text("label");
      for (const auto& id : ids) {
        const auto it = labels.find(id);
        col.push_back(it == labels.end() ? std::string() : it->second);
      }
    }
  res.tables.emplace_back("cluster_map", std::move(map.cells));
  res.tables.emplace_back("cluster_summary", std::move(map.clusters));
  res.tables.emplace_back("cluster_map_regions", std::move(map.regions));
  if (unclustered_n) res.tables.emplace_back("unclustered_industries", std::move(map.unclustered));
  if (!o.relatedness.empty()) res.tables.emplace_back("related_clusters", std::move(related));
  res.warnings = std::move(warnings);

  if (!ctx.output.empty())
    res.text = fmt::format("{} regions × {} clusters ({} traded, {} local): {} rows, {} strong region-clusters ({} rule){}\n", regions_n,
                           defs.size(), traded, local, cells, map.strong_cells,
                           params.strong_rule == clusters::StrongRule::cmp ? "US Cluster Mapping" : "ECO stars",
                           unclustered_n ? fmt::format("; {} industries unclustered", unclustered_n) : std::string());
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
      "clusters (share of industries with a top-decile link into the other cluster); with --from/--to, "
      "compound annual growth. A one-region economy gives LQ 1 and no flags (a warning). A clusters file with a "
      "label column (define-clusters output) carries the labels into the map. The examples run on the synthetic "
      "economy of `agglo synth --preset tiny --seed 7 -o tiny/` (clusters.csv and relatedness.csv from the "
      "define-clusters and relatedness examples); see docs/methods/cluster-map.md.",
      {"agglo cluster-map --employment tiny/employment.csv --clusters data/taxonomy/us_benchmark_clusters_naics2007.csv -o map.csv",
       "agglo cluster-map --employment tiny/employment.csv --clusters clusters.csv -o map_found.csv",
       "agglo cluster-map --employment tiny/employment.csv --clusters tiny/industries.csv --regions tiny/regions.csv --level economic_area -o ea.csv",
       "agglo cluster-map --employment tiny/employment.csv --clusters tiny/industries.csv --preset eco -o eco.csv",
       "agglo cluster-map --employment tiny/employment.csv --clusters clusters.csv --relatedness relatedness.csv "
       "--polygons data/geo/us_counties_economic_areas_msas.topojson --polygon-layer counties --polygon-id fips -o workspace.gpkg"},
      "the cluster map (region,cluster,employment,lq,strong,…); beside it cluster_summary (cut-offs per cluster), "
      "cluster_map_regions (per region), unclustered_industries, related_clusters; a .gpkg with --polygons also gets "
      "cluster_map_outlines, cluster_map_region_polygons and cluster_map_polygons (polygons joined to the tables)",
      &run_cluster_map));
}

}  // namespace agglo::api
