// `agglo opportunities`: the products (industries) one location could enter next, ranked by
// relatedness density, complexity and complexity outlook gain, each with the path of present
// capabilities that makes it near; plus the location's view of the product space.
// Formulas in include/agglo/complexity/*.hpp; strategy weights in docs/methods/complexity.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "../builtin.hpp"
#include "complexity_settings.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/complexity/complexity.hpp"
#include "agglo/complexity/product_space.hpp"
#include "agglo/io/atomic_file.hpp"
#include "agglo/io/inputs.hpp"

namespace agglo::api {

// Defined in src/api/ops/complexity.cpp (one loader and option mapping for both commands).

namespace {

struct OpportunitiesOptions : complexity_ops::ComplexitySettings {
  std::string exports;
  std::string location;
  std::optional<std::int64_t> year;
  std::string strategy = "balanced";
  std::vector<std::string> weights;
  std::int64_t path = 3;
  std::int64_t top = 0;
  double backbone_min = 0.55;
  std::string graph;

  static void describe(core::OptionSchema<OpportunitiesOptions>& s) {
    s.add("exports", &OpportunitiesOptions::exports, "location × product values CSV (location,product,value[,year])").path().required();
    s.add("location", &OpportunitiesOptions::location, "the location (country, region) to rank opportunities for").required();
    s.add("year", &OpportunitiesOptions::year, "the year of a panel (default: its latest year)");
    complexity_ops::describe_settings(s, "complexity measure used for pci and cog");
    s.add("strategy", &OpportunitiesOptions::strategy, "ranking: low-hanging (near products first: weights density 0.6, pci 0.2, cog 0.2), balanced (0.45, 0.3, 0.25), strategic (complex, far-reaching bets: 0.25, 0.4, 0.35)").choices({"low-hanging", "balanced", "strategic"});
    s.add("weights", &OpportunitiesOptions::weights, "custom weights d,p,g of the z-scored density, pci and cog (overrides --strategy)");
    s.add("path", &OpportunitiesOptions::path, "present products listed as the path to each opportunity (highest proximity first)").min(0).max(100);
    s.add("top", &OpportunitiesOptions::top, "write only the N best-ranked opportunities (0 = all)").min(0);
    s.add("backbone-min", &OpportunitiesOptions::backbone_min, "strong links of the product space side tables: φ ≥ this").min(0);
    s.add("graph", &OpportunitiesOptions::graph,
          "also write the product space backbone as a node-link JSON graph (networkx node_link_data layout; "
          "nodes carry present, rca, density, pci, opportunity_rank and x,y from a seeded force layout) for the dashboard");
  }
  void validate() const {
    if (!graph.empty() && !(graph.size() > 5 && graph.substr(graph.size() - 5) == ".json"))
      throw_usage(ErrorCode::invalid_option_value, "--graph needs a .json file name", "e.g. --graph space.json");
    if (!weights.empty() && weights.size() != 3)
      throw_usage(ErrorCode::invalid_option_value, "--weights needs three numbers: density,pci,cog");
    for (const auto& w : weights) core::parse_real("weights", w);
  }
};

std::vector<double> zscores(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  const double mean = v.empty() ? 0 : s / v.size();
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  const double sd = v.empty() ? 0 : std::sqrt(ss / v.size());
  std::vector<double> z(v.size(), 0.0);
  if (sd > 0)
    for (std::size_t i = 0; i < v.size(); ++i) z[i] = (v[i] - mean) / sd;
  return z;
}

Result run_opportunities(const OpportunitiesOptions& o, Context& ctx) {
  io::ReadOptions ro;
  ro.allow_duplicate_rows = o.duplicates == "sum";
  const auto panel = io::load_exports(o.exports, ro);
  auto years = complexity_ops::years_to_run(panel, o.year, o.exports);
  const auto year = years.back();  // the latest year of a panel by default
  std::vector<std::string> setting_warnings;
  auto su = complexity_ops::setup(o, o.exports, panel, 20, 200, setting_warnings);
  const auto& locations = su.locations;
  // --location COL finds col: codes match exactly, else case-insensitively.
  const auto id = complexity_ops::find_location(locations, o.location);
  if (!id) {
    std::string some;
    for (std::size_t r = 0; r < std::min<std::size_t>(5, locations.size()); ++r)
      some += (some.empty() ? "" : ", ") + locations[r];
    throw_input(ErrorCode::unknown_reference, fmt::format("location '{}' is not in {}", o.location, o.exports),
                Location{o.exports, 0, 0, "location"}, fmt::format("locations in the file include {}", some));
  }
  const std::size_t c = *id;
  const std::string& code = locations[c];
  auto opts = su.options;
  auto year_warnings = complexity_ops::sample_for_year(su, year, opts);
  opts.keep_proximity = true;
  if (opts.rca.left_out[c]) {
    const bool by_population = su.left_out_population[c];
    throw_input(ErrorCode::invalid_value,
                fmt::format("location '{}' is left out of the complexity calculation{}: {}", code,
                            year ? fmt::format(" in {}", *year) : "",
                            by_population ? (std::isfinite(su.population.at(c))
                                                 ? fmt::format("its population, {:.0f}, is below the Atlas floor of {:.0f}",
                                                               su.population[c], su.rule.min_population)
                                                 : fmt::format("it has no population in {}", su.population_source))
                                          : fmt::format("its total exports are below the Atlas floor of {:.0f}",
                                                        su.rule.min_exports)),
                Location{o.exports, 0, 0, "location"},
                by_population ? "--min-population 0 keeps every location in the calculation"
                              : "--min-exports 0 keeps every location in the calculation");
  }
  const auto x = complexity::export_matrix(panel, year);
  const auto a = complexity::analyse(x, opts);
  if (a.rca.location_excluded[c])
    throw_input(ErrorCode::invalid_value,
                fmt::format("location '{}' is excluded{} (zero total, below --min-total, or no population for "
                            "per-capita RCA); it has no opportunities to rank",
                            code, year ? fmt::format(" in {}", *year) : ""),
                Location{o.exports, 0, 0, "value"}, "choose a location with positive values");
  const auto& m = a.rca.m;
  const std::size_t P = x.products.size();
  std::vector<char> present(P, 0);
  for (auto k = m.loc_ptr[c]; k < m.loc_ptr[c + 1]; ++k) present[m.loc_products[k]] = 1;
  // Candidates: products not present in c, observed somewhere, with a defined PCI.
  std::vector<std::size_t> cand;
  for (std::size_t p = 0; p < P; ++p)
    if (!present[p] && !a.rca.product_excluded[p] && std::isfinite(a.pci[p])) cand.push_back(p);
  std::vector<double> d(cand.size()), pc(cand.size()), g(cand.size());
  for (std::size_t i = 0; i < cand.size(); ++i) {
    d[i] = a.outlook.density(c, cand[i]);
    pc[i] = a.pci[cand[i]];
    g[i] = a.outlook.cog(c, cand[i]);
  }
  const auto zd = zscores(d), zp = zscores(pc), zg = zscores(g);
  auto score = [&](double wd, double wp, double wg) {
    std::vector<double> s(cand.size());
    for (std::size_t i = 0; i < cand.size(); ++i) s[i] = wd * zd[i] + wp * zp[i] + wg * zg[i];
    return s;
  };
  std::array<double, 3> w{0.45, 0.3, 0.25};
  if (o.strategy == "low-hanging") w = {0.6, 0.2, 0.2};
  if (o.strategy == "strategic") w = {0.25, 0.4, 0.35};
  if (!o.weights.empty())
    for (int k = 0; k < 3; ++k) w[k] = core::parse_real("weights", o.weights[k]);
  const auto s = score(w[0], w[1], w[2]);
  const auto s_low = score(0.6, 0.2, 0.2), s_str = score(0.25, 0.4, 0.35);
  std::vector<std::size_t> order(cand.size());
  std::iota(order.begin(), order.end(), 0);
  // Highest score first; ties by density, then by product order (deterministic).
  std::stable_sort(order.begin(), order.end(), [&](auto i, auto j) {
    return s[i] != s[j] ? s[i] > s[j] : d[i] > d[j];
  });

  Result res;
  res.warnings = setting_warnings;
  res.warnings.insert(res.warnings.end(), year_warnings.begin(), year_warnings.end());
  res.warnings.insert(res.warnings.end(), a.warnings.begin(), a.warnings.end());
  data::Table t;
  auto& prod = t.add_text("product");
  const bool prod_names = !su.product_names.name.empty() && su.product_names.matched > 0;
  auto& den = t.add_real("density");
  auto& pci = t.add_real("pci");
  auto& cog = t.add_real("cog");
  auto& rank = t.add_integer("rank");
  auto& sc = t.add_real("score");
  auto& sl = t.add_real("score_low_hanging");
  auto& ss = t.add_real("score_strategic");
  auto& rca = t.add_real("rca");
  auto& path = t.add_text("path");
  std::vector<std::int64_t> rank_of(P, 0);
  const std::size_t n = o.top > 0 ? std::min<std::size_t>(order.size(), static_cast<std::size_t>(o.top)) : order.size();
  for (std::size_t r = 0; r < order.size(); ++r) rank_of[cand[order[r]]] = static_cast<std::int64_t>(r + 1);
  for (std::size_t r = 0; r < n; ++r) {
    const auto i = order[r];
    const auto p = cand[i];
    prod.push_back(x.products[p]);
    den.push_back(d[i]);
    pci.push_back(pc[i]);
    cog.push_back(g[i]);
    rank.push_back(static_cast<std::int64_t>(r + 1));
    sc.push_back(s[i]);
    sl.push_back(s_low[i]);
    ss.push_back(s_str[i]);
    rca.push_back(a.rca.rca(c, p));
    // The path: the present products closest to p, i.e. the capabilities that make p near.
    std::vector<std::pair<double, std::uint32_t>> near;
    for (auto k = m.loc_ptr[c]; k < m.loc_ptr[c + 1]; ++k) {
      const auto q = m.loc_products[k];
      if (a.phi(p, q) > 0) near.emplace_back(a.phi(p, q), q);
    }
    const std::size_t kk = std::min<std::size_t>(near.size(), static_cast<std::size_t>(o.path));
    std::partial_sort(near.begin(), near.begin() + kk, near.end(),
                      [](const auto& u, const auto& v) { return u.first != v.first ? u.first > v.first : u.second < v.second; });
    std::string text;
    for (std::size_t k = 0; k < kk; ++k)
      text += fmt::format("{}{}:{:.3f}", k ? ";" : "", x.products[near[k].second], near[k].first);
    path.push_back(text);
  }
  res.tables.emplace_back("opportunities", std::move(t));

  // The location's product space: nodes with its present products marked, backbone edges.
  data::Table nodes;
  auto& np = nodes.add_text("product");
  auto& npr = nodes.add_integer("present");
  auto& nr = nodes.add_real("rca");
  auto& nd = nodes.add_real("density");
  auto& npc = nodes.add_real("pci");
  auto& nk = nodes.add_integer("opportunity_rank");
  std::vector<bool> active(P);
  for (std::size_t p = 0; p < P; ++p) {
    active[p] = m.ubiquity[p] > 0;
    if (a.rca.product_excluded[p]) continue;
    np.push_back(x.products[p]);
    npr.push_back(present[p]);
    nr.push_back(a.rca.rca(c, p));
    nd.push_back(a.outlook.density(c, p));
    npc.push_back(a.pci[p]);
    nk.push_back(rank_of[p]);
  }
  data::Table edges;
  auto& ea = edges.add_text("product_a");
  auto& eb = edges.add_text("product_b");
  auto& ev = edges.add_real("proximity");
  auto& et = edges.add_integer("tree");
  const auto bb = complexity::backbone(a.phi, active, o.backbone_min);
  for (const auto& e : bb) {
    ea.push_back(x.products[e.a]);
    eb.push_back(x.products[e.b]);
    ev.push_back(e.proximity);
    et.push_back(e.in_tree);
  }
  if (!o.graph.empty()) {
    // networkx's node_link_data shape (directed, multigraph, graph, nodes, links), so
    // nx.node_link_graph() and d3 read it as is; NaN values become null.
    const auto xy = complexity::backbone_layout(P, active, bb, ctx.seed);
    auto num = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr); };
    nlohmann::ordered_json gnodes = nlohmann::ordered_json::array(), glinks = nlohmann::ordered_json::array();
    for (std::size_t p = 0; p < P; ++p) {
      if (!active[p]) continue;
      gnodes.push_back({{"id", x.products[p]},
                        {"present", present[p] != 0},
                        {"rca", num(a.rca.rca(c, p))},
                        {"density", num(a.outlook.density(c, p))},
                        {"pci", num(a.pci[p])},
                        {"opportunity_rank", rank_of[p] > 0 ? nlohmann::ordered_json(rank_of[p]) : nlohmann::ordered_json(nullptr)},
                        {"x", num(xy[p].first)},
                        {"y", num(xy[p].second)}});
    }
    for (const auto& e : bb)
      glinks.push_back({{"source", x.products[e.a]}, {"target", x.products[e.b]}, {"proximity", e.proximity}, {"tree", e.in_tree}});
    const nlohmann::ordered_json doc{
        {"directed", false},
        {"multigraph", false},
        {"graph", {{"location", code},
                   {"year", year ? nlohmann::ordered_json(*year) : nlohmann::ordered_json(nullptr)},
                   {"backbone_min", o.backbone_min},
                   {"layout", "fruchterman-reingold"},
                   {"seed", ctx.seed}}},
        {"nodes", gnodes},
        {"links", glinks}};
    io::AtomicFile f(o.graph);
    f.write(doc.dump(1));
    f.write("\n");
    f.commit();
    res.files.push_back(o.graph);
  }
  res.tables.emplace_back("space_nodes", std::move(nodes));
  res.tables.emplace_back("space_edges", std::move(edges));
  res.summary_json = nlohmann::ordered_json{{"location", code},
                                            {"year", year ? nlohmann::ordered_json(*year) : nlohmann::ordered_json(nullptr)},
                                            {"eci", a.eci[c]},
                                            {"coi", a.outlook.coi[c]},
                                            {"diversity", m.diversity[c]},
                                            {"candidates", cand.size()},
                                            {"strategy", o.weights.empty() ? o.strategy : "custom"},
                                            {"weights", {{"density", w[0]}, {"pci", w[1]}, {"cog", w[2]}}},
                                            {"cog_convention", o.cog_convention},
                                            {"sample", su.sample_json()},
                                            {"warnings", res.warnings}}
                         .dump(1);
  const std::string who = su.location_names.name.empty() || su.location_names.name[c].empty()
                              ? code
                              : fmt::format("{} ({})", su.location_names.name[c], code);
  std::string best;
  for (std::size_t r = 0; r < std::min<std::size_t>(3, order.size()); ++r) {
    const auto p = cand[order[r]];
    const bool named = prod_names && !su.product_names.name[p].empty();
    best += (r ? "; " : "") + (named ? fmt::format("{} {}", x.products[p], su.product_names.name[p]) : x.products[p]);
  }
  res.headline = fmt::format("{}: {} candidate products ranked ({} strategy), ECI {:.2f}{}", who, cand.size(),
                             o.weights.empty() ? o.strategy : "custom", a.eci[c], best.empty() ? "" : "; first: " + best);
  return res;
}

}  // namespace

void register_opportunities(Registry& r) {
  r.add(make_operation<OpportunitiesOptions>(
      "opportunities", "rank the new products or industries a location could enter",
      "For one location, every product it does not yet have (M_cp = 0) with its relatedness "
      "density d_cp (how much of the know-how it needs is already present), its complexity PCI "
      "and its complexity outlook gain COG (how much entering it would open up), ranked by a "
      "weighted sum of the three z-scored across candidates: 'low-hanging' fruit favours "
      "density, 'strategic' bets favour PCI and COG, 'balanced' sits between (Hausmann et al. "
      "2014; Hidalgo et al. 2007). Density, PCI and COG come from the same calculation as "
      "`agglo complexity` (by default the Atlas country sample and py-ecomplexity's COG). The path "
      "column lists the present products most proximate to each opportunity. Side tables "
      "space_nodes and space_edges draw the product space backbone with the location's products "
      "marked. --location matches the code case-insensitively. See docs/methods/complexity.md.",
      {"agglo opportunities --exports data/reference/world_exports_sitc4_avg_1998_2000.csv --location tha -o tha.csv",
       "agglo opportunities --exports data/reference/world_exports_sitc4_avg_1998_2000.csv --location COL --strategy strategic --top 50 -o col_strategic.csv",
       "agglo opportunities --exports data/reference/world_exports_sitc4_avg_1998_2000.csv --location kor --graph kor_space.json -o kor/"},
      "product,density,pci,cog,rank,score,score_low_hanging,score_strategic,rca,path[,name] (+ space_nodes, space_edges side tables; --graph FILE.json the backbone as a graph)",
      &run_opportunities));
}

}  // namespace agglo::api
