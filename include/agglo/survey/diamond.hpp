// agglo::survey — the Porter-diamond cluster index of Gjelsvik (2014; "Clusters and
// innovation"): managers say where six actors of the firm's business environment are — its
// most demanding customers, most advanced suppliers, toughest competitors, most qualified
// employees, most relevant research institutions and its capital — regional, national,
// international (or not applicable).
//
// Per firm, with r, m, x the numbers of regional, national and international items and
// a = r + m + x the items answered:
//   share_regional   r / a (empty when a = 0)
//   regional_cluster 1 when r ≥ cluster_min (4), 0 when r ≤ non_cluster_max (2); firms in
//                    between (r = 3) follow `middle`: excluded (empty, the default, as seed
//                    002's Table 5 compares only the 4–6 and 0–2 groups), counted as in a cluster,
//                    or as not in a cluster. Counts are of items, not shares: an unanswered item
//                    is never regional.
//   scope            the firm's business environment (Table 6's baseline and dummies):
//                    "regional" when regional_cluster = 1; otherwise "national" when m ≥ x and
//                    "international" when x > m; empty when regional_cluster is empty or a = 0.
//   proximity_score  alternative index: mean over answered items of 1 (regional), ½ (national),
//                    0 (international).
//   corner indices   alternative index: the regional share of the items of each corner of
//                    Porter's diamond as Gjelsvik (2014) groups them — demand conditions (customers),
//                    related and supporting industries and institutions (suppliers, research,
//                    capital), firm strategy and rivalry (competitors), factor conditions
//                    (employees).
// Firms with no item answered get r = m = x = 0 and empty indices (reported in the summary).
#pragma once

#include <string>
#include <vector>

#include "agglo/data/economy.hpp"

namespace agglo::survey {

enum class MiddleRule { exclude, cluster, non_cluster };

struct DiamondRules {
  int cluster_min = 4;       // regional items for "in a regional cluster"
  int non_cluster_max = 2;   // regional items for "not in a regional cluster"
  MiddleRule middle = MiddleRule::exclude;
};

struct DiamondIndex {
  std::vector<int> regional, national, international, answered;
  std::vector<double> share_regional;       // NaN when nothing answered
  std::vector<double> regional_cluster;     // 1, 0 or NaN (middle excluded / nothing answered)
  std::vector<std::string> scope;           // "regional", "national", "international" or ""
  std::vector<double> proximity_score;      // NaN when nothing answered
  // Regional share per corner: demand, related_supporting, rivalry, factor (NaN if none answered).
  std::vector<double> corner[4];
  std::size_t all_missing = 0, in_cluster = 0, not_in_cluster = 0, middle = 0;
  std::size_t size() const { return regional.size(); }
};

inline constexpr const char* diamond_corner_names[4] = {"demand_conditions", "related_supporting", "rivalry",
                                                        "factor_conditions"};

// O(firms). Throws usage errors when the rules are inconsistent (non_cluster_max ≥ cluster_min).
DiamondIndex compute_diamond(const data::Survey& survey, const DiamondRules& rules = {});

// The derived variables a model or a table can name (regional_cluster, scope, regional_items,
// national_items, international_items, answered_items, share_regional, proximity_score and the
// four corner names): true and the values (numbers, or texts for scope) when `name` is one.
bool diamond_variable(const DiamondIndex& d, const std::string& name, std::vector<double>* numbers,
                      std::vector<std::string>* texts);
bool is_diamond_variable(const std::string& name);

}  // namespace agglo::survey
