// Regional input–output tables by location quotients (include/agglo/structure/regional_io.hpp).
#include "agglo/structure/regional_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "agglo/core/error.hpp"

namespace agglo::structure {

EmploymentMatrix employment_matrix(const data::Panel& p, const std::vector<std::string>& industries,
                                   std::optional<int> year) {
  EmploymentMatrix m;
  m.industries = industries;
  if (p.has_years()) {
    const int last = *std::max_element(p.year.begin(), p.year.end());
    const int want = year.value_or(last);
    if (std::find(p.year.begin(), p.year.end(), want) == p.year.end())
      throw_usage(ErrorCode::invalid_option_value, fmt::format("the employment panel has no year {}", want));
    m.year = want;
  }
  std::unordered_map<std::string, std::size_t> of;
  for (std::size_t i = 0; i < industries.size(); ++i) of.emplace(industries[i], i);
  std::vector<std::ptrdiff_t> col(p.cols.size(), -1);
  for (std::uint32_t c = 0; c < p.cols.size(); ++c) {
    const auto it = of.find(std::string(p.cols.name(c)));
    if (it != of.end()) col[c] = static_cast<std::ptrdiff_t>(it->second);
  }
  const std::size_t R = p.rows.size(), n = industries.size();
  for (std::uint32_t r = 0; r < R; ++r) m.regions.emplace_back(p.rows.name(r));
  m.e.assign(R * n, 0.0);
  m.region_total.assign(R, 0.0);
  for (std::size_t k = 0; k < p.size(); ++k) {
    if (m.year && p.year[k] != *m.year) continue;
    m.region_total[p.row[k]] += p.value[k];
    if (col[p.col[k]] >= 0) m.e[p.row[k] * n + static_cast<std::size_t>(col[p.col[k]])] += p.value[k];
  }
  return m;
}

RegionalTable regionalise(const IoTable& t, const EmploymentMatrix& em, const std::string& region,
                          Regionalisation method, double delta) {
  const std::size_t n = t.size();
  AGGLO_ASSERT(em.industries.size() == n);
  const auto rit = std::find(em.regions.begin(), em.regions.end(), region);
  if (rit == em.regions.end())
    throw_usage(ErrorCode::invalid_option_value, fmt::format("--region {}: no such region in the employment file", region));
  const auto r = static_cast<std::size_t>(rit - em.regions.begin());
  if (!(delta >= 0 && delta < 1))
    throw_usage(ErrorCode::invalid_option_value, fmt::format("--delta {}: Flegg's δ must be in [0, 1)", delta));
  // National and regional employment by industry, and the totals.
  std::vector<double> eN(n, 0.0), eR(n, 0.0);
  for (std::size_t q = 0; q < em.regions.size(); ++q)
    for (std::size_t i = 0; i < n; ++i) eN[i] += em.at(q, i);
  for (std::size_t i = 0; i < n; ++i) eR[i] = em.at(r, i);
  double EN = 0;
  for (double v : em.region_total) EN += v;
  const double ER = em.region_total[r];
  if (!(ER > 0))
    throw_input(ErrorCode::invalid_value, fmt::format("region {} has no employment in the panel", region));
  RegionalTable out;
  out.region = region;
  out.method = method;
  out.delta = delta;
  out.region_share = ER / EN;
  out.lambda = method == Regionalisation::flq ? std::pow(std::log2(1.0 + ER / EN), delta) : 1.0;
  std::vector<double> slq(n, 0.0);
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < n; ++i) {
    slq[i] = eN[i] > 0 ? (eR[i] / ER) / (eN[i] / EN) : 0.0;
    if (eR[i] > 0)
      keep.push_back(i);
    else
      out.dropped.push_back(t.industries[i]);
  }
  if (keep.empty())
    throw_input(ErrorCode::invalid_value,
                fmt::format("region {} has no employment in any industry of the input–output table", region), {},
                "check that the employment file uses the table's industry codes");
  auto lq = [&](std::size_t i, std::size_t j) {
    if (method == Regionalisation::slq) return slq[i];
    if (i == j) return out.lambda * slq[i];
    return slq[j] > 0 ? out.lambda * slq[i] / slq[j] : 0.0;
  };
  const std::size_t m = keep.size();
  double need = 0, imported = 0;
  IoTable& rt = out.table;
  rt.flows.assign(m * m, 0.0);
  for (std::size_t q = 0; q < m; ++q) {
    const std::size_t j = keep[q];
    rt.industries.push_back(t.industries[j]);
    rt.output.push_back(t.output[j] * eR[j] / eN[j]);
    out.slq.push_back(slq[j]);
  }
  for (std::size_t q = 0; q < m; ++q) {
    const std::size_t j = keep[q];
    double national = 0, local = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double a = t.z(i, j) / t.output[j];
      national += a;
      if (eR[i] > 0) local += a * std::min(1.0, lq(i, j));
    }
    for (std::size_t p = 0; p < m; ++p) {
      const std::size_t i = keep[p];
      rt.flows[p * m + q] = t.z(i, j) / t.output[j] * std::min(1.0, lq(i, j)) * rt.output[q];
    }
    out.import_share.push_back(national > 0 ? 1.0 - local / national : std::nan(""));
    need += national * rt.output[q];
    imported += (national - local) * rt.output[q];
  }
  out.total_import_share = need > 0 ? imported / need : std::nan("");
  rt.final_demand.assign(m, 0.0);
  rt.value_added.assign(m, 0.0);
  for (std::size_t i = 0; i < m; ++i) {
    double rs = 0, cs = 0;
    for (std::size_t j = 0; j < m; ++j) {
      rs += rt.flows[i * m + j];
      cs += rt.flows[j * m + i];
    }
    rt.final_demand[i] = rt.output[i] - rs;
    rt.value_added[i] = rt.output[i] - cs;
  }
  return out;
}

}  // namespace agglo::structure
