// agglo::structure — structural tensions inside a development block (Dahmén 1950, 1988): an
// advance in one industry opens a growth gap to the industries it is linked with, and the block
// works by closing it. Enflo, Kander & Schön (2008, J. Evol. Econ. 18) read the closing as
// cointegration; this is the descriptive side of the same idea (agglo's own operationalisation,
// written out in docs/methods/structure.md §2b), so a user can see when and where the tension was.
//
// For two linked industries i, j with (detrended, log) series y and link weight w_ij = a_ij + a_ji:
//   gap             d_t = y_it − y_jt
//   h-year tension  g_t = d_t − d_{t−h}         (how far i has run ahead of j over h years)
//   peak            t* = argmax_t |g_t|, peak_gap = g_{t*}; leader = i when g_{t*} > 0, else j
//   closed share    c = 1 − |d_{t*+h} − d_{t*−h}| / |d_{t*} − d_{t*−h}|: the part of the gap
//                   opened up to the peak that is closed h years later (1: closed, 0: persisted,
//                   < 0: widened; NaN when t* + h is past the end)
//   reversion       Δd_t = c + ρ d_{t−1} + e (the Dickey–Fuller regression, no lags): the gap
//                   closes at rate −ρ a year, half-life ln ½ / ln(1 + ρ) for −1 < ρ < 0 (∞ for
//                   ρ ≥ 0); adf_p is the Dickey–Fuller p-value (MacKinnon 1994) — below the level,
//                   the gap is stationary: the tension resolves rather than persists
// The block's tension index in year t is the link-weighted mean  T_t = Σ w_ij |g_ijt| / Σ w_ij.
// O(pairs · T).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace agglo::structure {

struct PairTension {
  std::size_t a = 0, b = 0;  // indices into the members given
  double link = 0;
  double peak_gap = 0;
  long long peak_year = 0;
  std::size_t leader = 0;   // a or b
  double closed_share = 0;
  double reversion = 0, half_life = 0, adf_p = 1;
};

struct TensionResult {
  std::vector<PairTension> pairs;     // every pair with w_ij > 0
  std::vector<long long> years;       // years[h …]
  std::vector<double> index;          // T_t for those years (NaN without linked pairs)
};

// `y[m]` the series of member m over `years`; `link[p * k + q]` = w between members p and q.
// Needs more than h + 2 years (invalid input otherwise); h ≥ 1.
TensionResult structural_tension(const std::vector<std::vector<double>>& y, const std::vector<long long>& years,
                                 const std::vector<double>& link, std::size_t h);

}  // namespace agglo::structure
