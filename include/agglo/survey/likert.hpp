// agglo::survey — perceived benefits of cluster membership on Likert scales (Osarenkhoe & Fjellström 2017,
// Osarenkhoe & Fjellström 2017, Table 2: "Firms' views on the benefits of clusters and
// networking", e.g. only 8 % agree that the cluster lowered their costs).
//
// Each item is answered on a 1…K scale (K = `scale`, 5 by default) or with the labels
// strongly disagree / disagree / neutral (neither agree nor disagree) / agree / strongly agree
// (5-point scale only); an empty cell is no answer. A response v agrees when v ≥ agree_min
// (default: above the midpoint, 2v > K + 1) and disagrees when v ≤ disagree_max (default: below
// the midpoint). Per item: n answers, shares agreeing / neutral / disagreeing (weighted when
// weights are given), the Wilson interval of the share agreeing (share_tables.hpp), the mean and
// the count of every level.
#pragma once

#include <string>
#include <vector>

#include "agglo/survey/share_tables.hpp"

namespace agglo::survey {

struct LikertOptions {
  int scale = 5;
  int agree_min = 0;     // 0 = above the midpoint
  int disagree_max = 0;  // 0 = below the midpoint
  double level = 0.95;
  IntervalMethod method = IntervalMethod::wilson;
};

struct LikertItem {
  std::string item;
  Share agree;                          // share agreeing with its interval
  double share_neutral = 0, share_disagree = 0, mean = 0;
  std::size_t neutral = 0, disagree = 0;
  std::vector<std::size_t> level_counts;  // [0] = level 1 … [K−1] = level K
};

// Parses one answer: 1…scale, or a label on a 5-point scale; 0 for an empty cell, −1 when invalid.
int parse_likert(const std::string& text, int scale);

// values[item][firm] in 0 (no answer) or 1…scale.
std::vector<LikertItem> summarise_likert(const std::vector<std::string>& items, const std::vector<std::vector<int>>& values,
                                         const std::vector<double>& weights, const LikertOptions& o);

}  // namespace agglo::survey
