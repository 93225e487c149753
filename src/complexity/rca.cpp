// RCA (Balassa) and the sparse presence matrix; see include/agglo/complexity/rca.hpp.
#include "agglo/complexity/rca.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <set>

#include "agglo/core/error.hpp"

namespace agglo::complexity {

namespace {

// "3 locations export nothing: afg, bhu, tuv" — every name, so nothing vanishes silently.
std::string name_list(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

std::vector<int> panel_years(const data::Panel& panel) {
  std::set<int> ys(panel.year.begin(), panel.year.end());
  return {ys.begin(), ys.end()};
}

ExportMatrix export_matrix(const data::Panel& panel, std::optional<int> year) {
  ExportMatrix x;
  for (std::uint32_t r = 0; r < panel.rows.size(); ++r) x.locations.emplace_back(panel.rows.name(r));
  for (std::uint32_t c = 0; c < panel.cols.size(); ++c) x.products.emplace_back(panel.cols.name(c));
  x.values = data::DenseMatrix(x.locations.size(), x.products.size(), 0.0);
  const bool filter = year && panel.has_years();
  for (std::size_t k = 0; k < panel.size(); ++k) {
    if (filter && panel.year[k] != *year) continue;
    const double v = panel.value[k];
    if (std::isfinite(v)) x.values(panel.row[k], panel.col[k]) += v;
  }
  return x;
}

ExportMatrix export_matrix(const data::Panel& panel, const std::vector<std::uint32_t>& rows) {
  ExportMatrix x;
  for (std::uint32_t r = 0; r < panel.rows.size(); ++r) x.locations.emplace_back(panel.rows.name(r));
  for (std::uint32_t c = 0; c < panel.cols.size(); ++c) x.products.emplace_back(panel.cols.name(c));
  x.values = data::DenseMatrix(x.locations.size(), x.products.size(), 0.0);
  for (const auto k : rows) {
    const double v = panel.value[k];
    if (std::isfinite(v)) x.values(panel.row[k], panel.col[k]) += v;
  }
  return x;
}

Presence presence_from(const data::DenseMatrix& m01) {
  Presence m;
  m.locations = m01.rows();
  m.products = m01.cols();
  m.diversity.assign(m.locations, 0);
  m.ubiquity.assign(m.products, 0);
  m.loc_ptr.assign(m.locations + 1, 0);
  for (std::size_t c = 0; c < m.locations; ++c) {
    for (std::size_t p = 0; p < m.products; ++p)
      if (m01(c, p) > 0) {
        m.loc_products.push_back(static_cast<std::uint32_t>(p));
        ++m.diversity[c];
        ++m.ubiquity[p];
      }
    m.loc_ptr[c + 1] = static_cast<std::uint32_t>(m.loc_products.size());
  }
  // CSC by a counting sort of the CSR entries: locations stay ascending within a product.
  m.prod_ptr.assign(m.products + 1, 0);
  for (std::size_t p = 0; p < m.products; ++p) m.prod_ptr[p + 1] = m.prod_ptr[p] + m.ubiquity[p];
  m.prod_locations.resize(m.nnz());
  std::vector<std::uint32_t> fill(m.prod_ptr.begin(), m.prod_ptr.end() - 1);
  for (std::size_t c = 0; c < m.locations; ++c)
    for (auto k = m.loc_ptr[c]; k < m.loc_ptr[c + 1]; ++k)
      m.prod_locations[fill[m.loc_products[k]]++] = static_cast<std::uint32_t>(c);
  return m;
}

Rca rca(const ExportMatrix& x, const RcaOptions& options) {
  const std::size_t L = x.values.rows(), P = x.values.cols();
  Rca r;
  r.location_total = x.values.row_sums();
  r.product_total = x.values.col_sums();
  double total = 0;
  for (double v : r.location_total) total += v;
  r.location_excluded.assign(L, false);
  r.product_excluded.assign(P, false);
  std::vector<std::string> zl, zp;
  for (std::size_t c = 0; c < L; ++c)
    if (!(r.location_total[c] > 0)) r.location_excluded[c] = true, zl.push_back(x.locations[c]);
  for (std::size_t p = 0; p < P; ++p)
    if (!(r.product_total[p] > 0)) r.product_excluded[p] = true, zp.push_back(x.products[p]);
  if (!options.left_out.empty() && options.left_out.size() != L)
    throw_usage(ErrorCode::invalid_option_value, "the list of locations left out does not match the locations");
  bool any_left_out = false;
  for (std::size_t c = 0; c < options.left_out.size(); ++c)
    if (options.left_out[c] && !r.location_excluded[c]) r.location_excluded[c] = true, any_left_out = true;
  std::vector<std::string> small, no_pop;
  for (std::size_t c = 0; c < L; ++c)
    if (!r.location_excluded[c] && r.location_total[c] < options.min_location_total)
      r.location_excluded[c] = true, small.push_back(x.locations[c]);
  const bool per_capita = options.test != PresenceTest::rca;
  if (per_capita) {
    if (options.population.size() != L)
      throw_usage(ErrorCode::invalid_option_value, "per-capita presence needs a population for every location",
                  "give --population FILE (location,value)");
    for (std::size_t c = 0; c < L; ++c)
      if (!r.location_excluded[c] && !(options.population[c] > 0))
        r.location_excluded[c] = true, no_pop.push_back(x.locations[c]);
  }
  if (any_left_out || !small.empty() || !no_pop.empty()) {
    // Product totals and X are recomputed without the locations left out.
    r.product_total.assign(P, 0.0);
    for (std::size_t c = 0; c < L; ++c)
      if (!r.location_excluded[c])
        for (std::size_t p = 0; p < P; ++p) r.product_total[p] += x.values(c, p);
    total = 0;
    for (std::size_t c = 0; c < L; ++c)
      if (!r.location_excluded[c]) total += r.location_total[c];
    for (std::size_t p = 0; p < P; ++p)
      if (!r.product_excluded[p] && !(r.product_total[p] > 0)) r.product_excluded[p] = true, zp.push_back(x.products[p]);
    if (!small.empty())
      r.warnings.push_back(fmt::format("{} location(s) with total below {} excluded: {}", small.size(),
                                       options.min_location_total, name_list(small)));
    if (!no_pop.empty())
      r.warnings.push_back(fmt::format("{} location(s) without a positive population excluded (per-capita RCA): {}",
                                       no_pop.size(), name_list(no_pop)));
  }
  // N = Σ_c N_c over the locations kept.
  double population = 0;
  if (per_capita)
    for (std::size_t c = 0; c < L; ++c)
      if (!r.location_excluded[c]) population += options.population[c];
  if (!zl.empty())
    r.warnings.push_back(fmt::format("{} location(s) with zero total value excluded: {}", zl.size(), name_list(zl)));
  if (!zp.empty())
    r.warnings.push_back(fmt::format("{} product(s) with zero total value excluded: {}", zp.size(), name_list(zp)));

  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.rca = data::DenseMatrix(L, P, nan);
  if (per_capita) r.rpop = data::DenseMatrix(L, P, nan);
  data::DenseMatrix m01(L, P, 0.0);
  const auto passes = [&](double v, double threshold) { return options.strict ? v > threshold : v >= threshold; };
  for (std::size_t c = 0; c < L; ++c) {
    if (r.location_excluded[c]) continue;
    const double xc = r.location_total[c];
    for (std::size_t p = 0; p < P; ++p) {
      if (r.product_excluded[p]) continue;
      // (X_cp / X_c) / (X_p / X), in this order of operations for every cell.
      const double v = (x.values(c, p) / xc) / (r.product_total[p] / total);
      r.rca(c, p) = v;
      bool present = options.test != PresenceTest::rpop && passes(v, options.threshold);
      if (per_capita) {
        // (X_cp / N_c) / (X_p / N), likewise in one fixed order.
        const double w = (x.values(c, p) / options.population[c]) / (r.product_total[p] / population);
        r.rpop(c, p) = w;
        present = present || passes(w, options.rpop_threshold);
      }
      if (present) m01(c, p) = 1.0;
    }
  }
  r.m = presence_from(m01);
  std::vector<std::string> nd, nu;
  for (std::size_t c = 0; c < L; ++c)
    if (!r.location_excluded[c] && r.m.diversity[c] == 0) nd.push_back(x.locations[c]);
  for (std::size_t p = 0; p < P; ++p)
    if (!r.product_excluded[p] && r.m.ubiquity[p] == 0) nu.push_back(x.products[p]);
  const std::string test = options.test == PresenceTest::rca ? fmt::format("RCA {} {}", options.strict ? ">" : "≥", options.threshold)
                           : options.test == PresenceTest::rpop
                               ? fmt::format("per-capita RCA {} {}", options.strict ? ">" : "≥", options.rpop_threshold)
                               : fmt::format("RCA or per-capita RCA {} {} / {}", options.strict ? ">" : "≥",
                                             options.threshold, options.rpop_threshold);
  if (!nd.empty())
    r.warnings.push_back(fmt::format("{} location(s) have no product with {}; their ECI is undefined (empty): {}",
                                     nd.size(), test, name_list(nd)));
  if (!nu.empty())
    r.warnings.push_back(fmt::format("{} product(s) have no location with {}; their PCI is undefined (empty): {}",
                                     nu.size(), test, name_list(nu)));
  return r;
}

}  // namespace agglo::complexity
