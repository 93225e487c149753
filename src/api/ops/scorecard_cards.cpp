// `agglo scorecard`: the policy note's 17 criteria for every region × cluster (or cluster
// initiative), benchmarked against peers, with a composite index per cluster and its rank
// intervals (include/agglo/scorecard/scorecard.hpp; docs/methods/scorecard.md).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/table_reader.hpp"
#include "agglo/measure/region_industry_matrix.hpp"
#include "agglo/scorecard/composite.hpp"
#include "agglo/scorecard/scorecard.hpp"
#include "agglo/scorecard/uncertainty.hpp"
#include "agglo/survey/initiatives.hpp"
#include "agglo/synth/synthetic_economy.hpp"
#include "scorecard_ops.hpp"

namespace agglo::api {

namespace {

struct ScorecardOptions {
  std::string employment, clusters, establishments, nodes, edges, exports, regions, initiatives, io;
  std::string region_name = "Kronoberg";
  std::optional<std::int64_t> year, from;
  double strength = 75, weakness = 25;
  std::int64_t min_peers = 5;
  std::int64_t uncertainty = 0;

  static void describe(core::OptionSchema<ScorecardOptions>& s) {
    using O = ScorecardOptions;
    s.add("employment", &O::employment,
          "region × industry employment (region,industry,employment[,establishments,year,wages]); required unless --initiatives")
        .path();
    s.add("clusters", &O::clusters,
          "industry → cluster definitions: industry,cluster (define-clusters output) or cluster_id,cluster,type,naics2007; default: the "
          "US benchmark clusters (Delgado, Porter & Stern 2016)")
        .path();
    s.add("establishments", &O::establishments, "establishments with region and rnd, sales, patents, employees columns (R&D, patents, density)").path();
    s.add("nodes", &O::nodes, "actor network nodes (id,type,cluster,region): collaboration, linkages, support, funding").path();
    s.add("edges", &O::edges, "actor network ties (source,target[,weight,type])").path();
    s.add("exports", &O::exports, "exports with location = region and product = industry code (location,product,value): RCA").path();
    s.add("io", &O::io, "input–output flows between industries (from,to,value): supplier network density as local supplier coverage").path();
    s.add("regions", &O::regions, "regions (code,level,area_km2,…): business density per km², region-type peer groups").path();
    s.add("initiatives", &O::initiatives,
          "cluster initiatives (cluster_initiative,firms,employees,sales_ksek), e.g. data/sample/kronoberg_cluster_initiatives.csv: "
          "a scorecard of the initiatives against each other")
        .path();
    s.add("region-name", &O::region_name, "--initiatives: the region the initiatives belong to");
    s.add("year", &O::year, "a panel: the year scored (default: the last)");
    s.add("from", &O::from, "a panel: the base year for employment growth (default: the first)");
    s.add("strength", &O::strength, "strength: peer percentile at or above this").min(50).max(100);
    s.add("weakness", &O::weakness, "weakness: peer percentile at or below this").min(0).max(50);
    s.add("min-peers", &O::min_peers, "fewer peers (regions with a value, itself included) than this: neutral").min(2);
    s.add("uncertainty", &O::uncertainty, "Monte-Carlo draws for the composite index's rank intervals (0 = none)").min(0);
  }
  void validate() const {
    if (employment.empty() && initiatives.empty())
      throw_usage(ErrorCode::missing_option, "give --employment (regions × industries) or --initiatives (cluster initiatives)");
    if (nodes.empty() != edges.empty()) throw_usage(ErrorCode::missing_option, "--nodes and --edges go together");
  }
};

std::string default_clusters() { return synth::default_data_dir() + "/taxonomy/us_benchmark_clusters_naics2007.csv"; }

// The clusters file, in either layout (all columns optional, then checked).
clusters::ClusterDefinitions read_definitions(const std::string& path) {
  io::TableSpec spec;
  spec.what = "clusters";
  for (const char* c : {"industry", "naics2007", "code", "cluster", "cluster_id", "type", "kind"}) {
    io::ColumnSpec cs;
    cs.name = c;
    cs.kind = io::ColumnKind::text;
    cs.required = false;
    cs.allow_empty = true;
    spec.columns.push_back(cs);
  }
  const auto t = io::read_table(path, spec);
  const char* ind = t.has("industry") ? "industry" : t.has("naics2007") ? "naics2007" : t.has("code") ? "code" : nullptr;
  if (!ind || !t.has("cluster"))
    throw_input(ErrorCode::missing_column, "the clusters file needs industry (or naics2007) and cluster columns", {path, 1, 0, ""},
                "use industry,cluster (as define-clusters writes) or the benchmark layout cluster_id,cluster,type,naics2007");
  const char* kind = t.has("kind") ? "kind" : t.has("type") ? "type" : nullptr;
  clusters::ClusterDefinitions defs;
  std::map<std::string, std::string> seen;
  std::map<std::string, std::set<std::string>> ids_of_name;
  if (t.has("cluster_id"))
    for (std::size_t k = 0; k < t.rows; ++k) ids_of_name[t.col("cluster").texts[k]].insert(t.col("cluster_id").texts[k]);
  for (std::size_t k = 0; k < t.rows; ++k) {
    const auto& code = t.col(ind).texts[k];
    std::string name = t.col("cluster").texts[k];
    if (code.empty() || name.empty()) continue;
    if (t.has("cluster_id") && ids_of_name[name].size() > 1) name += " (" + t.col("cluster_id").texts[k] + ")";
    const auto [it, fresh] = seen.emplace(code, name);
    if (!fresh) {
      if (it->second == name) continue;
      throw_input(ErrorCode::duplicate_id, fmt::format("industry '{}' is in clusters '{}' and '{}'", code, it->second, name),
                  {path, t.lines[k], 0, ind}, "each industry belongs to one cluster");
    }
    auto ck = clusters::ClusterKind::unknown;
    if (kind) {
      const auto& kv = t.col(kind).texts[k];
      if (kv == "traded") ck = clusters::ClusterKind::traded;
      else if (kv == "local") ck = clusters::ClusterKind::local;
    }
    defs.add(code, name, ck);
  }
  if (defs.size() == 0)
    throw_input(ErrorCode::empty_input, "the clusters file assigns no industry to a cluster", {path, 0, 0, "cluster"}, "");
  return defs;
}

data::Table missing_table(const scorecard::ScorecardData& d) {
  data::Table t;
  auto& c = t.add_text("criterion");
  auto& n = t.add_text("needs");
  auto& cat = t.add_text("category");
  for (const auto& [crit, needs] : d.missing) {
    c.push_back(crit);
    n.push_back(needs);
    std::string category;
    for (const auto& e : scorecard::catalogue())
      if (e.criterion == crit) category = e.category;
    cat.push_back(category);
  }
  return t;
}

data::Table criteria_table(const scorecard::ScorecardData& d) {
  data::Table t;
  auto& n = t.add_text("criterion");
  auto& c = t.add_text("category");
  auto& m = t.add_text("metric");
  auto& def = t.add_text("definition");
  auto& u = t.add_text("unit");
  auto& dir = t.add_integer("direction");
  auto& src = t.add_text("source");
  auto& cells = t.add_integer("cells_with_value");
  for (std::size_t k = 0; k < d.criteria.size(); ++k) {
    const auto& cr = d.criteria[k];
    n.push_back(cr.name);
    c.push_back(cr.category);
    m.push_back(cr.metric);
    def.push_back(cr.definition);
    u.push_back(cr.unit);
    dir.push_back(cr.direction);
    src.push_back(cr.source);
    cells.push_back(static_cast<std::int64_t>(std::count_if(d.values[k].begin(), d.values[k].end(), [](double v) { return std::isfinite(v); })));
  }
  return t;
}

Result run_scorecard(const ScorecardOptions& o, Context& ctx) {
  scorecard::ScorecardData d;
  std::string what;
  std::optional<io::InputReport> none;
  data::Establishments plants;
  data::ActorNetwork net;
  data::Panel exports;
  if (!o.initiatives.empty()) {
    const auto ini = survey::load_initiatives(o.initiatives);
    std::vector<scorecard::InitiativeRow> rows;
    for (const auto& i : ini) rows.push_back({i.name, i.firms, i.employees, i.sales});
    d = scorecard::initiative_metrics(rows, o.region_name);
    what = fmt::format("{} cluster initiatives of {}", rows.size(), o.region_name);
  } else {
    io::ReadOptions ro;
    ro.allow_duplicate_rows = true;
    const auto panel = io::load_employment(o.employment, ro);
    scorecard::ScorecardInput in;
    std::optional<int> year, base;
    if (panel.has_years()) {
      const auto ys = measure::panel_years(panel);
      year = o.year ? static_cast<int>(*o.year) : ys.back();
      if (ys.size() > 1) base = o.from ? static_cast<int>(*o.from) : ys.front();
      if (base && *base >= *year) base.reset();
    }
    in.employment = measure::to_matrix(panel, year, "employment", measure::DuplicateRule::sum, o.employment);
    if (!panel.establishments.empty())
      in.establishments = measure::to_matrix(panel, year, "establishments", measure::DuplicateRule::sum, o.employment).values;
    if (!panel.wages.empty()) in.wages = measure::to_matrix(panel, year, "wages", measure::DuplicateRule::sum, o.employment).values;
    if (base) {
      in.employment_from = measure::to_matrix(panel, base, "employment", measure::DuplicateRule::sum, o.employment).values;
      in.growth_years = *year - *base;
    }
    in.definitions = read_definitions(o.clusters.empty() ? default_clusters() : o.clusters);
    if (!o.regions.empty()) {
      const auto rs = io::load_regions(o.regions);
      in.area_km2.assign(in.employment.regions.size(), std::numeric_limits<double>::quiet_NaN());
      in.region_type.assign(in.employment.regions.size(), "");
      for (std::size_t r = 0; r < in.employment.regions.size(); ++r) {
        const auto id = rs.find(in.employment.regions[r]);
        if (!id.valid()) continue;
        in.area_km2[r] = rs[id].area_km2 > 0 ? rs[id].area_km2 : std::numeric_limits<double>::quiet_NaN();
        in.region_type[r] = std::string(data::to_string(rs[id].level));
      }
    }
    if (!o.establishments.empty()) {
      plants = io::load_establishments(o.establishments);
      in.plants = &plants;
    }
    if (!o.nodes.empty()) {
      net = io::load_network(o.nodes, o.edges, false);
      in.network = &net;
    }
    if (!o.exports.empty()) {
      io::ReadOptions rx;
      rx.allow_duplicate_rows = true;
      exports = io::load_exports(o.exports, rx);
      in.exports = &exports;
    }
    if (!o.io.empty()) {
      io::TableSpec spec;
      spec.what = "io";
      io::ColumnSpec f, t, v;
      f.name = "from";
      f.kind = io::ColumnKind::text;
      t.name = "to";
      t.kind = io::ColumnKind::text;
      v.name = "value";
      v.kind = io::ColumnKind::real;
      v.non_negative = true;
      v.meaning = "a flow from one industry to another";
      spec.columns = {f, t, v};
      const auto tab = io::read_table(o.io, spec);
      for (std::size_t k = 0; k < tab.rows; ++k)
        in.io.push_back({tab.col("from").texts[k], tab.col("to").texts[k], tab.col("value").reals[k]});
    }
    d = scorecard::compute_metrics(in);
    what = fmt::format("{} region-clusters ({} regions × {} clusters{})", d.cells.size(), d.regions.size(), d.clusters.size(),
                       year ? fmt::format(", {}", *year) : "");
  }
  scorecard::BenchmarkParams bp;
  bp.strength = o.strength;
  bp.weakness = o.weakness;
  bp.min_peers = static_cast<std::size_t>(o.min_peers);
  auto b = scorecard::benchmark(d, bp);

  // Composite index per cluster over its regions (initiatives: one index over the initiatives).
  auto [tree, idata] = scorecard::index_inputs(d);
  if (!o.initiatives.empty()) idata.by.assign(idata.units.size(), o.region_name);
  if (!o.initiatives.empty())
    for (std::size_t i = 0; i < idata.units.size(); ++i) idata.units[i] = d.clusters[d.cells[i].second];
  scorecard::PipelineOptions p;
  p.drop_constant = true;
  p.max_missing = 1.0;  // a criterion measured for few regions is skipped where missing
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < idata.by.size(); ++i) groups[idata.by[i]].push_back(i);
  data::Table index;
  auto& ir = index.add_text("region");
  auto& ic = index.add_text("cluster");
  auto& iv = index.add_real("index");
  auto& rk = index.add_integer("rank");
  auto& nr = index.add_integer("regions");
  data::RealColumn *q05 = nullptr, *q50 = nullptr, *q95 = nullptr;
  if (o.uncertainty > 0) {
    q05 = &index.add_real("rank_q05");
    q50 = &index.add_real("rank_median");
    q95 = &index.add_real("rank_q95");
  }
  std::size_t indexed_groups = 0;
  for (const auto& [g, units] : groups) {
    if (units.size() < 3) continue;  // an index needs peers to rank against
    scorecard::CompositeResult r;
    try {
      r = scorecard::compute_index(tree, idata, p, units);
    } catch (const Error&) {
      continue;  // every criterion constant for this cluster: no index
    }
    std::optional<scorecard::UncertaintyResult> u;
    if (o.uncertainty > 0) {
      scorecard::UncertaintyOptions uo;
      uo.draws = static_cast<std::size_t>(o.uncertainty);
      uo.seed = ctx.seed;
      u = scorecard::analyse_uncertainty(tree, idata, p, uo, units);
    }
    ++indexed_groups;
    for (std::size_t i = 0; i < units.size(); ++i) {
      const auto cell = units[i];
      ir.push_back(d.regions[d.cells[cell].first]);
      ic.push_back(d.clusters[d.cells[cell].second]);
      iv.push_back(r.index[i]);
      rk.push_back(r.rank[i]);
      nr.push_back(static_cast<std::int64_t>(units.size()));
      if (u) {
        q05->push_back(u->rank_q05[i]);
        q50->push_back(u->rank_median[i]);
        q95->push_back(u->rank_q95[i]);
      }
    }
  }

  Result res;
  res.tables.emplace_back("scorecard", std::move(b.cards));
  res.tables.emplace_back("missing", missing_table(d));
  res.tables.emplace_back("criteria", criteria_table(d));
  res.tables.emplace_back("peers", std::move(b.peers));
  res.tables.emplace_back("index", std::move(index));
  res.warnings = d.warnings;
  nlohmann::ordered_json crit = nlohmann::ordered_json::array();
  for (const auto& c : d.criteria) crit.push_back(c.name);
  nlohmann::ordered_json miss = nlohmann::ordered_json::array();
  for (const auto& [c, n] : d.missing) miss.push_back({{"criterion", c}, {"needs", n}});
  res.summary_json = nlohmann::ordered_json{{"units", what},
                                            {"cells", d.cells.size()},
                                            {"criteria", crit},
                                            {"missing", miss},
                                            {"strengths", b.strengths},
                                            {"weaknesses", b.weaknesses},
                                            {"robust", b.robust},
                                            {"indexed_clusters", indexed_groups},
                                            {"thresholds", {{"strength", o.strength}, {"weakness", o.weakness}, {"min_peers", o.min_peers}}}}
                         .dump(1);
  std::size_t catalogue_supported = 0;
  for (const auto& c : d.criteria)
    for (const auto& e : scorecard::catalogue()) catalogue_supported += e.criterion == c.name;
  res.headline = fmt::format("scorecard of {}: {} of 17 catalogue criteria from the data ({} missing, see missing.csv); {} strengths, "
                             "{} weaknesses ({} robust across peer groups)",
                             what, catalogue_supported, d.missing.size(), b.strengths, b.weaknesses, b.robust);
  return res;
}

}  // namespace

void register_scorecard_cards(Registry& r) {
  r.add(make_operation<ScorecardOptions>(
      "scorecard", "cluster scorecards: the 17 policy criteria per region × cluster, peer benchmarks, strengths and weaknesses",
      "Measures every criterion of the cluster metrics catalogue (7 categories, 17 criteria) that the inputs support for each "
      "region × cluster: employment (and growth with a panel), business density, export RCA (Balassa 1965), R&D intensity and "
      "patents from establishments, collaboration, knowledge sharing, linkages, supplier ties, institutional support and funding "
      "from the actor network, a wage premium for talent, industry diversity (Pielou 1966 evenness), plus the US Cluster Mapping "
      "Project's strong flag (Delgado, Porter & Stern 2016) and the European Cluster Observatory's stars (ECO 2008) as derived "
      "indicators. Criteria the inputs cannot support are listed in missing.csv with the input that would supply them. Each "
      "region-cluster is benchmarked against the same cluster in the other regions and in peer groups (size terciles, LQ class, "
      "region type): percentile, gap to the peer median and to the best-practice frontier; strength at percentile ≥ 75, weakness "
      "≤ 25, robust when the assessment holds in every peer group. A composite index per cluster ranks its regions (the `index` "
      "pipeline, optionally with rank intervals). The third example runs on `agglo synth --preset tiny -o tiny/`. See "
      "docs/methods/scorecard.md.",
      {"agglo scorecard --employment data/sample/panel_tiny.csv --clusters data/sample/panel_tiny_industries.csv --regions "
       "data/sample/panel_tiny_regions.csv -o cards/",
       "agglo scorecard --initiatives data/sample/kronoberg_cluster_initiatives.csv -o kronoberg/",
       "agglo scorecard --employment tiny/employment.csv --clusters tiny/industries.csv --regions tiny/regions.csv --nodes "
       "tiny/nodes.csv --edges tiny/edges.csv --uncertainty 200 -o tiny_cards/"},
      "a directory: scorecard.csv (region,cluster,criterion,value,percentile,assessment,…,robust), missing.csv (criterion,needs), "
      "criteria.csv (definitions, units, directions, sources), peers.csv (per peer group), index.csv (region,cluster,index,rank[,rank "
      "intervals]), summary.json",
      &run_scorecard));
}

}  // namespace agglo::api
