// Supplier concentration and cluster supplier blocks (include/agglo/structure/supply_risk.hpp).
#include "agglo/structure/supply_risk.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "agglo/core/error.hpp"

namespace agglo::structure {

std::vector<SupplierConcentration> supplier_concentration(const IoTable& t, const EmploymentMatrix* where) {
  const std::size_t n = t.size();
  const double nan = std::nan("");
  // National employment per industry, for the supplier-region shares E_ir / E_iN.
  std::vector<double> eN;
  if (where) {
    AGGLO_ASSERT(where->industries.size() == n);
    eN.assign(n, 0.0);
    for (std::size_t r = 0; r < where->regions.size(); ++r)
      for (std::size_t i = 0; i < n; ++i) eN[i] += where->at(r, i);
  }
  std::vector<SupplierConcentration> out(n);
  std::vector<double> q;
  for (std::size_t j = 0; j < n; ++j) {
    auto& c = out[j];
    c.industry = t.industries[j];
    double bought = 0;
    for (std::size_t i = 0; i < n; ++i) bought += t.z(i, j);
    c.intermediate_share = bought / t.output[j];
    c.region_hhi = nan;
    if (!(bought > 0)) {
      c.hhi = c.effective_suppliers = c.top_share = nan;
      continue;
    }
    std::size_t top = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double s = t.z(i, j) / bought;
      c.hhi += s * s;
      if (t.z(i, j) > t.z(top, j)) top = i;
    }
    c.effective_suppliers = 1.0 / c.hhi;
    c.top_supplier = t.industries[top];
    c.top_share = t.z(top, j) / bought;
    if (!where) continue;
    // Inputs by supplier region under the national-pool assumption; inputs from industries with
    // no employment anywhere are left out of the shares.
    q.assign(where->regions.size(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      if (!(eN[i] > 0) || t.z(i, j) == 0) continue;
      for (std::size_t r = 0; r < where->regions.size(); ++r) q[r] += t.z(i, j) * where->at(r, i) / eN[i];
    }
    const double located = std::accumulate(q.begin(), q.end(), 0.0);
    if (!(located > 0)) continue;
    c.region_hhi = 0;
    std::size_t best = 0;
    for (std::size_t r = 0; r < q.size(); ++r) {
      c.region_hhi += (q[r] / located) * (q[r] / located);
      if (q[r] > q[best]) best = r;
    }
    c.top_region = where->regions[best];
    c.top_region_share = q[best] / located;
  }
  return out;
}

std::vector<ClusterSupplyRisk> cluster_supply_risk(const IoTable& t,
                                                   const std::vector<std::pair<std::string, std::vector<std::size_t>>>& clusters,
                                                   double cover) {
  const std::size_t n = t.size();
  double total = 0;
  for (double x : t.output) total += x;
  std::vector<ClusterSupplyRisk> out;
  std::vector<char> in(n);
  for (const auto& [name, members] : clusters) {
    ClusterSupplyRisk c;
    c.cluster = name;
    std::fill(in.begin(), in.end(), 0);
    for (auto j : members) {
      AGGLO_ASSERT(j < n);
      in[j] = 1;
      c.members.push_back(t.industries[j]);
      c.cluster_output += t.output[j];
    }
    // Sales of each outside industry to the cluster, largest first.
    std::vector<std::pair<double, std::size_t>> sales;
    for (std::size_t i = 0; i < n; ++i) {
      if (in[i]) continue;
      double s = 0;
      for (auto j : members) s += t.z(i, j);
      c.outside_input += s;
      if (s > 0) sales.emplace_back(s, i);
    }
    std::sort(sales.begin(), sales.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<std::size_t> block;
    double got = 0;
    for (const auto& [s, i] : sales) {
      if (got >= cover * c.outside_input) break;
      block.push_back(i);
      got += s;
    }
    if (block.empty()) {
      out.push_back(std::move(c));
      continue;
    }
    c.covered = got / c.outside_input;
    for (auto i : block) c.suppliers.push_back(t.industries[i]);
    const auto e = extract_sectors(t, block);
    for (auto j : members) c.cluster_loss += t.output[j] - e.forward_output[j];
    c.cluster_loss_share = c.cluster_loss / c.cluster_output;
    c.economy_loss = e.forward_loss;
    c.economy_loss_share = e.forward_share;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace agglo::structure
