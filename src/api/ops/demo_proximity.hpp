// The proximity section of `agglo demo` (src/api/ops/demo_proximity.cpp): spatial-model runs on
// the demo's county polygons and a planted cluster's location quotient, and their report section.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "agglo/api/operation.hpp"
#include "agglo/report/html_report.hpp"

namespace agglo::api {

// Appends the results "proximity_ols", "proximity_model" and "proximity_distance" to `analyses`.
// lq_csv: fips,lq; regions: the synthetic economy's regions table (code, population, area_km2).
void demo_proximity(std::vector<std::pair<std::string, Result>>& analyses, const std::string& workspace,
                    const std::string& polygon_layer, const std::string& lq_csv, const data::Table& regions,
                    const std::string& out, const Context& ctx);

// The report section from those results (nothing when they are absent).
void demo_proximity_report(report::HtmlReport& rep, const std::vector<std::pair<std::string, Result>>& analyses);

}  // namespace agglo::api
