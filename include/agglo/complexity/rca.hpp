// agglo::complexity — revealed comparative advantage and the binary presence matrix M, the
// starting point of every economic-complexity measure (Hidalgo & Hausmann 2009; Hausmann et
// al., The Atlas of Economic Complexity, 2014). Works for exports (countries × products) and
// employment (regions × industries) alike.
//
// Notation: X_cp exports (or employment) of location c in product p, X_c = Σ_p X_cp,
// X_p = Σ_c X_cp, X = Σ_cp X_cp.
//   RCA_cp  = (X_cp / X_c) / (X_p / X)                         Balassa (1965)
//   RPOP_cp = (X_cp / N_c) / (X_p / N)                         per-capita RCA, N_c population,
//             N = Σ_c N_c (Atlas of Economic Complexity; py-ecomplexity's `rpop`)
//   M_cp    = 1 if RCA_cp ≥ threshold (or > threshold, strict), else 0; with the per-capita
//             test RPOP_cp ≥ rpop threshold instead, or either of the two (the union, which
//             py-ecomplexity calls presence_test="both")
//   diversity k_c,0 = Σ_p M_cp,  ubiquity k_p,0 = Σ_c M_cp
// Degenerate input is defined, never a silent NaN: locations with X_c = 0 and products with
// X_p = 0 are excluded (flags below, named in `warnings`); their RCA is NaN and they are
// absent from M. Locations left out by the caller (RcaOptions::left_out: the Atlas sample) or
// below `min_location_total` are excluded the same way, and X_p, X are then the sums over the
// locations kept. No rounding happens anywhere: RCA is compared with the threshold as computed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agglo/data/dense_matrix.hpp"
#include "agglo/data/economy.hpp"

namespace agglo::complexity {

// Locations (rows) × products (columns), dense, in the panel's order of first appearance.
struct ExportMatrix {
  std::vector<std::string> locations;
  std::vector<std::string> products;
  data::DenseMatrix values;
};

// The distinct years of a panel, ascending (empty when the panel has no year column).
std::vector<int> panel_years(const data::Panel& panel);

// One year of a panel as a dense matrix over *all* the panel's locations and products, so
// every year shares the same indices. Repeated cells are summed (the loader has already
// rejected them unless ReadOptions::allow_duplicate_rows). `year` is ignored when the panel
// has no years. O(cells + L·P).
ExportMatrix export_matrix(const data::Panel& panel, std::optional<int> year = std::nullopt);
// The same from the given rows of the panel only (a panel's year, indexed once by the caller
// so a 20-year panel is not scanned 20 times).
ExportMatrix export_matrix(const data::Panel& panel, const std::vector<std::uint32_t>& rows);

// The binary matrix M stored both ways as sparse index lists (CSR by location, CSC by
// product): the eigenvector operator, reflections, fitness, co-occurrence and density all
// walk it in O(nnz). Memory: 8 bytes per present cell.
struct Presence {
  std::size_t locations = 0, products = 0;
  std::vector<std::uint32_t> loc_ptr, loc_products;  // products of location c: [loc_ptr[c], loc_ptr[c+1])
  std::vector<std::uint32_t> prod_ptr, prod_locations;  // locations of product p
  std::vector<int> diversity;  // k_c,0
  std::vector<int> ubiquity;   // k_p,0
  std::size_t nnz() const { return loc_products.size(); }
};

// M from any matrix: a cell is present when its value is > 0 (tests, references).
Presence presence_from(const data::DenseMatrix& m01);

// Which ratio decides presence: Balassa RCA, per-capita RCA, or either of them.
enum class PresenceTest { rca, rpop, either };

struct RcaOptions {
  double threshold = 1.0;  // M_cp = RCA_cp ≥ threshold
  bool strict = false;     // M_cp = RCA_cp > threshold instead (applies to RPOP too)
  PresenceTest test = PresenceTest::rca;
  double rpop_threshold = 1.0;  // M_cp = RPOP_cp ≥ rpop_threshold
  // Population N_c per location (same order as the ExportMatrix), needed by rpop and either.
  // Locations with an unknown (NaN) or non-positive population are excluded and named.
  std::vector<double> population;
  // Locations whose total X_c is below this are excluded like zero totals (named in a
  // warning). The Atlas leaves out very small exporters whose few lines of trade (often
  // re-exports or recording noise) make them look complex; 0 keeps everyone.
  double min_location_total = 0.0;
  // Locations left out of the whole calculation before RCA (the Atlas country sample,
  // include/agglo/complexity/sample.hpp): empty, or one flag per location. They are excluded
  // like zero totals — X_p and X are the sums over the locations kept — but not named here:
  // the caller that chose them names them (with the reason).
  std::vector<bool> left_out;
};

struct Rca {
  data::DenseMatrix rca;   // L × P; NaN in excluded rows and columns
  data::DenseMatrix rpop;  // L × P per-capita RCA (empty unless the test uses it)
  Presence m;
  std::vector<double> location_total, product_total;  // X_c, X_p
  std::vector<bool> location_excluded, product_excluded;
  std::vector<std::string> warnings;
};

// RCA and M of one year. O(L·P).
Rca rca(const ExportMatrix& x, const RcaOptions& options = {});

}  // namespace agglo::complexity
