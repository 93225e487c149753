// agglo::stats — Harrell's concordance index for survival predictions (Harrell, Califf, Pryor,
// Lee & Rosati 1982), as R's survival::concordance() computes it for a Cox model.
//
//   C = (concordant + tied_risk / 2) / (concordant + discordant + tied_risk)
//
// over the comparable pairs: (i, j) in the same stratum with i's event before j's exit, or at
// the same time as j's censoring (an event time counts as shorter than a censoring time tied
// with it). A pair is concordant when the subject who fails first has the higher risk score.
// Pairs tied on time where both fail are not comparable (R: tied.y). O(n log n): subjects are
// swept from the latest time down with a Fenwick tree over the ranks of the risk scores.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace agglo::stats {

struct Concordance {
  double concordant = 0, discordant = 0, tied_risk = 0, tied_time = 0;
  double value = 0;  // C; NaN without a comparable pair
};

// risk: higher = expected to fail sooner (the Cox linear predictor); strata empty = one.
Concordance harrell_concordance(std::span<const double> time, std::span<const std::uint8_t> event,
                                std::span<const double> risk, std::span<const std::uint32_t> strata = {});

}  // namespace agglo::stats
