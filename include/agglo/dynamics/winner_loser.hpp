// agglo::dynamics — the effect of an anchor plant on incumbent firms by the winner/loser design
// of Greenstone, Hornbeck & Moretti (2010, "Identifying agglomeration spillovers: evidence from
// winners and losers of large plant openings", J. Political Economy 118(3), 536–598).
//
// A large plant (the "million dollar plant") chose one county, the winner, over one or more
// runner-up counties, the losers, that it also short-listed. The losers are the counterfactual:
// incumbent plants in winners and losers followed the same path before the opening (checked in
// the event study's leads). Each *case* (opening) has its own year effects, so winners are only
// compared with their own losers in the same year. With τ = year − the case's opening year and
// plant effects α_p (a plant in two cases counts as two units):
//
//   mean shift    y_pt = α_p + μ_case,t + θ (W_p · 1{τ ≥ 0}) + x_pt'β + e_pt            (GHM Model 1)
//   trend break   y_pt = α_p + μ_case,t + θ_1 W τ + θ_2 W 1{τ≥0} + θ_3 W τ 1{τ≥0} + x'β + e
//                 effect after h years (h = window end): θ_2 + h θ_3 (GHM Model 2)
//   event study   y_pt = α_p + μ_case,t + Σ_{k ≠ −1} θ_k W 1{τ = k} + x'β + e   (GHM Figure 3)
//
// The terms of τ and 1{τ ≥ 0} without W are absorbed by μ_case,t. Only years with τ in the
// window [lead, lag] (GHM: −7 … 5) are used. Fitted by stats::fixed_effects_ols (plant and
// case × year absorbed), standard errors clustered (GHM: by county; default by plant), the
// five-year effect by the delta method.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace agglo::dynamics {

struct AnchorPanel {
  // one row per incumbent plant × case × year (long)
  std::vector<std::uint32_t> unit;      // plant × case, 0 … units − 1
  std::vector<std::uint32_t> case_id;   // 0 … cases − 1
  std::vector<std::int64_t> year;
  std::vector<double> y;
  std::vector<char> winner;             // 1 = the plant is in the winning county of its case
  std::vector<std::int64_t> opening;    // the case's opening year
  std::vector<std::uint32_t> cluster;   // cluster of the row (county); empty = by unit
  std::vector<std::vector<double>> covariates;
  std::vector<std::string> covariate_names;
  std::uint32_t units = 0, cases = 0;
};

struct AnchorOptions {
  std::int64_t lead = -7, lag = 5;  // the window of τ
};

struct AnchorTerm {
  std::string term;
  double estimate = 0, std_error = 0;
};

struct AnchorResult {
  std::vector<AnchorTerm> mean_shift;    // winner_x_post, then the covariates
  std::vector<AnchorTerm> trend_break;   // winner_x_trend, winner_x_post, winner_x_trend_x_post, covariates
  double effect_after = 0, effect_after_se = 0;  // θ_2 + lag θ_3
  std::vector<std::int64_t> event_time;  // the event study (−1 is the reference)
  std::vector<double> event_estimate, event_std_error;
  std::size_t rows = 0, units = 0, cases = 0, clusters = 0, winner_units = 0;
  std::vector<std::string> warnings;
};

// Throws agglo::Error (input): a case without winner or without loser plants in the window, a
// window that does not include −1 and 0, no rows in the window.
AnchorResult winner_loser(const AnchorPanel& panel, const AnchorOptions& options);

}  // namespace agglo::dynamics
