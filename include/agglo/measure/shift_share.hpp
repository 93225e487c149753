// agglo::measure — shift-share decomposition of the change in regional employment between two
// years, after Dunn (1960) and Perloff, Dunn, Lampard & Muth (1960), with the Esteban-Marquillas
// (1972) split of the competitive effect. Formulas in docs/methods/specialisation.md.
//
// Notation: e_ri⁰, e_ri¹ employment of sector i (an industry or a cluster) in region r in the
// base year 0 and the final year 1; E_r the region's total employment (all sectors, or given),
// E_i = Σ_r e_ri the sector's national employment, E = Σ_r E_r;
//   G    = E¹/E⁰ − 1        national growth rate (all employment)
//   G_i  = E_i¹/E_i⁰ − 1    national growth rate of sector i
//   g_ri = e_ri¹/e_ri⁰ − 1  growth rate of sector i in region r
// Classical decomposition (Dunn 1960), for every cell:
//   Δe_ri = e_ri¹ − e_ri⁰ = NS_ri + IM_ri + CE_ri
//   NS_ri = e_ri⁰ · G                   national growth effect (the region grows like the nation)
//   IM_ri = e_ri⁰ · (G_i − G)           industry mix (proportional) effect
//   CE_ri = e_ri⁰ · (g_ri − G_i)        regional share, competitive (differential) effect
//         = e_ri¹ − e_ri⁰ (1 + G_i)      (the form computed: defined when e_ri⁰ = 0 too)
// Esteban-Marquillas (1972): with homothetic employment ê_ri = E_r⁰ · E_i⁰ / E⁰ (what region r
// would employ in i if its mix were the nation's),
//   CE_ri  = CE*_ri + AE_ri
//   CE*_ri = ê_ri · (g_ri − G_i)            homothetic competitive effect (pure advantage)
//   AE_ri  = (e_ri⁰ − ê_ri) · (g_ri − G_i)  allocation effect (specialisation × advantage:
//                                          positive when the region is specialised where it
//                                          is competitive, or de-specialised where it is not)
// The identities hold by construction (the components sum to Δe_ri and CE_ri up to rounding).
//
// Undefined cases are reported, never silently NaN: a cell new to the region (e_ri⁰ = 0 < e_ri¹)
// has no growth rate g_ri, so CE*_ri and AE_ri are NaN and the cell is counted in `entries` (its
// whole change e_ri¹ is competitive effect: NS = IM = 0); a sector absent nationally in year 0
// (E_i⁰ = 0) has no G_i, and each of its cells is such an entry. No employment at all in year 0
// (E⁰ = 0) is an input error.
//
// Complexity: O(R·I) time; the matrix form holds seven R × I matrices, the cell form none.
#pragma once

#include <cstddef>
#include <vector>

#include "agglo/data/dense_matrix.hpp"

namespace agglo::measure {

// The national and regional totals and growth rates one decomposition uses.
struct ShiftShareRates {
  std::vector<double> region_from, region_to;  // E_r⁰, E_r¹ (the totals the rates use)
  std::vector<double> sector_from, sector_to;  // E_i⁰, E_i¹ (column sums)
  double total_from = 0, total_to = 0;         // E⁰ = Σ_r E_r⁰, E¹ = Σ_r E_r¹
  double national_growth = 0;                  // G
  std::vector<double> sector_growth;           // G_i; NaN when E_i⁰ = 0
};

// The decomposition of one cell.
struct ShiftShareCell {
  double change = 0, national = 0, mix = 0, competitive = 0;  // Δe, NS, IM, CE
  double expected = 0;                 // ê
  double homothetic = 0, allocation = 0;  // CE*, AE (NaN for an entry)
  bool entry = false;                  // e⁰ = 0 < e¹
};

struct ShiftShare : ShiftShareRates {
  data::DenseMatrix change;                    // Δe_ri
  data::DenseMatrix national;                  // NS_ri
  data::DenseMatrix mix;                       // IM_ri
  data::DenseMatrix competitive;               // CE_ri
  data::DenseMatrix expected;                  // ê_ri, homothetic employment
  data::DenseMatrix homothetic;                // CE*_ri (NaN for entries)
  data::DenseMatrix allocation;                // AE_ri  (NaN for entries)
  std::size_t entries = 0;                     // cells with e_ri⁰ = 0 < e_ri¹
};

// The totals and rates of the decomposition of `to` − `from` (regions × sectors, same shape,
// employment ≥ 0). `region_from` / `region_to` are the regions' total employment E_r⁰ / E_r¹
// when the sectors do not cover the whole economy (clusters leave unclustered industries
// out); empty: the row sums. The national rate G, and the homothetic shares E_i⁰/E⁰, use
// these totals. Throws input error empty_input when E⁰ = 0. O(R·I).
ShiftShareRates shift_share_rates(const data::DenseMatrix& from, const data::DenseMatrix& to,
                                  const std::vector<double>& region_from = {}, const std::vector<double>& region_to = {});

// The decomposition of cell (r, i) with employment e⁰ → e¹ under `rates`. O(1).
ShiftShareCell shift_share_cell(const ShiftShareRates& rates, std::size_t r, std::size_t i, double e_from, double e_to);

// Every cell at once, as matrices (seven R × I matrices: for large tables prefer the two
// functions above, cell by cell).
ShiftShare shift_share(const data::DenseMatrix& from, const data::DenseMatrix& to,
                       const std::vector<double>& region_from = {}, const std::vector<double>& region_to = {});

// How far a cell's growth exceeds the national rate G, in units of its Poisson counting
// noise: the score statistic of the two-Poisson-rates comparison (conditional on e⁰ + e¹,
// e¹ ~ Binomial(e⁰ + e¹, (1+G)/(2+G)) when the cell grows like the nation):
//   z = (e¹ − (1 + G) e⁰) / √((1 + G)(e⁰ + e¹))
// The numerator is the cell's total shift IM + CE. NaN when e⁰ + e¹ = 0 or G ≤ −1.
double excess_growth_z(double e_from, double e_to, double national_growth);

}  // namespace agglo::measure
