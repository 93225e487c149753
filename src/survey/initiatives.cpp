// Key figures of cluster initiatives (Osarenkhoe & Fjellström 2017 Table 1; include/agglo/survey/initiatives.hpp).
#include "agglo/survey/initiatives.hpp"

#include <fmt/format.h>

#include <cmath>

#include "agglo/core/error.hpp"
#include "agglo/io/table_reader.hpp"

namespace agglo::survey {

std::vector<Initiative> load_initiatives(const std::string& path) {
  io::TableSpec spec;
  spec.what = "cluster initiatives";
  auto num = [](const char* name, bool required, const char* meaning) {
    io::ColumnSpec c;
    c.name = name;
    c.kind = io::ColumnKind::real;
    c.required = required;
    c.allow_empty = !required;
    c.non_negative = true;
    c.meaning = meaning;
    return c;
  };
  io::ColumnSpec name;
  name.name = "cluster_initiative";
  name.kind = io::ColumnKind::text;
  spec.columns = {name,
                  num("firms", true, "a number of firms > 0"),
                  num("employees", true, "a number of employees > 0"),
                  num("sales_ksek", true, "sales in SEK thousands"),
                  num("gross_profit_ksek", false, "gross profit in SEK thousands"),
                  num("turnover_per_employee_ksek", false, "turnover per employee in SEK thousands")};
  spec.columns[4].non_negative = false;  // a gross loss is possible
  auto t = io::read_table(path, spec);
  std::vector<Initiative> out;
  for (std::size_t i = 0; i < t.rows; ++i) {
    Initiative in;
    in.name = t.col("cluster_initiative").texts[i];
    in.firms = t.col("firms").reals[i];
    in.employees = t.col("employees").reals[i];
    in.sales = t.col("sales_ksek").reals[i];
    if (t.has("gross_profit_ksek")) in.gross_profit = t.col("gross_profit_ksek").reals[i];
    if (t.has("turnover_per_employee_ksek")) in.reported_turnover_per_employee = t.col("turnover_per_employee_ksek").reals[i];
    in.line = t.lines[i];
    for (auto [v, col] : {std::pair{in.firms, "firms"}, std::pair{in.employees, "employees"}}) {
      if (v > 0) continue;
      const std::uint32_t c = col == std::string("firms") ? 2 : 3;
      throw_input(ErrorCode::invalid_value, fmt::format("{} must be > 0 to compute ratios, found {}", col, v),
                  {path, in.line, c, col});
    }
    out.push_back(std::move(in));
  }
  if (out.empty()) throw_input(ErrorCode::empty_input, "no cluster initiative in the file", {path, 0, 0, ""});
  return out;
}

std::vector<InitiativeFacts> initiative_facts(const std::vector<Initiative>& v, bool total) {
  Initiative tot;
  tot.name = "TOTAL";
  tot.gross_profit = 0;
  bool all_profit = true;
  for (const auto& in : v) {
    tot.firms += in.firms;
    tot.employees += in.employees;
    tot.sales += in.sales;
    if (std::isfinite(in.gross_profit)) tot.gross_profit += in.gross_profit;
    else all_profit = false;
  }
  if (!all_profit) tot.gross_profit = std::nan("");
  auto facts = [&](const Initiative& in) {
    InitiativeFacts f;
    f.in = in;
    f.turnover_per_employee = in.sales / in.employees;
    f.profit_margin = in.gross_profit / in.sales;
    f.employees_per_firm = in.employees / in.firms;
    f.sales_per_firm = in.sales / in.firms;
    f.employment_share = in.employees / tot.employees;
    f.sales_share = in.sales / tot.sales;
    f.matches_reported = std::isfinite(in.reported_turnover_per_employee)
                             ? (std::round(f.turnover_per_employee) == in.reported_turnover_per_employee ? 1.0 : 0.0)
                             : std::nan("");
    return f;
  };
  std::vector<InitiativeFacts> out;
  for (const auto& in : v) out.push_back(facts(in));
  if (total) out.push_back(facts(tot));
  return out;
}

}  // namespace agglo::survey
