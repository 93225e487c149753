// agglo::measure — the region × industry matrix every specialisation measure starts from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agglo/data/dense_matrix.hpp"
#include "agglo/data/economy.hpp"

namespace agglo::measure {

// Employment (or establishments, wages…) by region (rows) and industry (columns), dense.
// Regions and industries keep the order of first appearance in the input.
struct RegionIndustryMatrix {
  std::vector<std::string> regions;
  std::vector<std::string> industries;
  data::DenseMatrix values;  // regions × industries
};

enum class DuplicateRule { reject, sum };

// Builds the matrix from a panel's `value` column (or `establishments` / `wages` with
// `field`), for one year (`year`; all years must be absent or one year when not given).
// Duplicate region × industry cells are summed or rejected (input error duplicate_row).
// Memory: regions × industries doubles (3,000 × 1,000 → 24 MB).
RegionIndustryMatrix to_matrix(const data::Panel& panel, std::optional<int> year = std::nullopt,
                               const std::string& field = "employment",
                               DuplicateRule duplicates = DuplicateRule::sum);

}  // namespace agglo::measure
