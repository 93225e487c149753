// `agglo network` and `agglo triple-helix`: actor networks of cluster initiatives (Osarenkhoe & Fjellström 2017,
// the IMP network approach, Schüßler, Decker & Lerch 2013) — centralities, structural holes, Gould–Fernandez brokerage, communities,
// multi-level cluster measures and a Provan & Kenis governance diagnosis; and Leydesdorff's
// Triple Helix synergy. Methods in include/agglo/network/*.hpp and docs/methods/network.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <map>
#include <optional>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/network/brokerage.hpp"
#include "agglo/network/centrality.hpp"
#include "agglo/network/communities.hpp"
#include "agglo/network/governance.hpp"
#include "agglo/network/graph.hpp"
#include "agglo/network/multilevel.hpp"
#include "agglo/network/network_inputs.hpp"
#include "agglo/network/structural_holes.hpp"
#include "agglo/network/triple_helix.hpp"

namespace agglo::api {

namespace {

using Json = nlohmann::ordered_json;

struct NetworkOptions {
  std::string nodes, edges, io;
  bool directed = false;
  std::string group = "group";
  std::string missing_group = "error";
  std::string cluster = "cluster";
  std::string duplicate_edges = "error";
  std::string self_loops = "drop";
  bool ignore_weights = false;
  std::string betweenness = "auto";
  std::int64_t betweenness_samples = 256;
  double exact_budget = 2e9;
  std::string path_weights = "none";
  std::string communities = "leiden";
  double resolution = 1.0;
  std::int64_t community_runs = 10;
  bool no_governance = false;
  std::string goals;
  double goal_scale_min = 1, goal_scale_max = 5;
  std::vector<std::string> trust_types = {"trust"};
  std::vector<std::string> project_types = {"project", "funding"};
  std::vector<std::string> administrative_types = {"network_administrative_organisation"};
  double nao_share = 0.3, lead_centralization = 0.5;
  double trust_high = 0.75, trust_low = 0.35;
  std::int64_t participants_few = 50, participants_many = 200;
  double consensus_high = 0.8, consensus_low = 0.6;
  double competence_high = 0.4, competence_low = 0.15;

  static void describe(core::OptionSchema<NetworkOptions>& s) {
    s.add("nodes", &NetworkOptions::nodes, "nodes CSV: id[,type,group,cluster,region,…]").path();
    s.add("edges", &NetworkOptions::edges, "edges CSV: source,target[,weight,type,level]").path();
    s.add("io", &NetworkOptions::io, "instead of nodes/edges: an industry × industry input–output table from,to,value read as a weighted directed graph").path();
    s.add("directed", &NetworkOptions::directed, "ties are directed (source → target)");
    s.add("group", &NetworkOptions::group, "node column whose values are the groups of the Gould–Fernandez brokerage roles");
    s.add("missing-group", &NetworkOptions::missing_group, "nodes with an empty group: error; skip (never endpoints, brokers of a group of their own); own (each a group of its own)").choices({"error", "skip", "own"});
    s.add("cluster", &NetworkOptions::cluster, "node column naming the member cluster of each organisation (empty: outside every cluster)");
    s.add("duplicate-edges", &NetworkOptions::duplicate_edges, "a tie given twice (a-b and b-a are the same undirected tie): error, sum or max of the weights").choices({"error", "sum", "max"});
    s.add("self-loops", &NetworkOptions::self_loops, "ties of a node to itself: drop (with a warning) or error").choices({"drop", "error"});
    s.add("ignore-weights", &NetworkOptions::ignore_weights, "treat every tie as weight 1");
    s.add("betweenness", &NetworkOptions::betweenness, "betweenness: exact, sampled (Brandes–Pich), none, or auto (exact when nodes × ties ≤ --exact-budget)").choices({"auto", "exact", "sampled", "none"});
    s.add("betweenness-samples", &NetworkOptions::betweenness_samples, "source nodes for sampled betweenness and cross-cluster brokerage").min(1);
    s.add("exact-budget", &NetworkOptions::exact_budget, "nodes × ties up to which betweenness, closeness and cross-cluster brokerage are exact").min(0);
    s.add("path-weights", &NetworkOptions::path_weights, "path lengths for betweenness/closeness: none (hop counts) or inverse (1/weight)").choices({"none", "inverse"});
    s.add("communities", &NetworkOptions::communities, "community detection by modularity: leiden, louvain or none").choices({"leiden", "louvain", "none"});
    s.add("resolution", &NetworkOptions::resolution, "modularity resolution γ (1 = Newman–Girvan)").min(0);
    s.add("community-runs", &NetworkOptions::community_runs, "independent seeded starts of Leiden/Louvain (start r seeds igraph from (--seed, r): the same result for any --threads); the partition of highest modularity is kept. The default 10 finds the best known modularity of Zachary's karate club, 0.4198, where a single start can stop as low as 0.39").min(1).max(1000);
    s.add("no-governance", &NetworkOptions::no_governance, "skip the multi-level measures and the Provan & Kenis governance diagnosis");
    s.add("goals", &NetworkOptions::goals, "goal-rating table participant,goal,rating for goal consensus").path();
    s.add("goal-scale-min", &NetworkOptions::goal_scale_min, "lowest possible rating");
    s.add("goal-scale-max", &NetworkOptions::goal_scale_max, "highest possible rating");
    s.add("trust-types", &NetworkOptions::trust_types, "tie types that are trust ties");
    s.add("project-types", &NetworkOptions::project_types, "tie types that are joint-project ties (need for network-level competencies)");
    s.add("administrative-types", &NetworkOptions::administrative_types, "node types of administrative organisations (used when there is no cluster column)");
    s.add("nao-share", &NetworkOptions::nao_share, "share of cross-cluster paths an outside organisation must broker to be a network administrative organisation").min(0).max(1);
    s.add("lead-centralization", &NetworkOptions::lead_centralization, "degree centralization of the inter-cluster ties from which one organisation leads").min(0).max(1);
    s.add("trust-high", &NetworkOptions::trust_high, "trust density from which trust is high").min(0).max(1);
    s.add("trust-low", &NetworkOptions::trust_low, "trust density below which trust is low").min(0).max(1);
    s.add("participants-few", &NetworkOptions::participants_few, "at most this many organisations are few").min(1);
    s.add("participants-many", &NetworkOptions::participants_many, "at least this many organisations are many").min(1);
    s.add("consensus-high", &NetworkOptions::consensus_high, "goal consensus from which it is high").min(0).max(1);
    s.add("consensus-low", &NetworkOptions::consensus_low, "goal consensus below which it is moderately low").min(0).max(1);
    s.add("competence-high", &NetworkOptions::competence_high, "joint-project share of ties leaving a cluster from which the need for network-level competencies is high").min(0).max(1);
    s.add("competence-low", &NetworkOptions::competence_low, "joint-project share below which the need is low").min(0).max(1);
  }
  void validate() const {
    if (io.empty() && (nodes.empty() || edges.empty()))
      throw_usage(ErrorCode::missing_option, "give --nodes and --edges, or --io", "agglo network --nodes nodes.csv --edges edges.csv -o out/");
    if (!io.empty() && (!nodes.empty() || !edges.empty()))
      throw_usage(ErrorCode::invalid_option_value, "--io replaces --nodes/--edges; give one or the other");
    if (trust_low > trust_high) throw_usage(ErrorCode::invalid_option_value, "--trust-low must not exceed --trust-high");
    if (consensus_low > consensus_high) throw_usage(ErrorCode::invalid_option_value, "--consensus-low must not exceed --consensus-high");
    if (competence_low > competence_high) throw_usage(ErrorCode::invalid_option_value, "--competence-low must not exceed --competence-high");
    if (participants_few >= participants_many) throw_usage(ErrorCode::invalid_option_value, "--participants-few must be below --participants-many");
    if (goal_scale_max <= goal_scale_min) throw_usage(ErrorCode::invalid_option_value, "--goal-scale-max must exceed --goal-scale-min");
  }
};

double nan_v() { return std::nan(""); }

Json num(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

// Interns per-node labels into group indices; "" per the missing policy.
std::vector<std::int32_t> group_index(const std::vector<std::string>& labels, std::vector<std::string>& names,
                                      bool empty_is_own, const std::vector<std::string>& ids) {
  std::map<std::string, std::int32_t> index;
  std::vector<std::int32_t> out(labels.size(), -1);
  for (std::size_t v = 0; v < labels.size(); ++v) {
    std::string key = labels[v];
    if (key.empty()) {
      if (!empty_is_own) continue;
      key = "(" + ids[v] + ")";
    }
    auto [it, fresh] = index.try_emplace(key, static_cast<std::int32_t>(names.size()));
    if (fresh) names.push_back(key);
    out[v] = it->second;
  }
  return out;
}

Result run_network(const NetworkOptions& o, Context& ctx) {
  using clock = std::chrono::steady_clock;
  Json timings = Json::object();
  auto t0 = clock::now();
  auto lap = [&](const char* what) {
    const auto t1 = clock::now();
    timings[what] = std::chrono::duration<double>(t1 - t0).count();
    t0 = t1;
  };
  Result res;
  // ---- Inputs -------------------------------------------------------------------------------
  data::ActorNetwork net;
  std::vector<std::uint64_t> io_lines;
  const bool from_io = !o.io.empty();
  if (from_io) net = network::load_io_network(o.io, &io_lines);
  else net = io::load_network(o.nodes, o.edges, o.directed);
  const std::string edges_file = from_io ? o.io : o.edges;
  if (net.nodes() == 0)
    throw_input(ErrorCode::empty_input, "the network has no nodes", Location{from_io ? o.io : o.nodes, 0, 0, ""},
                "give at least two nodes and one tie");
  lap("read");
  network::GraphOptions go;
  go.duplicates = o.duplicate_edges == "sum" ? network::DuplicateTies::sum
                  : o.duplicate_edges == "max" ? network::DuplicateTies::max : network::DuplicateTies::error;
  go.self_loops = o.self_loops == "error" ? network::SelfLoops::error : network::SelfLoops::drop;
  go.use_weights = !o.ignore_weights;
  go.edges_file = edges_file;
  std::optional<std::vector<std::uint64_t>> lines;
  go.line_of = [&](std::size_t k) -> std::uint64_t {
    if (from_io) return k < io_lines.size() ? io_lines[k] : 0;
    if (!lines) lines = network::edge_lines(o.edges);
    return k < lines->size() ? (*lines)[k] : 0;
  };
  std::vector<std::string> warnings;
  const auto g = network::Graph::from_actor_network(net, go, &warnings);
  if (g.edges() == 0)
    throw_input(ErrorCode::empty_input, "the network has no ties (after dropping self-loops)", Location{edges_file, 0, 0, ""},
                "every measure here needs at least one tie between two different nodes");
  lap("graph");
  const std::size_t n = g.n;
  std::vector<std::string> ids(n);
  for (std::uint32_t v = 0; v < n; ++v) ids[v] = std::string(net.ids.name(v));

  // Groups for brokerage, clusters for levels.
  std::vector<std::string> group_names;
  std::vector<std::int32_t> group;
  bool have_groups = false;
  if (!from_io) {
    const auto attr = network::read_node_attribute(o.nodes, o.group, net.ids);
    std::size_t missing = 0;
    for (const auto& s : attr.values) missing += s.empty();
    if (!attr.present && o.group != "group")
      throw_input(ErrorCode::missing_column, fmt::format("the nodes file has no column '{}' (--group)", o.group),
                  Location{o.nodes, 1, 0, o.group}, "name a column of the nodes file, e.g. --group type");
    if (!attr.present || missing == n) {
      warnings.push_back(fmt::format("no values in node column '{}': brokerage roles not computed (give --group COLUMN)", o.group));
    } else {
      if (missing && o.missing_group == "error")
        for (std::uint32_t v = 0; v < n; ++v)
          if (attr.values[v].empty())
            throw_input(ErrorCode::invalid_value, fmt::format("node '{}' has no {} ({} of {} nodes have none)", ids[v], o.group, missing, n),
                        Location{o.nodes, attr.lines[v], 0, o.group},
                        "give every node a group, or choose --missing-group skip or own");
      if (missing) warnings.push_back(fmt::format("{} node(s) without {}: {}", missing, o.group,
                                                  o.missing_group == "skip" ? "not counted as endpoints of two-paths" : "each a group of its own"));
      group = group_index(attr.values, group_names, o.missing_group == "own", ids);
      have_groups = true;
    }
  }
  std::vector<std::string> cluster_names;
  std::vector<std::int32_t> cluster(n, -1);
  if (!from_io && !o.no_governance) {
    const auto attr = network::read_node_attribute(o.nodes, o.cluster, net.ids);
    if (attr.present) cluster = group_index(attr.values, cluster_names, false, ids);
  }

  // ---- Measures -----------------------------------------------------------------------------
  network::CentralityOptions co;
  co.betweenness = o.betweenness == "exact" ? network::BetweennessMode::exact
                   : o.betweenness == "sampled" ? network::BetweennessMode::sampled
                   : o.betweenness == "none" ? network::BetweennessMode::none : network::BetweennessMode::automatic;
  co.samples = o.betweenness_samples;
  co.exact_budget = o.exact_budget;
  co.path_weights = o.path_weights == "inverse";
  co.seed = ctx.seed;
  const auto c = network::centrality(g, co);
  for (const auto& w : c.warnings) warnings.push_back(w);
  lap("centrality");
  const auto sh = network::structural_holes(g);
  lap("structural_holes");
  std::optional<network::Brokerage> br;
  if (have_groups) br = network::brokerage(g, group, group_names.size());
  lap("brokerage");
  std::optional<network::Communities> comm;
  if (o.communities != "none") {
    network::CommunityOptions cmo;
    cmo.method = o.communities == "louvain" ? network::CommunityMethod::louvain : network::CommunityMethod::leiden;
    cmo.resolution = o.resolution;
    cmo.runs = o.community_runs;
    cmo.use_weights = !o.ignore_weights;
    cmo.seed = ctx.seed;
    comm = network::communities(g, cmo);
  }
  lap("communities");
  const auto cuts = network::cut_structure(g);
  lap("cut_structure");
  std::optional<network::ClusterLevels> levels;
  std::optional<network::GovernanceDiagnosis> gov;
  std::vector<std::string> tie_type(g.edges());
  for (std::size_t k = 0; k < g.edges(); ++k) tie_type[k] = net.edge_type.empty() ? "" : net.edge_type[g.origin[k]];
  if (!o.no_governance) {
    std::vector<char> trust(g.edges(), 0);
    for (std::size_t k = 0; k < g.edges(); ++k)
      trust[k] = std::find(o.trust_types.begin(), o.trust_types.end(), tie_type[k]) != o.trust_types.end();
    network::MultilevelOptions mo;
    mo.exact_budget = o.exact_budget;
    mo.samples = o.betweenness_samples;
    mo.seed = ctx.seed;
    levels = network::cluster_levels(g, cluster, cluster_names.size(), trust, mo);
    std::optional<network::GoalRatings> goals;
    if (!o.goals.empty()) goals = network::load_goal_ratings(o.goals, o.goal_scale_min, o.goal_scale_max);
    network::GovernanceOptions gvo;
    gvo.nao_share = o.nao_share;
    gvo.lead_centralization = o.lead_centralization;
    gvo.trust_high = o.trust_high;
    gvo.trust_low = o.trust_low;
    gvo.participants_few = o.participants_few;
    gvo.participants_many = o.participants_many;
    gvo.consensus_high = o.consensus_high;
    gvo.consensus_low = o.consensus_low;
    gvo.competence_high = o.competence_high;
    gvo.competence_low = o.competence_low;
    gvo.administrative_types = o.administrative_types;
    gov = network::diagnose_governance(g, ids, net.type, tie_type, *levels, goals ? &*goals : nullptr, o.trust_types,
                                       o.project_types, gvo);
  }
  lap("governance");

  // ---- Tables -------------------------------------------------------------------------------
  data::Table t;
  t.add_text("id", ids);
  t.add_real("degree", c.degree);
  t.add_real("betweenness", c.betweenness);
  t.add_real("closeness", c.closeness);
  t.add_real("eigenvector", c.eigenvector);
  t.add_real("constraint", sh.constraint);
  t.add_real("effective_size", sh.effective_size);
  for (int r = 0; r < 5; ++r) {
    auto& col = t.add_real(network::brokerage_role_columns[static_cast<std::size_t>(r)]);
    for (std::size_t v = 0; v < n; ++v) col.push_back(br ? br->raw[v][static_cast<std::size_t>(r)] : nan_v());
  }
  {
    auto& col = t.add_integer("community");
    for (std::size_t v = 0; v < n; ++v) col.push_back(comm ? comm->membership[v] : -1);
  }
  t.add_text("type", net.type);
  {
    auto& col = t.add_text("group");
    for (std::size_t v = 0; v < n; ++v) col.push_back(have_groups && group[v] >= 0 ? group_names[static_cast<std::size_t>(group[v])] : "");
    auto& cc = t.add_text("cluster");
    for (std::size_t v = 0; v < n; ++v) cc.push_back(cluster[v] >= 0 ? cluster_names[static_cast<std::size_t>(cluster[v])] : "");
  }
  if (g.directed) {
    t.add_real("in_degree", c.in_degree);
    t.add_real("out_degree", c.out_degree);
  }
  t.add_real("strength", c.strength);
  t.add_integer("coreness", c.coreness);
  {
    auto& tot = t.add_real("brokerage");
    for (std::size_t v = 0; v < n; ++v) tot.push_back(br ? br->raw[v][5] : nan_v());
    for (int r = 0; r < 6; ++r) {
      auto& col = t.add_real(std::string("z_") + (r < 5 ? network::brokerage_role_columns[static_cast<std::size_t>(r)] : "brokerage"));
      for (std::size_t v = 0; v < n; ++v) col.push_back(br ? br->z[v][static_cast<std::size_t>(r)] : nan_v());
    }
  }
  {
    auto& cp = t.add_integer("cut_point");
    for (std::size_t v = 0; v < n; ++v) cp.push_back(cuts.cut_point[v]);
  }
  if (levels) {
    t.add_real("ties_inside_cluster", levels->inside_ties);
    t.add_real("ties_across_clusters", levels->across_ties);
    t.add_real("ties_outside_clusters", levels->external_ties);
    t.add_real("cross_cluster_brokerage", levels->cross_cluster_betweenness);
  }
  res.tables.emplace_back("nodes", std::move(t));

  Json brokerage_json = nullptr;
  if (br) {
    data::Table b;
    auto& role = b.add_text("role");
    auto& column = b.add_text("column");
    auto& obs = b.add_real("observed");
    auto& ex = b.add_real("expected");
    auto& sd = b.add_real("sd");
    auto& z = b.add_real("z");
    brokerage_json = Json::object();
    for (int r = 0; r < 6; ++r) {
      const auto ru = static_cast<std::size_t>(r);
      role.push_back(r < 5 ? network::brokerage_role_names[ru] : "total");
      column.push_back(r < 5 ? network::brokerage_role_columns[ru] : "t");
      obs.push_back(br->global_raw[ru]);
      ex.push_back(br->global_expected[ru]);
      sd.push_back(br->global_sd[ru]);
      z.push_back(br->global_z[ru]);
      brokerage_json[role.back()] = {{"observed", br->global_raw[ru]}, {"expected", num(br->global_expected[ru])},
                                     {"z", num(br->global_z[ru])}};
    }
    res.tables.emplace_back("brokerage", std::move(b));
    data::Table bg;
    auto& gname = bg.add_text("group");
    auto& gsize = bg.add_integer("size");
    std::vector<data::RealColumn*> cols;
    for (int r = 0; r < 6; ++r) {
      const std::string base = r < 5 ? network::brokerage_role_columns[static_cast<std::size_t>(r)] : "t";
      cols.push_back(&bg.add_real("expected_" + base));
      cols.push_back(&bg.add_real("sd_" + base));
    }
    for (std::size_t k = 0; k < group_names.size(); ++k) {
      gname.push_back(group_names[k]);
      gsize.push_back(static_cast<std::int64_t>(br->group_size[k]));
      for (int r = 0; r < 6; ++r) {
        cols[static_cast<std::size_t>(2 * r)]->push_back(br->group_moments[k].expected[static_cast<std::size_t>(r)]);
        cols[static_cast<std::size_t>(2 * r + 1)]->push_back(br->group_moments[k].sd[static_cast<std::size_t>(r)]);
      }
    }
    res.tables.emplace_back("brokerage_groups", std::move(bg));
  }
  if (comm) {
    data::Table ct;
    auto& id = ct.add_integer("community");
    auto& size = ct.add_integer("size");
    auto& inside = ct.add_integer("ties_inside");
    auto& members = ct.add_text("largest_members");
    std::vector<std::int64_t> sz(comm->count, 0), in(comm->count, 0);
    std::vector<std::vector<std::pair<double, std::uint32_t>>> top(comm->count);
    for (std::uint32_t v = 0; v < n; ++v) {
      ++sz[static_cast<std::size_t>(comm->membership[v])];
      top[static_cast<std::size_t>(comm->membership[v])].emplace_back(-c.degree[v], v);
    }
    for (std::size_t k = 0; k < g.edges(); ++k)
      if (comm->membership[g.source[k]] == comm->membership[g.target[k]]) ++in[static_cast<std::size_t>(comm->membership[g.source[k]])];
    for (std::size_t k = 0; k < comm->count; ++k) {
      id.push_back(static_cast<std::int64_t>(k));
      size.push_back(sz[k]);
      inside.push_back(in[k]);
      std::sort(top[k].begin(), top[k].end());
      std::string s;
      for (std::size_t i = 0; i < std::min<std::size_t>(5, top[k].size()); ++i) s += (i ? ";" : "") + ids[top[k][i].second];
      members.push_back(s);
    }
    res.tables.emplace_back("communities", std::move(ct));
  }
  {
    data::Table bt;
    auto& a = bt.add_text("source");
    auto& b = bt.add_text("target");
    for (const auto& [u, v] : cuts.bridges) {
      a.push_back(ids[u]);
      b.push_back(ids[v]);
    }
    res.tables.emplace_back("bridges", std::move(bt));
  }
  Json levels_json = nullptr, gov_json = nullptr;
  if (levels && !cluster_names.empty()) {
    data::Table lt;
    auto& name = lt.add_text("cluster");
    auto& size = lt.add_integer("organisations");
    auto& inside = lt.add_integer("ties_inside");
    auto& across = lt.add_integer("ties_across");
    auto& outside = lt.add_integer("ties_outside");
    auto& dens = lt.add_real("density_inside");
    auto& broker = lt.add_text("top_cross_cluster_broker");
    for (std::size_t k = 0; k < cluster_names.size(); ++k) {
      name.push_back(cluster_names[k]);
      const double s = static_cast<double>(levels->cluster_size[k]);
      size.push_back(static_cast<std::int64_t>(levels->cluster_size[k]));
      inside.push_back(static_cast<std::int64_t>(levels->cluster_inside[k]));
      across.push_back(static_cast<std::int64_t>(levels->cluster_across[k]));
      outside.push_back(static_cast<std::int64_t>(levels->cluster_external[k]));
      dens.push_back(s > 1 ? static_cast<double>(levels->cluster_inside[k]) / (s * (s - 1) / (g.directed ? 1 : 2)) : nan_v());
      std::int64_t best = -1;
      for (std::uint32_t v = 0; v < n; ++v)
        if (cluster[v] == static_cast<std::int32_t>(k) &&
            (best < 0 || levels->cross_cluster_betweenness[v] > levels->cross_cluster_betweenness[static_cast<std::size_t>(best)]))
          best = v;
      broker.push_back(best >= 0 ? ids[static_cast<std::size_t>(best)] : "");
    }
    res.tables.emplace_back("clusters", std::move(lt));
    data::Table pt;
    auto& pa = pt.add_text("cluster_a");
    auto& pb = pt.add_text("cluster_b");
    auto& pties = pt.add_integer("ties");
    auto& ptrust = pt.add_integer("trust_ties");
    for (const auto& p : levels->pairs) {
      pa.push_back(cluster_names[static_cast<std::size_t>(p.a)]);
      pb.push_back(cluster_names[static_cast<std::size_t>(p.b)]);
      pties.push_back(static_cast<std::int64_t>(p.ties));
      ptrust.push_back(static_cast<std::int64_t>(p.trust_ties));
    }
    res.tables.emplace_back("cluster_ties", std::move(pt));
    const double all = static_cast<double>(g.edges());
    levels_json = {{"clusters", cluster_names.size()},
                   {"ties_inside", levels->ties_inside},
                   {"ties_across", levels->ties_across},
                   {"ties_outside", levels->ties_external},
                   {"share_across", static_cast<double>(levels->ties_across) / all},
                   {"inter_cluster_centralization", levels->inter_cluster_centralization},
                   {"cluster_trust_density", levels->cluster_trust_density},
                   {"central_broker", levels->top_broker >= 0 ? ids[static_cast<std::size_t>(levels->top_broker)] : ""},
                   {"central_broker_share", levels->top_share},
                   {"central_broker_outside_clusters", levels->top_broker >= 0 && cluster[static_cast<std::size_t>(levels->top_broker)] < 0},
                   {"cross_cluster_brokerage_method", levels->betweenness_method}};
  }
  if (gov) {
    data::Table gt;
    auto& name = gt.add_text("contingency");
    auto& value = gt.add_real("value");
    auto& level = gt.add_text("level");
    auto& rule = gt.add_text("rule");
    auto& sug = gt.add_text("suggests");
    Json cont = Json::array();
    for (const auto& m : gov->contingencies) {
      name.push_back(m.name);
      value.push_back(m.value);
      level.push_back(m.level);
      rule.push_back(m.rule);
      sug.push_back(m.suggests);
      cont.push_back({{"name", m.name}, {"value", num(m.value)}, {"level", m.level}, {"suggests", m.suggests}});
    }
    res.tables.emplace_back("governance", std::move(gt));
    Json suggested = Json::array();
    for (auto f : gov->suggested) suggested.push_back(network::governance_form_name(f));
    gov_json = {{"observed_form", network::governance_form_name(gov->observed)},
                {"observed", gov->observed_type},
                {"central_organisation", gov->central_organisation},
                {"central_share", gov->central_share},
                {"central_outside_clusters", gov->central_external},
                {"suggested_forms", suggested},
                {"suggested", gov->suggested_type},
                {"contingencies", cont},
                {"reasoning", gov->reasoning}};
    res.text = "Governance diagnosis (Provan & Kenis 2008)\n";
    for (const auto& s : gov->reasoning) res.text += "  " + s + "\n";
  }
  Json summary = {{"nodes", n},
                  {"ties", g.edges()},
                  {"directed", g.directed},
                  {"density", num(c.density)},
                  {"centralization", {{"degree", num(c.degree_centralization)}, {"betweenness", num(c.betweenness_centralization)}}},
                  {"components", cuts.components},
                  {"bridges", cuts.bridges.size()},
                  {"cut_points", std::count(cuts.cut_point.begin(), cuts.cut_point.end(), 1)},
                  {"betweenness_method", c.betweenness_method},
                  {"betweenness_error_bound", std::isnan(c.betweenness_error_per_node)
                                                  ? Json(nullptr)
                                                  : Json{{"alpha", c.betweenness_error_alpha},
                                                         {"per_node", c.betweenness_error_per_node},
                                                         {"all_nodes", c.betweenness_error_all_nodes},
                                                         {"bound", "Hoeffding 1963, sampling without replacement"}}},
                  {"closeness_method", c.closeness_method},
                  {"community_method", o.communities},
                  {"communities", comm ? Json(comm->count) : Json(nullptr)},
                  {"modularity", comm ? num(comm->modularity) : Json(nullptr)},
                  {"resolution", o.resolution},
                  {"group", have_groups ? Json(o.group) : Json(nullptr)},
                  {"brokerage", brokerage_json},
                  {"levels", levels_json},
                  {"governance", gov_json},
                  {"seed", ctx.seed},
                  {"warnings", warnings}};
  if (ctx.timings) summary["seconds"] = timings;
  if (comm) summary["community_runs_modularity"] = comm->run_modularity;
  res.summary_json = summary.dump(1);
  res.warnings = warnings;
  return res;
}

// ---- triple-helix ----------------------------------------------------------------------------

struct TripleHelixOptions {
  std::string firms;
  std::vector<std::string> dimensions;
  std::string weight;
  std::string by;
  static void describe(core::OptionSchema<TripleHelixOptions>& s) {
    s.add("firms", &TripleHelixOptions::firms, "CSV with one row per firm and the three categorical columns").path().required();
    s.add("dimensions", &TripleHelixOptions::dimensions, "the three columns x,y,z (e.g. region,technology,size)").required();
    s.add("weight", &TripleHelixOptions::weight, "optional column of firm weights ≥ 0 (e.g. employment); default: each firm 1");
    s.add("by", &TripleHelixOptions::by, "optional grouping column: T within each group and the between-group synergy ΔT");
  }
  void validate() const {
    if (dimensions.size() != 3)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--dimensions needs exactly three columns, got {}", dimensions.size()),
                  "e.g. --dimensions region,technology,organisation");
    if (dimensions[0] == dimensions[1] || dimensions[0] == dimensions[2] || dimensions[1] == dimensions[2])
      throw_usage(ErrorCode::invalid_option_value, "--dimensions must name three different columns");
  }
};

Result run_triple_helix(const TripleHelixOptions& o, Context&) {
  const auto f = network::load_firm_dimensions(o.firms, o.dimensions, o.weight, o.by);
  Result res;
  data::Table t;
  auto& scope = t.add_text("scope");
  auto& firms = t.add_real("firms");
  std::vector<data::RealColumn*> cols;
  for (const char* c : {"h_x", "h_y", "h_z", "h_xy", "h_xz", "h_yz", "h_xyz", "t_xy", "t_xz", "t_yz", "t_xyz"})
    cols.push_back(&t.add_real(c));
  auto add = [&](const std::string& s, const network::TripleHelix& th) {
    scope.push_back(s);
    firms.push_back(th.n);
    const double v[] = {th.h_x, th.h_y, th.h_z, th.h_xy, th.h_xz, th.h_yz, th.h_xyz, th.t_xy, th.t_xz, th.t_yz, th.t_xyz};
    for (std::size_t i = 0; i < cols.size(); ++i) cols[i]->push_back(v[i]);
  };
  Json summary;
  network::TripleHelix total;
  if (o.by.empty()) {
    total = network::triple_helix(f.codes[0], f.codes[1], f.codes[2], f.weight);
    add("all", total);
  } else {
    const auto d = network::triple_helix_by(f.codes[0], f.codes[1], f.codes[2], f.codes[3], f.weight);
    total = d.total;
    add("all", total);
    for (const auto& gr : d.groups) add(std::string(f.dictionary[3].name(gr.group)), gr.t);
    summary["within_groups"] = d.within;
    summary["between_groups"] = d.between;
  }
  res.tables.emplace_back("triple_helix", std::move(t));
  const std::string verdict = total.t_xyz < 0 ? "synergy (negative: the configuration reduces uncertainty)"
                              : total.t_xyz > 0 ? "no synergy (positive: the dimensions overlap)" : "neutral";
  Json head = Json{{"firms", total.n},
                 {"x", o.dimensions[0]}, {"y", o.dimensions[1]}, {"z", o.dimensions[2]},
                 {"t_xyz_bits", total.t_xyz}, {"t_xy_bits", total.t_xy}, {"t_xz_bits", total.t_xz},
                 {"t_yz_bits", total.t_yz}, {"interpretation", verdict},
                 {"sign_convention", "Leydesdorff: negative T_xyz = synergy"}};
  if (summary.is_object()) head.update(summary);
  res.summary_json = head.dump(1);
  res.text = fmt::format("Triple Helix mutual information over {} firms: T({},{},{}) = {:.6f} bits: {}\n", total.n,
                         o.dimensions[0], o.dimensions[1], o.dimensions[2], total.t_xyz, verdict);
  return res;
}

}  // namespace

void register_network(Registry& r) {
  r.add(make_operation<NetworkOptions>(
      "network", "Actor networks: centralities, structural holes, brokerage, communities, governance",
      "Cluster and inter-firm networks (Osarenkhoe & Fjellström 2017; the IMP network approach; Schüßler, Decker & Lerch 2013). Per node: degree, strength, betweenness (exact or "
      "Brandes–Pich sampled), closeness, eigenvector centrality, k-core, Burt's constraint and effective size "
      "(mutual ties, networkx convention), Gould–Fernandez brokerage roles by --group with z-scores under sna's "
      "Bernoulli null (w_I coordinator, w_O itinerant, b_IO representative, b_OI gatekeeper, b_O liaison), "
      "Leiden/Louvain communities by modularity, cut points. Multi-level measures by --cluster (ties inside vs "
      "across clusters, cross-cluster brokerage, bridges) and a Provan & Kenis (2008) governance diagnosis "
      "(shared, lead organisation, network administrative organisation; internally vs externally governed, seed "
      "004) with every cut-off an option and the reasoning printed. --io reads an input–output table so that "
      "communities detect clusters of industries. See docs/methods/network.md.",
      {"agglo network --nodes nodes.csv --edges edges.csv -o out/",
       "agglo network --nodes data/networks/acod_nodes.csv --edges data/networks/acod_edges.csv -o acod/",
       "agglo network --io io.csv --communities leiden --community-runs 10 -o io_clusters/"},
      "DIR/nodes.csv: id,degree,betweenness,closeness,eigenvector,constraint,effective_size,w_I,w_O,b_IO,b_OI,b_O,"
      "community (+ type, group, cluster, strength, coreness, z-scores, cut_point, level columns); DIR/summary.json "
      "(density, centralization, modularity, governance diagnosis); side tables brokerage, brokerage_groups, "
      "communities, bridges, clusters, cluster_ties, governance",
      &run_network));
  r.add(make_operation<TripleHelixOptions>(
      "triple-helix", "Triple Helix synergy: three-dimensional mutual information in bits",
      "Leydesdorff's Triple Helix indicator T = H_x + H_y + H_z − H_xy − H_xz − H_yz + H_xyz in bits over three "
      "categorical firm attributes (e.g. geography × technology × organisation), with the pairwise mutual "
      "informations. Negative T means synergy (Leydesdorff & Fritsch 2006). --by decomposes T into the synergy "
      "within groups (weighted by their share of firms) and between them. See docs/methods/network.md.",
      {"agglo triple-helix --firms firms.csv --dimensions region,industry,size -o th.csv",
       "agglo triple-helix --firms firms.csv --dimensions region,industry,size --by state -o th/"},
      "scope,firms,h_x,h_y,h_z,h_xy,h_xz,h_yz,h_xyz,t_xy,t_xz,t_yz,t_xyz (first row: all firms; then one row per "
      "--by group)",
      &run_triple_helix));
}

}  // namespace agglo::api
