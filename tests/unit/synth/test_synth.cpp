// The synthetic economy: reproducible for a seed and any thread count, and the planted
// structure is really in the data (so tests of later analyses can rely on it).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <tbb/global_control.h>

#include <cmath>
#include <map>
#include <set>

#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"
#include "agglo/io/table_writer.hpp"
#include "agglo/synth/synthetic_economy.hpp"

using namespace agglo;

namespace {

const data::Table& get(const synth::SyntheticEconomy& e, const std::string& name) {
  for (const auto& [n, t] : e.tables)
    if (n == name) return t;
  throw std::runtime_error("no table " + name);
}
const data::TextColumn& text(const data::Table& t, const std::string& c) {
  return std::get<data::TextColumn>(t.at(c).values);
}
const data::RealColumn& real(const data::Table& t, const std::string& c) {
  return std::get<data::RealColumn>(t.at(c).values);
}

std::string csv_of(const synth::SyntheticEconomy& e) {
  std::string s;
  for (const auto& [n, t] : e.tables) io::append_csv(t, s);
  return s + e.ground_truth_json;
}

const synth::SyntheticEconomy& tiny() {
  static const auto e = synth::generate(synth::preset("tiny"), 20240601, synth::default_data_dir());
  return e;
}

}  // namespace

TEST(Synth, SameSeedSameBytesForAnyThreadCount) {
  std::string one, two;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = csv_of(synth::generate(synth::preset("tiny"), 99, synth::default_data_dir()));
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    two = csv_of(synth::generate(synth::preset("tiny"), 99, synth::default_data_dir()));
  }
  EXPECT_EQ(one, two);
  EXPECT_NE(one, csv_of(synth::generate(synth::preset("tiny"), 100, synth::default_data_dir())));
}

TEST(Synth, UnknownPresetIsAUsageError) {
  try {
    synth::preset("galactic");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unknown_preset);
    EXPECT_EQ(e.kind(), ErrorKind::usage);
  }
}

TEST(Synth, TinyUsesRealGeographyAndTaxonomy) {
  const auto& e = tiny();
  const auto& regions = get(e, "regions");
  std::set<std::string> states;
  std::size_t counties = 0;
  for (std::size_t i = 0; i < regions.rows(); ++i)
    if (text(regions, "level")[i] == "county") {
      ++counties;
      states.insert(text(regions, "state")[i]);
      EXPECT_FALSE(text(regions, "parent")[i].empty());  // every county sits in an Economic Area
    }
  EXPECT_EQ(counties, 67u);  // the counties of the six New England states
  EXPECT_EQ(states, (std::set<std::string>{"CT", "MA", "ME", "NH", "RI", "VT"}));
  // Middlesex County, MA (25017) is a real FIPS code in the Boston area.
  const auto& codes = text(regions, "code");
  EXPECT_NE(std::find(codes.begin(), codes.end(), "25017"), codes.end());
  EXPECT_EQ(get(e, "industries").rows(), get(e, "truth_industries").rows());
}

TEST(Synth, EmploymentIsTheSumOfEstablishments) {
  const auto& e = tiny();
  double from_plants = 0, from_panel = 0;
  for (double v : real(get(e, "establishments"), "employees")) from_plants += v;
  for (double v : real(get(e, "employment"), "employment")) from_panel += v;
  EXPECT_DOUBLE_EQ(from_plants, from_panel);
  EXPECT_NEAR(static_cast<double>(get(e, "establishments").rows()), 8000.0, 4 * std::sqrt(8000.0));
}

TEST(Synth, PlantedHubsAreSpecialised) {
  // The location quotient LQ_rc = (E_rc / E_r) / (E_c / E) of each traded cluster must be
  // high in its planted hubs: the hub multiplier (12–30×) dominates the noise.
  const auto& e = tiny();
  const auto& emp = get(e, "employment");
  std::map<std::string, std::string> cluster_of;
  const auto& ind = get(e, "industries");
  for (std::size_t i = 0; i < ind.rows(); ++i) cluster_of[text(ind, "code")[i]] = text(ind, "cluster")[i];
  std::map<std::pair<std::string, std::string>, double> erc;
  std::map<std::string, double> er, ec;
  double total = 0;
  for (std::size_t i = 0; i < emp.rows(); ++i) {
    const auto& r = text(emp, "region")[i];
    const auto& c = cluster_of[text(emp, "industry")[i]];
    const double v = real(emp, "employment")[i];
    erc[{r, c}] += v;
    er[r] += v;
    ec[c] += v;
    total += v;
  }
  const auto& hubs = get(e, "truth_hubs");
  std::size_t specialised = 0;
  for (std::size_t i = 0; i < hubs.rows(); ++i) {
    const auto& r = text(hubs, "region")[i];
    const auto& c = text(hubs, "cluster")[i];
    const double lq = (erc[{r, c}] / er[r]) / (ec[c] / total);
    specialised += lq > 2.0;
  }
  EXPECT_GE(specialised, hubs.rows() * 9 / 10) << specialised << " of " << hubs.rows();
}

TEST(Synth, LocalisedIndustriesSitAtThePlantedScale) {
  // In a hub county, establishments of a localised industry are N(site, s²) around the site,
  // so their distance to the site's centroid has mean s·√(π/2) (Rayleigh).
  const auto& e = tiny();
  const auto& ti = get(e, "truth_industries");
  const auto& hubs = get(e, "truth_hubs");
  std::map<std::string, double> scale;
  std::map<std::string, std::string> cluster_id_of;
  for (std::size_t i = 0; i < ti.rows(); ++i) {
    if (std::get<data::IntColumn>(ti.at("localised").values)[i]) scale[text(ti, "industry")[i]] = real(ti, "scale_km")[i];
    cluster_id_of[text(ti, "industry")[i]] = std::to_string(std::get<data::IntColumn>(ti.at("cluster_id").values)[i]);
  }
  std::set<std::pair<std::string, std::string>> hub_set;  // (cluster_id, region)
  for (std::size_t i = 0; i < hubs.rows(); ++i)
    hub_set.insert({std::to_string(std::get<data::IntColumn>(hubs.at("cluster_id").values)[i]), text(hubs, "region")[i]});
  // Group plants of localised industries in hubs by (cluster, region).
  const auto& est = get(e, "establishments");
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < est.rows(); ++i) {
    const auto& ind = text(est, "industry")[i];
    if (!scale.count(ind)) continue;
    const std::pair<std::string, std::string> key{cluster_id_of[ind], text(est, "region")[i]};
    if (hub_set.count(key)) groups[key].push_back(i);
  }
  const auto& lon = real(est, "lon");
  const auto& lat = real(est, "lat");
  std::size_t checked = 0;
  for (const auto& [key, idx] : groups) {
    if (idx.size() < 40) continue;
    double cx = 0, cy = 0;
    for (auto i : idx) { cx += lon[i]; cy += lat[i]; }
    cx /= idx.size();
    cy /= idx.size();
    double mean_d = 0;
    for (auto i : idx) mean_d += geo::haversine_km(cx, cy, lon[i], lat[i]);
    mean_d /= idx.size();
    const double s = scale[text(est, "industry")[idx.front()]];
    EXPECT_NEAR(mean_d / (s * std::sqrt(3.14159265358979 / 2)), 1.0, 0.25) << key.first << " " << key.second;
    ++checked;
  }
  EXPECT_GE(checked, 3u);
}

TEST(Synth, NetworkCommunitiesAndSurveyTruth) {
  const auto& e = tiny();
  const auto& nodes = get(e, "nodes");
  const auto& edges = get(e, "edges");
  std::map<std::string, std::string> group;
  for (std::size_t i = 0; i < nodes.rows(); ++i) group[text(nodes, "id")[i]] = text(nodes, "group")[i];
  std::size_t inside = 0;
  for (std::size_t i = 0; i < edges.rows(); ++i) inside += group[text(edges, "source")[i]] == group[text(edges, "target")[i]];
  EXPECT_GT(static_cast<double>(inside) / edges.rows(), 0.8);  // planted communities dominate
  const auto truth = nlohmann::json::parse(e.ground_truth_json);
  EXPECT_EQ(truth["survey"]["product_innovation"][1].get<double>(), 0.6);
  EXPECT_EQ(truth["preset"], "tiny");
  EXPECT_EQ(get(e, "responses").rows(), 600u);
}
