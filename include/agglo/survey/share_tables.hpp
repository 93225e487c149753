// agglo::survey — descriptive share tables of Gjelsvik (2014), with counts and confidence
// intervals:
//   outcome_shares        share of firms with outcome = 1 by group (Table 2: innovation by
//                         region; Table 5: by regional cluster), plus a Total row
//   factor_shares         share of firms whose factor is regional, per diamond item and group
//                         (Table 3), plus the unweighted average of the six items
//   factor_outcome_shares share of firms with outcome = 1 by where each diamond item is
//                         located (Table 4), plus the unweighted average of the six items
//
// A share is p = Σ w_i y_i / Σ w_i over the firms with a non-missing value (w = 1 without
// weights). Confidence interval (level 1 − α, z = Φ⁻¹(1 − α/2)):
//   wilson  (p + z²/2ñ ± z √(p(1−p)/ñ + z²/4ñ²)) / (1 + z²/ñ)   (Wilson 1927)
//   wald    p ± z √(p(1−p)/ñ), clipped to [0, 1]
// with ñ = (Σw)²/Σw², Kish's effective sample size (= n without weights). Average rows have no
// interval (a mean of shares over different firms).
#pragma once

#include <string>
#include <vector>

#include "agglo/survey/diamond.hpp"

namespace agglo::survey {

enum class IntervalMethod { wilson, wald };

struct Share {
  std::size_t n = 0;          // firms with a value
  std::size_t positives = 0;  // of which with value 1 (unweighted count)
  double share = 0, lower = 0, upper = 0;
};

// p and its interval from 0/1 values (NaN = missing) over the rows where mask is non-zero
// (empty mask = all rows).
Share estimate_share(const std::vector<double>& values, const std::vector<double>& weights,
                     const std::vector<char>& mask, double level, IntervalMethod method);

struct ShareRow {
  std::string row, column, outcome;  // meaning depends on the table (see the functions)
  Share s;
  bool average = false;              // an average row: only `share` is set
};

struct ShareTableOptions {
  double level = 0.95;
  IntervalMethod method = IntervalMethod::wilson;
  bool total = true;                 // add the Total group / Average rows
};

// Groups in order of first appearance unless `group_order` is given; firms with an empty group
// are left out. row = group, column = "", outcome = outcome name.
std::vector<ShareRow> outcome_shares(const std::vector<std::string>& group, const std::vector<std::string>& group_order,
                                     const std::vector<std::pair<std::string, std::vector<double>>>& outcomes,
                                     const std::vector<double>& weights, const ShareTableOptions& o);

// row = diamond item, column = group; share of answered items that are regional.
std::vector<ShareRow> factor_shares(const data::Survey& s, const std::vector<std::string>& group,
                                    const std::vector<std::string>& group_order, const std::vector<double>& weights,
                                    const ShareTableOptions& o);

// row = diamond item, column = location (regional, national, international), outcome = name.
std::vector<ShareRow> factor_outcome_shares(const data::Survey& s,
                                            const std::vector<std::pair<std::string, std::vector<double>>>& outcomes,
                                            const std::vector<double>& weights, const ShareTableOptions& o);

// Gjelsvik's (2014) labels of the six items ("Demanding customers", …).
const char* diamond_item_label(int item);

}  // namespace agglo::survey
