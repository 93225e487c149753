#include "agglo/measure/region_industry_matrix.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "agglo/core/error.hpp"

namespace agglo::measure {

std::vector<int> panel_years(const data::Panel& panel) {
  std::vector<int> ys(panel.year.begin(), panel.year.end());
  std::sort(ys.begin(), ys.end());
  ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
  return ys;
}

std::string format_years(const std::vector<int>& years) {
  std::string s;
  for (std::size_t k = 0; k < years.size();) {
    std::size_t j = k;
    while (j + 1 < years.size() && years[j + 1] == years[j] + 1) ++j;
    if (!s.empty()) s += ", ";
    s += j == k ? fmt::format("{}", years[k]) : fmt::format("{}–{}", years[k], years[j]);
    k = j + 1;
  }
  return s;
}

void require_year(const data::Panel& panel, int year, const std::string& option, const std::string& source) {
  const std::string file = source.empty() ? std::string("the employment file") : fmt::format("the employment file {}", source);
  if (!panel.has_years())
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("{} {} needs a year column, but {} has none (it is a single period)", option, year, file),
                fmt::format("leave {} out, or give a file with a year column (region,industry,employment,year)", option));
  // A linear scan: the sort of panel_years() is needed only for the message.
  if (std::find(panel.year.begin(), panel.year.end(), year) != panel.year.end()) return;
  const auto years = panel_years(panel);
  throw_usage(ErrorCode::invalid_option_value,
              fmt::format("year {} ({}) is not in {}, which has {} year{}: {}", year, option, file, years.size(),
                          years.size() == 1 ? "" : "s", format_years(years)),
              "choose one of the years listed");
}

RegionIndustryMatrix to_matrix(const data::Panel& panel, std::optional<int> year, const std::string& field,
                               DuplicateRule duplicates, const std::string& source) {
  const std::vector<double>* src = &panel.value;
  if (field == "establishments") src = &panel.establishments;
  else if (field == "wages") src = &panel.wages;
  if (src->size() != panel.size())
    throw_input(ErrorCode::missing_column, fmt::format("the employment file has no '{}' column", field), {source, 0, 0, field},
                "add the column or choose another measure");
  if (year) require_year(panel, *year, "--year", source);
  if (!year && panel.has_years()) {
    const auto ys = panel_years(panel);
    if (ys.size() > 1)
      throw_usage(ErrorCode::missing_option,
                  fmt::format("the panel{} has {} years ({}); choose one with --year", source.empty() ? "" : " " + source,
                              ys.size(), format_years(ys)));
  }
  RegionIndustryMatrix m;
  for (std::uint32_t r = 0; r < panel.rows.size(); ++r) m.regions.emplace_back(panel.rows.name(r));
  for (std::uint32_t c = 0; c < panel.cols.size(); ++c) m.industries.emplace_back(panel.cols.name(c));
  m.values = data::DenseMatrix(m.regions.size(), m.industries.size(), 0.0);
  data::DenseMatrix seen(duplicates == DuplicateRule::reject ? m.regions.size() : 0,
                         duplicates == DuplicateRule::reject ? m.industries.size() : 0, 0.0);
  for (std::size_t k = 0; k < panel.size(); ++k) {
    if (year && panel.year[k] != *year) continue;
    const double v = (*src)[k];
    if (!(v == v)) continue;  // an empty optional cell
    if (duplicates == DuplicateRule::reject) {
      if (seen(panel.row[k], panel.col[k]) > 0)
        throw_input(ErrorCode::duplicate_row,
                    fmt::format("region '{}' × industry '{}' appears more than once{}", m.regions[panel.row[k]],
                                m.industries[panel.col[k]], year ? fmt::format(" in {}", *year) : std::string()),
                    {source, 0, 0, {}}, "sum the rows first, or pass --duplicates sum");
      seen(panel.row[k], panel.col[k]) = 1;
    }
    m.values(panel.row[k], panel.col[k]) += v;
  }
  return m;
}

}  // namespace agglo::measure
