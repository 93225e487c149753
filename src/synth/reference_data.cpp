// Loads the bundled reference data the generator builds on (see data/README.md for sources).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "agglo/geo/coordinates.hpp"
#include "agglo/io/table_reader.hpp"
#include "detail/parts.hpp"

namespace agglo::synth::detail {

namespace {
io::ColumnSpec col(std::string name, io::ColumnKind kind, bool allow_empty = false) {
  io::ColumnSpec c;
  c.name = std::move(name);
  c.kind = kind;
  c.allow_empty = allow_empty;
  return c;
}
}  // namespace

std::vector<County> load_counties(const std::string& data_dir, const std::vector<std::string>& states) {
  io::TableSpec spec{"county geography",
                     {col("fips", io::ColumnKind::text), col("name", io::ColumnKind::text),
                      col("state", io::ColumnKind::text), col("lon", io::ColumnKind::real),
                      col("lat", io::ColumnKind::real), col("area_km2", io::ColumnKind::real),
                      col("ea_id", io::ColumnKind::text), col("ea_name", io::ColumnKind::text)},
                     {}};
  const auto t = io::read_table(data_dir + "/geo/us_counties.csv", spec);
  const std::set<std::string> want(states.begin(), states.end());
  std::vector<County> out;
  for (std::size_t i = 0; i < t.rows; ++i) {
    const auto& st = t.col("state").texts[i];
    // Puerto Rico's municipios lie outside BEA Economic Areas; the national economy is the
    // fifty states and DC.
    if (st == "PR") continue;
    if (!want.empty() && !want.count(st)) continue;
    County c;
    c.fips = t.col("fips").texts[i];
    c.name = t.col("name").texts[i];
    c.state = st;
    c.lon = t.col("lon").reals[i];
    c.lat = t.col("lat").reals[i];
    c.area_km2 = t.col("area_km2").reals[i];
    c.ea_id = t.col("ea_id").texts[i];
    c.ea_name = t.col("ea_name").texts[i];
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<BenchmarkIndustry> load_taxonomy(const std::string& data_dir, const std::vector<int>& traded,
                                             const std::vector<int>& local) {
  io::TableSpec spec{"cluster taxonomy",
                     {col("cluster_id", io::ColumnKind::integer), col("cluster", io::ColumnKind::text),
                      col("type", io::ColumnKind::text), col("naics2007", io::ColumnKind::text)},
                     {}};
  const auto t = io::read_table(data_dir + "/taxonomy/us_benchmark_clusters_naics2007.csv", spec);
  std::vector<BenchmarkIndustry> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < t.rows; ++i) {
    BenchmarkIndustry b;
    b.cluster_id = static_cast<int>(t.col("cluster_id").integers[i]);
    b.cluster = t.col("cluster").texts[i];
    b.traded = t.col("type").texts[i] == "traded";
    b.naics = t.col("naics2007").texts[i];
    const auto& list = b.traded ? traded : local;
    if (!list.empty() && std::find(list.begin(), list.end(), b.cluster_id) == list.end()) continue;
    if (!seen.insert(b.naics).second) continue;  // an industry belongs to one benchmark cluster
    out.push_back(std::move(b));
  }
  return out;
}

std::pair<std::vector<std::string>, std::vector<std::string>> load_trade_codes(const std::string& data_dir) {
  io::TableSpec gdp{"GDP per capita", {col("country", io::ColumnKind::text), col("value", io::ColumnKind::real)}, {}};
  const auto g = io::read_table(data_dir + "/reference/world_gdp_per_capita_avg_1998_2000.csv", gdp);
  io::TableSpec ex{"world exports", {col("product", io::ColumnKind::code)}, {}};
  const auto e = io::read_table(data_dir + "/reference/world_exports_sitc4_avg_1998_2000.csv", ex);
  std::vector<std::string> products;
  const auto& dict = e.col("product").dictionary;
  for (std::uint32_t i = 0; i < dict.size(); ++i) products.emplace_back(dict.name(i));
  std::sort(products.begin(), products.end());
  auto locations = g.col("country").texts;
  std::sort(locations.begin(), locations.end());
  return {locations, products};
}

void jitter_disc(core::Stream& rng, double& lon, double& lat, double radius_km) {
  const double r = radius_km * std::sqrt(rng.uniform());
  const double a = 2 * 3.14159265358979323846 * rng.uniform();
  geo::offset_km(lon, lat, r * std::cos(a), r * std::sin(a));
}

}  // namespace agglo::synth::detail
