// Input–output analysis: a hand-computed 3-sector table, the Germany 1995 table of the Eurostat
// manual, closed-form extraction against brute-force re-solution, and bad tables.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "agglo/core/error.hpp"
#include "agglo/structure/input_output.hpp"
#include "agglo/structure/structure_inputs.hpp"
#include "agglo/structure/synthetic.hpp"
#include "../support/temp_dir.hpp"

namespace {

using agglo::structure::IoTable;

// A = [[.15 .20 .10] [.30 .10 .20] [.05 .20 .10]], every output 100, so Z = 100 A and G = L.
// I − A has determinant 0.588 and adjugate [[.77 .20 .13] [.28 .76 .20] [.105 .18 .705]], so
// L = adj / 0.588 (cofactors written out in docs/methods/structure.md).
IoTable three_sector() {
  IoTable t;
  t.industries = {"S1", "S2", "S3"};
  t.flows = {15, 20, 10, 30, 10, 20, 5, 20, 10};
  t.output = {100, 100, 100};
  t.final_demand = {55, 40, 65};
  t.value_added = {50, 50, 60};
  return t;
}

TEST(InputOutput, ThreeSectorByHand) {
  agglo::structure::IoOptions o;
  o.keep_matrices = true;
  const auto r = agglo::structure::analyse_io(three_sector(), o);
  const double det = 0.588;
  const double adj[9] = {0.77, 0.20, 0.13, 0.28, 0.76, 0.20, 0.105, 0.18, 0.705};
  for (int k = 0; k < 9; ++k) EXPECT_NEAR(r.l[static_cast<std::size_t>(k)], adj[k] / det, 1e-12);
  // Backward = column sums 1.155/.588, 1.14/.588, 1.035/.588; forward (G = L) = row sums 1.1/.588,
  // 1.24/.588, .99/.588; both means 3.33/1.764.
  EXPECT_NEAR(r.linkages[0].backward, 1.155 / det, 1e-12);
  EXPECT_NEAR(r.linkages[1].backward, 1.14 / det, 1e-12);
  EXPECT_NEAR(r.linkages[2].backward, 1.035 / det, 1e-12);
  EXPECT_NEAR(r.linkages[0].forward, 1.1 / det, 1e-12);
  EXPECT_NEAR(r.linkages[1].forward, 1.24 / det, 1e-12);
  EXPECT_NEAR(r.linkages[2].forward, 0.99 / det, 1e-12);
  EXPECT_NEAR(r.linkages[0].backward_norm, 1.155 / 1.11, 1e-12);
  EXPECT_NEAR(r.linkages[1].forward_norm, 1.24 / 1.11, 1e-12);
  EXPECT_EQ(r.linkages[0].linkage_class, "backward");
  EXPECT_EQ(r.linkages[1].linkage_class, "key");
  EXPECT_EQ(r.linkages[2].linkage_class, "weak");
  EXPECT_TRUE(r.linkages[1].key_sector);
  EXPECT_FALSE(r.linkages[0].key_sector);
  // Value-added multiplier of S1: Σ_i (v_i/x_i) L_i1 = (.5·.77 + .5·.28 + .6·.105)/.588.
  EXPECT_NEAR(r.multipliers[0].value_added, (0.5 * 0.77 + 0.5 * 0.28 + 0.6 * 0.105) / det, 1e-12);
  EXPECT_NEAR(r.multipliers[0].domar_weight, 100.0 / 160.0, 1e-12);
  // Extraction of S1: backward x1 (BL1 − 1)/L11 = 100 (1.155 − .588)/.77; total x1 BL1/L11 = 150.
  EXPECT_NEAR(r.extraction[0].backward_loss, 100 * (1.155 - 0.588) / 0.77, 1e-9);
  EXPECT_NEAR(r.extraction[0].total_loss, 150.0, 1e-9);
  EXPECT_NEAR(r.extraction[0].forward_loss, 100 * (1.1 - 0.588) / 0.77, 1e-9);
  EXPECT_NEAR(r.extraction[0].total_share, 150.0 / 300.0, 1e-12);
}

TEST(InputOutput, GermanyEurostatManual) {
  const std::string dir = std::string(AGGLO_TEST_DATA) + "/reference/structure/germany_1995/";
  const auto t = agglo::structure::load_io_table(dir + "flows.csv", dir + "totals.csv");
  ASSERT_EQ(t.size(), 6u);
  const auto r = agglo::structure::analyse_io(t);
  const double published[6] = {1.7048, 1.8413, 1.8136, 1.6035, 1.5951, 1.3782};
  for (std::size_t j = 0; j < 6; ++j) EXPECT_NEAR(r.linkages[j].backward, published[j], 5e-5) << t.industries[j];
  // Normalised by the mean 1.66108…: manufacturing and construction pull hardest.
  EXPECT_GT(r.linkages[1].backward_norm, 1.0);
  EXPECT_GT(r.linkages[2].backward_norm, 1.0);
  EXPECT_LT(r.linkages[5].backward_norm, 1.0);
  // Primary inputs include imports and taxes, which the value-added column leaves out.
  EXPECT_FALSE(r.warnings.empty());
}

TEST(InputOutput, ClosedFormExtractionEqualsReSolution) {
  agglo::structure::SyntheticStructureConfig c;
  c.blocks = 3;
  c.decoys = 2;
  const auto s = agglo::structure::synthetic_structure(c, 7);
  const auto r = agglo::structure::analyse_io(s.table);
  for (std::size_t j = 0; j < s.table.size(); ++j) {
    const auto e = agglo::structure::extract_sectors(s.table, {j});
    EXPECT_NEAR(r.extraction[j].backward_loss, e.backward_loss, 1e-8 * r.total_output);
    EXPECT_NEAR(r.extraction[j].forward_loss, e.forward_loss, 1e-8 * r.total_output);
    EXPECT_NEAR(r.extraction[j].total_loss, e.total_loss, 1e-8 * r.total_output);
  }
  // A set loses at least as much as its largest member alone.
  const auto set = agglo::structure::extract_sectors(s.table, {0, 1, 2});
  EXPECT_GE(set.total_loss, r.extraction[0].total_loss);
}

TEST(InputOutput, SingularTableIsInvalidInput) {
  auto t = three_sector();
  // Every column of A sums to 1 (each industry's inputs equal its output): 1'(I − A) = 0, singular.
  t.flows = {50, 20, 10, 30, 10, 20, 20, 70, 70};
  try {
    agglo::structure::analyse_io(t);
    FAIL() << "expected an input error";
  } catch (const agglo::Error& e) {
    EXPECT_EQ(e.kind(), agglo::ErrorKind::input);
    EXPECT_NE(std::string(e.what()).find("singular"), std::string::npos) << e.what();
  }
  // I − A invertible but the spectral radius of A is 1.4 > 1: not productive, L has negative
  // entries (Hawkins–Simon). (A column sum above 1 alone is not enough: with columns 1.6, .5, .4
  // the Perron root can stay below 1 and L ≥ 0.)
  t.flows = {90, 50, 10, 50, 90, 20, 10, 10, 10};
  try {
    agglo::structure::analyse_io(t);
    FAIL() << "expected an input error";
  } catch (const agglo::Error& e) {
    EXPECT_EQ(e.kind(), agglo::ErrorKind::input);
    EXPECT_NE(std::string(e.what()).find("productive"), std::string::npos) << e.what();
  }
}

TEST(InputOutput, NegativeFlowNamesTheLine) {
  agglo::test_support::TempDir d;
  const auto io = d.write("io.csv", "from,to,value\nA,B,5\nB,A,-2\n");
  const auto tot = d.write("totals.csv", "industry,output\nA,100\nB,100\n");
  try {
    agglo::structure::load_io_table(io, tot);
    FAIL() << "expected an input error";
  } catch (const agglo::Error& e) {
    EXPECT_EQ(e.kind(), agglo::ErrorKind::input);
    EXPECT_EQ(e.code(), agglo::ErrorCode::negative_value);
    EXPECT_EQ(e.where().line, 3u);
  }
  const auto unknown = d.write("io2.csv", "from,to,value\nA,C,5\n");
  try {
    agglo::structure::load_io_table(unknown, tot);
    FAIL() << "expected an input error";
  } catch (const agglo::Error& e) {
    EXPECT_EQ(e.code(), agglo::ErrorCode::unknown_reference);
    EXPECT_EQ(e.where().line, 2u);
    EXPECT_EQ(e.where().column_name, "to");
  }
}

}  // namespace
