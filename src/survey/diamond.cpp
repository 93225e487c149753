// The Porter-diamond cluster index of Gjelsvik (2014) (rules in include/agglo/survey/diamond.hpp).
#include "agglo/survey/diamond.hpp"

#include <cmath>
#include <limits>

#include "agglo/core/error.hpp"

namespace agglo::survey {

namespace {
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
// Corner of each diamond item, in data::Survey::diamond_items order
// (customers, suppliers, competitors, employees, research, capital).
constexpr int item_corner[6] = {0, 1, 2, 3, 1, 1};
}  // namespace

DiamondIndex compute_diamond(const data::Survey& s, const DiamondRules& rules) {
  if (rules.non_cluster_max >= rules.cluster_min || rules.cluster_min > 6 || rules.non_cluster_max < 0)
    throw_usage(ErrorCode::invalid_option_value,
                "the diamond rules need 0 ≤ non-cluster-max < cluster-min ≤ 6 (Gjelsvik 2014: 2 and 4)");
  const std::size_t n = s.size();
  DiamondIndex d;
  d.regional.resize(n);
  d.national.resize(n);
  d.international.resize(n);
  d.answered.resize(n);
  d.share_regional.resize(n);
  d.regional_cluster.resize(n);
  d.scope.resize(n);
  d.proximity_score.resize(n);
  for (auto& c : d.corner) c.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    int r = 0, m = 0, x = 0;
    int corner_reg[4] = {0, 0, 0, 0}, corner_ans[4] = {0, 0, 0, 0};
    for (int k = 0; k < 6; ++k) {
      const auto loc = s.items[k].empty() ? data::FactorLocation::not_applicable : s.items[k][i];
      if (loc == data::FactorLocation::not_applicable) continue;
      ++corner_ans[item_corner[k]];
      if (loc == data::FactorLocation::regional) ++r, ++corner_reg[item_corner[k]];
      else if (loc == data::FactorLocation::national) ++m;
      else ++x;
    }
    const int a = r + m + x;
    d.regional[i] = r;
    d.national[i] = m;
    d.international[i] = x;
    d.answered[i] = a;
    for (int c = 0; c < 4; ++c) d.corner[c][i] = corner_ans[c] ? static_cast<double>(corner_reg[c]) / corner_ans[c] : nan_v;
    if (a == 0) {
      ++d.all_missing;
      d.share_regional[i] = d.regional_cluster[i] = d.proximity_score[i] = nan_v;
      continue;
    }
    d.share_regional[i] = static_cast<double>(r) / a;
    d.proximity_score[i] = (r + 0.5 * m) / a;
    double rc;
    if (r >= rules.cluster_min) rc = 1;
    else if (r <= rules.non_cluster_max) rc = 0;
    else {
      ++d.middle;
      rc = rules.middle == MiddleRule::cluster ? 1 : rules.middle == MiddleRule::non_cluster ? 0 : nan_v;
    }
    d.regional_cluster[i] = rc;
    if (rc == 1) ++d.in_cluster, d.scope[i] = "regional";
    else if (rc == 0) ++d.not_in_cluster, d.scope[i] = m >= x ? "national" : "international";
  }
  return d;
}

bool is_diamond_variable(const std::string& name) {
  static const char* names[] = {"regional_cluster", "scope", "regional_items", "national_items", "international_items",
                                "answered_items", "share_regional", "proximity_score", "demand_conditions",
                                "related_supporting", "rivalry", "factor_conditions"};
  for (const char* n : names)
    if (name == n) return true;
  return false;
}

bool diamond_variable(const DiamondIndex& d, const std::string& name, std::vector<double>* numbers,
                      std::vector<std::string>* texts) {
  if (!is_diamond_variable(name)) return false;
  if (name == "scope") {
    if (texts) *texts = d.scope;
    return true;
  }
  if (!numbers) return true;
  auto ints = [&](const std::vector<int>& v) { numbers->assign(v.begin(), v.end()); };
  if (name == "regional_cluster") *numbers = d.regional_cluster;
  else if (name == "regional_items") ints(d.regional);
  else if (name == "national_items") ints(d.national);
  else if (name == "international_items") ints(d.international);
  else if (name == "answered_items") ints(d.answered);
  else if (name == "share_regional") *numbers = d.share_regional;
  else if (name == "proximity_score") *numbers = d.proximity_score;
  else
    for (int c = 0; c < 4; ++c)
      if (name == diamond_corner_names[c]) *numbers = d.corner[c];
  return true;
}

}  // namespace agglo::survey
