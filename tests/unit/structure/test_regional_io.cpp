// Regional tables by location quotients, the influence vector, supplier concentration and the
// failure of a cluster's supplier block, each on a table small enough to do by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "agglo/core/error.hpp"
#include "agglo/structure/input_output.hpp"
#include "agglo/structure/regional_io.hpp"
#include "agglo/structure/supply_risk.hpp"

namespace {

using agglo::structure::EmploymentMatrix;
using agglo::structure::IoTable;

// The 3-sector table of test_input_output.cpp: A = Z / 100.
IoTable three_sector() {
  IoTable t;
  t.industries = {"S1", "S2", "S3"};
  t.flows = {15, 20, 10, 30, 10, 20, 5, 20, 10};
  t.output = {100, 100, 100};
  t.final_demand = {55, 40, 65};
  t.value_added = {50, 50, 60};
  return t;
}

// Region A: S1 30, S2 10, S3 10 (E_A = 50); region B: 20, 40, 90 (150); E_N = 200, E_iN = 50, 50, 100.
// SLQ in A: (30/50)/(50/200) = 2.4, (10/50)/(50/200) = 0.8, (10/50)/(100/200) = 0.4.
EmploymentMatrix two_regions() {
  EmploymentMatrix m;
  m.regions = {"A", "B"};
  m.industries = {"S1", "S2", "S3"};
  m.e = {30, 10, 10, 20, 40, 90};
  m.region_total = {50, 150};
  return m;
}

TEST(RegionalIo, SimpleLocationQuotientByHand) {
  const auto r = agglo::structure::regionalise(three_sector(), two_regions(), "A", agglo::structure::Regionalisation::slq, 0.3);
  ASSERT_EQ(r.table.size(), 3u);
  EXPECT_NEAR(r.slq[0], 2.4, 1e-12);
  EXPECT_NEAR(r.slq[1], 0.8, 1e-12);
  EXPECT_NEAR(r.slq[2], 0.4, 1e-12);
  EXPECT_DOUBLE_EQ(r.lambda, 1.0);
  // x_A = 100 · (30/50, 10/50, 10/100) = (60, 20, 10).
  EXPECT_NEAR(r.table.output[0], 60, 1e-12);
  EXPECT_NEAR(r.table.output[1], 20, 1e-12);
  EXPECT_NEAR(r.table.output[2], 10, 1e-12);
  // r_ij = a_ij · min(1, SLQ_i): rows × 1, 0.8, 0.4 → column S1 = (.15, .24, .02); z = r · 60.
  EXPECT_NEAR(r.table.z(0, 0), 0.15 * 60, 1e-12);
  EXPECT_NEAR(r.table.z(1, 0), 0.24 * 60, 1e-12);
  EXPECT_NEAR(r.table.z(2, 0), 0.02 * 60, 1e-12);
  EXPECT_NEAR(r.table.z(2, 1), 0.08 * 20, 1e-12);
  // Imported share of S1's inputs: 1 − .41/.50; of S3's: 1 − (.10 + .16 + .04)/.40.
  EXPECT_NEAR(r.import_share[0], 0.18, 1e-12);
  EXPECT_NEAR(r.import_share[2], 0.25, 1e-12);
  // Whole region: Σ_j x_j (Σa − Σr) / Σ_j x_j Σa, S2 imports .5 − (.20 + .08 + .08) = .14:
  // (60·.09 + 20·.14 + 10·.10)/(60·.5 + 20·.5 + 10·.4).
  EXPECT_NEAR(r.total_import_share, (60 * 0.09 + 20 * 0.14 + 10 * 0.10) / (30 + 10 + 4.0), 1e-12);
  // Balancing items: value added holds the imports.
  EXPECT_NEAR(r.table.value_added[0], 60 - 0.41 * 60, 1e-12);
}

TEST(RegionalIo, FleggLocationQuotientByHand) {
  const auto r = agglo::structure::regionalise(three_sector(), two_regions(), "A", agglo::structure::Regionalisation::flq, 0.3);
  // λ* = [log2(1 + 50/200)]^0.3 = 0.321928…^0.3 = 0.711756…
  const double lambda = std::pow(std::log2(1.25), 0.3);
  EXPECT_NEAR(r.lambda, lambda, 1e-12);
  EXPECT_NEAR(lambda, 0.71176, 1e-5);
  // Column S1 (SLQ 2.4): own FLQ λ·2.4 > 1 → a_11; S2: λ·0.8/2.4; S3: λ·0.4/2.4.
  EXPECT_NEAR(r.table.z(0, 0), 0.15 * 60, 1e-12);
  EXPECT_NEAR(r.table.z(1, 0), 0.30 * lambda / 3 * 60, 1e-12);
  EXPECT_NEAR(r.table.z(2, 0), 0.05 * lambda / 6 * 60, 1e-12);
  // Column S3 (SLQ 0.4): S1 sells λ·2.4/0.4 ≥ 1 → a_13; S2 λ·0.8/0.4 = 1.42 → a_23; own λ·0.4.
  EXPECT_NEAR(r.table.z(0, 2), 0.10 * 10, 1e-12);
  EXPECT_NEAR(r.table.z(1, 2), 0.20 * 10, 1e-12);
  EXPECT_NEAR(r.table.z(2, 2), 0.10 * lambda * 0.4 * 10, 1e-12);
  // The FLQ never gives a larger regional multiplier than the SLQ here: it imports more.
  const auto s = agglo::structure::regionalise(three_sector(), two_regions(), "A", agglo::structure::Regionalisation::slq, 0.3);
  EXPECT_GT(r.import_share[0], s.import_share[0]);
}

TEST(RegionalIo, IndustriesAbsentFromTheRegionAreImported) {
  auto m = two_regions();
  m.e = {30, 0, 10, 20, 50, 90};
  const auto r = agglo::structure::regionalise(three_sector(), m, "A", agglo::structure::Regionalisation::slq, 0.3);
  ASSERT_EQ(r.table.size(), 2u);
  EXPECT_EQ(r.dropped, std::vector<std::string>{"S2"});
  // S1 buys .30 from S2, now all imported: m_S1 = 1 − (.15 + .05·SLQ_3)/.5 with SLQ_3 still
  // (10/50)/(100/200) = 0.4 (E_A = 50 counts employment outside the table too).
  EXPECT_NEAR(r.import_share[0], 1 - (0.15 + 0.05 * 0.4) / 0.5, 1e-12);
  EXPECT_THROW(agglo::structure::regionalise(three_sector(), m, "Z", agglo::structure::Regionalisation::slq, 0.3),
               agglo::Error);
}

TEST(InfluenceVector, StarEconomyByHand) {
  // Every industry buys only from S1 (20 each); α = Σv/Σx = 240/300 = 0.8. With W = 1 e1',
  // (I − (1−α)W')⁻¹ 1 = 1 + 3(1−α)/α e1 (Sherman–Morrison), so v1 = α/3 + 1 − α, v_other = α/3.
  IoTable t;
  t.industries = {"S1", "S2", "S3"};
  t.flows = {20, 20, 20, 0, 0, 0, 0, 0, 0};
  t.output = {100, 100, 100};
  t.final_demand = {40, 100, 100};
  t.value_added = {80, 80, 80};
  const auto r = agglo::structure::analyse_io(t);
  EXPECT_NEAR(r.alpha, 0.8, 1e-12);
  EXPECT_NEAR(r.multipliers[0].influence_network, 0.8 / 3 + 0.2, 1e-12);
  EXPECT_NEAR(r.multipliers[1].influence_network, 0.8 / 3, 1e-12);
  EXPECT_NEAR(r.influence_l2, std::sqrt(std::pow(0.8 / 3 + 0.2, 2) + 2 * std::pow(0.8 / 3, 2)), 1e-12);
  // With the observed final demand, L β = x / Σ f (Hulten): 100 / 240 each.
  for (const auto& m : r.multipliers) EXPECT_NEAR(m.influence, 100.0 / 240, 1e-12);
}

TEST(InfluenceVector, SumsToOneAndIsFlatForASymmetricEconomy) {
  const auto r = agglo::structure::analyse_io(three_sector());
  double sum = 0;
  for (const auto& m : r.multipliers) sum += m.influence_network;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  IoTable t;
  t.industries = {"S1", "S2", "S3", "S4"};
  t.flows.assign(16, 10.0);
  t.output.assign(4, 100);
  t.final_demand.assign(4, 60);
  t.value_added.assign(4, 60);
  const auto s = agglo::structure::analyse_io(t);
  for (const auto& m : s.multipliers) EXPECT_NEAR(m.influence_network, 0.25, 1e-12);
  EXPECT_NEAR(s.influence_l2, 0.5, 1e-12);  // = 1/√n: no industry more central than another
}

TEST(SupplyRisk, SupplierConcentrationByHand) {
  const auto m = two_regions();
  const auto c = agglo::structure::supplier_concentration(three_sector(), &m);
  // S1 buys 15, 30, 5: shares .3, .6, .1 → H = .46, top S2 with .6.
  EXPECT_NEAR(c[0].hhi, 0.46, 1e-12);
  EXPECT_NEAR(c[0].effective_suppliers, 1 / 0.46, 1e-12);
  EXPECT_EQ(c[0].top_supplier, "S2");
  EXPECT_NEAR(c[0].top_share, 0.6, 1e-12);
  EXPECT_NEAR(c[0].intermediate_share, 0.5, 1e-12);
  // Supplier regions: A gets 15·30/50 + 30·10/50 + 5·10/100 = 15.5, B 34.5 → H = .31² + .69².
  EXPECT_NEAR(c[0].region_hhi, 0.31 * 0.31 + 0.69 * 0.69, 1e-12);
  EXPECT_EQ(c[0].top_region, "B");
  EXPECT_NEAR(c[0].top_region_share, 0.69, 1e-12);
  const auto n = agglo::structure::supplier_concentration(three_sector(), nullptr);
  EXPECT_TRUE(std::isnan(n[0].region_hhi));
}

TEST(SupplyRisk, ClusterSupplierBlockFailureEqualsGhoshByBruteForce) {
  const auto t = three_sector();
  const auto risk = agglo::structure::cluster_supply_risk(t, {{"c1", {0}}}, 0.5);
  ASSERT_EQ(risk.size(), 1u);
  // Outside sellers to S1: S2 30, S3 5; S2 alone covers 30/35 ≥ 0.5.
  EXPECT_EQ(risk[0].suppliers, std::vector<std::string>{"S2"});
  EXPECT_NEAR(risk[0].outside_input, 35, 1e-12);
  EXPECT_NEAR(risk[0].covered, 30.0 / 35, 1e-12);
  // Brute force: B = A (outputs 100), row S2 zeroed, x̄' = v'(I − B̄)⁻¹ = v' Σ_k B̄^k (the
  // Neumann series, summed until it stops changing) with v' = x'(I − B) = the value added.
  double b[3][3] = {{0.15, 0.20, 0.10}, {0, 0, 0}, {0.05, 0.20, 0.10}};
  double term[3] = {50, 50, 60}, xb[3] = {50, 50, 60};
  for (int k = 0; k < 400; ++k) {
    double next[3] = {0, 0, 0};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) next[j] += term[i] * b[i][j];
    for (int j = 0; j < 3; ++j) {
      term[j] = next[j];
      xb[j] += next[j];
    }
  }
  EXPECT_NEAR(risk[0].cluster_loss, 100 - xb[0], 1e-9);
  EXPECT_NEAR(risk[0].cluster_loss_share, (100 - xb[0]) / 100, 1e-11);
  EXPECT_NEAR(risk[0].economy_loss, 300 - (xb[0] + xb[1] + xb[2]), 1e-9);
  EXPECT_GT(risk[0].cluster_loss, 0);
  // A cluster of every industry has no outside supplier: nothing to fail.
  const auto all = agglo::structure::cluster_supply_risk(t, {{"all", {0, 1, 2}}}, 0.5);
  EXPECT_TRUE(all[0].suppliers.empty());
  EXPECT_EQ(all[0].cluster_loss, 0);
}

}  // namespace
