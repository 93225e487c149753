// Regional resilience indices (include/agglo/structure/resilience.hpp).
#include "agglo/structure/resilience.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "agglo/core/error.hpp"

namespace agglo::structure {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Employment by region × industry in one year, dense (regions × industries).
std::vector<double> year_matrix(const data::Panel& p, int year) {
  const std::size_t R = p.rows.size(), I = p.cols.size();
  std::vector<double> m(R * I, 0.0);
  for (std::size_t k = 0; k < p.size(); ++k)
    if (p.year[k] == year) m[p.row[k] * I + p.col[k]] += p.value[k];
  return m;
}

struct Phase {
  std::vector<double> actual, expected, sensitivity, index;
  double national = nan;
};

// Actual and shift-share expected change of every region from matrix a to matrix b.
Phase phase(const std::vector<double>& a, const std::vector<double>& b, std::size_t R, std::size_t I) {
  std::vector<double> ia(I, 0.0), ib(I, 0.0);
  double na = 0, nb = 0;
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < I; ++i) {
      ia[i] += a[r * I + i];
      ib[i] += b[r * I + i];
    }
  for (std::size_t i = 0; i < I; ++i) {
    na += ia[i];
    nb += ib[i];
  }
  Phase ph;
  ph.national = na > 0 ? (nb - na) / na : nan;
  ph.actual.resize(R);
  ph.expected.resize(R);
  ph.sensitivity.resize(R);
  ph.index.resize(R);
  for (std::size_t r = 0; r < R; ++r) {
    double ea = 0, eb = 0, ex = 0;
    for (std::size_t i = 0; i < I; ++i) {
      ea += a[r * I + i];
      eb += b[r * I + i];
      // National growth rate of industry i times the region's base employment in it.
      if (ia[i] > 0) ex += (ib[i] - ia[i]) / ia[i] * a[r * I + i];
    }
    ph.actual[r] = eb - ea;
    ph.expected[r] = ex;
    ph.sensitivity[r] = ea > 0 && ph.national != 0 ? ((eb - ea) / ea) / ph.national : nan;
    ph.index[r] = ex != 0 ? (ph.actual[r] - ex) / std::abs(ex) : nan;
  }
  return ph;
}

}  // namespace

ResilienceResult resilience(const data::Panel& p, int from, int trough, std::optional<int> to, const std::string& source,
                            const std::unordered_map<std::string, std::string>& groups) {
  if (!p.has_years())
    throw_usage(ErrorCode::missing_column,
                fmt::format("{} has no year column: resilience compares a pre-recession year, the trough and a later year", source));
  std::set<int> years(p.year.begin(), p.year.end());
  std::string list;
  for (int y : years) list += (list.empty() ? "" : ", ") + std::to_string(y);
  for (int y : {from, trough, to.value_or(trough)})
    if (!years.count(y))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("year {} is not in {} (years: {})", y, source, list));
  if (!(from < trough) || (to && !(trough < *to)))
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("the years must be ordered --from {} < --trough {}{}", from, trough, to ? fmt::format(" < --to {}", *to) : ""));
  const std::size_t R = p.rows.size(), I = p.cols.size();
  const auto e0 = year_matrix(p, from), e1 = year_matrix(p, trough);
  const auto c = phase(e0, e1, R, I);
  if (!(c.national != 0) || !std::isfinite(c.national))
    throw_input(ErrorCode::invalid_value,
                fmt::format("national employment does not change between {} and {}: the sensitivity index is undefined", from, trough),
                Location{source, 0, 0, {}}, "choose a pre-recession peak and a trough with a national contraction");
  ResilienceResult res;
  res.national_contraction = c.national;
  if (c.national > 0)
    res.warnings.push_back(fmt::format("national employment grew between {} and {} ({:+.2f} %): not a contraction", from, trough,
                                       100 * c.national));
  Phase rc;
  std::vector<double> e2;
  if (to) {
    e2 = year_matrix(p, *to);
    rc = phase(e1, e2, R, I);
    res.national_recovery = rc.national;
  } else {
    res.national_recovery = nan;
  }
  // Sector of each industry column (an ungrouped industry is its own sector).
  std::vector<std::size_t> sector(I);
  std::size_t sectors = 0;
  {
    std::unordered_map<std::string, std::size_t> id;
    for (std::size_t i = 0; i < I; ++i) {
      const std::string code(p.cols.name(static_cast<std::uint32_t>(i)));
      const auto g = groups.find(code);
      const auto key = g == groups.end() ? "\x01" + code : g->second;
      sector[i] = id.emplace(key, id.size()).first->second;
    }
    sectors = id.size();
  }
  std::vector<double> share(sectors);
  for (std::size_t r = 0; r < R; ++r) {
    RegionResilience x;
    x.region = std::string(p.rows.name(static_cast<std::uint32_t>(r)));
    double tot = 0, ent = 0;
    for (std::size_t i = 0; i < I; ++i) tot += e0[r * I + i];
    for (std::size_t i = 0; i < I; ++i) {
      x.employment_trough += e1[r * I + i];
      if (to) x.employment_to += e2[r * I + i];
      const double s = tot > 0 ? e0[r * I + i] / tot : 0;
      if (s > 0) ent -= s * std::log(s);
    }
    x.employment_from = tot;
    if (!to) x.employment_to = nan;
    x.diversity = tot > 0 ? ent : nan;
    x.entropy = x.unrelated_variety = x.related_variety = nan;
    if (!groups.empty() && tot > 0) {
      std::fill(share.begin(), share.end(), 0.0);
      for (std::size_t i = 0; i < I; ++i) share[sector[i]] += e0[r * I + i] / tot;
      double uv = 0, rv = 0;
      for (double pg : share)
        if (pg > 0) uv -= pg * std::log2(pg);
      for (std::size_t i = 0; i < I; ++i) {
        const double s = e0[r * I + i] / tot;
        if (s > 0) rv += s * std::log2(share[sector[i]] / s);  // P_g Σ (s/P_g) log2(P_g/s)
      }
      x.unrelated_variety = uv;
      x.related_variety = rv;
      x.entropy = ent / std::log(2.0);
    }
    x.sensitivity = c.sensitivity[r];
    x.resistance = c.index[r];
    x.expected_change = c.expected[r];
    x.actual_change = c.actual[r];
    x.recovery = to ? rc.index[r] : nan;
    x.recovery_sensitivity = to ? rc.sensitivity[r] : nan;
    x.recovery_expected_change = to ? rc.expected[r] : nan;
    x.recovery_actual_change = to ? rc.actual[r] : nan;
    res.regions.push_back(std::move(x));
  }
  std::sort(res.regions.begin(), res.regions.end(), [](const auto& a, const auto& b) { return a.region < b.region; });
  return res;
}

}  // namespace agglo::structure
