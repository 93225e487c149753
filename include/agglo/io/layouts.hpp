// agglo::io — named layouts of the public files users download, read as agglo inputs.
//
// A layout turns the rows of a source file into the columns of an agglo input: it names the
// source columns (matched case-insensitively), builds codes from parts (a county FIPS from
// state + county), keeps the rows an analysis should see (six-digit NAICS, private ownership)
// and treats cells the publisher suppressed (a documented rule, never an error).
//
//   cbp    US Census County Business Patterns, county files (cbpYYco.txt): fipstate+fipscty →
//          region, naics → industry (six-digit rows only; "31----"/"3111//" aggregates would
//          double count), emp → employment, est → establishments. Withheld cells (emp_nf "D",
//          or an empflag letter in files before 2017, where emp is 0) are dropped, or with
//          --suppressed impute estimated from the establishment size classes (Σ count × class
//          midpoint, clipped to the empflag range when there is one). Statewide "999" counties
//          are dropped (no location).
//   qcew   BLS Quarterly Census of Employment and Wages, annual-average CSV files: area_fips →
//          region, industry_code → industry, annual_avg_emplvl → employment,
//          annual_avg_estabs → establishments, total_annual_wages → wages, year → year. Rows of
//          private ownership (own_code 5) at the six-digit NAICS aggregation level
//          (agglvl_code 18, 48, 58 or 78: nation, MSA, state, county) are kept. Disclosure
//          code "N" (not disclosed, emplvl 0) marks suppressed cells; they are dropped
//          (QCEW publishes no size classes to impute from).
//   atlas  Harvard Growth Lab's Atlas of Economic Complexity country × product × year files:
//          country_iso3_code or location_code → location, the product code column
//          (product_hs92_code, hs_product_code, sitc_product_code, product_code…) → product,
//          export_value → value, year → year. Bilateral files (a partner column) are summed
//          over partners.
//   oec    The Observatory of Economic Complexity's data downloads: "Country ID" or "Exporter
//          Country ID" (continent prefix + ISO3, "euesp") → location (the ISO3 part),
//          "HS4 ID"/"HS6 ID"/"HS2 ID" (section prefix + code) → product (the HS part),
//          "Trade Value" → value, "Year" → year; summed over importers when present.
//
// A layout applies to one input kind (cbp and qcew to employment, atlas and oec to exports).
// With --layout auto (the default) it is chosen when the header has its signature columns;
// --layout NAME forces it and names the columns missing; --layout plain turns detection off.
#pragma once

#include <string>
#include <vector>

namespace agglo::io {

struct LayoutInfo {
  std::string name;       // "cbp"
  std::string title;      // "US County Business Patterns (county file)"
  std::string input;      // the input kind it produces: "employment" or "exports"
  std::vector<std::string> signature;  // source columns whose presence selects it
};

// Every layout, in detection order.
const std::vector<LayoutInfo>& layouts();
// Names for the --layout option: auto, plain and every layout.
std::vector<std::string> layout_choices();

}  // namespace agglo::io
