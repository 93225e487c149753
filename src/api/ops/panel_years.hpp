// Which years of an employment panel `agglo specialize` and `agglo cluster-map` compute, and
// which year each is compared with (--year, --from, --to). One rule for both commands:
//
//   file without a year column     one period; --year/--from/--to are usage errors naming the file
//   --from F and/or --to T         the year T (default: the last) against F (default: the first);
//                                  --year Y is the same as --to Y
//   --year Y                       the year Y only, no comparison
//   nothing, several years         every year, each against the previous year of the panel
//   nothing, one year              that year, no comparison
//
// A year absent from the panel is a usage error that lists the years present.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agglo/data/economy.hpp"

namespace agglo::api {

struct PanelYears {
  bool has_years = false;        // the file has a year column
  std::vector<int> years;        // years computed, ascending (empty without a year column)
  std::vector<std::optional<int>> base;  // per year: the year it is compared with, if any
  std::vector<int> panel;        // every year of the file
  bool pair = false;             // --from/--to given

  bool any_comparison() const;
  // "2024 against 2019", "each year against the previous year of the panel (2019–2024)", "none".
  std::string describe() const;
};

PanelYears plan_years(const data::Panel& panel, std::optional<std::int64_t> year, std::optional<std::int64_t> from,
                      std::optional<std::int64_t> to, const std::string& source);

}  // namespace agglo::api
