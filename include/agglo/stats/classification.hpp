// agglo::stats — how well a score ranks binary outcomes (used to evaluate entry predictions).
//
//   ROC AUC     the probability that a random positive scores above a random negative, ties
//               counting ½: AUC = (R₊ − n₊(n₊+1)/2) / (n₊ n₋), R₊ the sum of the positives'
//               average ranks (Mann–Whitney; Hanley & McNeil 1982). Equal to scikit-learn's
//               roc_auc_score (which integrates the ROC curve with ties as diagonal steps).
//   Average     AP = Σ_k (R_k − R_{k−1}) P_k over the distinct score thresholds in decreasing
//   precision   order (precision P_k, recall R_k at threshold k): the step-wise area under
//               the precision–recall curve, scikit-learn's average_precision_score; reported
//               as pr_auc (it avoids the optimism of trapezoidal PR interpolation, Davis &
//               Goadrich 2006).
//   Precision   share of positives among the k highest scores (ties at the cut broken by
//   at k        input order).
// NaN scores are an error of the caller (AGGLO_ASSERT). O(n log n).
#pragma once

#include <cstdint>
#include <span>

namespace agglo::stats {

// NaN when there is no positive or no negative.
double roc_auc(std::span<const double> score, std::span<const std::uint8_t> outcome);
double average_precision(std::span<const double> score, std::span<const std::uint8_t> outcome);
double precision_at_k(std::span<const double> score, std::span<const std::uint8_t> outcome, std::size_t k);

}  // namespace agglo::stats
