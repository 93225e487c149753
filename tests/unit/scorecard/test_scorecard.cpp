// agglo::scorecard — criteria from data by hand, the "nothing to report" case, peer
// benchmarking by hand, and the scorecard → recommend path through the api registry.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/io/table_writer.hpp"
#include "agglo/scorecard/scorecard.hpp"
#include "agglo/synth/synthetic_economy.hpp"

namespace sc = agglo::scorecard;

namespace {

// Six regions r1…r6, two clusters: A = {a1, a2}, B = {b1}.
sc::ScorecardInput six_regions(const std::vector<double>& a1, const std::vector<double>& a2, const std::vector<double>& b1) {
  sc::ScorecardInput in;
  in.employment.regions = {"r1", "r2", "r3", "r4", "r5", "r6"};
  in.employment.industries = {"a1", "a2", "b1"};
  in.employment.values = agglo::data::DenseMatrix(6, 3);
  for (std::size_t r = 0; r < 6; ++r) {
    in.employment.values(r, 0) = a1[r];
    in.employment.values(r, 1) = a2[r];
    in.employment.values(r, 2) = b1[r];
  }
  in.definitions.add("a1", "A");
  in.definitions.add("a2", "A");
  in.definitions.add("b1", "B");
  return in;
}

std::size_t criterion(const sc::ScorecardData& d, const std::string& name) {
  for (std::size_t k = 0; k < d.criteria.size(); ++k)
    if (d.criteria[k].name == name) return k;
  return d.criteria.size();
}

}  // namespace

TEST(ScorecardMetrics, EmploymentDiversityDensityByHand) {
  auto in = six_regions({10, 20, 30, 40, 50, 60}, {10, 0, 30, 10, 50, 20}, {5, 5, 5, 5, 5, 5});
  in.area_km2 = {10, 20, 30, 40, 50, 60};
  in.establishments = agglo::data::DenseMatrix(6, 3, 2.0);
  const auto d = sc::compute_metrics(in);
  ASSERT_EQ(d.cells.size(), 12u);
  const auto emp = criterion(d, "Employment Levels");
  const auto div = criterion(d, "Industry Diversity");
  const auto den = criterion(d, "Business Density");
  ASSERT_LT(emp, d.criteria.size());
  ASSERT_LT(div, d.criteria.size());
  ASSERT_LT(den, d.criteria.size());
  // Cell order: regions in input order, clusters in definition order: (r1,A), (r1,B), (r2,A)…
  EXPECT_DOUBLE_EQ(d.values[emp][0], 20);
  EXPECT_DOUBLE_EQ(d.values[emp][2], 20);
  // Evenness of A in r1: shares ½, ½ → ln 2 / ln 2 = 1; r2: one industry → 0; r4: 0.8, 0.2.
  EXPECT_DOUBLE_EQ(d.values[div][0], 1);
  EXPECT_DOUBLE_EQ(d.values[div][2], 0);
  EXPECT_NEAR(d.values[div][6], -(0.8 * std::log(0.8) + 0.2 * std::log(0.2)) / std::log(2.0), 1e-12);
  EXPECT_TRUE(std::isnan(d.values[div][1]));  // B has one industry: no diversity
  // Density: (r1, A) has 2 + 2 establishments on 10 km².
  EXPECT_DOUBLE_EQ(d.values[den][0], 0.4);
  // Missing criteria name their inputs; none is invented.
  bool rnd_missing = false;
  for (const auto& [c, needs] : d.missing) rnd_missing = rnd_missing || (c == "R&D Intensity" && needs.find("rnd") != std::string::npos);
  EXPECT_TRUE(rnd_missing);
  EXPECT_EQ(criterion(d, "Skill Levels"), d.criteria.size());
  EXPECT_EQ(d.criteria.size() + d.missing.size(), 17u + 2u);  // 17 catalogue criteria + 2 derived (no panel)
}

TEST(ScorecardMetrics, NetworkCriteriaByHand) {
  auto in = six_regions({10, 20, 30, 40, 50, 60}, {10, 0, 30, 10, 50, 20}, {5, 5, 5, 5, 5, 5});
  agglo::data::ActorNetwork net;
  // r1 × A: firms f1, f2, university u1, government g1; f1–u1 (collaboration), f1–f2 (supply),
  // f2–g1 (funding). One actor of cluster "A #2" in r2 (matched to A) with no ties.
  for (const char* id : {"f1", "f2", "u1", "g1", "x"}) net.ids.intern(id);
  net.type = {"sme", "large_firm", "university", "government", "sme"};
  net.cluster = {"A", "A", "A", "A", "A #2"};
  net.region = {"r1", "r1", "r1", "r1", "r2"};
  net.group = {"", "", "", "", ""};
  net.source = {0, 0, 1};
  net.target = {2, 1, 3};
  net.weight = {1, 1, 1};
  net.edge_type = {"collaboration", "supply", "funding"};
  net.edge_level = {"", "", ""};
  in.network = &net;
  const auto d = sc::compute_metrics(in);
  auto value = [&](const char* c, std::size_t cell) { return d.values[criterion(d, c)][cell]; };
  EXPECT_DOUBLE_EQ(value("Collaboration on Innovation", 0), 0.5);  // 1 firm–research tie / 2 firms
  EXPECT_DOUBLE_EQ(value("Knowledge Sharing", 0), 0.5);            // 3 ties / 6 pairs
  EXPECT_DOUBLE_EQ(value("Business Linkages", 0), 0.5);            // 1 firm–firm tie / 2 firms
  EXPECT_DOUBLE_EQ(value("Supplier Network Density", 0), 0.5);
  EXPECT_DOUBLE_EQ(value("Funding Access", 0), 0.5);
  EXPECT_DOUBLE_EQ(value("Institutional Support", 0), 100.0);      // 2 institutions per 2 firms
  EXPECT_DOUBLE_EQ(value("Institutional Support", 2), 0.0);        // r2 × A: one firm, no institution
  EXPECT_TRUE(std::isnan(value("Knowledge Sharing", 2)));          // one actor: no pairs
  EXPECT_TRUE(std::isnan(value("Business Linkages", 1)));          // r1 × B: no actors
  EXPECT_EQ(criterion(d, "Joint Ventures and Partnerships"), d.criteria.size());  // no such tie type: missing
}

TEST(ScorecardBenchmark, EqualRegionsHaveNoStrengthsOrWeaknesses) {
  // Every region has the same employment in every industry: nothing to report.
  const auto d = sc::compute_metrics(six_regions({10, 10, 10, 10, 10, 10}, {5, 5, 5, 5, 5, 5}, {7, 7, 7, 7, 7, 7}));
  const auto b = sc::benchmark(d);
  EXPECT_EQ(b.strengths, 0u);
  EXPECT_EQ(b.weaknesses, 0u);
}

TEST(ScorecardBenchmark, PercentilesGapsAndRobustnessByHand) {
  // Cluster A's employment 20, 20, 60, 50, 100, 80 (a1 + a2) over six regions.
  const auto d = sc::compute_metrics(six_regions({10, 20, 30, 40, 50, 60}, {10, 0, 30, 10, 50, 20}, {5, 5, 5, 5, 5, 5}));
  sc::BenchmarkParams bp;
  bp.min_peers = 5;
  const auto b = sc::benchmark(d, bp);
  const auto& t = b.cards;
  const auto& crit = std::get<agglo::data::TextColumn>(t.at("criterion").values);
  const auto& clu = std::get<agglo::data::TextColumn>(t.at("cluster").values);
  const auto& reg = std::get<agglo::data::TextColumn>(t.at("region").values);
  const auto& pct = std::get<agglo::data::RealColumn>(t.at("percentile").values);
  const auto& ass = std::get<agglo::data::TextColumn>(t.at("assessment").values);
  const auto& gap = std::get<agglo::data::RealColumn>(t.at("gap_to_median").values);
  const auto& fr = std::get<agglo::data::RealColumn>(t.at("gap_to_frontier").values);
  int seen = 0;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (crit[i] != "Employment Levels" || clu[i] != "A") continue;
    // Average ranks of 20, 20, 60, 50, 100, 80: 1.5, 1.5, 4, 3, 6, 5 → 100 (rank − 1)/5.
    // Median 55, best 100.
    if (reg[i] == "r1") {
      EXPECT_DOUBLE_EQ(pct[i], 10);
      EXPECT_EQ(ass[i], "weakness");
      EXPECT_DOUBLE_EQ(gap[i], -35);
      EXPECT_DOUBLE_EQ(fr[i], -80);
      ++seen;
    }
    if (reg[i] == "r5") {
      EXPECT_DOUBLE_EQ(pct[i], 100);
      EXPECT_EQ(ass[i], "strength");
      ++seen;
    }
    if (reg[i] == "r4") {
      EXPECT_DOUBLE_EQ(pct[i], 40);
      EXPECT_EQ(ass[i], "neutral");
      ++seen;
    }
  }
  EXPECT_EQ(seen, 3);
  // Size terciles of two regions each hold fewer than 5 peers: nothing is robust.
  EXPECT_EQ(b.robust, 0u);
}

TEST(ScorecardIndex, InputsFollowTheCategories) {
  const auto d = sc::compute_metrics(six_regions({10, 20, 30, 40, 50, 60}, {10, 0, 30, 10, 50, 20}, {5, 5, 5, 5, 5, 5}));
  const auto [tree, data] = sc::index_inputs(d);
  EXPECT_EQ(tree.leaves.size(), d.criteria.size());
  EXPECT_EQ(tree.nodes[static_cast<std::size_t>(tree.root)].name, "Index");
  EXPECT_EQ(data.by.size(), d.cells.size());
  sc::PipelineOptions p;
  p.drop_constant = true;
  p.max_missing = 1;
  std::vector<std::size_t> a_cells;
  for (std::size_t i = 0; i < data.by.size(); ++i)
    if (data.by[i] == "A") a_cells.push_back(i);
  const auto r = sc::compute_index(tree, data, p, a_cells);
  // r5 leads cluster A (largest employment and strong).
  const auto best = std::min_element(r.rank.begin(), r.rank.end()) - r.rank.begin();
  EXPECT_EQ(data.units[a_cells[static_cast<std::size_t>(best)]], "r5");
}

// ---- through the api, as the CLI runs it ------------------------------------------------------

namespace {
std::string root() { return std::string(AGGLO_TEST_DATA) + "/.."; }
agglo::api::Result run(const std::string& op, agglo::core::ParamMap params, const std::string& out = {}) {
  const auto* o = agglo::api::Registry::global().find(op);
  EXPECT_NE(o, nullptr);
  agglo::api::Context ctx;
  ctx.output = out;
  return o->run(params, ctx);
}
}  // namespace

TEST(ScorecardApi, ScorecardThenRecommend) {
  const auto dir = std::filesystem::temp_directory_path() / "agglo_scorecard_api";
  std::filesystem::remove_all(dir);
  auto res = run("scorecard", {{"initiatives", root() + "/data/sample/kronoberg_cluster_initiatives.csv"}});
  ASSERT_GE(res.tables.size(), 2u);
  EXPECT_EQ(res.tables[0].first, "scorecard");
  EXPECT_EQ(res.tables[1].first, "missing");
  EXPECT_EQ(res.tables[1].second.rows(), 16u);
  agglo::api::write_result(res, dir.string());
  auto rec = run("recommend", {{"scorecard", dir.string()}});
  const auto& t = rec.tables[0].second;
  ASSERT_GT(t.rows(), 0u);
  // Glassworks has the lowest turnover per employee of the five: Productivity tools first.
  const auto& cl = std::get<agglo::data::TextColumn>(t.at("cluster").values);
  const auto& cr = std::get<agglo::data::TextColumn>(t.at("criterion").values);
  bool glass = false;
  for (std::size_t i = 0; i < t.rows(); ++i) glass = glass || (cl[i] == "Glassworks" && cr[i] == "Productivity");
  EXPECT_TRUE(glass);
  EXPECT_EQ(rec.tables[1].first, "action_plan");
  // An unknown tool in the rule table is an input error naming the rule and the line.
  const auto bad = dir / "bad_rules.csv";
  std::ofstream(bad) << "rule,criterion,category,trigger,failure_type,tools,rationale,references,lever\n"
                        "X1,Productivity,,percentile < 25,capability,Magic Beans,why,,\n";
  try {
    run("recommend", {{"scorecard", dir.string()}, {"rules", bad.string()}});
    FAIL();
  } catch (const agglo::Error& e) {
    EXPECT_EQ(e.code(), agglo::ErrorCode::unknown_reference);
    EXPECT_NE(std::string(e.what()).find("Magic Beans"), std::string::npos);
    EXPECT_EQ(e.where().line, 2u);
  }
  std::filesystem::remove_all(dir);
}

// ---- defaults on data the method was not tuned on: the planted hubs of the synthetic economy --


TEST(ScorecardSynthetic, PlantedHubsAreStrengthsWithTheDefaults) {
  const auto dir = std::filesystem::temp_directory_path() / "agglo_scorecard_synth";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto e = agglo::synth::generate(agglo::synth::preset("tiny"), agglo::core::Stream::default_seed, agglo::synth::default_data_dir());
  const agglo::data::Table* hubs = nullptr;
  for (const auto& [name, t] : e.tables) {
    agglo::io::write_csv(t, (dir / (name + ".csv")).string());
    if (name == "truth_hubs") hubs = &t;
  }
  ASSERT_NE(hubs, nullptr);
  auto res = run("scorecard", {{"employment", (dir / "employment.csv").string()},
                               {"clusters", (dir / "industries.csv").string()},
                               {"regions", (dir / "regions.csv").string()}});
  const auto& t = res.tables[0].second;
  const auto& reg = std::get<agglo::data::TextColumn>(t.at("region").values);
  const auto& clu = std::get<agglo::data::TextColumn>(t.at("cluster").values);
  const auto& cri = std::get<agglo::data::TextColumn>(t.at("criterion").values);
  const auto& ass = std::get<agglo::data::TextColumn>(t.at("assessment").values);
  std::set<std::pair<std::string, std::string>> hub;
  const auto& hc = std::get<agglo::data::TextColumn>(hubs->at("cluster").values);
  const auto& hr = std::get<agglo::data::TextColumn>(hubs->at("region").values);
  for (std::size_t i = 0; i < hc.size(); ++i) hub.emplace(hc[i], hr[i]);
  std::size_t hub_cells = 0, hub_strengths = 0, hub_weaknesses = 0, other = 0, other_strengths = 0;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (cri[i] != "Employment Levels") continue;
    const bool is_hub = hub.count({clu[i], reg[i]}) > 0;
    bool planted_cluster = false;
    for (const auto& h : hub) planted_cluster = planted_cluster || h.first == clu[i];
    if (is_hub) {
      ++hub_cells;
      hub_strengths += ass[i] == "strength";
      hub_weaknesses += ass[i] == "weakness";
    } else if (planted_cluster) {
      ++other;
      other_strengths += ass[i] == "strength";
    }
  }
  // Measured: 19 of the 20 planted hubs are strengths, none a weakness; 22 % of the other
  // region-clusters of the same clusters are (the top quartile always holds some).
  EXPECT_EQ(hub_cells, hub.size());
  EXPECT_GE(hub_strengths, hub_cells * 17 / 20);
  EXPECT_EQ(hub_weaknesses, 0u);
  EXPECT_LT(static_cast<double>(other_strengths) / static_cast<double>(other), 0.3);
  // The composite index per cluster puts the hubs near the top.
  const auto& idx = res.tables[4].second;
  ASSERT_EQ(res.tables[4].first, "index");
  const auto& ir = std::get<agglo::data::TextColumn>(idx.at("region").values);
  const auto& ic = std::get<agglo::data::TextColumn>(idx.at("cluster").values);
  const auto& rk = std::get<agglo::data::IntColumn>(idx.at("rank").values);
  std::vector<double> hub_ranks;
  for (std::size_t i = 0; i < idx.rows(); ++i)
    if (hub.count({ic[i], ir[i]})) hub_ranks.push_back(static_cast<double>(rk[i]));
  ASSERT_EQ(hub_ranks.size(), hub.size());
  std::sort(hub_ranks.begin(), hub_ranks.end());
  EXPECT_LE(hub_ranks[hub_ranks.size() / 2], 3);  // measured median 2 (of about 43 counties per cluster)
  std::filesystem::remove_all(dir);
}

TEST(ScorecardMetrics, SupplierCoverageFromTheInputOutputTable) {
  // Cluster A (a1, a2) buys 30 from b1, 10 from z (an industry no region has) and 60 from a1:
  // a region with a1 and b1 covers (30 + 60)/100 = 0.9; r2 has no b1 → 60/100.
  auto in = six_regions({10, 20, 30, 40, 50, 60}, {10, 0, 30, 10, 50, 20}, {5, 0, 5, 5, 5, 5});
  in.io = {{"b1", "a1", 30}, {"z", "a2", 10}, {"a1", "a2", 60}, {"a1", "b1", 7}};
  const auto d = sc::compute_metrics(in);
  const auto k = criterion(d, "Supplier Network Density");
  ASSERT_LT(k, d.criteria.size());
  EXPECT_EQ(d.criteria[k].metric, "local_supplier_coverage");
  EXPECT_DOUBLE_EQ(d.values[k][0], 0.9);  // (r1, A)
  EXPECT_DOUBLE_EQ(d.values[k][2], 0.6);  // (r2, A): no b1 in r2 → 60/100
  EXPECT_DOUBLE_EQ(d.values[k][1], 1.0);  // (r1, B): its one input a1 is present
}
