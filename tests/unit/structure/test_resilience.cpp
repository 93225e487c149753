// Resilience indices: a small panel computed by hand, and the planted recession of
// synth-structure recovered.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "agglo/core/error.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/table_writer.hpp"
#include "agglo/structure/resilience.hpp"
#include "agglo/structure/synthetic.hpp"
#include "../support/temp_dir.hpp"

namespace {

// Two regions × two industries, years 2007 (peak), 2009 (trough), 2014:
//   A: X 100 → 80 → 90,  Y  50 →  50 →  60
//   B: X 100 → 90 → 100, Y 150 → 120 → 130
// National X and Y both fall 200 → 170 (g = −0.15) and recover 170 → 190 (g = 20/170).
TEST(Resilience, SmallPanelByHand) {
  agglo::test_support::TempDir d;
  const auto path = d.write("panel.csv",
                            "region,industry,employment,year\n"
                            "A,X,100,2007\nA,Y,50,2007\nB,X,100,2007\nB,Y,150,2007\n"
                            "A,X,80,2009\nA,Y,50,2009\nB,X,90,2009\nB,Y,120,2009\n"
                            "A,X,90,2014\nA,Y,60,2014\nB,X,100,2014\nB,Y,130,2014\n");
  const auto panel = agglo::io::load_employment(path);
  const auto r = agglo::structure::resilience(panel, 2007, 2009, 2014, path);
  ASSERT_EQ(r.regions.size(), 2u);
  EXPECT_NEAR(r.national_contraction, -0.15, 1e-12);
  EXPECT_NEAR(r.national_recovery, 40.0 / 340.0, 1e-12);
  const auto& a = r.regions[0];
  const auto& b = r.regions[1];
  EXPECT_EQ(a.region, "A");
  // A: 150 → 130, −13.3 % against −15 %: β = (20/150)/0.15; expected −0.15·150 = −22.5.
  EXPECT_NEAR(a.sensitivity, (20.0 / 150.0) / 0.15, 1e-12);
  EXPECT_NEAR(a.actual_change, -20.0, 1e-12);
  EXPECT_NEAR(a.expected_change, -22.5, 1e-12);
  EXPECT_NEAR(a.resistance, 2.5 / 22.5, 1e-12);
  // Recovery 130 → 150 (+20) against (20/170)·130.
  EXPECT_NEAR(a.recovery_expected_change, 20.0 / 170.0 * 130.0, 1e-12);
  EXPECT_NEAR(a.recovery, (20.0 - 20.0 / 170.0 * 130.0) / (20.0 / 170.0 * 130.0), 1e-12);
  EXPECT_NEAR(a.recovery_sensitivity, (20.0 / 130.0) / (40.0 / 340.0), 1e-12);
  EXPECT_NEAR(a.diversity, -(2.0 / 3 * std::log(2.0 / 3) + 1.0 / 3 * std::log(1.0 / 3)), 1e-12);
  // B: 250 → 210: β = 0.16/0.15, resistance (−40 + 37.5)/37.5.
  EXPECT_NEAR(b.sensitivity, 0.16 / 0.15, 1e-12);
  EXPECT_NEAR(b.resistance, -2.5 / 37.5, 1e-12);
  EXPECT_NEAR(b.recovery, (20.0 - 20.0 / 170.0 * 210.0) / (20.0 / 170.0 * 210.0), 1e-12);
  // Without --to the recovery is empty.
  const auto r2 = agglo::structure::resilience(panel, 2007, 2009, std::nullopt, path);
  EXPECT_TRUE(std::isnan(r2.regions[0].recovery));
  EXPECT_THROW(agglo::structure::resilience(panel, 2009, 2007, std::nullopt, path), agglo::Error);
  EXPECT_THROW(agglo::structure::resilience(panel, 2007, 2008, std::nullopt, path), agglo::Error);
}

// Region A at 2007: 3110 30, 3120 10, 4410 60 (sectors 31 and 44): s = .3, .1, .6, P = .4, .6.
// UV = −.4 log2 .4 − .6 log2 .6; RV = .4 · H2(.75, .25) + .6 · 0; E = H2(.3, .1, .6) = UV + RV.
TEST(Resilience, RelatedAndUnrelatedVarietyByHand) {
  agglo::test_support::TempDir d;
  const auto path = d.write("panel.csv",
                            "region,industry,employment,year\n"
                            "A,3110,30,2007\nA,3120,10,2007\nA,4410,60,2007\nB,3110,50,2007\nB,4410,50,2007\n"
                            "A,3110,20,2009\nA,3120,10,2009\nA,4410,60,2009\nB,3110,40,2009\nB,4410,50,2009\n");
  const auto panel = agglo::io::load_employment(path);
  const std::unordered_map<std::string, std::string> groups = {{"3110", "31"}, {"3120", "31"}, {"4410", "44"}};
  const auto r = agglo::structure::resilience(panel, 2007, 2009, std::nullopt, path, groups);
  const auto& a = r.regions[0];
  auto h = [](std::initializer_list<double> p) {
    double e = 0;
    for (double x : p) e -= x * std::log2(x);
    return e;
  };
  EXPECT_NEAR(a.unrelated_variety, h({0.4, 0.6}), 1e-12);
  EXPECT_NEAR(a.unrelated_variety, 0.970950594, 1e-9);
  EXPECT_NEAR(a.related_variety, 0.4 * h({0.75, 0.25}), 1e-12);
  EXPECT_NEAR(a.related_variety, 0.324511249, 1e-9);
  EXPECT_NEAR(a.entropy, h({0.3, 0.1, 0.6}), 1e-12);
  EXPECT_NEAR(a.entropy, a.unrelated_variety + a.related_variety, 1e-12);
  // B has one industry per sector: no related variety, UV = entropy = 1 bit.
  EXPECT_NEAR(r.regions[1].related_variety, 0.0, 1e-12);
  EXPECT_NEAR(r.regions[1].unrelated_variety, 1.0, 1e-12);
  // Without groups the variety columns are empty; with every industry ungrouped, UV = entropy.
  const auto none = agglo::structure::resilience(panel, 2007, 2009, std::nullopt, path);
  EXPECT_TRUE(std::isnan(none.regions[0].related_variety));
  const auto own = agglo::structure::resilience(panel, 2007, 2009, std::nullopt, path, {{"9999", "99"}});
  EXPECT_NEAR(own.regions[0].unrelated_variety, own.regions[0].entropy, 1e-12);
  EXPECT_NEAR(own.regions[0].related_variety, 0.0, 1e-12);
}

TEST(Resilience, PlantedRecessionRecovered) {
  const agglo::structure::SyntheticStructureConfig c;
  const auto s = agglo::structure::synthetic_structure(c, 20261202);
  agglo::test_support::TempDir d;
  agglo::io::write_csv(s.employment, d.file("employment.csv"));
  const auto panel = agglo::io::load_employment(d.file("employment.csv"));
  const auto r = agglo::structure::resilience(panel, c.from, c.trough, c.to, "employment.csv");
  ASSERT_EQ(r.regions.size(), c.regions);
  EXPECT_NEAR(r.national_contraction, c.contraction, 0.002);
  std::map<std::string, std::size_t> idx;
  for (std::size_t i = 0; i < s.regions.size(); ++i) idx[s.regions[i]] = i;
  // The planted resistance: region r's cells fall by β_r c, so industry i falls nationally by
  // β̄_i c with β̄_i = Σ_r E_ir β_r / E_i, the shift-share expectation is c Σ_i β̄_i E_ir = c b_r E_r,
  // and resistance = (β_r − b_r) c E_r / |c b_r E_r| = 1 − β_r / b_r (c < 0). Without co-located
  // blocks every industry is spread alike, b_r ≈ 1 and resistance ≈ 1 − β_r.
  const std::size_t n = s.table.size(), R = s.regions.size();
  std::vector<double> e(R * n, 0.0);
  {
    const auto& emp = std::get<agglo::data::RealColumn>(s.employment.at("employment").values);
    const auto& yr = std::get<agglo::data::IntColumn>(s.employment.at("year").values);
    for (std::size_t k = 0, cell = 0; k < emp.size(); ++k)
      if (yr[k] == c.from) e[cell++] = emp[k];  // written region-major, industry-minor
  }
  std::vector<double> bbar(n, 0.0), ei(n, 0.0);
  for (std::size_t q = 0; q < R; ++q)
    for (std::size_t i = 0; i < n; ++i) {
      bbar[i] += e[q * n + i] * s.sensitivity[q];
      ei[i] += e[q * n + i];
    }
  for (std::size_t i = 0; i < n; ++i) bbar[i] /= ei[i];
  double spread = 0;
  for (const auto& x : r.regions) {
    const auto i = idx.at(x.region);
    // Cell noise of sd 0.5 % on an 8 % fall over 32 industries: sd(β̂) ≈ 0.005/0.08/√32 ≈ 0.011.
    EXPECT_NEAR(x.sensitivity, s.sensitivity[i], 0.05) << x.region;
    EXPECT_NEAR(x.recovery_sensitivity, s.recovery_sensitivity[i], 0.05) << x.region;
    double br = 0, er = 0;
    for (std::size_t k = 0; k < n; ++k) {
      br += e[i * n + k] * bbar[k];
      er += e[i * n + k];
    }
    br /= er;
    EXPECT_NEAR(x.resistance, 1 - s.sensitivity[i] / br, 0.05) << x.region;
    spread = std::max(spread, std::abs(s.sensitivity[i] - 1));
  }
  EXPECT_GT(spread, 0.4);  // the planted sensitivities differ enough for the check to mean something

  // Without cell noise the national rates are exactly c and g, and β̂_r = β_r to rounding.
  agglo::structure::SyntheticStructureConfig exact;
  exact.cell_noise = 0;
  const auto s0 = agglo::structure::synthetic_structure(exact, 5);
  agglo::io::write_csv(s0.employment, d.file("exact.csv"));
  const auto p0 = agglo::io::load_employment(d.file("exact.csv"));
  const auto r0 = agglo::structure::resilience(p0, exact.from, exact.trough, exact.to, "exact.csv");
  for (const auto& x : r0.regions) {
    EXPECT_NEAR(x.sensitivity, s0.sensitivity[idx.at(x.region)], 1e-9);
    EXPECT_NEAR(x.recovery_sensitivity, s0.recovery_sensitivity[idx.at(x.region)], 1e-9);
  }
}

}  // namespace
