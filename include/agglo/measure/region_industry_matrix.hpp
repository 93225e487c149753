// agglo::measure — the region × industry matrix every specialisation measure starts from, and
// the years of a panel.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agglo/data/dense_matrix.hpp"
#include "agglo/data/economy.hpp"

namespace agglo::measure {

// Employment (or establishments, wages…) by region (rows) and industry (columns), dense.
// Regions and industries keep the order of first appearance in the input. Every year of one
// panel gives a matrix of the same shape and order (the panel's interners index all years),
// so matrices of two years can be compared cell by cell.
struct RegionIndustryMatrix {
  std::vector<std::string> regions;
  std::vector<std::string> industries;
  data::DenseMatrix values;  // regions × industries
};

enum class DuplicateRule { reject, sum };

// Builds the matrix from a panel's `value` column (or `establishments` / `wages` with
// `field`), for one year (`year`; all years must be absent or one year when not given).
// Duplicate region × industry cells are summed or rejected (input error duplicate_row).
// A `year` the panel does not hold, or a `year` for a panel without years, is a usage error
// (see require_year; `source` names the file in the message).
// Memory: regions × industries doubles (3,000 × 1,000 → 24 MB).
RegionIndustryMatrix to_matrix(const data::Panel& panel, std::optional<int> year = std::nullopt,
                               const std::string& field = "employment",
                               DuplicateRule duplicates = DuplicateRule::sum, const std::string& source = {});

// The distinct years of the panel, ascending (empty for a panel without a year column). O(n log n).
std::vector<int> panel_years(const data::Panel& panel);

// "2001–2005, 2010": the years as runs of consecutive years, for messages.
std::string format_years(const std::vector<int>& years);

// Checks that `year`, asked for by the option `option` ("--year", "--from"…), can be used:
//   * the panel has no year column  → usage error invalid_option_value naming `source` (the
//     file is a single period; the option does not apply to it);
//   * the year is not in the panel  → usage error invalid_option_value naming `source` and
//     listing the years it holds.
// Both are usage errors (exit 2): the file is valid, the option asks for what it does not hold.
void require_year(const data::Panel& panel, int year, const std::string& option, const std::string& source);

}  // namespace agglo::measure
