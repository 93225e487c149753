#include <fmt/format.h>

#include "agglo/core/data_dir.hpp"

#include <cstdlib>

#include "agglo/core/error.hpp"
#include "agglo/synth/synthetic_economy.hpp"

namespace agglo::synth {

std::vector<std::string> preset_names() { return {"tiny", "small", "regional", "national"}; }

SynthConfig preset(const std::string& name) {
  SynthConfig c;
  c.name = name;
  if (name == "tiny") {
    // New England: 67 counties; eight traded clusters and three local ones; seconds to make.
    c.states = {"CT", "MA", "ME", "NH", "RI", "VT"};
    c.traded_clusters = {3, 5, 19, 20, 23, 32, 39, 40};
    c.local_clusters = {103, 106, 111};
    c.establishments = 8000;
    c.hubs_min = 2;
    c.hubs_max = 3;
    c.export_locations = 40;
    c.export_products = 120;
    c.capabilities = 12;
    c.network_clusters = 4;
    c.network_orgs_per_cluster = 25;
    c.survey_firms = 600;
  } else if (name == "small") {
    // The Great Lakes states: ≈600 counties, twenty traded and six local clusters.
    c.states = {"IL", "IN", "MI", "OH", "PA", "WI", "NY"};
    c.traded_clusters = {1, 2, 3, 5, 8, 9, 10, 15, 19, 20, 23, 27, 32, 33, 34, 39, 40, 44, 45, 47};
    c.local_clusters = {101, 103, 105, 106, 111, 116};
    c.establishments = 150000;
    c.hubs_min = 3;
    c.hubs_max = 6;
    c.export_locations = 120;
    c.export_products = 400;
    c.capabilities = 25;
    c.network_clusters = 10;
    c.network_orgs_per_cluster = 60;
    c.survey_firms = 2002;  // the size of seed 002's Norwegian survey
  } else if (name == "regional") {
    // The South: ≈1,400 counties, every cluster.
    c.states = {"AL", "AR", "FL", "GA", "KY", "LA", "MS", "NC", "SC", "TN", "TX", "VA", "WV", "OK"};
    c.establishments = 600000;
    c.hubs_min = 3;
    c.hubs_max = 8;
    c.export_locations = 0;
    c.export_products = 0;
    c.capabilities = 30;
    c.network_clusters = 20;
    c.network_orgs_per_cluster = 100;
    c.survey_firms = 10000;
  } else if (name == "national") {
    // The whole United States (every county but Puerto Rico's, which lie outside BEA Economic
    // Areas): ≈3,100 regions × 1,099 industries, ≈2 million establishments.
    c.establishments = 2000000;
    c.hubs_min = 4;
    c.hubs_max = 10;
    c.export_locations = 0;
    c.export_products = 0;
    c.capabilities = 40;
    c.network_clusters = 40;
    c.network_orgs_per_cluster = 250;
    c.survey_firms = 20000;
  } else {
    throw_usage(ErrorCode::unknown_preset, fmt::format("unknown preset '{}'", name),
                "presets: tiny, small, regional, national");
  }
  return c;
}

std::string default_data_dir() { return core::data_dir(); }

}  // namespace agglo::synth
