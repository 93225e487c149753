// `agglo validate`: checks input files of the command-line contract without analysing them.
// Reports every problem found (up to --max-errors per file) with file, line and column, or a
// summary of what the files hold. Problems found are an expected outcome (exit 3), not a crash.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/source_header.hpp"
#include "agglo/io/vector_reader.hpp"
#include "agglo/network/graph.hpp"
#include "agglo/network/network_inputs.hpp"

namespace agglo::api {

namespace {

struct ValidateOptions {
  std::string employment, establishments, exports, nodes, edges, responses, regions, industries;
  std::string crs;
  std::string layer;
  std::string id_field = "code";
  std::string name_field = "name";
  bool directed = false;
  std::int64_t max_errors = 100;

  static void describe(core::OptionSchema<ValidateOptions>& s) {
    s.add("employment", &ValidateOptions::employment, "region × industry employment CSV (region,industry,employment)").path();
    s.add("establishments", &ValidateOptions::establishments, "establishments: CSV (id,industry,lon,lat or x,y) or a GDAL point layer").path();
    s.add("exports", &ValidateOptions::exports, "location × product exports CSV (location,product,value)").path();
    s.add("nodes", &ValidateOptions::nodes, "network nodes CSV (id,…); needs --edges").path();
    s.add("edges", &ValidateOptions::edges, "network edges CSV (source,target,…); needs --nodes").path();
    s.add("responses", &ValidateOptions::responses, "survey responses CSV (id and the six diamond items)").path();
    s.add("regions", &ValidateOptions::regions, "regions CSV (code[,name,level,parent,lon,lat,area_km2,population])").path();
    s.add("industries", &ValidateOptions::industries, "industry classification CSV (code[,title,kind,parent,cluster])").path();
    s.add("crs", &ValidateOptions::crs, "CRS of x,y coordinates, e.g. EPSG:5070");
    s.add("layer", &ValidateOptions::layer, "layer name for GDAL sources (default: the first)");
    s.add("id-field", &ValidateOptions::id_field, "region id field of a GDAL regions layer");
    s.add("name-field", &ValidateOptions::name_field, "region name field of a GDAL regions layer");
    s.add("directed", &ValidateOptions::directed, "treat edges as directed");
    s.add("max-errors", &ValidateOptions::max_errors, "stop collecting after this many errors per file").min(1);
  }
  void validate() const {
    if (employment.empty() && establishments.empty() && exports.empty() && nodes.empty() &&
        edges.empty() && responses.empty() && regions.empty() && industries.empty())
      throw_usage(ErrorCode::missing_option, "nothing to validate",
                  "give at least one of --employment, --establishments, --exports, --nodes/--edges, --responses");
    if (nodes.empty() != edges.empty())
      throw_usage(ErrorCode::missing_option, "--nodes and --edges go together");
  }
};

Result run_validate(const ValidateOptions& o, Context& ctx) {
  io::ReadOptions ro;
  ro.collect = true;
  ro.max_errors = static_cast<std::size_t>(o.max_errors);
  std::vector<io::InputReport> reports;
  auto guard = [&](auto&& fn) {
    io::InputReport r;
    try {
      fn(r);
    } catch (const Error& e) {
      // I/O failures (missing file) are not "problems in the data": they stop validation
      // with their own exit code.
      if (e.kind() != ErrorKind::input) throw;
      r.errors.push_back(e);
    }
    reports.push_back(std::move(r));
  };
  if (!o.employment.empty()) guard([&](io::InputReport& r) { io::load_employment(o.employment, ro, &r); });
  if (!o.establishments.empty())
    guard([&](io::InputReport& r) {
      r.kind = "establishments";
      r.path = o.establishments;
      if (io::is_vector_source(o.establishments)) io::read_establishment_points(o.establishments, o.layer, &r);
      else io::load_establishments(o.establishments, o.crs, ro, &r);
    });
  if (!o.exports.empty()) guard([&](io::InputReport& r) { io::load_exports(o.exports, ro, &r); });
  if (!o.nodes.empty())
    guard([&](io::InputReport& r) {
      const auto net = io::load_network(o.nodes, o.edges, o.directed, ro, &r);
      // The checks `agglo network` makes when it builds the graph with its defaults: a tie
      // given twice (a-b twice, or b-a in an undirected network) is an error there, so here.
      if (!r.errors.empty()) return;
      network::GraphOptions go;
      go.edges_file = o.edges;
      std::optional<std::vector<std::uint64_t>> lines;
      go.line_of = [&](std::size_t k) -> std::uint64_t {
        if (!lines) lines = network::edge_lines(o.edges);
        return k < lines->size() ? (*lines)[k] : 0;
      };
      (void)network::Graph::from_actor_network(net, go);
    });
  if (!o.regions.empty())
    guard([&](io::InputReport& r) {
      if (!io::is_vector_source(o.regions)) {
        io::load_regions(o.regions, ro, &r);
        return;
      }
      r.kind = "regions";
      r.path = o.regions;
      const auto regions = io::read_regions(o.regions, o.layer, o.id_field, o.name_field);
      r.rows = regions.size();
      double area = 0;
      for (const auto& g : regions.items()) area += g.area_km2;
      r.counts = {{"regions", regions.size()}, {"km2", static_cast<std::size_t>(area)}};
    });
  if (!o.industries.empty()) guard([&](io::InputReport& r) { io::load_industries(o.industries, ro, &r); });
  if (!o.responses.empty()) guard([&](io::InputReport& r) { io::load_survey(o.responses, ro, &r); });

  Result res;
  data::Table problems;
  auto& pf = problems.add_text("file");
  auto& pl = problems.add_integer("line");
  auto& pc = problems.add_integer("column");
  auto& pn = problems.add_text("column_name");
  auto& pk = problems.add_text("code");
  auto& pm = problems.add_text("message");
  nlohmann::ordered_json summary = nlohmann::ordered_json::array();
  std::size_t total_errors = 0;
  for (const auto& r : reports) {
    nlohmann::ordered_json j;
    j["kind"] = r.kind;
    j["path"] = r.path;
    j["rows"] = r.rows;
    for (const auto& [k, v] : r.counts) j["counts"][k] = v;
    j["warnings"] = r.warnings;
    j["errors"] = r.errors.size();
    summary.push_back(j);
    total_errors += r.errors.size();
    if (r.errors.empty()) {
      std::string counts;
      for (const auto& [k, v] : r.counts) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", v, k);
      res.text += fmt::format("ok  {} ({}): {} rows; {}\n", io::source_display_name(r.path), r.kind, r.rows, counts);
    } else {
      res.text += fmt::format("ERR {} ({}): {} problem{}{}\n", io::source_display_name(r.path), r.kind, r.errors.size(),
                              r.errors.size() > 1 ? "s" : "", r.truncated ? " (more not shown)" : "");
      for (const auto& e : r.errors) {
        res.text += fmt::format("  {}\n", e.what());
        pf.push_back(e.where().file.empty() ? r.path : e.where().file);
        pl.push_back(static_cast<std::int64_t>(e.where().line));
        pc.push_back(e.where().column);
        pn.push_back(e.where().column_name);
        pk.push_back(std::string(error_code_name(e.code())));
        pm.push_back(e.message());
      }
    }
    for (const auto& w : r.warnings) res.text += fmt::format("  warning: {}\n", w);
  }
  res.summary_json = nlohmann::ordered_json{{"inputs", summary}, {"errors", total_errors}}.dump(1);
  res.tables.emplace_back("problems", std::move(problems));
  res.exit_code = total_errors ? exit_code(ErrorKind::input) : 0;
  (void)ctx;
  return res;
}

}  // namespace

void register_validate(Registry& r) {
  r.add(make_operation<ValidateOptions>(
      "validate", "check input files without analysing them",
      "Reads each given input with every check an analysis would make (column names and types, "
      "ragged rows, quotes, UTF-8, duplicates, negative or non-finite values, coordinate ranges, "
      "CRS, references between nodes and edges, ties given twice, region geometries that are "
      "missing, empty or invalid) and reports every problem with its file, line and column. "
      "Exit 0 when all inputs are valid, 3 when problems were found, 4 when a file cannot be "
      "read (including a damaged GeoPackage).",
      {"agglo validate --employment data/employment.csv",
       "agglo validate --establishments firms.csv --crs EPSG:5070",
       "agglo validate --nodes nodes.csv --edges edges.csv -o problems.csv",
       "agglo validate --regions counties.gpkg --layer counties --id-field fips"},
      "the table of problems (file,line,column,column_name,code,message)", &run_validate));
}

}  // namespace agglo::api
