// Ranking metrics of binary predictions (include/agglo/stats/classification.hpp).
#include "agglo/stats/classification.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "agglo/core/error.hpp"
#include "agglo/stats/descriptive.hpp"

namespace agglo::stats {

namespace {
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
}

double roc_auc(std::span<const double> score, std::span<const std::uint8_t> y) {
  AGGLO_ASSERT(score.size() == y.size());
  const auto ranks = average_ranks(score);
  double pos = 0, rsum = 0;
  for (std::size_t i = 0; i < y.size(); ++i)
    if (y[i]) pos += 1, rsum += ranks[i];
  const double neg = static_cast<double>(y.size()) - pos;
  if (pos == 0 || neg == 0) return nan_v;
  return (rsum - pos * (pos + 1) / 2) / (pos * neg);
}

double average_precision(std::span<const double> score, std::span<const std::uint8_t> y) {
  AGGLO_ASSERT(score.size() == y.size());
  const std::size_t n = y.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  double total = 0;
  for (auto v : y) total += v != 0;
  if (total == 0) return nan_v;
  double tp = 0, seen = 0, ap = 0, last_recall = 0;
  std::size_t p = 0;
  while (p < n) {
    std::size_t e = p;
    while (e < n && score[order[e]] == score[order[p]]) tp += y[order[e]] != 0, seen += 1, ++e;
    const double recall = tp / total, precision = tp / seen;
    ap += (recall - last_recall) * precision;
    last_recall = recall;
    p = e;
  }
  return ap;
}

double precision_at_k(std::span<const double> score, std::span<const std::uint8_t> y, std::size_t k) {
  AGGLO_ASSERT(score.size() == y.size());
  k = std::min(k, y.size());
  if (k == 0) return nan_v;
  std::vector<std::size_t> order(y.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  double hits = 0;
  for (std::size_t i = 0; i < k; ++i) hits += y[order[i]] != 0;
  return hits / static_cast<double>(k);
}

}  // namespace agglo::stats
