// agglo::complexity — income content of products and of export baskets (Hausmann, Hwang &
// Rodrik 2007, "What you export matters").
//   PRODY_p = Σ_c [ (X_cp/X_c) / Σ_c' (X_c'p/X_c') ] Y_c     (Y_c GDP per capita)
//   EXPY_c  = Σ_p (X_cp/X_c) PRODY_p
// The sums in PRODY run over locations with a known, finite Y_c (others are named in a
// warning); EXPY is defined for every location with exports, over products whose PRODY is
// defined. Units: those of Y (e.g. US$ per person). O(L·P).
#pragma once

#include <string>
#include <vector>

#include "agglo/complexity/rca.hpp"

namespace agglo::complexity {

struct Prody {
  std::vector<double> prody;  // per product; NaN when no exporter has a GDP value
  std::vector<double> expy;   // per location; NaN for excluded locations
  std::vector<std::string> warnings;
};

// `gdp[c]` is NaN when unknown. Excluded locations/products (zero totals) come from `r`.
Prody prody_expy(const ExportMatrix& x, const Rca& r, const std::vector<double>& gdp);

}  // namespace agglo::complexity
