// agglo::dynamics — matching as pre-processing for programme evaluation (Ho, Imai, King & Stuart
// 2007, "Matching as nonparametric preprocessing for reducing model dependence in parametric
// causal inference", Political Analysis 15(3)): pick, for every treated unit (a region in a
// cluster programme, a firm that joined an initiative), the comparison units most like it
// before treatment, then run the outcome analysis (difference in differences, regression) on
// the matched sample. Conventions follow R's MatchIt (method = "nearest", estimand ATT), the
// reference the tests compare with.
//
//   Propensity score   e(x) = Λ(β'x) by logit (Rosenbaum & Rubin 1983); distance |e_i − e_j|.
//   Mahalanobis        d(i,j) = √((x_i − x_j)' S⁻¹ (x_i − x_j)), S the pooled within-group
//                      covariance ((n₁−1)S₁ + (n₀−1)S₀)/(n − 2) (Rubin 1980; MatchIt).
//   Greedy nearest     treated units in order (propensity: largest score first; Mahalanobis:
//   neighbour          data order), each takes the nearest control still available (all of
//                      them with replacement, but not one it already has); with ratio k, in k
//                      rounds (every treated unit its first match, then its second …). Ties:
//                      propensity as MatchIt — the nearest available control below and above in
//                      the score order (equal scores in data order), the lower when equidistant;
//                      Mahalanobis — the control last in the data among the equally close ones
//                      (what MatchIt's search returns on the tests' data).
//   Caliper            (propensity) a control is eligible only if |e_i − e_j| ≤ c · sd(e), sd over
//                      all units; a treated unit without an eligible control stays unmatched.
//   Weights (ATT)      matched treated 1; a control Σ over the treated it serves of 1/k_i (k_i
//                      the matches of i), rescaled to sum to the number of matched controls.
//   Balance            standardised mean difference (x̄_t − x̄_c)/s_t, s_t the treated units'
//                      standard deviation in the full sample (√(p(1−p)) for a 0/1 covariate),
//                      before and after matching (weighted means after).
// Cost: O(n_t n_c) distances per round (the score: O(n_t log n_c) would need a sorted index,
// unnecessary at the sizes of regional evaluation).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace agglo::dynamics {

enum class MatchDistance { propensity, mahalanobis };
enum class MatchOrder { automatic, largest, smallest, data };

struct MatchOptions {
  MatchDistance distance = MatchDistance::propensity;
  MatchOrder order = MatchOrder::automatic;  // largest for the score, data for Mahalanobis
  std::size_t ratio = 1;
  bool replace = false;
  double caliper = 0;  // in standard deviations of the score; 0 = none
};

struct MatchInput {
  std::vector<char> treated;                  // per unit
  std::vector<std::vector<double>> X;         // covariates by column
  std::vector<std::string> names;
};

struct MatchPair {
  std::size_t treated = 0, control = 0, round = 1;
  double distance = 0;
};

struct BalanceRow {
  std::string covariate;
  double mean_treated_all = 0, mean_control_all = 0, smd_before = 0;
  double mean_treated = 0, mean_control = 0, smd_after = 0;
};

struct MatchResult {
  std::vector<double> score;     // propensity score per unit (NaN with Mahalanobis)
  std::vector<MatchPair> pairs;
  std::vector<double> weight;    // per unit, 0 = not in the matched sample
  std::vector<BalanceRow> balance;
  std::vector<std::string> score_terms;  // the logit's terms and coefficients
  std::vector<double> score_coefficients;
  std::size_t treated = 0, controls = 0, matched_treated = 0, matched_controls = 0;
  std::vector<std::string> warnings;
};

// Throws agglo::Error (input): no treated or no control unit, fewer controls than treated × ratio
// without replacement (a warning: the last treated units stay unmatched), a covariate without
// variation, a singular covariance (Mahalanobis).
MatchResult nearest_neighbour_match(const MatchInput& input, const MatchOptions& options);

}  // namespace agglo::dynamics
