// Private to agglo::synth: the pieces of a synthetic economy, generated one concept per file.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/core/rng.hpp"
#include "agglo/data/table.hpp"
#include "agglo/synth/synthetic_economy.hpp"

namespace agglo::synth::detail {

using Json = nlohmann::ordered_json;

struct County {
  std::string fips, name, state, ea_id, ea_name;
  double lon, lat, area_km2;
  double population = 0;  // synthetic
};

struct BenchmarkIndustry {
  std::string naics;
  int cluster_id;
  std::string cluster;
  bool traded;
};

std::vector<County> load_counties(const std::string& data_dir, const std::vector<std::string>& states);
std::vector<BenchmarkIndustry> load_taxonomy(const std::string& data_dir, const std::vector<int>& traded,
                                             const std::vector<int>& local);
// (location codes, product codes) from the bundled world trade files.
std::pair<std::vector<std::string>, std::vector<std::string>> load_trade_codes(const std::string& data_dir);

// What the regional economy plants and what later parts reuse (hubs for the network and survey).
struct RegionalTruth {
  std::vector<int> cluster_ids;               // traded clusters in the economy
  std::vector<std::string> cluster_names;
  std::vector<std::vector<std::size_t>> hubs;  // per traded cluster: county indices
  std::vector<double> scale_km;                // per traded cluster: planted site scale
};

// regions, industries, establishments, employment (+ truth tables and JSON).
RegionalTruth generate_regional(const SynthConfig& cfg, std::uint64_t seed, std::vector<County>& counties,
                                const std::vector<BenchmarkIndustry>& industries,
                                std::vector<std::pair<std::string, data::Table>>& tables, Json& truth);

void generate_exports(const SynthConfig& cfg, std::uint64_t seed, const std::string& data_dir,
                      std::vector<std::pair<std::string, data::Table>>& tables, Json& truth);

void generate_network(const SynthConfig& cfg, std::uint64_t seed, const std::vector<County>& counties,
                      const RegionalTruth& rt, std::vector<std::pair<std::string, data::Table>>& tables,
                      Json& truth);

void generate_survey(const SynthConfig& cfg, std::uint64_t seed, const std::vector<County>& counties,
                     const RegionalTruth& rt, std::vector<std::pair<std::string, data::Table>>& tables,
                     Json& truth);

// Uniform point in a disc of radius r (km) around (lon, lat).
void jitter_disc(core::Stream& rng, double& lon, double& lat, double radius_km);

}  // namespace agglo::synth::detail
