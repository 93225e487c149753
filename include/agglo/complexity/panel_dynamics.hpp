// agglo::complexity — specialisations over time: entries (M: 0 → 1) and exits (1 → 0) between
// consecutive years, and the test of the relatedness principle (Hidalgo et al. 2007; Neffke,
// Henning & Boschma 2011): the probability that a location enters a product it did not have,
// by decile of the product's density in the first year. If relatedness guides diversification,
// the probability rises with the decile.
// Deciles are cut on the pooled densities of all candidate cells (M = 0 in the first year,
// location and product observed in both years). O(years · L·P + candidates · log).
#pragma once

#include <cstdint>
#include <vector>

#include "agglo/data/dense_matrix.hpp"

namespace agglo::complexity {

// One year: presence (0/1, 255 = location or product not observed that year) and density.
struct Snapshot {
  int year = 0;
  std::vector<std::uint8_t> present;  // L × P row-major
  data::DenseMatrix density;          // L × P
};

struct LocationChange {
  int year_from = 0, year_to = 0;
  std::uint32_t location = 0;
  int entries = 0, exits = 0, kept = 0;
};

struct EntryDecile {
  int decile = 0;  // 1 … 10
  double density_min = 0, density_max = 0;
  std::size_t candidates = 0, entries = 0;
  double probability = 0;
};

struct PanelDynamics {
  std::vector<LocationChange> changes;
  std::vector<EntryDecile> deciles;
  std::size_t candidates = 0, entries = 0;
  double mean_density_entered = 0, mean_density_not_entered = 0;
};

// Snapshots in ascending year order, all with the same L × P shape.
PanelDynamics panel_dynamics(const std::vector<Snapshot>& years, std::size_t locations, std::size_t products);

}  // namespace agglo::complexity
