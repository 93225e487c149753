// agglo::measure — geographic concentration of an industry's plants across regions, net of
// plant-size concentration.
//
// For industry i with plants j of employment e_j in regions r:
//   z_j = e_j / Σ_j e_j                  plant shares;   H = Σ_j z_j²   (Herfindahl of plants)
//   s_r = Σ_{j in r} e_j / Σ_j e_j       the industry's regional shares
//   x_r                                  reference shares (total employment of every plant, or a
//                                        given vector), Σ x_r = 1
//   G   = Σ_r (s_r − x_r)²               raw geographic concentration
//   Ellison & Glaeser (1997):  γ_EG = (G / (1 − Σ x_r²) − H) / (1 − H)
//   Maurel & Sédillot (1999):  γ_MS = ((Σ s_r² − Σ x_r²) / (1 − Σ x_r²) − H) / (1 − H)
// Both are 0 in expectation when plants locate independently like total employment ("dartboard").
// Ellison, Glaeser & Kerr (2010) pairwise co-agglomeration of industries i and j:
//   γᶜ_ij = Σ_r (s_ri − x_r)(s_rj − x_r) / (1 − Σ_r x_r²)
// Undefined cases are reported, not NaN'd silently: an industry with one plant (H = 1) has no
// γ (the field is NaN and the industry is listed in warnings); one region (Σx² = 1) is an error.
#pragma once

#include <string>
#include <vector>

#include "agglo/data/dense_matrix.hpp"
#include "agglo/data/economy.hpp"

namespace agglo::measure {

double herfindahl(const std::vector<double>& plant_employment);
double ellison_glaeser(const std::vector<double>& s, const std::vector<double>& x, double H);
double maurel_sedillot(const std::vector<double>& s, const std::vector<double>& x, double H);

struct IndustryConcentration {
  std::string industry;
  std::size_t establishments = 0;
  double employment = 0;
  double herfindahl = 0;
  double raw_g = 0;
  double ellison_glaeser = 0;  // NaN when undefined (one plant)
  double maurel_sedillot = 0;
};

struct ConcentrationResult {
  std::vector<IndustryConcentration> industries;
  std::vector<std::string> regions;  // in the order of `x` / the share matrix rows
  std::vector<double> x;             // reference shares
  data::DenseMatrix shares;          // regions × industries, s_ri
  std::vector<std::string> warnings;
};

// Plants are weighted by `employees` (1 each when the column is absent). Requires a region per
// plant. `reference` maps region code → reference employment (empty: all plants' employment).
ConcentrationResult concentration(const data::Establishments& e,
                                  const std::vector<std::pair<std::string, double>>& reference = {});

// EGK (2010) co-agglomeration for every pair of industries of `c` (I × I, diagonal = G/(1−Σx²)).
data::DenseMatrix coagglomeration(const ConcentrationResult& c);

}  // namespace agglo::measure
