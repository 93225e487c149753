// agglo::structure — a regional input–output table estimated from a national table and regional
// employment by location quotients (non-survey regionalisation; Miller & Blair 2009 §8.3, Flegg,
// Webber & Elliott 1995, Flegg & Webber 1997). Formulas in docs/methods/structure.md §1b.
//
// With E_ir the employment of industry i in region r, E_r = Σ_i E_ir, E_iN = Σ_r E_ir, E_N = Σ E_iN
// and a_ij the national technical coefficient:
//   simple location quotient   SLQ_i  = (E_ir / E_r) / (E_iN / E_N)
//   cross-industry quotient    CILQ_ij = SLQ_i / SLQ_j
//   Flegg's quotient           FLQ_ij = λ* CILQ_ij (i ≠ j),  FLQ_ii = λ* SLQ_i,
//                              λ* = [log₂(1 + E_r / E_N)]^δ   (0 ≤ δ < 1; δ = 0 gives the CILQ)
//   regional coefficient       r_ij = a_ij · min(1, LQ_ij)     (LQ = SLQ_i or FLQ_ij)
// An industry the region sells relatively less of than the nation (LQ < 1) is assumed to supply
// only that fraction of the region's needs; the rest is imported. FLQ's λ* shrinks every
// coefficient more the smaller the region, correcting the SLQ's known overstatement of regional
// multipliers (Flegg & Tohmo 2013 recommend δ ≈ 0.3 absent survey data).
//   regional output            x_jr = x_j E_jr / E_jN   (national output per worker)
//   regional flows             z_ij,r = r_ij x_jr; final demand and value added are the balancing
//                              items, so value added holds the imports (the Ghosh convention)
//   share of inputs imported   m_j = 1 − Σ_i r_ij / Σ_i a_ij (out of the region's own supply)
// Industries without employment in the region are left out of the regional table (their inputs
// to the others are imports). O(n²).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agglo/data/economy.hpp"
#include "agglo/structure/input_output.hpp"

namespace agglo::structure {

// Employment of the table's industries by region (one year of the panel: `year`, or its latest).
// e[r * industries.size() + i]; an industry of the table absent from the panel has zero everywhere;
// employment in industries outside the table still counts in the region totals (E_r).
struct EmploymentMatrix {
  std::vector<std::string> regions;
  std::vector<std::string> industries;  // the table's, in its order
  std::vector<double> e;                // regions × industries
  std::vector<double> region_total;     // E_r over every industry of the panel
  std::optional<int> year;
  double at(std::size_t r, std::size_t i) const { return e[r * industries.size() + i]; }
};
EmploymentMatrix employment_matrix(const data::Panel& panel, const std::vector<std::string>& industries,
                                   std::optional<int> year = std::nullopt);

enum class Regionalisation { slq, flq };

struct RegionalTable {
  IoTable table;                    // the region's industries only
  std::string region;
  Regionalisation method = Regionalisation::flq;
  double delta = 0.3, lambda = 1.0;  // λ* (1 for the SLQ)
  double region_share = 0;           // E_r / E_N
  std::vector<double> slq;           // per industry of the regional table
  std::vector<double> import_share;  // m_j per industry of the regional table (NaN: no inputs)
  double total_import_share = 0;     // Σ_j x_jr Σ_i (a_ij − r_ij) / Σ_j x_jr Σ_i a_ij
  std::vector<std::string> dropped;  // national industries without employment in the region
};

// Throws a usage error naming the region when it is not in the panel, and invalid input when the
// region has no employment in the table's industries.
RegionalTable regionalise(const IoTable& national, const EmploymentMatrix& employment, const std::string& region,
                          Regionalisation method, double delta);

}  // namespace agglo::structure
