// Descriptive share tables of Gjelsvik (2014) (formulas in include/agglo/survey/share_tables.hpp).
#include "agglo/survey/share_tables.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "agglo/core/error.hpp"
#include "agglo/stats/binary_model.hpp"

namespace agglo::survey {

namespace {

std::vector<std::string> order_groups(const std::vector<std::string>& group, const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const auto& g : given)
    if (std::find(group.begin(), group.end(), g) != group.end()) out.push_back(g);
  std::map<std::string, bool> seen;
  for (const auto& g : out) seen[g] = true;
  for (const auto& g : group)
    if (!g.empty() && !seen[g]) seen[g] = true, out.push_back(g);
  return out;
}

}  // namespace

const char* diamond_item_label(int item) {
  static const char* labels[6] = {"Demanding customers", "Advanced suppliers", "Toughest competitors",
                                  "Most qualified employees", "Most relevant research institutions", "Access to capital"};
  return labels[item];
}

Share estimate_share(const std::vector<double>& values, const std::vector<double>& weights, const std::vector<char>& mask,
                     double level, IntervalMethod method) {
  Share s;
  double sw = 0, sw2 = 0, swy = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!mask.empty() && !mask[i]) continue;
    const double v = values[i];
    if (!std::isfinite(v)) continue;
    const double w = weights.empty() ? 1.0 : weights[i];
    ++s.n;
    if (v == 1) ++s.positives;
    sw += w;
    sw2 += w * w;
    swy += w * v;
  }
  if (s.n == 0) {
    s.share = s.lower = s.upper = std::nan("");
    return s;
  }
  const double p = swy / sw, ne = sw * sw / sw2;
  const double z = stats::normal_quantile(1 - (1 - level) / 2);
  s.share = p;
  if (method == IntervalMethod::wald) {
    const double h = z * std::sqrt(p * (1 - p) / ne);
    s.lower = std::max(0.0, p - h);
    s.upper = std::min(1.0, p + h);
  } else {
    const double z2 = z * z, den = 1 + z2 / ne;
    const double centre = (p + z2 / (2 * ne)) / den;
    const double h = z * std::sqrt(p * (1 - p) / ne + z2 / (4 * ne * ne)) / den;
    s.lower = std::max(0.0, centre - h);
    s.upper = std::min(1.0, centre + h);
  }
  return s;
}

std::vector<ShareRow> outcome_shares(const std::vector<std::string>& group, const std::vector<std::string>& group_order,
                                     const std::vector<std::pair<std::string, std::vector<double>>>& outcomes,
                                     const std::vector<double>& weights, const ShareTableOptions& o) {
  const auto groups = order_groups(group, group_order);
  std::vector<ShareRow> out;
  for (const auto& [name, y] : outcomes) {
    AGGLO_ASSERT(y.size() == group.size());
    std::vector<char> any(group.size(), 0);
    for (const auto& g : groups) {
      std::vector<char> mask(group.size());
      for (std::size_t i = 0; i < group.size(); ++i) mask[i] = group[i] == g, any[i] |= mask[i];
      out.push_back({g, "", name, estimate_share(y, weights, mask, o.level, o.method), false});
    }
    if (o.total) out.push_back({"Total", "", name, estimate_share(y, weights, any, o.level, o.method), false});
  }
  return out;
}

std::vector<ShareRow> factor_shares(const data::Survey& s, const std::vector<std::string>& group,
                                    const std::vector<std::string>& group_order, const std::vector<double>& weights,
                                    const ShareTableOptions& o) {
  const auto groups = order_groups(group, group_order);
  const std::size_t n = s.size();
  std::vector<ShareRow> out;
  std::vector<std::vector<double>> sums(groups.size());
  for (int k = 0; k < 6; ++k) {
    std::vector<double> reg(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto loc = s.items[k].empty() ? data::FactorLocation::not_applicable : s.items[k][i];
      reg[i] = loc == data::FactorLocation::not_applicable ? std::nan("") : loc == data::FactorLocation::regional;
    }
    for (std::size_t g = 0; g < groups.size(); ++g) {
      std::vector<char> mask(n);
      for (std::size_t i = 0; i < n; ++i) mask[i] = group[i] == groups[g];
      ShareRow r{diamond_item_label(k), groups[g], "regional", estimate_share(reg, weights, mask, o.level, o.method), false};
      if (std::isfinite(r.s.share)) sums[g].push_back(r.s.share);
      out.push_back(r);
    }
  }
  if (o.total)
    for (std::size_t g = 0; g < groups.size(); ++g) {
      ShareRow r{"Average", groups[g], "regional", {}, true};
      double m = 0;
      for (double v : sums[g]) m += v;
      r.s.share = sums[g].empty() ? std::nan("") : m / static_cast<double>(sums[g].size());
      r.s.lower = r.s.upper = std::nan("");
      out.push_back(r);
    }
  return out;
}

std::vector<ShareRow> factor_outcome_shares(const data::Survey& s,
                                            const std::vector<std::pair<std::string, std::vector<double>>>& outcomes,
                                            const std::vector<double>& weights, const ShareTableOptions& o) {
  const std::size_t n = s.size();
  static const std::pair<const char*, data::FactorLocation> locs[3] = {{"regional", data::FactorLocation::regional},
                                                                       {"national", data::FactorLocation::national},
                                                                       {"international", data::FactorLocation::international}};
  std::vector<ShareRow> out;
  for (const auto& [name, y] : outcomes) {
    std::vector<double> sums[3];
    for (int k = 0; k < 6; ++k)
      for (int l = 0; l < 3; ++l) {
        std::vector<char> mask(n);
        for (std::size_t i = 0; i < n; ++i) mask[i] = !s.items[k].empty() && s.items[k][i] == locs[l].second;
        ShareRow r{diamond_item_label(k), locs[l].first, name, estimate_share(y, weights, mask, o.level, o.method), false};
        if (std::isfinite(r.s.share)) sums[l].push_back(r.s.share);
        out.push_back(r);
      }
    if (o.total)
      for (int l = 0; l < 3; ++l) {
        ShareRow r{"Average (un-weighted)", locs[l].first, name, {}, true};
        double m = 0;
        for (double v : sums[l]) m += v;
        r.s.share = sums[l].empty() ? std::nan("") : m / static_cast<double>(sums[l].size());
        r.s.lower = r.s.upper = std::nan("");
        out.push_back(r);
      }
  }
  return out;
}

}  // namespace agglo::survey
