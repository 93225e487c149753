// `agglo specialize` on panels through the operation (the CLI's path): every year with a year
// column and the change against the previous year, --from/--to, the per-region shift-share
// against an independent pandas reference, and the year errors.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "../support/temp_dir.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"

using namespace agglo;

namespace {

const data::RealColumn& reals(const data::Table& t, const std::string& c) { return std::get<data::RealColumn>(t.at(c).values); }
const data::IntColumn& ints(const data::Table& t, const std::string& c) { return std::get<data::IntColumn>(t.at(c).values); }
const data::TextColumn& texts(const data::Table& t, const std::string& c) { return std::get<data::TextColumn>(t.at(c).values); }

const data::Table& table(const api::Result& r, const std::string& name) {
  for (const auto& [n, t] : r.tables)
    if (n == name) return t;
  throw std::runtime_error("no table " + name);
}

long row(const data::Table& t, const std::string& region, const std::string& industry, long year) {
  for (std::size_t k = 0; k < t.rows(); ++k)
    if (texts(t, "region")[k] == region && texts(t, "industry")[k] == industry && ints(t, "year")[k] == year)
      return static_cast<long>(k);
  return -1;
}

// Three years; R2 has no B in 2010 (an entry in 2011), R1 loses A in 2012 (an exit).
//            2010        2011        2012
//   R1   A 60  B 40   A 84  B 36   A  0  B 50
//   R2   A 20  B  0   A 36  B 84   A 40  B 90
const char* three_years =
    "region,industry,employment,year\n"
    "R1,A,60,2010\nR1,B,40,2010\nR2,A,20,2010\n"
    "R1,A,84,2011\nR1,B,36,2011\nR2,A,36,2011\nR2,B,84,2011\n"
    "R1,B,50,2012\nR2,A,40,2012\nR2,B,90,2012\n";

}  // namespace

TEST(SpecializePanels, EveryYearAgainstThePreviousOne) {
  test_support::TempDir dir;
  const auto emp = dir.write("panel.csv", three_years);
  const auto* op = api::Registry::global().find("specialize");
  ASSERT_NE(op, nullptr);
  api::Context ctx;
  const auto res = op->run({{"employment", emp}}, ctx);
  const auto& t = res.tables[0].second;
  // The contract's columns first.
  const char* first[4] = {"region", "industry", "employment", "lq"};
  for (std::size_t j = 0; j < 4; ++j) EXPECT_EQ(t.columns()[j].name, first[j]);
  // 2010: 3 cells; 2011: 4; 2012: 3 with jobs + R1 A (an exit, 0 jobs, written for its change).
  EXPECT_EQ(t.rows(), 11u);
  const auto a10 = row(t, "R1", "A", 2010), a11 = row(t, "R1", "A", 2011), a12 = row(t, "R1", "A", 2012);
  ASSERT_TRUE(a10 >= 0 && a11 >= 0 && a12 >= 0);
  EXPECT_TRUE(std::isnan(reals(t, "from_year")[a10]));
  // 2011 against 2010: E 120 → 240, G = 1; E_A 80 → 120, G_A = 0.5.
  //   LQ_R1A: (60/100)/(80/120) = 0.9 → (84/120)/(120/240) = 1.4.
  EXPECT_DOUBLE_EQ(reals(t, "from_year")[a11], 2010);
  EXPECT_NEAR(reals(t, "lq_from")[a11], 0.9, 1e-12);
  EXPECT_NEAR(reals(t, "lq_change")[a11], 0.5, 1e-12);
  //   NS = 60·1 = 60, IM = 60·(0.5 − 1) = −30, CE = 84 − 60·1.5 = −6; ê = 100·80/120 = 200/3,
  //   g − G_A = 0.4 − 0.5: CE* = −20/3, AE = (60 − 200/3)(−0.1) = 2/3.
  EXPECT_NEAR(reals(t, "national_effect")[a11], 60, 1e-12);
  EXPECT_NEAR(reals(t, "mix_effect")[a11], -30, 1e-12);
  EXPECT_NEAR(reals(t, "competitive_effect")[a11], -6, 1e-12);
  EXPECT_NEAR(reals(t, "homothetic_effect")[a11], -20.0 / 3, 1e-12);
  EXPECT_NEAR(reals(t, "allocation_effect")[a11], 2.0 / 3, 1e-12);
  // R2 B enters in 2011: LQ 0 before, CE = e¹ = 84 (NS = IM = 0), and without a regional
  // growth rate no E-M split.
  const auto b11 = row(t, "R2", "B", 2011);
  EXPECT_NEAR(reals(t, "lq_from")[b11], 0, 1e-12);
  EXPECT_NEAR(reals(t, "competitive_effect")[b11], 84, 1e-12);
  EXPECT_TRUE(std::isnan(reals(t, "homothetic_effect")[b11]));
  // 2012 against 2011: R1 A exits. E 240 → 180, G = −0.25; E_A 120 → 40, G_A = −2/3.
  //   NS = 84·(−0.25) = −21, IM = 84·(−2/3 + 0.25) = −35, CE = 0 − 84/3 = −28.
  EXPECT_DOUBLE_EQ(reals(t, "employment")[a12], 0);
  EXPECT_NEAR(reals(t, "national_effect")[a12], -21, 1e-12);
  EXPECT_NEAR(reals(t, "mix_effect")[a12], -35, 1e-12);
  EXPECT_NEAR(reals(t, "competitive_effect")[a12], -28, 1e-12);
  // Per region and year: the components add up to the region's change, the E-M terms and
  // entries to its competitive effect.
  const auto& r = table(res, "shift_share_regions");
  EXPECT_EQ(r.rows(), 4u);  // 2 regions × 2 comparisons
  for (std::size_t k = 0; k < r.rows(); ++k) {
    EXPECT_NEAR(reals(r, "national_effect")[k] + reals(r, "mix_effect")[k] + reals(r, "competitive_effect")[k],
                reals(r, "employment_change")[k], 1e-9);
    EXPECT_NEAR(reals(r, "homothetic_effect")[k] + reals(r, "allocation_effect")[k] + reals(r, "entry_effect")[k],
                reals(r, "competitive_effect")[k], 1e-9);
    EXPECT_NEAR(reals(r, "employment")[k] - reals(r, "employment_from")[k], reals(r, "employment_change")[k], 1e-9);
  }
  EXPECT_NE(res.summary_json.find("each year against the previous year of the panel (2010–2012)"), std::string::npos);
  EXPECT_NE(res.headline.find("2012 against 2011"), std::string::npos) << res.headline;
  // The entry is named in a warning.
  bool warned = false;
  for (const auto& w : res.warnings) warned |= w.find("2011 against 2010: 1 region × industry cell new to the region") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(SpecializePanels, FromToAndOneYear) {
  test_support::TempDir dir;
  const auto emp = dir.write("panel.csv", three_years);
  const auto* op = api::Registry::global().find("specialize");
  api::Context ctx;
  // --from 2010 (to: the last year): 2012 against 2010; R1 A 60 → 0.
  const auto pair = op->run({{"employment", emp}, {"from", "2010"}}, ctx);
  const auto& t = pair.tables[0].second;
  const auto k = row(t, "R1", "A", 2012);
  ASSERT_GE(k, 0);
  EXPECT_DOUBLE_EQ(reals(t, "from_year")[k], 2010);
  EXPECT_DOUBLE_EQ(reals(t, "employment_from")[k], 60);
  EXPECT_NE(pair.summary_json.find("2012 against 2010"), std::string::npos);
  // --year 2011: that year only; a year column, no comparison columns, no shift-share table.
  const auto one = op->run({{"employment", emp}, {"year", "2011"}, {"summary", "regions"}}, ctx);
  EXPECT_EQ(one.tables[0].second.rows(), 4u);
  EXPECT_EQ(one.tables[0].second.find("lq_change"), nullptr);
  EXPECT_EQ(ints(one.tables[0].second, "year")[0], 2011);
  EXPECT_EQ(one.tables.size(), 2u);  // specialization, regions
  EXPECT_EQ(ints(table(one, "regions"), "year")[0], 2011);
}

TEST(SpecializePanels, YearErrors) {
  test_support::TempDir dir;
  const auto flat = dir.write("flat.csv", "region,industry,employment\nR1,A,1\nR2,B,2\n");
  const auto emp = dir.write("panel.csv", three_years);
  const auto* op = api::Registry::global().find("specialize");
  api::Context ctx;
  auto error_of = [&](const core::ParamMap& params) -> std::pair<ErrorKind, std::string> {
    try {
      op->run(params, ctx);
    } catch (const Error& e) {
      return {e.kind(), e.what()};
    }
    return {ErrorKind::internal, "no error"};
  };
  auto [kind, msg] = error_of({{"employment", flat}, {"year", "2010"}});
  EXPECT_EQ(kind, ErrorKind::usage);
  EXPECT_NE(msg.find("--year 2010 needs a year column, but the employment file " + flat + " has none"), std::string::npos) << msg;
  std::tie(kind, msg) = error_of({{"employment", emp}, {"to", "2015"}});
  EXPECT_EQ(kind, ErrorKind::usage);
  EXPECT_NE(msg.find("year 2015 (--to) is not in the employment file " + emp + ", which has 3 years: 2010–2012"), std::string::npos)
      << msg;
  EXPECT_EQ(error_of({{"employment", emp}, {"from", "2012"}, {"to", "2011"}}).first, ErrorKind::usage);
}

TEST(SpecializePanels, ShiftShareOfTheTinyPanelMatchesAnIndependentReference) {
  // tests/reference/measure/make_panel_tiny_shift_share.py writes the decomposition of
  // data/sample/panel_tiny.csv (67 counties × 160 industries, 2019 → 2024) with pandas,
  // summed per region.
  const std::string root = AGGLO_TEST_DATA;
  const auto* op = api::Registry::global().find("specialize");
  api::Context ctx;
  const auto res = op->run({{"employment", root + "/../data/sample/panel_tiny.csv"}, {"from", "2019"}, {"to", "2024"}}, ctx);
  std::printf("[ headline ] %s\n", res.headline.c_str());
  EXPECT_NE(res.headline.find("2024 against 2019: national employment +5.1 %"), std::string::npos) << res.headline;
  const auto& t = table(res, "shift_share_regions");
  std::ifstream in(root + "/reference/measure/panel_tiny_shift_share_regions.csv");
  ASSERT_TRUE(in) << "reference file missing";
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  {
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) header.push_back(f);
  }
  std::map<std::string, std::size_t> row_of;
  for (std::size_t k = 0; k < t.rows(); ++k) row_of[texts(t, "region")[k]] = k;
  std::size_t compared = 0;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string f;
    std::getline(ss, f, ',');
    ASSERT_TRUE(row_of.count(f)) << f;
    const auto k = row_of[f];
    for (std::size_t j = 1; std::getline(ss, f, ','); ++j) {
      const double ref = std::stod(f);
      EXPECT_NEAR(reals(t, header[j])[k], ref, 1e-8 * std::max(1.0, std::fabs(ref))) << texts(t, "region")[k] << " " << header[j];
      ++compared;
    }
  }
  EXPECT_EQ(compared, 67u * 9u);
}
