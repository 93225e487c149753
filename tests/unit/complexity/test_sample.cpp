// Which locations enter the complexity calculation: the Atlas of Economic Complexity's country
// sample as agglo's default (include/agglo/complexity/sample.hpp), its floors, the guards on
// the default floors, names, and case-insensitive location codes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "agglo/api/operation.hpp"
#include "agglo/complexity/complexity.hpp"
#include "agglo/complexity/sample.hpp"
#include "agglo/core/error.hpp"
#include "../support/temp_dir.hpp"

using namespace agglo;
namespace fs = std::filesystem;

namespace {

std::string data_file(const std::string& rel) { return (fs::path(AGGLO_TEST_DATA).parent_path() / "data" / rel).string(); }
const std::string kWorld = data_file("reference/world_exports_sitc4_avg_1998_2000.csv");

const data::Table& table(const api::Result& r, const std::string& name) {
  for (const auto& [n, t] : r.tables)
    if (n == name) return t;
  throw std::runtime_error("no table " + name);
}

api::Result run(const char* op, const core::ParamMap& params) {
  api::Context ctx;
  ctx.quiet = true;
  return api::Registry::global().find(op)->run(params, ctx);
}

std::map<std::string, double> read_values(const std::string& path) {
  std::map<std::string, double> v;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto k = line.find(',');
    if (k != std::string::npos && k + 1 < line.size()) v[line.substr(0, k)] = std::stod(line.substr(k + 1));
  }
  return v;
}

// Locations of eci.csv ordered by ECI, highest first.
std::vector<std::string> ranking(const api::Result& r) {
  const auto& t = table(r, "eci");
  const auto& loc = std::get<data::TextColumn>(t.at("location").values);
  const auto& eci = std::get<data::RealColumn>(t.at("eci").values);
  std::vector<std::size_t> order(loc.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return eci[a] > eci[b]; });
  std::vector<std::string> out;
  for (auto i : order) out.push_back(loc[i]);
  return out;
}

bool any_warning(const api::Result& r, const std::string& a, const std::string& b = "") {
  for (const auto& w : r.warnings)
    if (w.find(a) != std::string::npos && w.find(b) != std::string::npos) return true;
  return false;
}

std::string write(const test_support::TempDir& dir, const std::string& name, const std::string& text) {
  const auto p = dir.path() + "/" + name;
  std::ofstream(p) << text;
  return p;
}

}  // namespace

TEST(ComplexitySample, DefaultRankingOfTheWorldIsTheAtlasOne) {
  // Defaults on the bundled world trade data: the Atlas sample (population ≥ 1 million from
  // the bundled World Bank population; no export floor, the values are not total exports).
  const auto r = run("complexity", {{"exports", kWorld}, {"tables", "eci"}});
  const auto pop = read_values(data_file("reference/world_population_1998_2000.csv"));
  const auto rank = ranking(r);
  ASSERT_EQ(rank.size(), 151u);  // 226 − 52 below 1 million − 23 without a population
  for (std::size_t k = 0; k < 20; ++k) {
    ASSERT_TRUE(pop.count(rank[k])) << rank[k] << " has no population but is ranked";
    EXPECT_GE(pop.at(rank[k]), 1e6) << rank[k];
  }
  const std::set<std::string> top10(rank.begin(), rank.begin() + 10), top20(rank.begin(), rank.begin() + 20);
  for (const char* c : {"jpn", "deu", "che", "swe", "usa", "gbr"}) EXPECT_TRUE(top10.count(c)) << c << " not in the top 10";
  for (const char* c : {"fra", "aut", "fin", "ita", "kor", "sgp"}) EXPECT_TRUE(top20.count(c)) << c << " not in the top 20";
  EXPECT_EQ(rank.front(), "jpn");
  // The territories that topped the old default ranking are not in the calculation at all.
  for (const char* c : {"sgs", "hmd", "bvt"}) EXPECT_EQ(std::find(rank.begin(), rank.end(), c), rank.end()) << c;
  EXPECT_TRUE(any_warning(r, "52 location(s) with a population below 1,000,000", "lux"));
  EXPECT_TRUE(any_warning(r, "23 location(s) without a population", "sgs"));
  EXPECT_TRUE(any_warning(r, "export floor is off", "1/110"));
  const auto s = nlohmann::json::parse(r.summary_json)["sample"];
  EXPECT_TRUE(s["countries"].get<bool>());
  EXPECT_EQ(s["values"], "relative");
  EXPECT_EQ(s["min_population"].get<double>(), 1e6);
  EXPECT_EQ(s["min_exports"].get<double>(), 0.0);
  EXPECT_EQ(s["left_out_by_population"].size(), 75u);
  EXPECT_NE(r.headline.find("ECI of 151 of 226 locations"), std::string::npos) << r.headline;
  EXPECT_NE(r.headline.find("highest: Japan"), std::string::npos) << r.headline;
  // ECI tracks income better on the sample: Pearson(ECI, ln GDP per capita) 0.592 on the 145
  // countries with GDP (0.484 on every location).
  const auto gdp = read_values(data_file("reference/world_gdp_per_capita_avg_1998_2000.csv"));
  const auto& t = table(r, "eci");
  const auto& loc = std::get<data::TextColumn>(t.at("location").values);
  const auto& eci = std::get<data::RealColumn>(t.at("eci").values);
  std::vector<double> e, g;
  for (std::size_t i = 0; i < loc.size(); ++i)
    if (gdp.count(loc[i]) && gdp.at(loc[i]) > 0) e.push_back(eci[i]), g.push_back(std::log(gdp.at(loc[i])));
  EXPECT_EQ(e.size(), 145u);
  EXPECT_NEAR(complexity::pearson(e, g), 0.5917, 5e-4);
}

TEST(ComplexitySample, FloorsCanBeTurnedOff) {
  const auto r = run("complexity", {{"exports", kWorld}, {"tables", "eci"}, {"min-population", "0"}});
  const auto rank = ranking(r);
  EXPECT_EQ(rank.size(), 226u);
  // Without the floor the tiny territories rank among the most complex: what the floor is for.
  const std::set<std::string> top10(rank.begin(), rank.begin() + 10);
  EXPECT_TRUE(top10.count("sgs") || top10.count("hmd") || top10.count("bvt"));
  EXPECT_FALSE(any_warning(r, "left out"));
}

TEST(ComplexitySample, CountrySampleRuleByHand) {
  // Floors 1,000 people and 50 units: a kept, b small, c unknown, d small exporter, e zero
  // exports (RCA's own exclusion, not counted here).
  const std::vector<std::string> loc{"a", "b", "c", "d", "e"};
  const auto s = complexity::country_sample(loc, {5000, 999, std::nan(""), 2000, 3000}, {60, 100, 100, 49.9, 0},
                                            {1000, 50});
  using R = complexity::SampleReason;
  EXPECT_EQ(s.reason, (std::vector<R>{R::kept, R::small_population, R::no_population, R::small_exports, R::kept}));
  EXPECT_EQ(s.kept, 2u);
  ASSERT_EQ(s.warnings.size(), 3u);
  EXPECT_NE(s.warnings[0].find("below 1,000"), std::string::npos) << s.warnings[0];
  EXPECT_NE(s.warnings[2].find("below 50"), std::string::npos) << s.warnings[2];
  // Left out before RCA: X_p and X are the kept locations' sums. Hand matrix (products p, q):
  // a (4, 6), b (1, 0), d (5, 5): without b, X_p = 9, X_q = 11, X = 20, RCA_a,p = 0.4/0.45.
  complexity::ExportMatrix x;
  x.locations = {"a", "b", "d"};
  x.products = {"p", "q"};
  x.values = data::DenseMatrix(3, 2);
  const double v[3][2] = {{4, 6}, {1, 0}, {5, 5}};
  for (int c = 0; c < 3; ++c)
    for (int p = 0; p < 2; ++p) x.values(c, p) = v[c][p];
  complexity::RcaOptions o;
  o.left_out = {false, true, false};
  const auto r = complexity::rca(x, o);
  EXPECT_TRUE(r.location_excluded[1]);
  EXPECT_NEAR(r.rca(0, 0), 0.4 / 0.45, 1e-15);
  EXPECT_NEAR(r.product_total[0], 9.0, 0);
  EXPECT_TRUE(std::isnan(r.rca(1, 0)));
}

TEST(ComplexitySample, ExportFloorOnTotalValuesWithThreeYearMean) {
  // Total exports in US$ of seven populous countries over three years. Nepal exports
  // US$0.5 billion a year: below the floor every year. Kenya falls from 2 to 0.5 to 0.2 billion:
  // 3-year means 2.0 (2001), 1.25 (2002), 0.9 (2003) billion, so it is out in 2003 only.
  test_support::TempDir dir;
  std::string csv = "location,product,value,year\n";
  const std::map<std::string, std::vector<double>> scale{
      {"usa", {60, 60, 60}}, {"deu", {50, 50, 50}}, {"jpn", {40, 40, 40}}, {"fra", {30, 30, 30}},
      {"bra", {10, 10, 10}}, {"npl", {0.5, 0.5, 0.5}}, {"ken", {2, 0.5, 0.2}}};
  int k = 0;
  for (const auto& [c, bn] : scale) {
    // Six products with shares (1 + (p + k) mod 4) / Σ: the year's total is exactly bn[y] billion.
    double weights = 0;
    for (int p = 0; p < 6; ++p) weights += 1 + (p + k) % 4;
    for (int y = 0; y < 3; ++y)
      for (int p = 0; p < 6; ++p)
        csv += c + ",p" + std::to_string(p) + "," + std::to_string(bn[y] * 1e9 * (1 + (p + k) % 4) / weights) + "," +
               std::to_string(2001 + y) + "\n";
    ++k;
  }
  const auto file = write(dir, "exports.csv", csv);
  const auto r = run("complexity", {{"exports", file}, {"tables", "eci"}});
  const auto s = nlohmann::json::parse(r.summary_json)["sample"];
  EXPECT_EQ(s["values"], "total");
  EXPECT_EQ(s["min_exports"].get<double>(), 1e9);
  const auto& t = table(r, "eci");
  const auto& loc = std::get<data::TextColumn>(t.at("location").values);
  const auto& year = std::get<data::IntColumn>(t.at("year").values);
  std::set<std::pair<std::string, std::int64_t>> in;
  for (std::size_t i = 0; i < loc.size(); ++i) in.insert({loc[i], year[i]});
  for (int y = 2001; y <= 2003; ++y) {
    EXPECT_FALSE(in.count({"npl", y})) << y;
    EXPECT_TRUE(in.count({"usa", y})) << y;
  }
  EXPECT_TRUE(in.count({"ken", 2001}));
  EXPECT_TRUE(in.count({"ken", 2002}));
  EXPECT_FALSE(in.count({"ken", 2003}));
  EXPECT_TRUE(any_warning(r, "2003: 2 location(s) with total exports below 1,000,000,000", "ken"));
  EXPECT_TRUE(any_warning(r, "bundled World Bank population of 1998–2000"));
  const auto years = nlohmann::json::parse(r.summary_json)["years"];
  EXPECT_EQ(years[0]["left_out_by_exports"], nlohmann::json::array({"npl"}));
  EXPECT_EQ(years[2]["left_out_by_exports"], nlohmann::json::array({"ken", "npl"}));
  // --values relative or --min-exports 0: everyone stays.
  for (const auto& extra : std::vector<std::pair<std::string, std::string>>{{"values", "relative"}, {"min-exports", "0"}}) {
    const auto all = run("complexity", {{"exports", file}, {"tables", "eci"}, {extra.first, extra.second}});
    EXPECT_EQ(table(all, "eci").rows(), 21u) << extra.first;
  }
}

TEST(ComplexitySample, DefaultFloorsStepAsideWhenUnitsDiffer) {
  // Populations in millions and exports in thousands of dollars: the default floors would leave
  // out every country, so they are not applied (and the warnings say why); explicit floors are.
  test_support::TempDir dir;
  const auto exports = write(dir, "e.csv", "location,product,value\nusa,a,900\nusa,b,100\nfra,a,50\nfra,b,300\ndeu,a,70\n");
  const auto pop = write(dir, "p.csv", "location,value\nUSA,279\nFRA,60.5\nDEU,82.1\n");
  const auto r = run("complexity", {{"exports", exports}, {"population", pop}, {"tables", "eci"}});
  EXPECT_EQ(table(r, "eci").rows(), 3u);
  EXPECT_TRUE(any_warning(r, "population floor is not applied", "3 of 3"));
  EXPECT_TRUE(any_warning(r, "export floor is off", "taken as relative"));
  const auto s = nlohmann::json::parse(r.summary_json)["sample"];
  EXPECT_EQ(s["values"], "relative");
  // Explicit floors apply as given (codes matched case-insensitively: USA = usa).
  const auto e = run("complexity", {{"exports", exports}, {"population", pop}, {"tables", "eci"}, {"min-population", "65"}});
  EXPECT_EQ(table(e, "eci").rows(), 2u);  // fra (60.5) left out
  EXPECT_TRUE(any_warning(e, "below 65", "fra"));
  const auto t = run("complexity", {{"exports", exports}, {"tables", "eci"}, {"values", "total"}, {"min-exports", "200"}});
  EXPECT_EQ(table(t, "eci").rows(), 2u);  // deu (70) left out
}

TEST(ComplexitySample, RegionsGetNoCountryFloor) {
  // Locations that are not country codes: the Atlas rule does not apply, even with a population.
  test_support::TempDir dir;
  const auto exports = write(dir, "e.csv", "location,product,value\n06037,a,9\n06037,b,1\n06001,a,5\n06001,b,3\n06073,a,7\n");
  const auto pop = write(dir, "p.csv", "location,value\n06037,10000\n06001,1600\n06073,3300\n");
  const auto r = run("complexity", {{"exports", exports}, {"tables", "eci"}, {"presence", "rpop"}, {"population", pop}});
  EXPECT_EQ(table(r, "eci").rows(), 3u);
  const auto s = nlohmann::json::parse(r.summary_json)["sample"];
  EXPECT_FALSE(s["countries"].get<bool>());
  EXPECT_EQ(s["min_population"].get<double>(), 0.0);
  EXPECT_EQ(s["min_exports"].get<double>(), 0.0);
  // Asking for a population floor without a population is a usage error.
  try {
    run("complexity", {{"exports", exports}, {"min-population", "1000"}});
    FAIL() << "--min-population without a population accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_NE(std::string(e.what()).find("--population"), std::string::npos);
  }
}

TEST(ComplexitySample, NamesFromTheBundledTables) {
  const auto r = run("complexity", {{"exports", kWorld}, {"tables", "eci,pci,coi"}, {"min-population", "0"}});
  std::map<std::string, std::string> loc, prod;
  const auto& e = table(r, "eci");
  for (std::size_t i = 0; i < e.rows(); ++i)
    loc[std::get<data::TextColumn>(e.at("location").values)[i]] = std::get<data::TextColumn>(e.at("location_name").values)[i];
  const auto& p = table(r, "pci");
  for (std::size_t i = 0; i < p.rows(); ++i)
    prod[std::get<data::TextColumn>(p.at("product").values)[i]] = std::get<data::TextColumn>(p.at("product_name").values)[i];
  EXPECT_EQ(loc.at("jpn"), "Japan");
  EXPECT_EQ(loc.at("kor"), "South Korea");
  EXPECT_EQ(loc.at("usa"), "United States of America");  // CLDR's "US" is an abbreviation
  EXPECT_EQ(loc.at("rom"), "Romania");                   // former codes from UN Comtrade's list
  EXPECT_EQ(loc.at("ant"), "Netherlands Antilles");      // not the Antarctica placeholder
  EXPECT_EQ(loc.at("scg"), "Serbia and Montenegro");
  std::size_t named = 0;
  for (const auto& [c, n] : loc) named += !n.empty();
  EXPECT_EQ(named, 226u);
  EXPECT_EQ(prod.at("7810"), "Passenger motor vehicles (excluding buses)");
  EXPECT_EQ(prod.at("7764"), "Electronic microcircuits");
  EXPECT_NE(table(r, "coi").find("location_name"), nullptr);
  // HS headings are named from HS, not SITC (the classification naming most codes wins).
  test_support::TempDir dir;
  const auto hs = write(dir, "hs.csv", "location,product,value\nusa,0101,5\nusa,8703,9\nfra,0101,4\nfra,8542,2\n");
  const auto hr = run("complexity", {{"exports", hs}, {"tables", "pci"}});
  const auto& hp = table(hr, "pci");
  ASSERT_NE(hp.find("product_name"), nullptr);
  const auto& hcodes = std::get<data::TextColumn>(hp.at("product").values);
  const auto& hnames = std::get<data::TextColumn>(hp.at("product_name").values);
  for (std::size_t i = 0; i < hcodes.size(); ++i)
    if (hcodes[i] == "8703") EXPECT_NE(hnames[i].find("Motor cars"), std::string::npos) << hnames[i];
}

TEST(ComplexitySample, OpportunitiesLocationIsCaseInsensitive) {
  const auto lower = run("opportunities", {{"exports", kWorld}, {"location", "col"}, {"top", "10"}});
  const auto upper = run("opportunities", {{"exports", kWorld}, {"location", "COL"}, {"top", "10"}});
  const auto& a = std::get<data::TextColumn>(table(lower, "opportunities").at("product").values);
  const auto& b = std::get<data::TextColumn>(table(upper, "opportunities").at("product").values);
  EXPECT_EQ(a, b);
  EXPECT_EQ(nlohmann::json::parse(upper.summary_json)["location"], "col");
  EXPECT_NE(upper.headline.find("Colombia (col)"), std::string::npos) << upper.headline;
  EXPECT_NE(table(upper, "opportunities").find("product_name"), nullptr);
  // A location left out by the floor: an input error that says why and how to keep it.
  try {
    run("opportunities", {{"exports", kWorld}, {"location", "LUX"}});
    FAIL() << "a location below the population floor was ranked";
  } catch (const Error& e) {
    const std::string m = std::string(e.what()) + " " + e.hint();
    EXPECT_NE(m.find("below the Atlas floor"), std::string::npos) << m;
    EXPECT_NE(m.find("--min-population 0"), std::string::npos) << m;
  }
  EXPECT_NO_THROW(run("opportunities", {{"exports", kWorld}, {"location", "lux"}, {"min-population", "0"}, {"top", "3"}}));
}
