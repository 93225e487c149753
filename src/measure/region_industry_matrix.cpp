#include "agglo/measure/region_industry_matrix.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "agglo/core/error.hpp"

namespace agglo::measure {

RegionIndustryMatrix to_matrix(const data::Panel& panel, std::optional<int> year, const std::string& field,
                               DuplicateRule duplicates) {
  const std::vector<double>* src = &panel.value;
  if (field == "establishments") src = &panel.establishments;
  else if (field == "wages") src = &panel.wages;
  if (src->size() != panel.size())
    throw_input(ErrorCode::missing_column, fmt::format("the employment file has no '{}' column", field), {},
                "add the column or choose another measure");
  if (!year && panel.has_years()) {
    std::set<int> ys(panel.year.begin(), panel.year.end());
    if (ys.size() > 1)
      throw_usage(ErrorCode::missing_option,
                  fmt::format("the panel has {} years ({}…{}); choose one with --year", ys.size(), *ys.begin(), *ys.rbegin()));
  }
  RegionIndustryMatrix m;
  for (std::uint32_t r = 0; r < panel.rows.size(); ++r) m.regions.emplace_back(panel.rows.name(r));
  for (std::uint32_t c = 0; c < panel.cols.size(); ++c) m.industries.emplace_back(panel.cols.name(c));
  m.values = data::DenseMatrix(m.regions.size(), m.industries.size(), 0.0);
  data::DenseMatrix seen(duplicates == DuplicateRule::reject ? m.regions.size() : 0,
                         duplicates == DuplicateRule::reject ? m.industries.size() : 0, 0.0);
  for (std::size_t k = 0; k < panel.size(); ++k) {
    if (year && panel.has_years() && panel.year[k] != *year) continue;
    const double v = (*src)[k];
    if (!(v == v)) continue;  // an empty optional cell
    if (duplicates == DuplicateRule::reject) {
      if (seen(panel.row[k], panel.col[k]) > 0)
        throw_input(ErrorCode::duplicate_row,
                    fmt::format("region '{}' × industry '{}' appears more than once", m.regions[panel.row[k]],
                                m.industries[panel.col[k]]),
                    {}, "sum the rows first, or pass --duplicates sum");
      seen(panel.row[k], panel.col[k]) = 1;
    }
    m.values(panel.row[k], panel.col[k]) += v;
  }
  return m;
}

}  // namespace agglo::measure
