// Shift-share decomposition (Dunn 1960; Esteban-Marquillas 1972) against values worked by hand
// on a 2-region × 2-industry × 2-year table, the identities on random tables, and the
// undefined cases (entries, an empty base year).
#include <gtest/gtest.h>

#include <cmath>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/measure/shift_share.hpp"

using namespace agglo;
using namespace agglo::measure;

namespace {

data::DenseMatrix matrix(std::size_t R, std::size_t I, std::initializer_list<double> v) {
  data::DenseMatrix m(R, I);
  auto it = v.begin();
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < I; ++i) m(r, i) = *it++;
  return m;
}

// Year 0:  R1 A 60, B 40 (100);  R2 A 20, B 80 (100);  E_A⁰ = 80, E_B⁰ = 120, E⁰ = 200.
// Year 1:  R1 A 84, B 36 (120);  R2 A 36, B 84 (120);  E_A¹ = 120, E_B¹ = 120, E¹ = 240.
// G = 0.2, G_A = 0.5, G_B = 0.
data::DenseMatrix year0() { return matrix(2, 2, {60, 40, 20, 80}); }
data::DenseMatrix year1() { return matrix(2, 2, {84, 36, 36, 84}); }

}  // namespace

TEST(ShiftShare, ClassicalComponentsByHand) {
  const auto s = shift_share(year0(), year1());
  EXPECT_DOUBLE_EQ(s.total_from, 200);
  EXPECT_DOUBLE_EQ(s.total_to, 240);
  EXPECT_NEAR(s.national_growth, 0.2, 1e-15);
  EXPECT_NEAR(s.sector_growth[0], 0.5, 1e-15);
  EXPECT_NEAR(s.sector_growth[1], 0.0, 1e-15);
  // NS = e⁰·G, IM = e⁰(G_i − G), CE = e¹ − e⁰(1 + G_i):
  //   R1 A: Δ 24 = 12 + 60·0.3 = 18 + (84 − 90) = −6
  //   R1 B: Δ −4 = 8 + 40·(−0.2) = −8 + (36 − 40) = −4
  //   R2 A: Δ 16 = 4 + 20·0.3 = 6 + (36 − 30) = 6
  //   R2 B: Δ 4 = 16 + 80·(−0.2) = −16 + (84 − 80) = 4
  const double change[4] = {24, -4, 16, 4}, ns[4] = {12, 8, 4, 16}, im[4] = {18, -8, 6, -16}, ce[4] = {-6, -4, 6, 4};
  for (std::size_t k = 0; k < 4; ++k) {
    const std::size_t r = k / 2, i = k % 2;
    EXPECT_NEAR(s.change(r, i), change[k], 1e-12) << k;
    EXPECT_NEAR(s.national(r, i), ns[k], 1e-12) << k;
    EXPECT_NEAR(s.mix(r, i), im[k], 1e-12) << k;
    EXPECT_NEAR(s.competitive(r, i), ce[k], 1e-12) << k;
  }
  EXPECT_EQ(s.entries, 0u);
}

TEST(ShiftShare, EstebanMarquillasByHand) {
  const auto s = shift_share(year0(), year1());
  // Homothetic employment ê = E_r⁰ E_i⁰ / E⁰ = 100·80/200 = 40 (A) and 100·120/200 = 60 (B).
  // g − G_i: R1 A 0.4 − 0.5 = −0.1; R1 B −0.1 − 0 = −0.1; R2 A 0.8 − 0.5 = 0.3; R2 B 0.05.
  //   R1 A: CE* = 40·(−0.1) = −4,  AE = (60 − 40)(−0.1) = −2   (sum −6)
  //   R1 B: CE* = 60·(−0.1) = −6,  AE = (40 − 60)(−0.1) = 2    (sum −4)
  //   R2 A: CE* = 40·0.3 = 12,     AE = (20 − 40)·0.3 = −6     (sum 6)
  //   R2 B: CE* = 60·0.05 = 3,     AE = (80 − 60)·0.05 = 1     (sum 4)
  const double hat[4] = {40, 60, 40, 60}, cs[4] = {-4, -6, 12, 3}, ae[4] = {-2, 2, -6, 1};
  for (std::size_t k = 0; k < 4; ++k) {
    const std::size_t r = k / 2, i = k % 2;
    EXPECT_NEAR(s.expected(r, i), hat[k], 1e-12) << k;
    EXPECT_NEAR(s.homothetic(r, i), cs[k], 1e-12) << k;
    EXPECT_NEAR(s.allocation(r, i), ae[k], 1e-12) << k;
  }
}

TEST(ShiftShare, IdentitiesHoldOnRandomTables) {
  // 30 regions × 12 sectors, employment from Poisson draws with region- and sector-specific
  // growth, some cells empty in one year (entries and exits).
  const std::size_t R = 30, I = 12;
  core::Stream rng(7, 1);
  data::DenseMatrix a(R, I), b(R, I);
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < I; ++i) {
      a(r, i) = rng.bernoulli(0.15) ? 0.0 : static_cast<double>(rng.poisson(rng.uniform(1, 500)));
      b(r, i) = rng.bernoulli(0.15) ? 0.0 : static_cast<double>(rng.poisson(a(r, i) * rng.uniform(0.5, 1.8) + 1));
    }
  const auto s = shift_share(a, b);
  double total_change = 0, sum_ns_im = 0;
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < I; ++i) {
      const double scale = 1e-12 * (1 + a(r, i) + b(r, i));
      EXPECT_NEAR(s.national(r, i) + s.mix(r, i) + s.competitive(r, i), b(r, i) - a(r, i), scale);
      if (a(r, i) > 0) EXPECT_NEAR(s.homothetic(r, i) + s.allocation(r, i), s.competitive(r, i), scale);
      else if (b(r, i) > 0) EXPECT_TRUE(std::isnan(s.homothetic(r, i)) && std::isnan(s.allocation(r, i)));
      total_change += b(r, i) - a(r, i);
      sum_ns_im += s.national(r, i) + s.mix(r, i);
    }
  // Competitive effects sum to zero over regions (Σ_r CE_ri = E_i¹ − E_i⁰(1 + G_i) = 0), so the
  // national and mix effects together account for the whole national change.
  for (std::size_t i = 0; i < I; ++i) {
    double sum = 0;
    for (std::size_t r = 0; r < R; ++r) sum += s.competitive(r, i);
    EXPECT_NEAR(sum, 0.0, 1e-9 * s.sector_to[i]) << i;
  }
  EXPECT_NEAR(sum_ns_im, total_change, 1e-9 * s.total_to);
  // Homothetic employment keeps the national totals: Σ_r ê_ri = E_i⁰, Σ_i ê_ri = E_r⁰.
  for (std::size_t i = 0; i < I; ++i) {
    double sum = 0;
    for (std::size_t r = 0; r < R; ++r) sum += s.expected(r, i);
    EXPECT_NEAR(sum, s.sector_from[i], 1e-9 * s.total_from);
  }
  std::size_t entries = 0;
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < I; ++i) entries += a(r, i) == 0 && b(r, i) > 0;
  EXPECT_GT(entries, 0u);
  EXPECT_EQ(s.entries, entries);
}

TEST(ShiftShare, EntriesAreCompetitiveAndHaveNoSplit) {
  // R2 has no B in year 0: no growth rate, so NS = IM = 0, CE = e¹ = 30, CE* and AE undefined.
  const auto s = shift_share(matrix(2, 2, {50, 50, 100, 0}), matrix(2, 2, {60, 40, 100, 30}));
  EXPECT_EQ(s.entries, 1u);
  EXPECT_DOUBLE_EQ(s.national(1, 1), 0);
  EXPECT_DOUBLE_EQ(s.mix(1, 1), 0);
  EXPECT_DOUBLE_EQ(s.competitive(1, 1), 30);
  EXPECT_TRUE(std::isnan(s.homothetic(1, 1)));
  EXPECT_TRUE(std::isnan(s.allocation(1, 1)));
  // An exit (R1 keeps jobs, another cell drops to 0) is an ordinary cell: g = −1.
  const auto x = shift_share(matrix(1, 2, {50, 50}), matrix(1, 2, {100, 0}));
  EXPECT_DOUBLE_EQ(x.competitive(0, 1), 0);  // the only region: CE is zero by construction
  EXPECT_DOUBLE_EQ(x.mix(0, 1), -50);        // G = 0, G_B = −1
  EXPECT_EQ(x.entries, 0u);
}

TEST(ShiftShare, GivenRegionTotalsSetTheNationalRates) {
  // Two clusters that leave out 100 unclustered jobs per region, which do not change. R1's
  // cluster A grows by 60, so the region totals go from (200, 200) to (260, 200):
  // G = 60/400 = 0.15, G_A = 60/100 = 0.6, G_B = 0, ê_1A = 200·100/400 = 50.
  const auto from = matrix(2, 2, {50, 50, 50, 50});
  const auto to = matrix(2, 2, {110, 50, 50, 50});
  const auto s = shift_share(from, to, {200, 200}, {260, 200});
  EXPECT_NEAR(s.national_growth, 0.15, 1e-15);
  EXPECT_NEAR(s.sector_growth[0], 0.6, 1e-15);
  EXPECT_NEAR(s.national(0, 0), 7.5, 1e-12);
  EXPECT_NEAR(s.mix(0, 0), 50 * 0.45, 1e-12);
  EXPECT_NEAR(s.competitive(0, 0), 110 - 80, 1e-12);
  EXPECT_NEAR(s.expected(0, 0), 50, 1e-12);
  // g_1A = 1.2, g − G_A = 0.6: CE* = 50·0.6 = 30, AE = 0 (R1 holds exactly its homothetic share).
  EXPECT_NEAR(s.homothetic(0, 0), 30, 1e-12);
  EXPECT_NEAR(s.allocation(0, 0), 0, 1e-12);
  EXPECT_NEAR(s.competitive(1, 0), 50 - 80, 1e-12);
}

TEST(ShiftShare, EmptyBaseYearIsAnInputError) {
  try {
    shift_share(matrix(1, 2, {0, 0}), matrix(1, 2, {1, 2}));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::input);
    EXPECT_EQ(e.code(), ErrorCode::empty_input);
  }
}

TEST(ShiftShare, ExcessGrowthZ) {
  // e⁰ = 100, e¹ = 150, G = 0.2: (150 − 120) / √(1.2 · 250) = 30 / √300.
  EXPECT_NEAR(excess_growth_z(100, 150, 0.2), 30 / std::sqrt(300.0), 1e-12);
  // Growing exactly like the nation: 0; slower: negative; nothing in either year: undefined.
  EXPECT_NEAR(excess_growth_z(100, 120, 0.2), 0, 1e-12);
  EXPECT_LT(excess_growth_z(100, 100, 0.2), 0);
  EXPECT_TRUE(std::isnan(excess_growth_z(0, 0, 0.2)));
  // An entry of 20 jobs at G = 0: 20 / √20.
  EXPECT_NEAR(excess_growth_z(0, 20, 0), std::sqrt(20.0), 1e-12);
}
