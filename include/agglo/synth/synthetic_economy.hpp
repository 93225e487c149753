// agglo::synth — synthetic economies with planted ground truth.
//
// Real firm microdata are confidential, so demos, tests and benchmarks run on economies whose
// answer is known. The generator uses real geography (US counties with FIPS codes, nested in
// BEA Economic Areas) and the real US benchmark cluster taxonomy (NAICS 2007 industries in 51
// traded and 16 local clusters; Delgado, Porter & Stern 2016), and plants:
//   * traded clusters concentrated in chosen hub counties (and, more weakly, their Economic
//     Areas), local industries in proportion to population;
//   * establishments placed around cluster sites at a chosen distance scale (km) inside hub
//     counties, elsewhere spread over the county;
//   * an export matrix from a latent capability model (Hausmann & Hidalgo 2011): a location
//     makes a product only when it has every capability the product needs;
//   * a multi-level actor network with planted communities (one per cluster initiative) and
//     brokers (cluster organisations and bridging firms);
//   * CIS-style survey responses whose innovation outcomes depend on regional-cluster
//     membership through a planted logit coefficient.
// Every draw comes from a seeded stream keyed by (seed, what, index), so the same preset and
// seed give byte-identical files for any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "agglo/data/table.hpp"

namespace agglo::synth {

struct SynthConfig {
  std::string name;
  std::vector<std::string> states;  // two-letter state codes; empty = every state but PR
  std::vector<int> traded_clusters;  // benchmark cluster ids; empty = all traded
  std::vector<int> local_clusters;   // empty = all local
  std::size_t establishments = 10000;  // expected number of establishments
  int hubs_min = 2, hubs_max = 4;      // hub counties per traded cluster
  double hub_boost_min = 12, hub_boost_max = 30;  // employment multiplier in hubs
  double non_hub_level = 0.25;         // traded presence outside hubs and their EAs
  double local_level = 4.0;            // weight of local industries relative to traded ones
  double localised_share = 0.7;        // share of traded industries planted as localised
  std::size_t export_locations = 40;   // 0 = all countries of the bundled list
  std::size_t export_products = 120;   // 0 = all SITC products of the bundled list
  int capabilities = 15;
  std::size_t network_clusters = 4;
  std::size_t network_orgs_per_cluster = 25;
  std::size_t survey_firms = 600;
};

// The named presets: tiny (seconds, unit tests), small, regional, national (≈3,100 counties ×
// 1,099 industries, ≈2 million establishments). Throws usage error unknown_preset.
SynthConfig preset(const std::string& name);
std::vector<std::string> preset_names();

struct SyntheticEconomy {
  std::vector<std::pair<std::string, data::Table>> tables;  // regions, industries, employment…
  std::string ground_truth_json;                            // the planted structure
};

// Generates the economy. `data_dir` holds geo/us_counties.csv, taxonomy/… and reference/….
SyntheticEconomy generate(const SynthConfig& config, std::uint64_t seed, const std::string& data_dir);

// The directory of bundled data: $AGGLO_DATA_DIR, else the source tree's data/ (compiled in).
std::string default_data_dir();

}  // namespace agglo::synth
