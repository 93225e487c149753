// Private to `agglo relatedness` and `agglo define-clusters`: reads the inputs both commands
// share (--employment, --io, --occupations) with the same checks, so the two commands accept
// exactly the same files.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>

#include "agglo/clusters/relatedness.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/measure/region_industry_matrix.hpp"

namespace agglo::api::detail {

struct RelatednessData {
  measure::RegionIndustryMatrix employment;
  data::DenseMatrix establishments;  // empty when the panel has no establishments column
  std::optional<clusters::CodeTable> io, occupations;

  // Pointers into this object: keep it alive (and unmoved) while the input is in use.
  clusters::RelatednessInput input() const {
    clusters::RelatednessInput in;
    in.industries = employment.industries;
    in.employment = employment.values;
    in.establishments = establishments;
    in.io = io ? &*io : nullptr;
    in.occupations = occupations ? &*occupations : nullptr;
    return in;
  }
};

// A three-column table (two codes and a non-negative number) read with the io checks.
inline clusters::CodeTable read_code_table(const std::string& path, const std::string& what, const std::string& a,
                                           const std::string& b, const std::string& value,
                                           const std::string& meaning) {
  io::TableSpec spec;
  spec.what = what;
  for (const auto& name : {a, b}) {
    io::ColumnSpec c;
    c.name = name;
    c.kind = io::ColumnKind::code;
    spec.columns.push_back(c);
  }
  io::ColumnSpec v;
  v.name = value;
  v.kind = io::ColumnKind::real;
  v.non_negative = true;
  v.meaning = meaning;
  spec.columns.push_back(v);
  const auto t = io::read_table(path, spec);
  if (t.rows == 0)
    throw_input(ErrorCode::empty_input, fmt::format("the {} file has no rows", what), Location{path, 0, 0, {}},
                fmt::format("give a CSV with the columns {},{},{}", a, b, value));
  clusters::CodeTable out;
  const auto& ca = t.col(a);
  const auto& cb = t.col(b);
  out.a.reserve(t.rows);
  out.b.reserve(t.rows);
  for (std::size_t i = 0; i < t.rows; ++i) {
    out.a.emplace_back(ca.dictionary.name(ca.codes[i]));
    out.b.emplace_back(cb.dictionary.name(cb.codes[i]));
  }
  out.value = t.col(value).reals;
  return out;
}

// Reads the employment panel (one year: `year`, or the only one), its establishments column
// when present, and the optional IO and occupation tables.
inline RelatednessData load_relatedness_data(const std::string& employment, const std::string& io_path,
                                             const std::string& occupations, std::optional<std::int64_t> year,
                                             bool sum_duplicates) {
  io::ReadOptions ro;
  ro.allow_duplicate_rows = sum_duplicates;
  const auto panel = io::load_employment(employment, ro);
  const auto rule = sum_duplicates ? measure::DuplicateRule::sum : measure::DuplicateRule::reject;
  std::optional<int> y;
  if (year) y = static_cast<int>(*year);
  RelatednessData d;
  d.employment = measure::to_matrix(panel, y, "employment", rule);
  if (panel.establishments.size() == panel.size() && panel.size() > 0) {
    bool any = false;
    for (double v : panel.establishments) any = any || v == v;
    if (any) d.establishments = measure::to_matrix(panel, y, "establishments", rule).values;
  }
  if (!io_path.empty())
    d.io = read_code_table(io_path, "io", "from", "to", "value", "a flow value (≥ 0)");
  if (!occupations.empty())
    d.occupations = read_code_table(occupations, "occupations", "industry", "occupation", "employment",
                                    "employment of an occupation in an industry (≥ 0)");
  return d;
}

}  // namespace agglo::api::detail
