// Development blocks: planted blocks recovered, decoys and independent random walks rejected at
// about the nominal rate, one-industry candidates and short series handled.
#include <gtest/gtest.h>

#include <cmath>

#include "agglo/clusters/define_clusters.hpp"
#include "agglo/core/error.hpp"
#include "agglo/structure/blocks.hpp"
#include "agglo/structure/synthetic.hpp"

namespace {

using namespace agglo::structure;

IndustrySeries logged(IndustrySeries s) {
  for (auto& v : s.values)
    for (auto& x : v) x = std::log(x);
  return s;
}

std::vector<std::int64_t> singletons(std::vector<std::int64_t> v) {
  std::int64_t next = 1000000;
  for (auto& x : v)
    if (x < 0) x = next++;
  return v;
}

TEST(Blocks, PlantedBlocksRecovered) {
  const SyntheticStructureConfig c;
  double worst = 1;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const auto s = synthetic_structure(c, seed);
    BlockOptions o;
    o.seed = seed;
    const auto r = find_blocks(s.table, logged(s.series), o);
    ASSERT_EQ(r.industries.size(), s.table.size());
    const double ari = agglo::clusters::adjusted_rand_index(singletons(r.block), singletons(s.planted_block));
    worst = std::min(worst, ari);
    EXPECT_GE(ari, 0.9) << "seed " << seed << ": " << r.blocks << " blocks";
  }
  EXPECT_GE(worst, 0.9);
}

// Independent random walks on an IO structure with communities: each candidate is a test of a
// true null (rank 0), so the share declared blocks should be near the nominal 5 %. Bounded: over
// 20 economies × 7 candidates = 140 tests, the 99.9 % binomial upper limit for p = 0.05 is ~15
// (0.107); we also require the tests to run (no candidate skipped).
TEST(Blocks, NoBlocksAmongIndependentRandomWalks) {
  SyntheticStructureConfig c;
  c.null_series = true;
  std::size_t tests = 0, rejections = 0;
  for (std::uint64_t seed = 100; seed < 120; ++seed) {
    const auto s = synthetic_structure(c, seed);
    BlockOptions o;
    o.seed = seed;
    const auto r = find_blocks(s.table, logged(s.series), o);
    for (const auto& cand : r.candidates) {
      if (cand.status == "single") continue;
      ASSERT_TRUE(cand.status == "block" || cand.status == "not_cointegrated" || cand.status == "stationary") << cand.status;
      ++tests;
      if (cand.status == "block") ++rejections;
    }
  }
  EXPECT_GE(tests, 120u);
  const double rate = static_cast<double>(rejections) / static_cast<double>(tests);
  EXPECT_LE(rate, 0.107) << rejections << " of " << tests;
  std::cout << "null false-positive rate " << rate << " (" << rejections << "/" << tests << ")\n";
}

TEST(Blocks, SingleIndustryAndShortSeries) {
  SyntheticStructureConfig c;
  c.blocks = 2;
  c.decoys = 0;
  auto s = synthetic_structure(c, 9);
  // Add an isolated industry (no flows): a candidate of one.
  const std::size_t n = s.table.size();
  IoTable t;
  t.industries = s.table.industries;
  t.industries.push_back("LONE");
  t.flows.assign((n + 1) * (n + 1), 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) t.flows[i * (n + 1) + j] = s.table.flows[i * n + j];
  t.output = s.table.output;
  t.output.push_back(500);
  t.final_demand = s.table.final_demand;
  t.final_demand.push_back(500);
  t.value_added = s.table.value_added;
  t.value_added.push_back(500);
  auto series = logged(s.series);
  series.industries.push_back("LONE");
  series.values.push_back(std::vector<double>(series.years.size(), 1.0));
  for (std::size_t k = 0; k < series.years.size(); ++k) series.values.back()[k] += 0.01 * static_cast<double>(k % 7);
  const auto r = find_blocks(t, series, BlockOptions{});
  EXPECT_EQ(r.block.back(), -1);
  bool found_single = false;
  for (const auto& cand : r.candidates)
    if (cand.members.size() == 1 && r.industries[cand.members[0]] == "LONE") found_single = cand.status == "single";
  EXPECT_TRUE(found_single);
  EXPECT_EQ(r.blocks, 2u);

  // Eight years cannot carry a VECM of five series: every candidate too_short, no blocks.
  auto short_series = logged(s.series);
  short_series.years.resize(8);
  for (auto& v : short_series.values) v.resize(8);
  const auto r2 = find_blocks(s.table, short_series, BlockOptions{});
  EXPECT_EQ(r2.blocks, 0u);
  for (const auto& cand : r2.candidates) EXPECT_EQ(cand.status, "too_short");
}

}  // namespace

namespace {

// Block 0 (A1, A2) has 400 jobs per industry in R1 and 10 elsewhere; block 1 (B1, B2) 100 per
// industry everywhere; C 1,000 everywhere. Region totals: R1 2,000, R2–R5 1,220; E = 6,880.
TEST(Blocks, ColocatedAndNationalBlocks) {
  agglo::data::Panel p;
  const std::vector<std::string> ind = {"A1", "A2", "B1", "B2", "C"};
  const std::vector<std::int64_t> block = {0, 0, 1, 1, -1};
  for (int r = 0; r < 5; ++r) {
    const auto rid = p.rows.intern("R" + std::to_string(r + 1));
    for (std::size_t i = 0; i < ind.size(); ++i) {
      double v = block[i] == 0 ? (r == 0 ? 400 : 10) : block[i] == 1 ? 100 : 1000;
      p.row.push_back(rid);
      p.col.push_back(p.cols.intern(ind[i]));
      p.value.push_back(v);
    }
  }
  const auto locs = agglo::structure::block_locations(p, ind, block, 0.3);
  ASSERT_EQ(locs.size(), 2u);
  EXPECT_EQ(locs[0].location_class, "cluster");
  EXPECT_EQ(locs[0].top_region, "R1");
  EXPECT_NEAR(locs[0].employment, 880, 1e-12);
  EXPECT_NEAR(locs[0].hoover, 0.5 * (std::abs(800.0 / 880 - 2000.0 / 6880) + 4 * std::abs(20.0 / 880 - 1220.0 / 6880)), 1e-12);
  EXPECT_NEAR(locs[0].top_lq, (800.0 / 2000) / (880.0 / 6880), 1e-12);
  EXPECT_EQ(locs[1].location_class, "national");
  EXPECT_NEAR(locs[1].hoover, 0.5 * (std::abs(0.2 - 2000.0 / 6880) + 4 * std::abs(0.2 - 1220.0 / 6880)), 1e-12);
}

}  // namespace

namespace {

// The planted cluster blocks of synth-structure are found co-located, the national ones spread.
TEST(Blocks, SyntheticClusterAndNationalBlocksClassified) {
  SyntheticStructureConfig c;  // 4 blocks, the first 2 co-located
  for (std::uint64_t seed : {1, 2, 3}) {
    const auto s = synthetic_structure(c, seed);
    agglo::data::Panel p;
    const auto& reg = std::get<agglo::data::TextColumn>(s.employment.at("region").values);
    const auto& ind = std::get<agglo::data::TextColumn>(s.employment.at("industry").values);
    const auto& emp = std::get<agglo::data::RealColumn>(s.employment.at("employment").values);
    const auto& yr = std::get<agglo::data::IntColumn>(s.employment.at("year").values);
    for (std::size_t k = 0; k < emp.size(); ++k) {
      if (yr[k] != c.from) continue;
      p.row.push_back(p.rows.intern(reg[k]));
      p.col.push_back(p.cols.intern(ind[k]));
      p.value.push_back(emp[k]);
    }
    const auto locs = block_locations(p, s.table.industries, s.planted_block, 0.3);
    ASSERT_EQ(locs.size(), c.blocks);
    for (std::size_t b = 0; b < c.blocks; ++b) {
      EXPECT_EQ(locs[b].location_class, b < c.colocated_blocks ? "cluster" : "national") << "seed " << seed << " block " << b;
      if (b < c.colocated_blocks) EXPECT_EQ(locs[b].top_region, s.regions[b % c.regions]);
    }
  }
}

}  // namespace
