// Ellison–Glaeser, Maurel–Sédillot and EGK co-agglomeration against hand-computed values.
#include <gtest/gtest.h>

#include <cmath>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/measure/concentration.hpp"

using namespace agglo;
using namespace agglo::measure;

TEST(Concentration, IssueExampleExactValues) {
  // x = (0.5, 0.25, 0.15, 0.10), s = (0.90, 0.05, 0.03, 0.02), 20 equal plants (H = 0.05):
  // Σx² = 0.345, G = 0.2208 → γ_EG = (0.2208/0.655 − 0.05)/0.95 = 0.3022097;
  // Σs² = 0.8138 → γ_MS = ((0.8138 − 0.345)/0.655 − 0.05)/0.95 = 0.7007634.
  const std::vector<double> x{0.5, 0.25, 0.15, 0.10}, s{0.90, 0.05, 0.03, 0.02};
  const double H = herfindahl(std::vector<double>(20, 7.0));
  EXPECT_NEAR(H, 0.05, 1e-15);
  EXPECT_NEAR(ellison_glaeser(s, x, H), 0.3022097, 5e-8);
  EXPECT_NEAR(maurel_sedillot(s, x, H), 0.7007634, 5e-8);
}

namespace {
// Industry A: 20 plants of 10 employees, 18 in R1, 1 in R2, 1 in R3; industry B: 10 plants
// spread (1, 2, 3, 4) over R1..R4. Reference employment (500, 250, 150, 100).
data::Establishments example() {
  data::Establishments e;
  auto add = [&](const char* ind, const char* reg, double emp) {
    e.ids.intern("p" + std::to_string(e.x.size()));
    e.industry.push_back(e.industry_codes.intern(ind));
    e.region.push_back(e.region_codes.intern(reg));
    e.x.push_back(0);
    e.y.push_back(0);
    e.employees.push_back(emp);
  };
  for (int k = 0; k < 18; ++k) add("A", "R1", 10);
  add("A", "R2", 10);
  add("A", "R3", 10);
  const char* regs[] = {"R1", "R2", "R3", "R4"};
  for (int r = 0; r < 4; ++r)
    for (int k = 0; k <= r; ++k) add("B", regs[r], 5);
  return e;
}
const std::vector<std::pair<std::string, double>> kReference{{"R1", 500}, {"R2", 250}, {"R3", 150}, {"R4", 100}};
}  // namespace

TEST(Concentration, FromEstablishments) {
  const auto c = concentration(example(), kReference);
  ASSERT_EQ(c.industries.size(), 2u);
  const auto& a = c.industries[0];
  EXPECT_EQ(a.industry, "A");
  EXPECT_EQ(a.establishments, 20u);
  EXPECT_DOUBLE_EQ(a.employment, 200);
  // s = (0.9, 0.05, 0.05, 0): G = 0.22, γ_EG = (0.22/0.655 − 0.05)/0.95, γ_MS = ((0.815 − 0.345)/0.655 − 0.05)/0.95.
  EXPECT_NEAR(a.raw_g, 0.22, 1e-12);
  EXPECT_NEAR(a.ellison_glaeser, 0.3009240658899157, 1e-12);
  EXPECT_NEAR(a.maurel_sedillot, 0.7026918441141019, 1e-12);
  // EGK co-agglomeration of A with B (s_B = (0.1, 0.2, 0.3, 0.4)):
  // Σ (s_A − x)(s_B − x) / (1 − Σx²) = −0.195/0.655 = −0.29770992…
  const auto g = coagglomeration(c);
  EXPECT_NEAR(g(0, 1), -0.29770992366412213, 1e-12);
  EXPECT_NEAR(g(1, 0), g(0, 1), 0);
}

TEST(Concentration, CoagglomerationMatchesBruteForce) {
  // Random plants in 30 regions and 12 industries: the matrix path equals the double loop.
  data::Establishments e;
  core::Stream rng(3, 1);
  for (int j = 0; j < 3000; ++j) {
    e.ids.intern("p" + std::to_string(j));
    e.industry.push_back(e.industry_codes.intern("I" + std::to_string(rng.below(12))));
    e.region.push_back(e.region_codes.intern("R" + std::to_string(rng.below(30))));
    e.x.push_back(0);
    e.y.push_back(0);
    e.employees.push_back(1 + static_cast<double>(rng.below(50)));
  }
  const auto c = concentration(e);
  const auto g = coagglomeration(c);
  double sx2 = 0;
  for (double v : c.x) sx2 += v * v;
  for (std::size_t a = 0; a < 12; ++a)
    for (std::size_t b = 0; b < 12; ++b) {
      double s = 0;
      for (std::size_t r = 0; r < c.x.size(); ++r) s += (c.shares(r, a) - c.x[r]) * (c.shares(r, b) - c.x[r]);
      EXPECT_NEAR(g(a, b), s / (1 - sx2), 1e-12);
    }
  // The diagonal is G / (1 − Σx²).
  EXPECT_NEAR(g(3, 3), c.industries[3].raw_g / (1 - sx2), 1e-12);
}

TEST(Concentration, UndefinedCasesAreReported) {
  data::Establishments e = example();
  // A lone plant of industry C: H = 1, no EG index, a warning names it.
  e.ids.intern("lonely");
  e.industry.push_back(e.industry_codes.intern("C"));
  e.region.push_back(e.region_codes.intern("R4"));
  e.x.push_back(0);
  e.y.push_back(0);
  e.employees.push_back(3);
  const auto c = concentration(e, kReference);
  EXPECT_TRUE(std::isnan(c.industries[2].ellison_glaeser));
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("C"), std::string::npos);
  // All employment in one region: undefined, an input error.
  EXPECT_THROW(concentration(e, {{"R1", 1}, {"R2", 0}, {"R3", 0}, {"R4", 0}}), Error);
  // No region column.
  data::Establishments no_region = example();
  no_region.region.clear();
  EXPECT_THROW(concentration(no_region), Error);
}
