// agglo::stats — the Kaplan & Meier (1958) product-limit estimator of the survival function,
// with Greenwood's (1926) variance, as R's survival::survfit(conf.type = "log"):
//
//   S(t) = Π_{t_j ≤ t} (1 − d_j / n_j),   Var[log S(t)] = Σ_{t_j ≤ t} d_j / (n_j (n_j − d_j)),
//   std_error = S(t) √Var[log S],   interval exp(log S ± z √Var[log S]) capped at 1,
//
// with n_j the subjects at risk just before t_j (start < t_j ≤ stop for counting-process
// spells) and d_j the events at t_j. One row per distinct exit time of the group. O(n log n).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace agglo::stats {

struct KmRow {
  double time = 0, at_risk = 0, events = 0, censored = 0, survival = 1, std_error = 0, lower = 1, upper = 1;
};
struct KmCurve {
  std::vector<KmRow> rows;
  double median = 0;  // the first time with S(t) ≤ 0.5 (NaN when never reached), R's median
};

// start empty = all spells at risk from time 0; group[i] in [0, groups).
std::vector<KmCurve> kaplan_meier(std::span<const double> start, std::span<const double> stop,
                                  std::span<const std::uint8_t> event, std::span<const std::uint32_t> group,
                                  std::size_t groups, double level = 0.95);

}  // namespace agglo::stats
