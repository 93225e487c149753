// agglo::survey — key figures of cluster initiatives (Osarenkhoe & Fjellström 2017, Osarenkhoe & Fjellström 2017,
// Table 1: five cluster initiatives in Kronoberg County, Sweden, SEK thousands; bundled as
// data/sample/kronoberg_cluster_initiatives.csv).
//
// Input columns: cluster_initiative, firms, employees, sales_ksek; optional gross_profit_ksek
// and turnover_per_employee_ksek (the published figure, checked). Per initiative and for the
// TOTAL row (sums; ratios of the sums):
//   turnover_per_employee = sales / employees          (SEK thousands per employee)
//   profit_margin         = gross_profit / sales
//   employees_per_firm    = employees / firms          (average firm size)
//   sales_per_firm        = sales / firms
//   employment_share, sales_share = the initiative's share of the total
// matches_reported is 1 when the computed turnover per employee rounded to a whole number
// equals the published one (the table prints whole SEK thousands), 0 when not, empty when no
// figure is published.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace agglo::survey {

struct Initiative {
  std::string name;
  double firms = 0, employees = 0, sales = 0;
  double gross_profit = std::numeric_limits<double>::quiet_NaN();
  double reported_turnover_per_employee = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t line = 0;  // source line, for messages
};

struct InitiativeFacts {
  Initiative in;
  double turnover_per_employee = 0, profit_margin = 0, employees_per_firm = 0, sales_per_firm = 0;
  double employment_share = 0, sales_share = 0;
  double matches_reported = 0;  // 1, 0 or NaN
};

// Reads the CSV (errors name file, line and column; firms, employees and sales must be > 0).
std::vector<Initiative> load_initiatives(const std::string& path);

// The facts per initiative, then a TOTAL row when `total`.
std::vector<InitiativeFacts> initiative_facts(const std::vector<Initiative>& initiatives, bool total = true);

}  // namespace agglo::survey
