// Shift-share decomposition (formulas in include/agglo/measure/shift_share.hpp and
// docs/methods/specialisation.md).
#include "agglo/measure/shift_share.hpp"

#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/error.hpp"

namespace agglo::measure {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}

ShiftShareRates shift_share_rates(const data::DenseMatrix& from, const data::DenseMatrix& to,
                                  const std::vector<double>& region_from, const std::vector<double>& region_to) {
  const std::size_t R = from.rows(), I = from.cols();
  AGGLO_ASSERT(to.rows() == R && to.cols() == I);
  AGGLO_ASSERT(region_from.empty() || region_from.size() == R);
  AGGLO_ASSERT(region_to.empty() || region_to.size() == R);
  ShiftShareRates s;
  s.region_from = region_from.empty() ? from.row_sums() : region_from;
  s.region_to = region_to.empty() ? to.row_sums() : region_to;
  s.sector_from = from.col_sums();
  s.sector_to = to.col_sums();
  s.total_from = std::accumulate(s.region_from.begin(), s.region_from.end(), 0.0);
  s.total_to = std::accumulate(s.region_to.begin(), s.region_to.end(), 0.0);
  if (!(s.total_from > 0))
    throw_input(ErrorCode::empty_input, "no employment in the base year: the shift-share decomposition needs E⁰ > 0", {},
                "choose a base year with employment (--from)");
  s.national_growth = s.total_to / s.total_from - 1.0;
  s.sector_growth.assign(I, nan);
  for (std::size_t i = 0; i < I; ++i)
    if (s.sector_from[i] > 0) s.sector_growth[i] = s.sector_to[i] / s.sector_from[i] - 1.0;
  return s;
}

ShiftShareCell shift_share_cell(const ShiftShareRates& s, std::size_t r, std::size_t i, double e0, double e1) {
  ShiftShareCell c;
  c.change = e1 - e0;
  // ê_ri = E_r⁰ E_i⁰ / E⁰: the region's size times the sector's national share.
  c.expected = s.region_from[r] * (s.sector_from[i] / s.total_from);
  if (!(e0 > 0)) {
    // No base-year jobs: nothing grows "like the nation" or "like the sector"; the whole
    // change is the region's own (CE = e¹). Without g_ri the E-M split is undefined.
    c.competitive = e1;
    if (e1 > 0) {
      c.homothetic = c.allocation = nan;
      c.entry = true;
    }
    return c;
  }
  // e⁰ > 0 implies E_i⁰ > 0, so G_i is defined.
  const double G = s.national_growth, Gi = s.sector_growth[i];
  const double gri = e1 / e0 - 1.0;
  c.national = e0 * G;
  c.mix = e0 * (Gi - G);
  c.competitive = e1 - e0 * (1.0 + Gi);
  c.homothetic = c.expected * (gri - Gi);
  c.allocation = (e0 - c.expected) * (gri - Gi);
  return c;
}

ShiftShare shift_share(const data::DenseMatrix& from, const data::DenseMatrix& to, const std::vector<double>& region_from,
                       const std::vector<double>& region_to) {
  const std::size_t R = from.rows(), I = from.cols();
  ShiftShare s;
  static_cast<ShiftShareRates&>(s) = shift_share_rates(from, to, region_from, region_to);
  for (auto* m : {&s.change, &s.national, &s.mix, &s.competitive, &s.expected, &s.homothetic, &s.allocation})
    *m = data::DenseMatrix(R, I, 0.0);
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < I; ++i) {
      const auto c = shift_share_cell(s, r, i, from(r, i), to(r, i));
      s.change(r, i) = c.change;
      s.national(r, i) = c.national;
      s.mix(r, i) = c.mix;
      s.competitive(r, i) = c.competitive;
      s.expected(r, i) = c.expected;
      s.homothetic(r, i) = c.homothetic;
      s.allocation(r, i) = c.allocation;
      s.entries += c.entry;
    }
  return s;
}

double excess_growth_z(double e0, double e1, double G) {
  const double n = e0 + e1;
  if (!(n > 0) || !(1.0 + G > 0)) return nan;
  return (e1 - (1.0 + G) * e0) / std::sqrt((1.0 + G) * n);
}

}  // namespace agglo::measure
