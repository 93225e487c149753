// Cluster labels (clusters/cluster_labels.hpp): the Jaccard rule by hand, the fallback to the
// largest industries' names, the NAICS coverage rule, and the labels of the tour economy's
// clusters through the define-clusters operation.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "../support/temp_dir.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/clusters/cluster_labels.hpp"
#include "agglo/io/table_writer.hpp"
#include "agglo/synth/synthetic_economy.hpp"

using namespace agglo;

namespace {

clusters::BenchmarkClusters bench() {
  // A = {a1…a4}, B = {b1…b4}, C = {c1, c2}; z1 is not in the panel.
  clusters::BenchmarkClusters b;
  for (const char* c : {"a1", "a2", "a3", "a4"}) b.of[c] = {1, "Alpha"};
  for (const char* c : {"b1", "b2", "b3", "b4"}) b.of[c] = {2, "Beta"};
  for (const char* c : {"c1", "c2", "z1"}) b.of[c] = {3, "Gamma"};
  return b;
}

}  // namespace

TEST(ClusterLabels, JaccardRuleByHand) {
  const std::vector<std::string> ind = {"a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4", "c1", "c2"};
  const std::vector<double> emp = {10, 20, 30, 40, 5, 6, 7, 8, 100, 1};
  const std::unordered_map<std::string, std::string> names = {{"c1", "Coal"}, {"c2", "Coke"}, {"b4", "Bricks"}};
  const auto b = bench();
  // cluster 1 = A plus b1: J = 4/5 > ½ → "Alpha"; cluster 2 = b2,b3,b4: J(B) = 3/4 → "Beta";
  // cluster 3 = c1, c2: J(C) = 2/2 = 1 (z1 is not in the panel, so it does not count).
  auto l = clusters::label_clusters(ind, {1, 1, 1, 1, 1, 2, 2, 2, 3, 3}, emp, &b, names);
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0].label, "Alpha");
  EXPECT_NEAR(l[0].jaccard, 0.8, 1e-15);
  EXPECT_EQ(l[1].label, "Beta");
  EXPECT_NEAR(l[1].jaccard, 0.75, 1e-15);
  EXPECT_EQ(l[2].label, "Gamma");
  EXPECT_EQ(l[2].source, "benchmark");
  EXPECT_NEAR(l[2].jaccard, 1.0, 1e-15);
  // A and B merged: J = 4/8 = ½ for both, not a majority → named by its largest industries,
  // a4 (40, no name: its code) then a3; the best match is still reported (Alpha: smaller id).
  l = clusters::label_clusters(ind, {7, 7, 7, 7, 7, 7, 7, 7, 9, 9}, emp, &b, names);
  EXPECT_EQ(l[0].cluster, 7);
  EXPECT_EQ(l[0].label, "a4; a3 (+6 more)");
  EXPECT_EQ(l[0].source, "industries");
  EXPECT_EQ(l[0].benchmark, "Alpha");
  EXPECT_NEAR(l[0].jaccard, 0.5, 1e-15);
  // Half of A: J = 2/4 = ½ → names.
  l = clusters::label_clusters(ind, {1, 1, 2, 2, 3, 3, 3, 3, 4, 4}, emp, &b, names);
  EXPECT_EQ(l[0].label, "a2; a1");
  EXPECT_EQ(l[2].label, "Beta");
  EXPECT_EQ(l[3].label, "Gamma");
  // A lower threshold accepts the half.
  clusters::LabelOptions lo;
  lo.min_jaccard = 0.4;
  l = clusters::label_clusters(ind, {1, 1, 2, 2, 3, 3, 3, 3, 4, 4}, emp, &b, names, lo);
  EXPECT_EQ(l[0].label, "Alpha");
  EXPECT_EQ(l[1].label, "Alpha");
  // Without a benchmark: names (c1 "Coal" is larger than c2 "Coke").
  l = clusters::label_clusters(ind, {1, 1, 1, 1, 1, 2, 2, 2, 3, 3}, emp, nullptr, names);
  EXPECT_EQ(l[2].label, "Coal; Coke");
  EXPECT_EQ(l[1].label, "Bricks; b3 (+1 more)");
  EXPECT_TRUE(std::isnan(l[2].jaccard));
}

TEST(ClusterLabels, BenchmarkOnlyForItsOwnCodes) {
  // Codes that are mostly not in the benchmark (e.g. NACE): coverage 2/5 < ½ → names only.
  const std::vector<std::string> ind = {"a1", "a2", "x1", "x2", "x3"};
  const auto b = bench();
  EXPECT_NEAR(clusters::benchmark_coverage(ind, b), 0.4, 1e-15);
  const auto l = clusters::label_clusters(ind, {1, 1, 2, 2, 2}, {1, 2, 3, 4, 5}, &b, {});
  EXPECT_EQ(l[0].label, "a2; a1");
  EXPECT_EQ(l[0].source, "industries");
  EXPECT_EQ(l[1].label, "x3; x2 (+1 more)");
}

// The tour economy (synth tiny, seed 7): its traded clusters get the names of the planted
// benchmark clusters; every label is nonempty.
TEST(ClusterLabels, TourEconomyClustersAreNamedAfterThePlantedClusters) {
  test_support::TempDir dir;
  const auto e = synth::generate(synth::preset("tiny"), 7, synth::default_data_dir());
  std::set<std::string> planted;
  for (const auto& [name, t] : e.tables) {
    if (name == "employment") io::write_csv(t, dir.file("employment.csv"));
    if (name == "industries") {
      const auto& kind = std::get<data::TextColumn>(t.at("kind").values);
      const auto& cl = std::get<data::TextColumn>(t.at("cluster").values);
      for (std::size_t i = 0; i < t.rows(); ++i)
        if (kind[i] == "traded") planted.insert(cl[i]);
    }
  }
  const auto* op = api::Registry::global().find("define-clusters");
  api::Context ctx;
  const auto res = op->run({{"employment", dir.file("employment.csv")}, {"seeds", "2"}}, ctx);
  const auto& cl = res.tables[2].second;
  ASSERT_EQ(res.tables[2].first, "clusters");
  const auto& kind = std::get<data::TextColumn>(cl.at("kind").values);
  const auto& label = std::get<data::TextColumn>(cl.at("label").values);
  const auto& source = std::get<data::TextColumn>(cl.at("label_source").values);
  std::size_t traded = 0, named = 0;
  for (std::size_t c = 0; c < cl.rows(); ++c) {
    EXPECT_FALSE(label[c].empty());
    if (kind[c] != "traded") continue;
    ++traded;
    if (source[c] == "benchmark") {
      ++named;
      EXPECT_TRUE(planted.count(label[c])) << label[c];
    }
  }
  EXPECT_GE(traded, 6u);
  EXPECT_GE(named, traded - 1);
  // The main table carries the label of each industry's cluster.
  const auto& main = res.tables[0].second;
  const auto& lab = std::get<data::TextColumn>(main.at("label").values);
  for (const auto& l : lab) EXPECT_FALSE(l.empty());
  // Local clusters are named by their two largest industries' NAICS titles.
  for (std::size_t c = 0; c < cl.rows(); ++c)
    if (source[c] == "industries") EXPECT_NE(label[c].find(';'), std::string::npos) << label[c];
}

// cluster-map carries the labels of a define-clusters file into its map and summary.
TEST(ClusterLabels, ClusterMapCarriesTheLabels) {
  test_support::TempDir dir;
  const auto e = synth::generate(synth::preset("tiny"), 7, synth::default_data_dir());
  for (const auto& [name, t] : e.tables)
    if (name == "employment") io::write_csv(t, dir.file("employment.csv"));
  api::Context ctx;
  const auto def = api::Registry::global().find("define-clusters")->run(
      {{"employment", dir.file("employment.csv")}, {"seeds", "1"}}, ctx);
  io::write_csv(def.tables[0].second, dir.file("clusters.csv"));
  std::map<std::string, std::string> want;  // cluster id → label
  const auto& cl = def.tables[2].second;
  for (std::size_t c = 0; c < cl.rows(); ++c)
    want[std::to_string(std::get<data::IntColumn>(cl.at("cluster").values)[c])] =
        std::get<data::TextColumn>(cl.at("label").values)[c];
  const auto map = api::Registry::global().find("cluster-map")->run(
      {{"employment", dir.file("employment.csv")}, {"clusters", dir.file("clusters.csv")}}, ctx);
  for (const char* table : {"cluster_map", "cluster_summary"}) {
    const data::Table* t = nullptr;
    for (const auto& [name, tab] : map.tables)
      if (name == table) t = &tab;
    ASSERT_NE(t, nullptr) << table;
    const auto& id = std::get<data::TextColumn>(t->at("cluster").values);
    const auto& label = std::get<data::TextColumn>(t->at("label").values);
    for (std::size_t r = 0; r < t->rows(); ++r) EXPECT_EQ(label[r], want.at(id[r])) << table << " row " << r;
  }
}
