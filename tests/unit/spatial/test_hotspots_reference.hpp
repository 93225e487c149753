// Shared helpers of the hot-spot tests: the spdep reference files of
// tests/reference/spatial_hotspots/ (written by make_reference.R there; the tests never call R)
// and the real county geography they were computed on.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "agglo/spatial/hotspots_input.hpp"
#include "agglo/spatial/weights.hpp"

namespace agglo::test_hotspots {

inline std::string reference(const std::string& name) {
  return (std::filesystem::path(AGGLO_TEST_DATA) / "reference" / "spatial_hotspots" / name).string();
}
inline std::string counties_topojson() {
  return (std::filesystem::path(AGGLO_TEST_DATA).parent_path() / "data" / "geo" / "us_counties_economic_areas_msas.topojson")
      .string();
}

// A plain CSV (no quoted commas): header → column of strings.
inline std::map<std::string, std::vector<std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  {
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) header.push_back(f);
  }
  std::map<std::string, std::vector<std::string>> cols;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::stringstream ss(line);
    std::string f;
    for (std::size_t c = 0; c < header.size(); ++c) {
      f.clear();
      std::getline(ss, f, ',');
      cols[header[c]].push_back(f);
    }
  }
  return cols;
}

inline double num(const std::string& s) { return s == "NA" || s == "NaN" ? std::nan("") : std::stod(s); }

// The 3,191 counties (polygons, ids = fips) with value log(area_km2), in TopoJSON order.
inline spatial::HotspotRegions counties() {
  auto r = spatial::read_hotspot_regions(counties_topojson(), "counties", "fips", "");
  spatial::join_hotspot_values(r, reference("county_values.csv"), "fips", "log_area");
  return r;
}

// Neighbour pairs "from>to" of a weights object, by id.
inline std::set<std::pair<std::string, std::string>> pairs_of(const spatial::SpatialWeights& w,
                                                             const std::vector<std::string>& ids) {
  std::set<std::pair<std::string, std::string>> s;
  for (std::size_t i = 0; i < w.n; ++i)
    for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) s.emplace(ids[i], ids[w.neighbour[e]]);
  return s;
}
inline std::set<std::pair<std::string, std::string>> pairs_of(const std::string& nb_csv) {
  auto c = read_csv(nb_csv);
  std::set<std::pair<std::string, std::string>> s;
  for (std::size_t k = 0; k < c["from"].size(); ++k) s.emplace(c["from"][k], c["to"][k]);
  return s;
}

}  // namespace agglo::test_hotspots
