// agglo::survey — reading the columns an analysis needs from a responses file (DESIGN.md:
// one row per responding firm, `id`, the six diamond items, outcomes, controls, `weight`,
// `region`, `sector`; other columns are ignored).
//
// A requested name is a column of the file, or — when the file has no such column — one of
// the diamond-derived variables (regional_cluster, scope, regional_items, …; see diamond.hpp),
// computed from the six items with the given rules. Numbers are read as reals (an empty cell
// is missing: NaN); texts keep the cell (empty = missing). Every value error names the file,
// line and column.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agglo/core/error.hpp"
#include "agglo/survey/diamond.hpp"

namespace agglo::survey {

struct ResponseRequest {
  std::vector<std::string> numeric;  // columns read as numbers
  std::vector<std::string> text;     // columns read as texts (categories, groups)
  bool diamond = false;              // also compute the diamond index (needs `id` and the items)
  DiamondRules rules;
};

struct ResponseData {
  std::string path;
  std::vector<std::string> header;
  std::size_t rows = 0;
  std::vector<std::uint64_t> lines;  // source line of each row
  std::map<std::string, std::vector<double>> numbers;
  std::map<std::string, std::vector<std::string>> texts;
  std::optional<DiamondIndex> diamond;
  std::optional<data::Survey> survey;  // the items as read, when the diamond was computed
  bool in_file(const std::string& column) const;
  // Location of a cell, for messages (column 0 and the name when the variable is derived).
  Location where(const std::string& column, std::size_t row) const;
};

ResponseData read_responses(const std::string& path, const ResponseRequest& request);

}  // namespace agglo::survey
