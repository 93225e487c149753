// Relatedness matrices: hand-computed values, the matrix-product paths against pairwise loops,
// thread-count independence, bad input, and the `agglo relatedness` operation end to end.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <set>

#include "../support/temp_dir.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/clusters/relatedness.hpp"
#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"

using namespace agglo;

namespace {

data::DenseMatrix matrix(std::size_t rows, std::size_t cols, std::initializer_list<double> v) {
  data::DenseMatrix m(rows, cols);
  std::size_t k = 0;
  for (double x : v) m.data()[k++] = x;
  return m;
}

// A random region × industry count matrix with many zeros (like a sparse county panel).
data::DenseMatrix random_counts(std::size_t R, std::size_t n, std::uint64_t seed) {
  data::DenseMatrix m(R, n, 0.0);
  for (std::size_t r = 0; r < R; ++r) {
    core::Stream s(seed, 1, r);
    for (std::size_t i = 0; i < n; ++i)
      if (s.uniform() < 0.6) m(r, i) = std::floor(s.lognormal(2.0, 1.2));
  }
  return m;
}

// The 3-region × 3-industry example of docs/methods/cluster-definitions.md:
//          i1  i2  i3 | E_r
//     r1    6   2   2 | 10
//     r2    2   6   2 | 10
//     r3    2   2  16 | 20
//    E_i   10  10  20 | E = 40
const data::DenseMatrix& example() {
  static const auto m = matrix(3, 3, {6, 2, 2, 2, 6, 2, 2, 2, 16});
  return m;
}

}  // namespace

TEST(Relatedness, LocationQuotientCorrelationByHand) {
  // x_r = E_r/E = (0.25, 0.25, 0.5); LQ_ri = (E_ri/E_i)/x_r:
  //   i1 = (2.4, 0.8, 0.4), i2 = (0.8, 2.4, 0.4), i3 = (0.4, 0.4, 1.6).
  // Deviations from the means (1.2, 1.2, 0.8): i1 = (1.2, −0.4, −0.8), i2 = (−0.4, 1.2, −0.8),
  // i3 = (−0.4, −0.4, 0.8); squared norms 2.24, 2.24, 0.96.
  //   r12 = (−0.48 − 0.48 + 0.64) / 2.24 = −0.32 / 2.24 = −1/7
  //   r13 = (−0.48 + 0.16 − 0.64) / √(2.24 · 0.96) = −0.96 / √2.1504 = −√(3/7) = r23
  const auto lq = clusters::location_quotients(example());
  EXPECT_NEAR(lq(0, 0), 2.4, 1e-12);
  EXPECT_NEAR(lq(2, 2), 1.6, 1e-12);
  const auto c = clusters::lq_correlation(example());
  EXPECT_NEAR(c(0, 1), -1.0 / 7.0, 1e-12);
  EXPECT_NEAR(c(0, 2), -std::sqrt(3.0 / 7.0), 1e-12);
  EXPECT_NEAR(c(1, 2), -std::sqrt(3.0 / 7.0), 1e-12);
  EXPECT_EQ(c(1, 0), c(0, 1));
  EXPECT_EQ(c(1, 1), 1.0);
}

TEST(Relatedness, WeightedLocationQuotientCorrelationByHand) {
  // Weights w = x = (0.25, 0.25, 0.5); the weighted mean of every LQ column is Σ_r s_ri = 1.
  // Deviations LQ − 1: i1 = (1.4, −0.2, −0.6), i2 = (−0.2, 1.4, −0.6), i3 = (−0.6, −0.6, 0.6).
  //   c12 = .25·1.4·(−.2) + .25·(−.2)·1.4 + .5·(−.6)(−.6) = −.07 − .07 + .18 = .04
  //   c11 = .25·1.96 + .25·.04 + .5·.36 = .68;   c33 = .25·.36 + .25·.36 + .5·.36 = .36
  //   c13 = .25·1.4·(−.6) + .25·(−.2)(−.6) + .5·(−.6)·.6 = −.21 + .03 − .18 = −.36
  //   r12 = .04/.68 = 1/17;   r13 = −.36/√(.68 · .36) = −√(9/17) = r23
  const auto w = clusters::weighted_lq_correlation(example());
  EXPECT_NEAR(w(0, 1), 1.0 / 17.0, 1e-12);
  EXPECT_NEAR(w(0, 2), -std::sqrt(9.0 / 17.0), 1e-12);
  EXPECT_NEAR(w(2, 1), -std::sqrt(9.0 / 17.0), 1e-12);
  EXPECT_EQ(w(2, 2), 1.0);
}

TEST(Relatedness, CoagglomerationByHand) {
  // s_i = E_ri/E_i: i1 = (0.6, 0.2, 0.2), i2 = (0.2, 0.6, 0.2), i3 = (0.1, 0.1, 0.8);
  // x = (0.25, 0.25, 0.5), 1 − Σx² = 1 − 0.375 = 0.625.
  // s − x: i1 = (0.35, −0.05, −0.30), i2 = (−0.05, 0.35, −0.30), i3 = (−0.15, −0.15, 0.30).
  //   γ12 = (−0.0175 − 0.0175 + 0.09) / 0.625 = 0.055 / 0.625 = 0.088
  //   γ13 = (−0.0525 + 0.0075 − 0.09) / 0.625 = −0.135 / 0.625 = −0.216 = γ23
  const auto g = clusters::coagglomeration(example());
  EXPECT_NEAR(g(0, 1), 0.088, 1e-12);
  EXPECT_NEAR(g(0, 2), -0.216, 1e-12);
  EXPECT_NEAR(g(1, 2), -0.216, 1e-12);
  EXPECT_NEAR(g(0, 0), (0.35 * 0.35 + 0.05 * 0.05 + 0.3 * 0.3) / 0.625, 1e-12);
}

TEST(Relatedness, CombinedMeasureByHand) {
  // Both matrices have off-diagonal pairs (a, b, b) with a > b: the population z-scores of
  // three values a, b, b are (√2, −1/√2, −1/√2), whatever a and b are; their average too.
  clusters::RelatednessInput in;
  in.industries = {"i1", "i2", "i3"};
  in.employment = example();
  const auto r = clusters::compute_relatedness(in);
  // cor_emp, wcor_emp, coagglomeration (no establishments, IO or occupations).
  ASSERT_EQ(r.measures.size(), 3u);
  EXPECT_EQ(r.measures[0].name, "cor_emp");
  EXPECT_EQ(r.measures[1].name, "wcor_emp");
  EXPECT_EQ(r.measures[2].name, "coagglomeration");
  EXPECT_NEAR(r.combined(0, 1), std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(r.combined(0, 2), -1 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(r.combined(2, 1), -1 / std::sqrt(2.0), 1e-12);
  EXPECT_EQ(r.combined(1, 1), 0.0);
  // Restricting to {i1, i3} re-standardises over the single pair: σ = 0 → 0.
  const auto sub = clusters::restrict_relatedness(r, {0, 2});
  EXPECT_EQ(sub.industries, (std::vector<std::string>{"i1", "i3"}));
  EXPECT_NEAR(sub.measures[2].values(0, 1), -0.216, 1e-12);
  EXPECT_EQ(sub.combined(0, 1), 0.0);
}

TEST(Relatedness, ProductPathMatchesPairwiseLoops) {
  auto counts = random_counts(57, 150, 7);  // 150 columns: three parallel blocks of 64
  for (std::size_t r = 0; r < counts.rows(); ++r) {
    counts(r, 3) = 0;                            // an industry with no employment
    counts(r, 4) = 2 * counts.row_sums()[r] + 1;  // grows with the region: near-constant LQ
  }
  for (std::size_t i = 0; i < counts.cols(); ++i) counts(5, i) = 0;  // a region without employment
  const auto x = clusters::location_quotients(counts);
  EXPECT_EQ(x.rows(), 56u);
  const auto fast = clusters::column_correlation(x);
  const auto slow = clusters::column_correlation_reference(x);
  for (std::size_t i = 0; i < fast.rows(); ++i)
    for (std::size_t j = 0; j < fast.cols(); ++j) ASSERT_NEAR(fast(i, j), slow(i, j), 1e-12) << i << "," << j;
  const auto g = clusters::coagglomeration(counts);
  const auto gref = clusters::coagglomeration_reference(counts);
  for (std::size_t i = 0; i < g.rows(); ++i)
    for (std::size_t j = 0; j < g.cols(); ++j) ASSERT_NEAR(g(i, j), gref(i, j), 1e-13) << i << "," << j;
  std::vector<std::size_t> constant;
  clusters::column_correlation(x, &constant);
  EXPECT_EQ(constant, (std::vector<std::size_t>{3}));  // the empty industry
  // The weighted correlation against explicit weighted sums over regions, pair by pair.
  const auto wfast = clusters::weighted_lq_correlation(counts);
  const auto er = counts.row_sums();
  const double e = counts.sum();
  for (std::size_t i = 0; i < x.cols(); ++i)
    for (std::size_t j = 0; j < x.cols(); ++j) {
      if (i == j || i == 3 || j == 3) continue;
      double mi = 0, mj = 0, sij = 0, sii = 0, sjj = 0;
      for (std::size_t r = 0, k = 0; r < counts.rows(); ++r) {
        if (!(er[r] > 0)) continue;
        mi += er[r] / e * x(k, i);
        mj += er[r] / e * x(k, j);
        ++k;
      }
      for (std::size_t r = 0, k = 0; r < counts.rows(); ++r) {
        if (!(er[r] > 0)) continue;
        const double wr = er[r] / e;
        sij += wr * (x(k, i) - mi) * (x(k, j) - mj);
        sii += wr * (x(k, i) - mi) * (x(k, i) - mi);
        sjj += wr * (x(k, j) - mj) * (x(k, j) - mj);
        ++k;
      }
      ASSERT_NEAR(wfast(i, j), sij / std::sqrt(sii * sjj), 1e-12) << i << "," << j;
    }
}

TEST(Relatedness, SameBitsForAnyThreadCount) {
  const auto counts = random_counts(80, 200, 11);
  data::DenseMatrix one, two;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = clusters::lq_correlation(counts);
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    two = clusters::lq_correlation(counts);
  }
  for (std::size_t k = 0; k < one.rows() * one.cols(); ++k) ASSERT_EQ(one.data()[k], two.data()[k]);
}

TEST(Relatedness, InputOutputMaxShareByHand) {
  // Flows (from → to): A→B 30, B→A 10, A→C 5, C→B 20, and three rows with industries outside
  // the analysis: B→F 40 (final demand), D→C 15, X→A 30. Totals over every row:
  //   out: A 35, B 50, C 20;   in: A 40, B 50, C 20.
  //   IO_AB = max(f_BA/in_A, f_AB/in_B, f_AB/out_A, f_BA/out_B) = max(10/40, 30/50, 30/35, 10/50) = 6/7
  //   IO_AC = max(0/40, 5/20, 5/35, 0/20) = 0.25
  //   IO_BC = max(20/50, 0/20, 0/50, 20/20) = 1
  clusters::CodeTable f;
  f.a = {"A", "B", "A", "C", "B", "D", "X"};
  f.b = {"B", "A", "C", "B", "F", "C", "A"};
  f.value = {30, 10, 5, 20, 40, 15, 30};
  std::size_t unmatched = 0;
  const auto m = clusters::io_max_share({"A", "B", "C"}, f, &unmatched);
  EXPECT_EQ(unmatched, 3u);
  EXPECT_NEAR(m(0, 1), 6.0 / 7.0, 1e-12);
  EXPECT_NEAR(m(1, 0), 6.0 / 7.0, 1e-12);
  EXPECT_NEAR(m(0, 2), 0.25, 1e-12);
  EXPECT_NEAR(m(1, 2), 1.0, 1e-12);
}

TEST(Relatedness, OccupationSimilarityByHand) {
  // Shares over (o1, o2, o3): A = (.5, .5, 0), B = (.5, .5, 0), C = (0, 0, 1); D has no rows.
  // A and B have identical profiles (r = 1); C's deviations (−1/3, −1/3, 2/3) are −2 × A's
  // (1/6, 1/6, −1/3), so r_AC = −1; D correlates 0 with everyone.
  clusters::CodeTable t;
  t.a = {"A", "A", "B", "B", "C", "Z"};
  t.b = {"o1", "o2", "o1", "o2", "o3", "o1"};
  t.value = {10, 10, 2, 2, 5, 7};
  std::size_t missing = 0;
  const auto m = clusters::occupation_similarity({"A", "B", "C", "D"}, t, &missing);
  EXPECT_EQ(missing, 1u);
  EXPECT_NEAR(m(0, 1), 1.0, 1e-12);
  EXPECT_NEAR(m(0, 2), -1.0, 1e-12);
  EXPECT_NEAR(m(1, 2), -1.0, 1e-12);
  EXPECT_EQ(m(0, 3), 0.0);
}

TEST(Relatedness, StandardisationUsesOffDiagonalPairs) {
  // Off-diagonal values 1, 2, 3 (each twice): mean 2, population sd √(2/3).
  const auto m = matrix(3, 3, {9, 1, 2, 1, 9, 3, 2, 3, 9});
  const auto z = clusters::standardise_off_diagonal(m);
  EXPECT_NEAR(z(0, 1), -1 / std::sqrt(2.0 / 3.0), 1e-12);
  EXPECT_NEAR(z(0, 2), 0.0, 1e-12);
  EXPECT_NEAR(z(1, 2), 1 / std::sqrt(2.0 / 3.0), 1e-12);
  EXPECT_EQ(z(0, 0), 0.0);
}

TEST(Relatedness, OneRegionIsAClearInputError) {
  clusters::RelatednessInput in;
  in.industries = {"a", "b"};
  in.employment = matrix(2, 2, {5, 3, 0, 0});  // the second region has no employment
  try {
    clusters::compute_relatedness(in);
    FAIL() << "expected an input error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::input);
    EXPECT_NE(std::string(e.what()).find("at least 2 regions"), std::string::npos) << e.what();
  }
}

TEST(Relatedness, MeasureWithoutItsInputIsAUsageError) {
  clusters::RelatednessInput in;
  in.industries = {"i1", "i2", "i3"};
  in.employment = example();
  try {
    clusters::compute_relatedness(in, {"io"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_EQ(e.code(), ErrorCode::missing_option);
  }
  const auto r = clusters::compute_relatedness(in, {"coagglomeration"});
  ASSERT_EQ(r.measures.size(), 1u);
  // One measure: the combined value is its z-score.
  EXPECT_NEAR(r.combined(0, 1), std::sqrt(2.0), 1e-12);
}

TEST(Relatedness, OperationWritesOnePairPerRow) {
  test_support::TempDir dir;
  const auto emp = dir.write("employment.csv",
                             "region,industry,employment,establishments\n"
                             "r1,i1,6,2\nr1,i2,2,1\nr1,i3,2,1\n"
                             "r2,i1,2,1\nr2,i2,6,3\nr2,i3,2,2\n"
                             "r3,i1,2,1\nr3,i2,2,1\nr3,i3,16,4\n");
  const auto io = dir.write("io.csv", "from,to,value\ni1,i2,30\ni2,i1,10\ni3,i1,5\n");
  const auto* op = api::Registry::global().find("relatedness");
  ASSERT_NE(op, nullptr);
  api::Context ctx;
  auto res = op->run({{"employment", emp}, {"io", io}}, ctx);
  ASSERT_FALSE(res.tables.empty());
  const auto& t = res.tables[0].second;
  EXPECT_EQ(t.rows(), 3u);
  std::vector<std::string> cols;
  for (const auto& c : t.columns()) cols.push_back(c.name);
  EXPECT_EQ(cols, (std::vector<std::string>{"industry_a", "industry_b", "value", "cor_emp", "cor_est", "wcor_emp",
                                             "wcor_est", "coagglomeration", "io"}));
  const auto& a = std::get<data::TextColumn>(t.at("industry_a").values);
  const auto& b = std::get<data::TextColumn>(t.at("industry_b").values);
  for (std::size_t i = 0; i < t.rows(); ++i) EXPECT_LT(a[i], b[i]);
  EXPECT_NEAR(std::get<data::RealColumn>(t.at("coagglomeration").values)[0], 0.088, 1e-12);  // i1,i2
  // --top 1: each industry keeps its best partner (i1–i2 for both i1 and i2; i3's best is the
  // larger of its two combined values).
  auto top = op->run({{"employment", emp}, {"top", "1"}}, ctx);
  EXPECT_EQ(top.tables[0].second.rows(), 2u);
  // Bad input: a negative IO value names the file and the line.
  const auto bad = dir.write("bad_io.csv", "from,to,value\ni1,i2,-3\n");
  try {
    op->run({{"employment", emp}, {"io", bad}}, ctx);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::input);
    EXPECT_NE(std::string(e.what()).find("bad_io.csv"), std::string::npos) << e.what();
  }
}

TEST(Relatedness, OperationBadInput) {
  test_support::TempDir dir;
  const auto* op = api::Registry::global().find("relatedness");
  api::Context ctx;
  // A repeated region × industry row is rejected, or summed with --duplicates sum.
  const auto dup = dir.write("dup.csv",
                             "region,industry,employment\nr1,a,5\nr1,b,1\nr2,a,1\nr2,b,4\nr1,a,2\nr3,a,1\nr3,b,1\n");
  try {
    op->run({{"employment", dup}}, ctx);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::duplicate_row) << e.what();
  }
  const auto summed = op->run({{"employment", dup}, {"duplicates", "sum"}}, ctx);
  EXPECT_EQ(summed.tables[0].second.rows(), 1u);
  // One region: a clear input error, not NaN.
  const auto one = dir.write("one.csv", "region,industry,employment\nr1,a,5\nr1,b,1\n");
  try {
    op->run({{"employment", one}}, ctx);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::input);
    EXPECT_NE(std::string(e.what()).find("at least 2 regions"), std::string::npos) << e.what();
  }
  // Negative employment names the file and the line.
  const auto neg = dir.write("neg.csv", "region,industry,employment\nr1,a,5\nr2,a,-1\n");
  try {
    op->run({{"employment", neg}}, ctx);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::negative_value);
    EXPECT_EQ(e.where().line, 3u);
  }
}
