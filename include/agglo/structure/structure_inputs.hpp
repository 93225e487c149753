// agglo::structure — the input files of `agglo io`, `agglo blocks` and `agglo resilience`
// (DESIGN.md contract): an inter-industry flow table with its totals, and industry time series.
// Every problem names the file, line and column (through io::read_table) and says how to fix it.
#pragma once

#include <string>
#include <vector>

#include "agglo/structure/input_output.hpp"

namespace agglo::structure {

// io: from,to,value (flows ≥ 0; repeated from × to rows are an error); totals:
// industry,output[,final_demand,value_added]. The industries are those of the totals file, in
// its order; a flow naming an industry absent from the totals is an error (unknown_reference).
// Missing final demand (value added) is derived as x − row (column) sum of the flows.
IoTable load_io_table(const std::string& io_path, const std::string& totals_path);

// industry,year,value: one value per industry and year, every industry observed in every
// year (a balanced panel; a gap is an error naming the industry and year). With `log_values`,
// values must be > 0 and are returned as natural logarithms.
struct IndustrySeries {
  std::vector<std::string> industries;
  std::vector<long long> years;              // ascending, consecutive not required
  std::vector<std::vector<double>> values;   // values[i][t]
};
IndustrySeries load_industry_series(const std::string& path, bool log_values);

// industry,<column>: a label per industry (a cluster, a block, a 2-digit group). Rows with an empty
// label or "-1" mean "no group" and are skipped; an industry listed twice is an error naming the
// line. Returns (industry, label) pairs in file order.
std::vector<std::pair<std::string, std::string>> load_industry_labels(const std::string& path, const std::string& what,
                                                                      const std::string& column);

// industry,occupation,share: each industry's occupational employment (shares or counts; each
// industry's values are normalised to sum to 1). Returns per industry of `industries` its
// vector over the file's occupations (empty for an industry the file does not list).
std::vector<std::vector<double>> load_occupations(const std::string& path, const std::vector<std::string>& industries);

// The labels as groups of the given industries: (label, member indices) in order of first
// appearance; industries without a label belong to no group. `missing` counts them.
std::vector<std::pair<std::string, std::vector<std::size_t>>> group_industries(
    const std::vector<std::pair<std::string, std::string>>& labels, const std::vector<std::string>& industries,
    std::size_t* missing = nullptr);

}  // namespace agglo::structure
