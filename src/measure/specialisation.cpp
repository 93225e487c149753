#include "agglo/measure/specialisation.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/error.hpp"

namespace agglo::measure {

double lorenz_gini(const std::vector<double>& y, const std::vector<double>& x) {
  const std::size_t n = y.size();
  std::vector<std::size_t> order;
  order.reserve(n);
  for (std::size_t k = 0; k < n; ++k)
    if (x[k] > 0 || y[k] > 0) order.push_back(k);
  // Ascending ratio y/x; a unit with x = 0 and y > 0 has an infinite ratio and comes last.
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return y[a] * x[b] < y[b] * x[a];  // y_a/x_a < y_b/x_b without dividing by zero
  });
  double cx = 0, cy = 0, area = 0;
  for (std::size_t k : order) {
    const double nx = cx + x[k], ny = cy + y[k];
    area += (nx - cx) * (ny + cy);  // trapezoids under the Lorenz curve, times 2
    cx = nx;
    cy = ny;
  }
  return 1.0 - area;
}

Specialisation specialisation(const RegionIndustryMatrix& m, Denominator denominator,
                              const std::vector<data::IndustryKind>& kinds, bool summaries) {
  const std::size_t R = m.regions.size(), I = m.industries.size();
  const auto& E = m.values;
  Specialisation s;
  // Which industries enter the denominator.
  std::vector<bool> in_scope(I, true);
  if (denominator != Denominator::total) {
    if (kinds.size() != I)
      throw_usage(ErrorCode::missing_option, "a traded or local denominator needs the industries' kinds",
                  "give --industries with a kind column (traded/local)");
    const auto want = denominator == Denominator::traded ? data::IndustryKind::traded : data::IndustryKind::local;
    for (std::size_t i = 0; i < I; ++i) {
      if (kinds[i] == data::IndustryKind::unknown)
        throw_input(ErrorCode::invalid_value, fmt::format("industry '{}' has no kind (traded or local)", m.industries[i]),
                    {}, "every industry of the employment file needs a kind in the industries file");
      in_scope[i] = kinds[i] == want;
    }
  }
  s.region_total.assign(R, 0.0);
  s.industry_total.assign(I, 0.0);
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < I; ++i) {
      const double v = E(r, i);
      s.industry_total[i] += v;
      if (in_scope[i]) s.region_total[r] += v;
    }
  double total = 0;
  for (std::size_t i = 0; i < I; ++i)
    if (in_scope[i]) total += s.industry_total[i];

  s.region_excluded.assign(R, false);
  s.industry_excluded.assign(I, false);
  std::vector<std::string> empty_regions, empty_industries;
  for (std::size_t r = 0; r < R; ++r)
    if (s.region_total[r] <= 0) {
      s.region_excluded[r] = true;
      empty_regions.push_back(m.regions[r]);
    }
  for (std::size_t i = 0; i < I; ++i)
    if (s.industry_total[i] <= 0) {
      s.industry_excluded[i] = true;
      empty_industries.push_back(m.industries[i]);
    }
  if (total <= 0)
    throw_input(ErrorCode::empty_input, "total employment is zero: no location quotient is defined", {},
                "check the employment column (and the denominator)");
  auto list = [](const std::vector<std::string>& v) {
    std::string s;
    for (std::size_t k = 0; k < v.size() && k < 10; ++k) s += (k ? ", " : "") + v[k];
    if (v.size() > 10) s += fmt::format(" and {} more", v.size() - 10);
    return s;
  };
  if (!empty_regions.empty())
    s.warnings.push_back(fmt::format("{} region(s) with no employment{} are excluded: {}", empty_regions.size(),
                                     denominator == Denominator::total ? "" : " in the denominator", list(empty_regions)));
  if (!empty_industries.empty())
    s.warnings.push_back(fmt::format("{} industr{} present nowhere excluded: {}", empty_industries.size(),
                                     empty_industries.size() == 1 ? "y" : "ies", list(empty_industries)));
  if (R - empty_regions.size() == 1) s.warnings.push_back("only one region: every location quotient is 1");

  const double nan = std::numeric_limits<double>::quiet_NaN();
  s.lq = data::DenseMatrix(R, I, nan);
  s.region_share = data::DenseMatrix(R, I, nan);
  s.industry_share = data::DenseMatrix(R, I, nan);
  std::vector<double> national(I);  // E_i / E within scope
  for (std::size_t i = 0; i < I; ++i) national[i] = s.industry_total[i] / total;
  std::vector<double> reg_weight(R);  // E_r / E
  for (std::size_t r = 0; r < R; ++r) reg_weight[r] = s.region_total[r] / total;

  s.hoover_r.assign(R, nan);
  s.krugman_r.assign(R, nan);
  s.gini_r.assign(R, nan);
  s.diversity_r.assign(R, 0);
  tbb::parallel_for(std::size_t(0), R, [&](std::size_t r) {
    if (s.region_excluded[r]) return;
    double krug = 0;
    std::vector<double> y(I, 0.0), x(I, 0.0);
    for (std::size_t i = 0; i < I; ++i) {
      if (s.industry_excluded[i]) continue;
      const double sri = E(r, i) / s.region_total[r];
      s.region_share(r, i) = sri;
      s.industry_share(r, i) = E(r, i) / s.industry_total[i];
      s.lq(r, i) = sri / national[i];
      if (s.lq(r, i) >= 1.0) ++s.diversity_r[r];
      if (in_scope[i]) {
        krug += std::fabs(sri - national[i]);
        y[i] = sri;
        x[i] = national[i];
      }
    }
    if (!summaries) return;
    s.krugman_r[r] = krug;
    s.hoover_r[r] = 0.5 * krug;
    s.gini_r[r] = lorenz_gini(y, x);
  });

  s.hoover_i.assign(I, nan);
  s.gini_i.assign(I, nan);
  s.ubiquity_i.assign(I, 0);
  if (!summaries) return s;
  tbb::parallel_for(std::size_t(0), I, [&](std::size_t i) {
    if (s.industry_excluded[i]) return;
    double h = 0;
    std::vector<double> y(R, 0.0), x(R, 0.0);
    for (std::size_t r = 0; r < R; ++r) {
      if (s.region_excluded[r]) continue;
      const double xri = E(r, i) / s.industry_total[i];
      h += std::fabs(xri - reg_weight[r]);
      y[r] = xri;
      x[r] = reg_weight[r];
      if (s.lq(r, i) >= 1.0) ++s.ubiquity_i[i];
    }
    s.hoover_i[i] = 0.5 * h;
    s.gini_i[i] = lorenz_gini(y, x);
  });
  return s;
}

}  // namespace agglo::measure
