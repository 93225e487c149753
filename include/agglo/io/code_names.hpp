// agglo::io — names beside codes: "336411 Aircraft Manufacturing", "06037 Los Angeles County,
// CA", "JPN Japan", "7810 Passenger motor cars".
//
// The bundled tables (data/names/, data/geo/us_counties.csv; sources in data/names/README.md)
// give names for NAICS 2007 and 2002 (every level), SITC Rev. 2 (1–5 digits), HS 1992 and
// 2012 (2/4/6 digits), ISO 3166-1 alpha-3 countries (with UN Comtrade's former codes) and US
// counties by FIPS. Which classification a column uses is decided from its codes: the one
// that names the largest share of them, if that share is at least half. So names are added
// only where they are right for most codes, and a code without a name gets an empty one.
//
// The api adds a `<column>_name` column for every code column it recognises (industry,
// product, location, region and their _a/_b pairs), after the table's own columns, in every
// table an operation returns
// (add_code_names); outputs, the report and the Python module then show names without each
// command doing anything.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agglo/data/table.hpp"

namespace agglo::io {

struct CodeNames {
  std::string system;              // "naics2007", "sitc2", "hs1992", "iso3166", "us_county"…; empty = none
  std::vector<std::string> names;  // per code, "" where unknown
  double coverage = 0;             // share of distinct non-empty codes that have a name
};

// What kind of code a column holds, from its name: "industry", "product", "location",
// "region", or "" when it is not a code column agglo names.
std::string code_kind(std::string_view column);

// Names for `codes` of a kind ("industry", "product", "location", "region"), choosing the
// classification as above. Tables are read once per process; a missing table gives none.
CodeNames name_codes(const std::string& kind, const std::vector<std::string>& codes);

// The name of one code in a given system ("" when unknown).
std::string code_name(const std::string& system, std::string_view code);

// Appends `<column>_name` for each recognised code column of `t` that has no name column
// yet (nor, for the first column, a `name` column). Returns the number of columns added.
int add_code_names(data::Table& t);

}  // namespace agglo::io
