// agglo::measure — regional specialisation and industry localisation indices computed from a
// region × industry employment matrix E (regions r, industries i).
//
// Notation: E_r = Σ_i E_ri, E_i = Σ_r E_ri, E = Σ_ri E_ri;
//   s_ri = E_ri / E_r   (industry i's share of region r's employment, "region share")
//   x_ri = E_ri / E_i   (region r's share of industry i's employment, "industry share")
//   LQ_ri = s_ri / (E_i / E)                         location quotient (Florence 1939)
// With a traded or local denominator (Delgado, Porter & Stern 2016), E_r and E are taken over
// traded (or local) industries only: LQ_ri = (E_ri / E_r^T) / (E_i / E^T).
//
// Per region:   hoover_r  = ½ Σ_i |s_ri − E_i/E|            (Hoover 1936 coefficient of specialisation)
//               krugman_r = Σ_i |s_ri − E_i/E|              (Krugman 1991 specialisation index, 0…2)
//               gini_r    = Lorenz-curve Gini of region r's industry mix against the national
//                           mix: industries sorted by LQ_ri, X = cumulative E_i/E, Y = cumulative s_ri,
//                           G = 1 − Σ_k (X_k − X_k−1)(Y_k + Y_k−1)
//               diversity_r = #{i : LQ_ri ≥ 1}               (Hidalgo & Hausmann 2009)
// Per industry: hoover_i  = ½ Σ_r |x_ri − E_r/E|            (Hoover 1936 localisation coefficient)
//               gini_i    = locational Gini (Krugman 1991): regions sorted by LQ_ri,
//                           X = cumulative E_r/E, Y = cumulative x_ri, same formula
//               ubiquity_i = #{r : LQ_ri ≥ 1}
// Degenerate input is defined, never a silent NaN: a region with no employment (in the chosen
// denominator) or an industry present nowhere is excluded from the measures and listed in
// `excluded_regions` / `excluded_industries`; with a single region every LQ is 1 (a warning).
// Complexity: O(R·I) time and memory, O(R·I log) for the Gini sorts; parallel over rows.
#pragma once

#include <string>
#include <vector>

#include "agglo/data/dense_matrix.hpp"
#include "agglo/data/economy.hpp"
#include "agglo/measure/region_industry_matrix.hpp"

namespace agglo::measure {

enum class Denominator { total, traded, local };

struct Specialisation {
  data::DenseMatrix lq;              // NaN only in excluded rows/columns
  data::DenseMatrix region_share;    // s_ri
  data::DenseMatrix industry_share;  // x_ri
  std::vector<double> region_total, industry_total;  // E_r and E_i in the denominator's scope
  std::vector<double> hoover_r, krugman_r, gini_r;
  std::vector<int> diversity_r;
  std::vector<double> hoover_i, gini_i;
  std::vector<int> ubiquity_i;
  std::vector<bool> region_excluded, industry_excluded;
  std::vector<std::string> warnings;
};

// `kinds[i]` is needed for the traded/local denominators (industries of unknown kind are then
// an input error); ignored for the total denominator. Without `summaries`, only the LQs,
// shares, totals and diversity are computed (the Hoover, Krugman, Gini and per-industry
// fields stay NaN / 0): the Gini sorts are most of the time on a large matrix.
Specialisation specialisation(const RegionIndustryMatrix& m, Denominator denominator = Denominator::total,
                              const std::vector<data::IndustryKind>& kinds = {}, bool summaries = true);

// The Lorenz-curve Gini of `y` against reference shares `x` (both summing to 1), ordering the
// units by y/x ascending. Exposed for tests. Returns 0 for identical distributions.
double lorenz_gini(const std::vector<double>& y, const std::vector<double>& x);

}  // namespace agglo::measure
