// `agglo demo`: the whole pipeline on bundled data — a synthetic economy on real US geography
// and the real cluster taxonomy, checked input by input, gathered into one GeoPackage
// workspace (opens in QGIS) and summarised in a self-contained HTML report. Later analyses
// add their layers and report sections here as they land.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>

#include "../builtin.hpp"
#include "demo_proximity.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/io/atomic_file.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/table_writer.hpp"
#include "agglo/report/html_report.hpp"
#include "demo_structure.hpp"
#include "dynamics_ops.hpp"
#include "agglo/synth/synthetic_economy.hpp"

namespace agglo::api {

namespace {

// Steps that later analyses add to the demo: (operation, parameters given the inputs folder).
// An operation that is not registered in this build is skipped.
std::vector<std::pair<std::string, std::function<core::ParamMap(const std::string&)>>> demo_steps() {
  return {
      {"define-clusters", [](const std::string& in) { return core::ParamMap{{"employment", in + "/employment.csv"}}; }},
      {"cluster-map",
       [](const std::string& in) {
         return core::ParamMap{{"employment", in + "/employment.csv"}, {"clusters", in + "/industries.csv"},
                               {"industries", in + "/industries.csv"}};
       }},
  };
}

struct DemoOptions {
  std::string preset = "tiny";
  std::string data_dir;
  static void describe(core::OptionSchema<DemoOptions>& s) {
    s.add("preset", &DemoOptions::preset, "synthetic economy to run on").choices(synth::preset_names());
    s.add("data-dir", &DemoOptions::data_dir, "folder of the bundled reference data").path();
  }
  void validate() const {}
};

const data::Table& table_named(const synth::SyntheticEconomy& e, const std::string& name) {
  for (const auto& [n, t] : e.tables)
    if (n == name) return t;
  AGGLO_ASSERT(false && "table missing from the synthetic economy");
  return e.tables.front().second;
}

// The two industries the demo profiles with Kd and M: the planted-localised industry with the
// smallest planted distance scale (most establishments among those), and the local industry
// (located with the population, not planted anywhere) that has the most establishments.
struct DemoIndustries {
  std::string localised, dispersed;
};
DemoIndustries demo_industries(const data::Table& truth, const data::Table& establishments) {
  std::map<std::string, std::size_t> count;
  for (const auto& c : std::get<data::TextColumn>(establishments.at("industry").values)) ++count[c];
  const auto& code = std::get<data::TextColumn>(truth.at("industry").values);
  const auto& kind = std::get<data::TextColumn>(truth.at("kind").values);
  const auto& loc = std::get<data::IntColumn>(truth.at("localised").values);
  const auto& scale = std::get<data::RealColumn>(truth.at("scale_km").values);
  DemoIndustries d;
  double best_scale = INFINITY;
  std::size_t best_loc = 0, best_dis = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const std::size_t n = count[code[i]];
    if (n < 20) continue;
    if (loc[i] == 1 && (scale[i] < best_scale || (scale[i] == best_scale && n > best_loc)))
      d.localised = code[i], best_scale = scale[i], best_loc = n;
    if (loc[i] == 0 && kind[i] == "local" && n > best_dis) d.dispersed = code[i], best_dis = n;
  }
  return d;
}

// The planted clusters of the ground truth (name → hub county codes).
std::vector<std::pair<std::string, std::vector<std::string>>> truth_clusters(const std::string& ground_truth_json) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  const auto js = nlohmann::json::parse(ground_truth_json, nullptr, false);
  if (!js.is_object() || !js.contains("regional")) return out;
  for (const auto& c : js["regional"].value("clusters", nlohmann::json::array()))
    out.emplace_back(c.value("cluster", ""), c.value("hubs", std::vector<std::string>{}));
  return out;
}
// The planted cluster with the most hubs (the first of equals): the demo's hot-spot example.
std::string hotspot_cluster(const std::vector<std::pair<std::string, std::vector<std::string>>>& clusters) {
  std::string best;
  std::size_t hubs = 0;
  for (const auto& [name, h] : clusters)
    if (h.size() > hubs) best = name, hubs = h.size();
  return best;
}

const data::Table* find_result_table(const std::vector<std::pair<std::string, Result>>& analyses,
                                     const std::string& op, const std::string& name) {
  for (const auto& [n, r] : analyses)
    if (n == op)
      for (const auto& [tn, t] : r.tables)
        if (tn == name) return &t;
  return nullptr;
}

// fips,lq of one cluster for every county (0 where the cluster has no employment), the values
// table of `agglo hotspots`.
data::Table lq_by_county(const data::Table& cluster_map, const std::string& cluster,
                         const std::vector<std::string>& counties) {
  std::map<std::string, double> lq;
  const auto& region = std::get<data::TextColumn>(cluster_map.at("region").values);
  const auto& name = std::get<data::TextColumn>(cluster_map.at("cluster").values);
  const auto& v = std::get<data::RealColumn>(cluster_map.at("lq").values);
  for (std::size_t i = 0; i < region.size(); ++i)
    if (name[i] == cluster) lq[region[i]] = v[i];
  data::Table t;
  auto& id = t.add_text("fips");
  auto& out = t.add_real("lq");
  for (const auto& c : counties) {
    id.push_back(c);
    const auto it = lq.find(c);
    out.push_back(it == lq.end() ? 0.0 : it->second);
  }
  return t;
}

Result run_demo(const DemoOptions& o, Context& ctx) {
  namespace fs = std::filesystem;
  const std::string final_out = ctx.output.empty() ? "agglo-demo" : ctx.output;
  // Everything is built in a directory beside the output and switched in at the end in one
  // step (io::AtomicDirectory: renameat2 RENAME_EXCHANGE): a killed run leaves the previous
  // demo as it was (files of other origin in it are kept), never a mix of old and new.
  io::AtomicDirectory stage(final_out, /*merge=*/true);
  const std::string out = stage.temp_dir();
  const std::string data_dir = o.data_dir.empty() ? synth::default_data_dir() : o.data_dir;

  // 1. Data: the synthetic economy and its planted truth.
  ctx.note(fmt::format("[1/5] synthetic economy '{}' (seed {})", o.preset, ctx.seed));
  const auto economy = synth::generate(synth::preset(o.preset), ctx.seed, data_dir);
  const std::string inputs = out + "/inputs";
  {
    io::AtomicDirectory dir(inputs, /*merge=*/false);
    for (const auto& [name, table] : economy.tables) io::write_csv(table, dir.path(name + ".csv"));
    io::AtomicFile f(dir.path("ground_truth.json"));
    f.write(economy.ground_truth_json);
    f.commit();
    dir.commit();
  }

  // 2. Every input goes through the same loaders and checks as a user's files would.
  ctx.note("[2/5] validating inputs");
  std::vector<io::InputReport> reports(7);
  io::load_regions(inputs + "/regions.csv", {}, &reports[5]);
  io::load_industries(inputs + "/industries.csv", {}, &reports[6]);
  io::load_employment(inputs + "/employment.csv", {}, &reports[0]);
  io::load_establishments(inputs + "/establishments.csv", "", {}, &reports[1]);
  io::load_exports(inputs + "/exports.csv", {}, &reports[2]);
  io::load_network(inputs + "/nodes.csv", inputs + "/edges.csv", false, {}, &reports[3]);
  io::load_survey(inputs + "/responses.csv", {}, &reports[4]);

  // 3. Analyses, each run through the registry exactly as its command would run.
  ctx.note("[3/5] analyses");
  std::vector<std::pair<std::string, Result>> analyses;
  analyses.reserve(64);  // the workspace's layer list points into these results
  // `label` names the result's layers (default: the command) when a command runs more than once.
  auto analyse = [&](const std::string& op_name, const core::ParamMap& params, const std::string& label = "") {
    const auto* op = Registry::global().find(op_name);
    AGGLO_ASSERT(op != nullptr);
    Context sub = ctx;
    sub.output.clear();
    sub.quiet = true;
    analyses.emplace_back(label.empty() ? op_name : label, op->run(params, sub));
  };
  analyse("specialize", {{"employment", inputs + "/employment.csv"},
                         {"industries", inputs + "/industries.csv"},
                         {"denominator", "traded"},
                         {"summary", "regions,industries"}});
  analyse("concentrate", {{"establishments", inputs + "/establishments.csv"}});
  for (const auto& extra : demo_steps()) {
    if (Registry::global().find(extra.first)) analyse(extra.first, extra.second(inputs));
  }
  // Economic complexity runs on the bundled real world-trade data (226 locations × 785 SITC
  // products, 1998–2000) with the defaults — the Atlas country sample (151 countries of at
  // least 1 million people; no export floor, the values are relative) — and Colombia's
  // diversification opportunities.
  const std::string world = data_dir + "/reference/world_exports_sitc4_avg_1998_2000.csv";
  const std::string gdp = data_dir + "/reference/world_gdp_per_capita_avg_1998_2000.csv";
  analyse("complexity", {{"exports", world}, {"gdp", gdp}, {"tables", "eci,pci,coi,backbone"}});
  const std::string space_graph = out + "/product_space_col.json";
  analyse("opportunities", {{"exports", world}, {"location", "col"}, {"top", "25"}, {"graph", space_graph}});

  // Firm-level evidence (Gjelsvik's (2014) tables and model, Osarenkhoe & Fjellström's (2017) benefits and Kronoberg facts)
  // on the synthetic survey, each table from one command.
  const std::string responses = inputs + "/responses.csv";
  analyse("survey diamond", {{"responses", responses}}, "survey_diamond");
  analyse("survey tables", {{"responses", responses}, {"outcomes", "product_innovation,process_innovation"}, {"by", "region"}},
          "survey_innovation_by_region");
  analyse("survey tables", {{"responses", responses}, {"kind", "factors"}, {"by", "region"}}, "survey_factors_by_region");
  analyse("survey tables", {{"responses", responses}, {"kind", "factor-outcome"}, {"outcomes", "product_innovation"}},
          "survey_innovation_by_factor");
  analyse("survey tables",
          {{"responses", responses}, {"outcomes", "product_innovation,process_innovation"}, {"by", "regional_cluster"}},
          "survey_innovation_by_cluster");
  analyse("survey model",
          {{"responses", responses}, {"outcome", "product_innovation"},
           {"predictors", "scope,log(firm_employees),rnd,foreign,sector"}, {"categorical", "sector"},
           {"baseline", "scope=regional"}, {"se", "hc1"}},
          "survey_model");
  analyse("survey benefits",
          {{"responses", data_dir + "/sample/survey_benefits_example.csv"},
           {"items", "products,competence,costs,markets,academia,satisfied"}},
          "survey_benefits");
  analyse("survey initiatives", {{"file", data_dir + "/sample/kronoberg_cluster_initiatives.csv"}}, "survey_initiatives");
  // Cluster networks: the synthetic actor network, and the four networks of clusters of Schüßler, Decker & Lerch (2013)
  // with their governance diagnosis.
  analyse("network", {{"nodes", inputs + "/nodes.csv"}, {"edges", inputs + "/edges.csv"}}, "network");
  const std::vector<std::string> cases = {"acod", "scanbalt", "germany_goes_3d", "tri_cluster"};
  for (const auto& c : cases) {
    const std::string base = data_dir + "/networks/" + c;
    analyse("network", {{"nodes", base + "_nodes.csv"}, {"edges", base + "_edges.csv"}, {"goals", base + "_goals.csv"}},
            "network_" + c);
  }
  // Critical mass: Krugman's core–periphery model swept up and down the transport cost.
  // Two replicates, so the tips are tested against the replicates' spread.
  analyse("simulate",
          {{"model", "krugman"}, {"param", "sigma=5,mu=0.4,gamma=4"}, {"sweep", "T=1.5:2.0:26"}, {"hysteresis", "true"},
           {"replicates", "2"}},
          "simulate_krugman");
  // The productive-ecosystem model on real geography: California's 58 counties with Fresno as
  // the focal region, its university and research centre as agents, the grant swept up and down.
  analyse("simulate",
          {{"model", "ecosystem"}, {"regions", data_dir + "/experiments/ca_counties.csv"}, {"focal", "06019"},
           {"institutions", data_dir + "/experiments/ca_institutions.csv"}, {"param", "scale=10,ell=40"},
           {"sweep", "grant=0:4:9"}, {"hysteresis", "true"}, {"replicates", "4"}, {"steps", "300"}},
          "simulate_ecosystem_ca");

  // Cluster scorecards (issue 14): the policy note's criteria per county × cluster with peer
  // benchmarks and a composite index per cluster with rank intervals, the policy tools for
  // the weaknesses and an action plan; the same for the Kronoberg cluster initiatives; and
  // COINr's ASEM data through the index pipeline with its rank intervals.
  const std::string cards_dir = out + "/scorecard", kronoberg_dir = out + "/scorecard_kronoberg";
  analyse("scorecard",
          {{"employment", inputs + "/employment.csv"}, {"clusters", inputs + "/industries.csv"}, {"regions", inputs + "/regions.csv"},
           {"establishments", inputs + "/establishments.csv"}, {"nodes", inputs + "/nodes.csv"}, {"edges", inputs + "/edges.csv"},
           {"uncertainty", "200"}},
          "scorecard");
  write_result(analyses.back().second, cards_dir);
  analyse("recommend", {{"scorecard", cards_dir}}, "recommend");
  analyse("scorecard", {{"initiatives", data_dir + "/sample/kronoberg_cluster_initiatives.csv"}, {"uncertainty", "200"}},
          "scorecard_kronoberg");
  write_result(analyses.back().second, kronoberg_dir);
  analyse("recommend", {{"scorecard", kronoberg_dir}}, "recommend_kronoberg");
  analyse("index",
          {{"indicators", data_dir + "/reference/asem/asem_indicators.csv"}, {"tree", data_dir + "/reference/asem/asem_tree.csv"},
           {"uncertainty", "1000"}, {"sobol", "true"}},
          "index_asem");

  // Micro-geography on the establishment points: density clusters, the distance profile of a
  // planted-localised industry next to an industry planted without localisation, and which
  // industries co-locate within 2 km.
  const std::string establishments = inputs + "/establishments.csv";
  const auto picks = demo_industries(table_named(economy, "truth_industries"), table_named(economy, "establishments"));
  analyse("dbscan", {{"establishments", establishments}, {"eps", "2"}, {"min-points", "10"}});
  if (!picks.localised.empty()) {
    analyse("kdensity", {{"establishments", establishments}, {"industry", picks.localised}, {"simulations", "199"}},
            "kdensity_localised");
    analyse("mfunction", {{"establishments", establishments}, {"industry", picks.localised}, {"simulations", "199"}, {"max-distance", "50"}},
            "mfunction_localised");
  }
  if (!picks.dispersed.empty())
    analyse("kdensity", {{"establishments", establishments}, {"industry", picks.dispersed}, {"simulations", "199"}},
            "kdensity_local_industry");
  analyse("colocation", {{"establishments", establishments}, {"distance", "2"}, {"min-prevalence", "0.3"}, {"max-size", "3"}});

  // 4. The workspace: every table as a layer, county outlines from the bundled TopoJSON.
  ctx.note("[4/5] workspace.gpkg");
  const std::string workspace = out + "/workspace.gpkg";
  std::vector<io::NamedTable> layers;
  for (const auto& [name, table] : economy.tables) layers.push_back({name, &table});
  // Result layers are named after the command and table: specialize_regions, concentrate…
  std::vector<std::string> layer_names;
  for (const auto& [op_name, result] : analyses)
    for (const auto& [tname, table] : result.tables) {
      std::string n = op_name;
      std::replace(n.begin(), n.end(), '-', '_');
      layer_names.push_back(tname == result.tables.front().first ? n : n + "_" + tname);
    }
  {
    std::size_t k = 0;
    for (const auto& [op_name, result] : analyses)
      for (const auto& [tname, table] : result.tables) layers.push_back({layer_names[k++], &table});
  }
  io::write_vector(layers, workspace, /*update=*/false);
  std::size_t layer_count = layers.size();
  std::vector<std::string> county_codes;
  {
    const auto& regions = table_named(economy, "regions");
    const auto& codes = std::get<data::TextColumn>(regions.at("code").values);
    const auto& level = std::get<data::TextColumn>(regions.at("level").values);
    for (std::size_t i = 0; i < codes.size(); ++i)
      if (level[i] == "county") county_codes.push_back(codes[i]);
  }
  io::write_polygon_layer(workspace, "region_polygons", data_dir + "/geo/us_counties_economic_areas_msas.topojson",
                          "counties", "fips", county_codes);
  // Analyses that read or extend the workspace itself: HDBSCAN with its cluster hulls as a
  // polygon layer, and hot spots of a planted cluster's location quotient on the county
  // polygons (queen contiguity).
  const std::size_t before_workspace = analyses.size();
  analyse("hdbscan", {{"establishments", inputs + "/establishments.csv"}, {"min-cluster-size", "30"}, {"hulls", workspace}});
  const std::string hot_cluster = hotspot_cluster(truth_clusters(economy.ground_truth_json));
  if (const auto* cm = find_result_table(analyses, "cluster-map", "cluster_map"); cm && !hot_cluster.empty()) {
    const std::string values = out + "/hotspots_lq.csv";
    io::write_csv(lq_by_county(*cm, hot_cluster, county_codes), values);
    analyse("hotspots", {{"regions", workspace}, {"layer", "region_polygons"}, {"id", "fips"}, {"values", values},
                         {"value", "lq"}, {"weights", "queen"}, {"fdr", "0.05"}});
    demo_proximity(analyses, workspace, "region_polygons", values, table_named(economy, "regions"), out, ctx);
  }
  {
    std::vector<io::NamedTable> more;
    for (std::size_t a = before_workspace; a < analyses.size(); ++a)
      for (const auto& [tname, table] : analyses[a].second.tables) {
        std::string n = analyses[a].first;
        layer_names.push_back(tname == analyses[a].second.tables.front().first ? n : n + "_" + tname);
        more.push_back({layer_names.back(), &table});
      }
    io::write_vector(more, workspace, /*update=*/true);
    layer_count += more.size();
  }

  // 4. The report.
  ctx.note("[5/5] report.html");
  const auto truth = nlohmann::json::parse(economy.ground_truth_json);
  report::HtmlReport rep("agglo demo — " + o.preset + " synthetic economy");
  rep.paragraph("A synthetic economy on real US county geography and the real US benchmark cluster "
                "taxonomy (Delgado, Porter & Stern 2016), with planted clusters whose true location is "
                "known. Every input below passed agglo validate's checks; all tables are layers of "
                "workspace.gpkg.");
  std::vector<std::pair<std::string, std::string>> facts;
  for (const auto& r : reports) {
    std::string counts;
    for (const auto& [k, v] : r.counts) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", v, k);
    facts.emplace_back(fs::path(r.path).filename().string(), fmt::format("{} rows — {}", r.rows, counts));
  }
  rep.heading("Inputs");
  rep.facts(facts);

  const auto& est = table_named(economy, "establishments");
  const auto& ind = table_named(economy, "industries");
  std::map<std::string, std::string> cluster_of;
  {
    const auto& codes = std::get<data::TextColumn>(ind.at("code").values);
    const auto& names = std::get<data::TextColumn>(ind.at("cluster").values);
    const auto& kinds = std::get<data::TextColumn>(ind.at("kind").values);
    for (std::size_t i = 0; i < codes.size(); ++i) cluster_of[codes[i]] = kinds[i] == "traded" ? names[i] : "(local industries)";
  }
  {
    // Map a deterministic sample of establishments, coloured by benchmark cluster.
    const auto& lon = std::get<data::RealColumn>(est.at("lon").values);
    const auto& lat = std::get<data::RealColumn>(est.at("lat").values);
    const auto& emp = std::get<data::RealColumn>(est.at("employees").values);
    const auto& code = std::get<data::TextColumn>(est.at("industry").values);
    const std::size_t step = std::max<std::size_t>(1, lon.size() / 6000);
    std::vector<double> x, y, s;
    std::vector<std::string> c;
    for (std::size_t i = 0; i < lon.size(); i += step) {
      x.push_back(lon[i]);
      y.push_back(lat[i]);
      s.push_back(emp[i]);
      c.push_back(cluster_of[code[i]]);
    }
    rep.heading("Where the establishments are");
    rep.raw(report::svg_point_map(x, y, s, c, fmt::format("{} establishments (1 in {} shown), by benchmark cluster", lon.size(), step)));
  }
  {
    const auto& emp = table_named(economy, "employment");
    const auto& codes = std::get<data::TextColumn>(emp.at("industry").values);
    const auto& jobs = std::get<data::RealColumn>(emp.at("employment").values);
    std::map<std::string, double> by_cluster;
    for (std::size_t i = 0; i < codes.size(); ++i) by_cluster[cluster_of[codes[i]]] += jobs[i];
    std::vector<std::string> labels;
    std::vector<double> values;
    for (const auto& [k, v] : by_cluster) {
      labels.push_back(k);
      values.push_back(v);
    }
    rep.heading("Employment by cluster");
    rep.raw(report::svg_bar_chart(labels, values, "Employment by benchmark cluster", "jobs"));
  }
  auto find_table = [&](const std::string& op, const std::string& name) -> const data::Table* {
    for (const auto& [n, r] : analyses)
      if (n == op)
        for (const auto& [tn, t] : r.tables)
          if (tn == name) return &t;
    return nullptr;
  };
  if (const auto* regions = find_table("specialize", "regions")) {
    rep.heading("How specialised are the regions?");
    rep.paragraph("Krugman specialisation index K_r = Σ_i |s_ri − E_i/E| of each county's traded "
                  "employment against the national mix (0 = the national mix, 2 = nothing in common); "
                  "the twenty most specialised counties. Formulas: docs/methods/specialisation.md.");
    const auto& code = std::get<data::TextColumn>(regions->at("region").values);
    const auto& k = std::get<data::RealColumn>(regions->at("krugman").values);
    std::map<std::string, std::string> name_of;
    const auto& all = table_named(economy, "regions");
    const auto& codes = std::get<data::TextColumn>(all.at("code").values);
    const auto& names = std::get<data::TextColumn>(all.at("name").values);
    const auto& states = std::get<data::TextColumn>(all.at("state").values);
    for (std::size_t j = 0; j < codes.size(); ++j) name_of[codes[j]] = names[j] + ", " + states[j];
    std::vector<std::string> labels;
    for (const auto& c : code) labels.push_back(name_of[c] + " (" + c + ")");
    rep.raw(report::svg_bar_chart(labels, k, "Krugman specialisation (traded employment)", "", 720, 20));
  }
  if (const auto* conc = find_table("concentrate", "concentration")) {
    rep.heading("Which industries concentrate?");
    rep.paragraph("Ellison–Glaeser index γ of each industry's plants across counties, net of plant-size "
                  "concentration (0 = located like total employment). Planted localised industries "
                  "should rank high.");
    const auto& code = std::get<data::TextColumn>(conc->at("industry").values);
    const auto& eg = std::get<data::RealColumn>(conc->at("ellison_glaeser").values);
    std::vector<std::string> labels;
    for (const auto& c : code) labels.push_back(c + " " + cluster_of[c]);
    rep.raw(report::svg_bar_chart(labels, eg, "Most concentrated industries (Ellison–Glaeser γ)", "", 720, 15));
  }
  if (const auto* eci = find_table("complexity", "eci")) {
    rep.heading("Which countries are most complex? (real data)");
    rep.paragraph("Economic Complexity Index by the eigenvector method (Hidalgo & Hausmann 2009) on world "
                  "exports 1998–2000 (SITC rev. 2, 4 digits), the twenty highest. As in the Atlas of "
                  "Economic Complexity (Hausmann et al. 2014), the calculation uses countries with at least "
                  "1 million people (151 of the 226 locations); the tiny territories left out would "
                  "otherwise rank among the most complex on a handful of recorded lines. The export values "
                  "of this file are not national export totals (they are averages of bilateral trade rows, "
                  "about 1/110 of the totals for large exporters), so the Atlas' US$1 billion export floor "
                  "is not applied; RCA, being a ratio of shares, does not depend on the scale of each "
                  "country's values, but mixing values from different sources in one file would distort it. "
                  "Formulas and conventions: docs/methods/complexity.md.");
    std::vector<std::string> labels = std::get<data::TextColumn>(eci->at("location").values);
    const auto* names = eci->find("location_name");
    if (!names) names = eci->find("name");
    if (names)
      for (std::size_t i = 0; i < labels.size(); ++i)
        if (const auto& n = std::get<data::TextColumn>(names->values)[i]; !n.empty()) labels[i] = n;
    rep.raw(report::svg_bar_chart(labels, std::get<data::RealColumn>(eci->at("eci").values), "ECI, top 20", "", 720, 20));
  }
  if (const auto* opp = find_table("opportunities", "opportunities")) {
    rep.heading("Where could Colombia diversify? (real data)");
    rep.paragraph("Products Colombia did not export competitively (RCA < 1), ranked by the balanced strategy "
                  "(density, product complexity and complexity outlook gain); `path` lists the present "
                  "products that make each one near.");
    rep.table(*opp, 15, "agglo opportunities --location col");
    // The product space backbone from the graph file the command wrote (positions included).
    std::ifstream in(space_graph);
    const auto g = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (g.is_object() && g.contains("nodes")) {
      std::vector<double> gx, gy;
      std::vector<std::string> cat;
      std::map<std::string, std::size_t> index;
      for (const auto& n : g["nodes"]) {
        index[n["id"].get<std::string>()] = gx.size();
        gx.push_back(n["x"].is_number() ? n["x"].get<double>() : NAN);
        gy.push_back(n["y"].is_number() ? n["y"].get<double>() : NAN);
        const bool top = n["opportunity_rank"].is_number() && n["opportunity_rank"].get<int>() <= 25;
        cat.push_back(n["present"].get<bool>() ? "exported with RCA ≥ 1" : top ? "top-25 opportunity" : "other products");
      }
      std::vector<std::pair<std::size_t, std::size_t>> links;
      std::vector<bool> strong;
      for (const auto& l : g["links"]) {
        links.emplace_back(index[l["source"].get<std::string>()], index[l["target"].get<std::string>()]);
        strong.push_back(!l["tree"].get<bool>());
      }
      rep.paragraph("Colombia in the product space: the maximum spanning tree of product proximity plus every "
                    "link with φ ≥ 0.55 (Hidalgo et al. 2007), drawn with a seeded force layout. Opportunities "
                    "sit next to products already exported. The graph is product_space_col.json (networkx "
                    "node-link format) for the dashboard.");
      rep.raw(report::svg_network(gx, gy, cat, links, strong, "Product space, Colombia 1998–2000"));
    }
  }
  auto reals = [](const data::Table& t, const char* c) { return std::get<data::RealColumn>(t.at(c).values); };
  auto texts = [](const data::Table& t, const char* c) { return std::get<data::TextColumn>(t.at(c).values); };
  if (const auto* by_cluster = find_table("survey_innovation_by_cluster", "shares")) {
    rep.heading("Do clusters help firms innovate? (synthetic survey, the method of Gjelsvik (2014))");
    rep.paragraph("A firm is in a regional cluster when at least four of the six Porter-diamond factors "
                  "(demanding customers, advanced suppliers, toughest competitors, qualified employees, "
                  "research institutions, capital) are found in its region (agglo survey diamond). Shares of "
                  "firms with product and process innovation by cluster type, with Wilson 95% intervals "
                  "(Gjelsvik 2014, Table 5); then the logit with controls in the shape of its Table 6 (regional "
                  "cluster as the baseline). The synthetic survey plants a regional-cluster effect of 0.6 on "
                  "the logit of product innovation. Formulas: docs/methods/survey.md.");
    std::vector<std::string> labels;
    std::vector<double> pct;
    const auto g = texts(*by_cluster, "group");
    const auto o = texts(*by_cluster, "outcome");
    const auto sh = reals(*by_cluster, "share");
    for (std::size_t i = 0; i < g.size(); ++i) {
      labels.push_back(g[i] + " — " + o[i]);
      pct.push_back(100 * sh[i]);
    }
    rep.raw(report::svg_bar_chart(labels, pct, "Innovating firms by cluster type", "%"));
    if (const auto* f = find_table("survey_innovation_by_factor", "shares"))
      rep.table(*f, 21, "Product innovation by where each factor is located (Gjelsvik 2014, Table 4 shape)");
    if (const auto* m = find_table("survey_model", "model"))
      rep.table(*m, 20, "agglo survey model: logit of product_innovation, HC1 standard errors");
  }
  if (const auto* b = find_table("survey_benefits", "benefits")) {
    rep.heading("Perceived benefits of cluster membership (Osarenkhoe & Fjellström 2017, Table 2 shape)");
    rep.paragraph("Share of members agreeing (4 or 5 on a five-point scale) with each benefit. The bundled "
                  "responses are illustrative (data/sample/survey_sources.md): Osarenkhoe & Fjellström (2017) reports only that 8% "
                  "saw lower costs while soft benefits dominated.");
    std::vector<double> pct;
    for (double v : reals(*b, "share_agree")) pct.push_back(100 * v);
    rep.raw(report::svg_bar_chart(texts(*b, "label"), pct, "Members agreeing", "%"));
  }
  if (const auto* k = find_table("survey_initiatives", "initiatives")) {
    rep.heading("Cluster initiatives in Kronoberg (Osarenkhoe & Fjellström 2017, Table 1)");
    rep.paragraph("Turnover per employee recomputed from sales and employees reproduces the published column "
                  "(matches_reported = 1).");
    rep.raw(report::svg_bar_chart(texts(*k, "cluster_initiative"), reals(*k, "turnover_per_employee_ksek"),
                                  "Turnover per employee", "kSEK"));
    rep.table(*k, 10, "agglo survey initiatives");
  }
  {
    data::Table gov;
    auto& name = gov.add_text("cluster_network");
    auto& orgs = gov.add_integer("organisations");
    auto& form = gov.add_text("form_found");
    auto& found = gov.add_text("governed");
    auto& sugg = gov.add_text("contingencies_suggest");
    auto& broker = gov.add_text("central_organisation");
    for (const auto& [n, r] : analyses) {
      if (n.rfind("network_", 0) != 0) continue;
      const auto js = nlohmann::json::parse(r.summary_json, nullptr, false);
      if (!js.is_object() || !js.contains("governance")) continue;
      const auto& g = js["governance"];
      name.push_back(n.substr(8));
      orgs.push_back(js.value("nodes", 0));
      form.push_back(g.value("observed_form", ""));
      found.push_back(g.value("observed", ""));
      sugg.push_back(g.value("suggested", ""));
      broker.push_back(g.contains("central_organisation") && g["central_organisation"].is_string()
                           ? g["central_organisation"].get<std::string>()
                           : "");
    }
    if (gov.rows() > 0) {
      rep.heading("How are networks of clusters governed? (Schüßler, Decker & Lerch 2013)");
      rep.paragraph("The four cluster networks of Schüßler, Decker & Lerch (2013), rebuilt from their described structure "
                    "(data/networks/README.md), diagnosed by Provan & Kenis's (2008) forms and contingencies "
                    "(agglo network; every cut-off is an option, the reasoning is in each summary.json). "
                    "Schüßler, Decker & Lerch (2013) classifies ACOD and ScanBalt as externally governed, Germany goes 3D and the "
                    "Tri-Cluster as internally governed. Formulas: docs/methods/network.md.");
      rep.table(gov, 10, "governance diagnosis");
    }
  }
  // The one-line finding of a simulation (its headline: tips and hysteresis as the detector
  // judged them).
  auto finding = [&](const std::string& name) -> std::string {
    for (const auto& [n, r] : analyses)
      if (n == name && !r.headline.empty()) return " Found: " + r.headline + ".";
    return "";
  };
  if (const auto* ph = find_table("simulate_krugman", "phase")) {
    rep.heading("Critical mass and hysteresis: the core–periphery model");
    rep.paragraph("Krugman's (1991) core–periphery model (σ = 5, μ = 0.4) swept up and down the transport "
                  "cost T, two replicates per value: the share of manufacturing in the larger region stays at a "
                  "full core until T passes the sustain point (1.807313) and, coming back down, does not "
                  "re-agglomerate until the break point (1.626577) — a hysteresis band between the two (Fujita, "
                  "Krugman & Venables 1999). Both points are computed by root finding on the model's equations; "
                  "the simulated tips are finite-time estimates of them, each judged against the replicates' "
                  "spread and reported with the sweep interval that contains it (agglo simulate; "
                  "docs/methods/simulate.md)." + finding("simulate_krugman"));
    const auto T = reals(*ph, "T");
    const auto dir = texts(*ph, "direction");
    const auto mean = reals(*ph, "mean");
    std::vector<std::vector<double>> xs(2), ys(2);
    for (std::size_t i = 0; i < T.size(); ++i) {
      const std::size_t k = dir[i] == "up" ? 0 : 1;
      xs[k].push_back(T[i]);
      ys[k].push_back(mean[i]);
    }
    rep.raw(report::svg_line_chart(xs, ys, {"T rising", "T falling"}, "Core–periphery: order parameter vs transport cost",
                                   "transport cost T", "manufacturing share of the core"));
  }
  if (const auto* labels = find_table("hdbscan", "hdbscan")) {
    rep.heading("Where do establishments cluster on the map? (HDBSCAN, DBSCAN)");
    rep.paragraph("HDBSCAN* (Campello, Moulavi & Sander 2013) on every establishment point with a minimum "
                  "cluster size of 30: dense groups of plants whatever their industry, the rest noise. The "
                  "ten largest clusters are coloured (noise is not drawn); their convex hulls are the layer "
                  "hdbscan_hulls of workspace.gpkg, and DBSCAN with eps = 2 km and 10 points is the layer "
                  "dbscan. Formulas: docs/methods/spatial.md.");
    const auto& lon = std::get<data::RealColumn>(est.at("lon").values);
    const auto& lat = std::get<data::RealColumn>(est.at("lat").values);
    const auto& emp = std::get<data::RealColumn>(est.at("employees").values);
    const auto& cl = std::get<data::IntColumn>(labels->at("cluster").values);
    std::map<std::int64_t, std::size_t> size;
    for (auto c : cl)
      if (c >= 0) ++size[c];
    std::vector<std::pair<std::size_t, std::int64_t>> by_size;
    for (const auto& [c, n] : size) by_size.emplace_back(n, c);
    std::sort(by_size.begin(), by_size.end(), [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    std::map<std::int64_t, std::string> name;
    const auto* hc = find_table("hdbscan", "clusters");
    for (std::size_t k = 0; k < by_size.size() && k < 10; ++k) name[by_size[k].second] = "";
    if (hc) {
      const auto& cc = std::get<data::IntColumn>(hc->at("cluster").values);
      const auto& dom = std::get<data::TextColumn>(hc->at("dominant_industry").values);
      for (std::size_t i = 0; i < cc.size(); ++i)
        if (name.count(cc[i])) name[cc[i]] = fmt::format("cluster {}: {} ({})", cc[i], dom[i], cluster_of[dom[i]]);
    }
    std::vector<double> x, y, sz;
    std::vector<std::string> cat;
    for (std::size_t i = 0; i < cl.size() && i < lon.size(); ++i) {
      if (cl[i] < 0) continue;
      x.push_back(lon[i]);
      y.push_back(lat[i]);
      sz.push_back(emp[i]);
      const auto it = name.find(cl[i]);
      cat.push_back(it == name.end() ? "smaller clusters" : it->second);
    }
    rep.raw(report::svg_point_map(x, y, sz, cat, fmt::format("{} HDBSCAN clusters; the ten largest coloured", size.size())));
    if (hc) rep.table(*hc, 10, "agglo hdbscan --min-cluster-size 30: clusters (dominant industry by employment)");
  }
  auto kd_chart = [&](const std::string& label, const std::string& what) {
    const auto* kd = find_table(label, "kdensity");
    const auto* ix = find_table(label, "indices");
    if (!kd || !ix) return;
    const auto d = reals(*kd, "distance");
    std::vector<std::vector<double>> xs(3, d), ys = {reals(*kd, "kd"), reals(*kd, "global_lower"), reals(*kd, "global_upper")};
    const std::string code = texts(*ix, "industry").front();
    rep.raw(report::svg_line_chart(xs, ys, {"Kd", "global lower band", "global upper band"},
                                   fmt::format("K-density of {}, {}: {}", code, cluster_of[code], what), "distance (km)",
                                   "density of pair distances"));
  };
  if (find_table("kdensity_localised", "kdensity")) {
    rep.heading("At which distances do industries localise? (Duranton–Overman K-density)");
    rep.paragraph("Kd(d) is the kernel density of the distances between an industry's establishments "
                  "(Duranton & Overman 2005). The bands come from 199 counterfactuals that place the industry "
                  "on sites drawn from all establishments; above the global upper band the industry is "
                  "localised at that distance (index Γ), below the lower band dispersed (Ψ). The first chart "
                  "is an industry planted as localised; the second a local industry that follows the "
                  "population. Formulas: docs/methods/spatial-distance.md.");
    kd_chart("kdensity_localised", "planted localised");
    kd_chart("kdensity_local_industry", "local industry");
    for (const char* l : {"kdensity_localised", "kdensity_local_industry"})
      if (const auto* ix = find_table(l, "indices")) rep.table(*ix, 1, std::string(l) + ": localisation (Γ) and dispersion (Ψ) indices");
  }
  if (const auto* co = find_table("colocation", "colocation")) {
    rep.heading("Which industries co-locate? (co-location patterns)");
    rep.paragraph("Sets of industries whose establishments lie within 2 km of each other often enough: the "
                  "participation index is the smallest, over the industries of the pattern, of the share of an "
                  "industry's establishments that take part in an instance of the pattern (Huang, Shekhar & "
                  "Xiong 2004); patterns with an index of at least 0.3, up to three industries. Formulas: "
                  "docs/methods/spatial-colocation.md.");
    rep.table(*co, 15, "agglo colocation --distance 2 --min-prevalence 0.3");
  }
  if (const auto* hs = find_table("hotspots", "hotspots")) {
    rep.heading("Hot spots of a planted cluster (local Moran, Getis–Ord Gi*)");
    const std::string cname = hotspot_cluster(truth_clusters(economy.ground_truth_json));
    rep.paragraph(fmt::format("The location quotient of {} in each county, tested for spatial clustering on queen "
                              "contiguity of the county polygons: local Moran's I (Anselin 1995) with 999 conditional "
                              "permutations and the false discovery rate held at 5 %. HH counties are high values "
                              "surrounded by high values. Formulas: docs/methods/spatial-hotspots.md.",
                              cname));
    std::map<std::string, std::pair<double, double>> where;
    {
      const auto& all = table_named(economy, "regions");
      const auto& codes = texts(all, "code");
      const auto& lo = reals(all, "lon");
      const auto& la = reals(all, "lat");
      for (std::size_t j = 0; j < codes.size(); ++j) where[codes[j]] = {lo[j], la[j]};
    }
    const auto reg = texts(*hs, "region");
    const auto val = reals(*hs, "value");
    const auto cls = texts(*hs, "class");
    std::vector<double> x, y, sz;
    std::vector<std::string> cat;
    for (std::size_t i = 0; i < reg.size(); ++i) {
      const auto it = where.find(reg[i]);
      if (it == where.end()) continue;
      x.push_back(it->second.first);
      y.push_back(it->second.second);
      sz.push_back(1 + val[i]);
      cat.push_back(cls[i]);
    }
    rep.raw(report::svg_point_map(x, y, sz, cat, "County centroids by LISA class (size: location quotient)"));
    if (const auto* g = find_table("hotspots", "global_moran")) rep.table(*g, 5, "global Moran's I");
  }
  demo_proximity_report(rep, analyses);
  if (const auto* ph = find_table("simulate_ecosystem_ca", "phase")) {
    rep.heading("Can a grant push a region past critical mass? (ecosystem model on California's counties)");
    rep.paragraph("The productive-ecosystem model on the 58 California counties (great-circle distances between "
                  "them), Fresno as the focal region with its university and research centre acting as agents; "
                  "the grant (Grants and Subsidies in the policy catalogue) swept up and then back down, four "
                  "replicates of 30 years per point. A tip is a jump of Fresno's firms that is large (over 30 % of "
                  "the range) and significant against the replicates' spread (Welch's test, Holm's correction); "
                  "summary.json compares it with the mean-field threshold. The shipped experiment "
                  "data/experiments/ecosystem_ca_counties runs the full sweep; the model is described in the "
                  "ODD protocol in docs/methods/simulate.md." + finding("simulate_ecosystem_ca"));
    const auto g = reals(*ph, "grant");
    const auto dir = texts(*ph, "direction");
    const auto mean = reals(*ph, "mean");
    std::vector<std::vector<double>> xs(2), ys(2);
    for (std::size_t i = 0; i < g.size(); ++i) {
      const std::size_t k = dir[i] == "up" ? 0 : 1;
      xs[k].push_back(g[i]);
      ys[k].push_back(mean[i]);
    }
    rep.raw(report::svg_line_chart(xs, ys, {"grant rising", "grant falling"}, "Fresno: firms at the end of each run",
                                   "grant (per year, model units)", "firms in the focal county"));
  }
  if (const auto* cards = find_table("scorecard", "scorecard")) {
    const auto* sr = [&]() -> const Result* {
      for (const auto& [n, r] : analyses)
        if (n == "scorecard") return &r;
      return nullptr;
    }();
    rep.heading("How strong is each cluster, and where is it weak? (cluster scorecards)");
    rep.paragraph((sr ? sr->headline + ". " : std::string()) +
                  "Every criterion of the policy note's metrics catalogue that the synthetic inputs support, for each county × "
                  "cluster, benchmarked against the same cluster in the other counties: percentile, gap to the peer median and to "
                  "the best; strength at percentile ≥ 75, weakness ≤ 25, robust when it holds in every peer group (size terciles, "
                  "LQ class). Criteria the data cannot support are listed with the input that would supply them. Method: "
                  "docs/methods/scorecard.md.");
    // Strengths and weaknesses per criterion.
    std::map<std::string, std::array<double, 3>> count;
    const auto& crit = std::get<data::TextColumn>(cards->at("criterion").values);
    const auto& ass = std::get<data::TextColumn>(cards->at("assessment").values);
    const auto& rob = std::get<data::IntColumn>(cards->at("robust").values);
    for (std::size_t i = 0; i < crit.size(); ++i) {
      auto& c = count[crit[i]];
      c[0] += ass[i] == "strength";
      c[1] += ass[i] == "weakness";
      c[2] += ass[i] == "weakness" && rob[i] == 1;
    }
    data::Table summary;
    auto& sc = summary.add_text("criterion");
    auto& ss = summary.add_integer("strengths");
    auto& sw = summary.add_integer("weaknesses");
    auto& swr = summary.add_integer("robust_weaknesses");
    for (const auto& [c, v] : count) {
      sc.push_back(c);
      ss.push_back(static_cast<std::int64_t>(v[0]));
      sw.push_back(static_cast<std::int64_t>(v[1]));
      swr.push_back(static_cast<std::int64_t>(v[2]));
    }
    rep.table(summary, 25, "strengths and weaknesses by criterion (county × cluster cells)");
    if (const auto* miss = find_table("scorecard", "missing")) rep.table(*miss, 20, "criteria the inputs cannot support (missing.csv)");
    if (const auto* idx = find_table("scorecard", "index")) {
      // The cluster of the hot-spot example: its counties ranked by the composite index with
      // their 5–95 % rank intervals from 200 draws of the pipeline's choices.
      data::Table top;
      auto& tr = top.add_text("region");
      auto& tc = top.add_text("cluster");
      auto& ti = top.add_real("index");
      auto& tk = top.add_integer("rank");
      auto& t5 = top.add_real("rank_q05");
      auto& t95 = top.add_real("rank_q95");
      const auto& r = std::get<data::TextColumn>(idx->at("region").values);
      const auto& c = std::get<data::TextColumn>(idx->at("cluster").values);
      const auto& v = std::get<data::RealColumn>(idx->at("index").values);
      const auto& k = std::get<data::IntColumn>(idx->at("rank").values);
      const auto* q5 = idx->find("rank_q05");
      const auto* q95 = idx->find("rank_q95");
      std::vector<std::size_t> rows;
      for (std::size_t i = 0; i < r.size(); ++i)
        if (c[i] == hot_cluster) rows.push_back(i);
      std::sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) { return k[a] < k[b]; });
      for (std::size_t j = 0; j < std::min<std::size_t>(10, rows.size()); ++j) {
        const auto i = rows[j];
        tr.push_back(r[i]);
        tc.push_back(c[i]);
        ti.push_back(v[i]);
        tk.push_back(k[i]);
        t5.push_back(q5 ? std::get<data::RealColumn>(q5->values)[i] : NAN);
        t95.push_back(q95 ? std::get<data::RealColumn>(q95->values)[i] : NAN);
      }
      if (top.rows())
        rep.table(top, 10, fmt::format("{}: counties ranked by the composite scorecard index, with 5–95 % rank intervals", hot_cluster));
    }
    if (const auto* rec = find_table("recommend", "recommendations")) {
      rep.paragraph("Weaknesses mapped to the catalogue's policy tools by the rule table data/scorecard/rules.csv (each rule names "
                    "the system failure it signals after Klein Woolthuis et al. 2005); robust weaknesses first, then the lowest "
                    "percentile. Tools that are levers of the ecosystem model carry the critical mass of its focal region without "
                    "and with the lever.");
      rep.table(*rec, 15, "agglo recommend: recommendations");
    }
    if (const auto* plan = find_table("recommend", "action_plan")) rep.table(*plan, 12, "cluster action plan: goals, tools, indicators to watch and targets");
  }
  if (const auto* kcards = find_table("scorecard_kronoberg", "scorecard")) {
    rep.heading("Scorecard of the Kronoberg cluster initiatives");
    rep.paragraph("The five initiatives of Kronoberg County (Osarenkhoe & Fjellström 2017, Table 1) compared with each other on the criteria their "
                  "published figures support: employment (a catalogue criterion), turnover per employee and employees per firm "
                  "(derived). The other 16 catalogue criteria need data the table does not have (missing.csv).");
    rep.table(*kcards, 15, "agglo scorecard --initiatives data/sample/kronoberg_cluster_initiatives.csv");
    if (const auto* rec = find_table("recommend_kronoberg", "recommendations")) rep.table(*rec, 10, "recommendations");
    if (const auto* plan = find_table("recommend_kronoberg", "action_plan")) rep.table(*plan, 10, "action plan");
  }
  if (const auto* asem = find_table("index_asem", "index")) {
    rep.heading("A composite index with rank intervals (COINr's ASEM data, real)");
    rep.paragraph("The ASEM Sustainable Connectivity data that the R package COINr ships (51 countries, 49 indicators, 8 pillars, "
                  "2 sub-indices; MIT licence, Becker 2022) through agglo's defaults — min–max to [0, 100], arithmetic means at "
                  "every level, missing values skipped — reproduces COINr's published index (Germany 75.23, United Kingdom 68.94). "
                  "The rank intervals come from 1,000 draws over imputation, normalisation, ±25 % weights, arithmetic or geometric "
                  "aggregation and leaving one indicator out (Saisana, Saltelli & Tarantola 2005).");
    data::Table top;
    auto& tu = top.add_text("unit");
    auto& ti = top.add_real("index");
    auto& tk = top.add_integer("rank");
    auto& t5 = top.add_real("rank_q05");
    auto& t50 = top.add_real("rank_median");
    auto& t95 = top.add_real("rank_q95");
    const auto& u = std::get<data::TextColumn>(asem->at("unit").values);
    const auto& v = std::get<data::RealColumn>(asem->at("index").values);
    const auto& k = std::get<data::IntColumn>(asem->at("rank").values);
    std::vector<std::size_t> rows(u.size());
    std::iota(rows.begin(), rows.end(), std::size_t(0));
    std::sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) { return k[a] < k[b]; });
    for (std::size_t j = 0; j < std::min<std::size_t>(12, rows.size()); ++j) {
      const auto i = rows[j];
      tu.push_back(u[i]);
      ti.push_back(v[i]);
      tk.push_back(k[i]);
      t5.push_back(std::get<data::RealColumn>(asem->at("rank_q05").values)[i]);
      t50.push_back(std::get<data::RealColumn>(asem->at("rank_median").values)[i]);
      t95.push_back(std::get<data::RealColumn>(asem->at("rank_q95").values)[i]);
    }
    rep.table(top, 12, "agglo index --indicators data/reference/asem/asem_indicators.csv --tree data/reference/asem/asem_tree.csv --uncertainty 1000");
  }
  demo_dynamics_section(rep, out, data_dir, ctx);
  demo_structure_section(rep, out, ctx);  // development blocks vs clusters, resilience
  for (const auto& [n, r] : analyses)
    for (const auto& w : r.warnings) rep.paragraph("Note (" + n + "): " + w);

  rep.heading("Planted ground truth");
  rep.paragraph("The hubs where each traded cluster was planted. Later analyses (specialisation, "
                "cluster maps, Kd, DBSCAN) are scored against this table.");
  rep.table(table_named(economy, "truth_hubs"), 40, "truth_hubs.csv");
  // No run time in the report: the same seed gives the same bytes.
  rep.facts({{"seed", std::to_string(ctx.seed)}});
  rep.save(out + "/report.html");
  stage.commit();  // the new demo replaces the old one in one step
  const std::string fin = final_out;
  auto moved = [&](const std::string& p) { return fin + p.substr(out.size()); };

  Result r;
  r.output_written = true;
  r.text = fmt::format("demo written to {}/\n  inputs/         {} tables and ground_truth.json\n"
                       "  workspace.gpkg  GeoPackage workspace: {} layers (inputs, {} analyses) + region_polygons\n"
                       "  report.html     the report\n"
                       "  product_space_col.json  the product space graph of the report (node-link JSON)\n",
                       fin, economy.tables.size(), layer_count, analyses.size());
  r.files = {moved(inputs), moved(workspace), fin + "/report.html", moved(space_graph)};
  return r;
}

}  // namespace

void register_demo(Registry& r) {
  r.add(make_operation<DemoOptions>(
      "demo", "run the whole pipeline on bundled data into a workspace and a report",
      "Generates a synthetic economy on real geography, validates every input, writes a "
      "GeoPackage workspace (all inputs and results as layers, county outlines included) and "
      "a self-contained HTML report. -o names the output directory (default agglo-demo/).",
      {"agglo demo", "agglo demo --preset small -o demo-small/"},
      "a directory with inputs/, workspace.gpkg and report.html", &run_demo));
}

}  // namespace agglo::api
