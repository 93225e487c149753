#include "panel_years.hpp"

#include <fmt/format.h>

#include "agglo/core/error.hpp"
#include "agglo/measure/region_industry_matrix.hpp"

namespace agglo::api {

bool PanelYears::any_comparison() const {
  for (const auto& b : base)
    if (b) return true;
  return false;
}

std::string PanelYears::describe() const {
  if (!any_comparison()) return "none";
  if (pair) return fmt::format("{} against {}", years.front(), *base.front());
  return fmt::format("each year against the previous year of the panel ({})", measure::format_years(years));
}

PanelYears plan_years(const data::Panel& panel, std::optional<std::int64_t> year, std::optional<std::int64_t> from,
                      std::optional<std::int64_t> to, const std::string& source) {
  PanelYears p;
  p.has_years = panel.has_years();
  // Every given year must exist (without a year column, the first one given fails).
  const std::pair<const char*, std::optional<std::int64_t>> given[] = {{"--year", year}, {"--from", from}, {"--to", to}};
  for (const auto& [name, y] : given)
    if (y) measure::require_year(panel, static_cast<int>(*y), name, source);
  if (!p.has_years) {
    p.base.emplace_back();
    return p;
  }
  p.panel = measure::panel_years(panel);
  if (from || to) {
    if (year && to && *year != *to)
      throw_usage(ErrorCode::invalid_option_value,
                  fmt::format("--year {} and --to {} name different years; with --from, --year is the year compared", *year, *to),
                  "give one of them");
    const int t = to ? static_cast<int>(*to) : year ? static_cast<int>(*year) : p.panel.back();
    const int f = from ? static_cast<int>(*from) : p.panel.front();
    if (f >= t)
      throw_usage(ErrorCode::invalid_option_value,
                  fmt::format("--from {} must be an earlier year than --to {} ({} has {})", f, t,
                              source.empty() ? std::string("the panel") : source, measure::format_years(p.panel)),
                  "swap the years, or leave --from out to compare with the first year of the panel");
    p.pair = true;
    p.years = {t};
    p.base = {f};
    return p;
  }
  if (year) {
    p.years = {static_cast<int>(*year)};
    p.base.emplace_back();
    return p;
  }
  p.years = p.panel;
  for (std::size_t k = 0; k < p.years.size(); ++k)
    p.base.push_back(k == 0 ? std::nullopt : std::optional<int>(p.years[k - 1]));
  return p;
}

}  // namespace agglo::api
