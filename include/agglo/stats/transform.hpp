// agglo::stats — transformations of one variable for outlier treatment (OECD/JRC Handbook on
// Constructing Composite Indicators, Nardo et al. 2008, step 4 "data treatment").
//
// All functions take the values of one variable (NaN = missing, left as NaN) and return the
// transformed values plus what was done, so a caller can report it. O(n) per pass.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace agglo::stats {

struct Treated {
  std::vector<double> values;
  std::size_t winsorised_high = 0;  // points pulled down to the next-highest value
  std::size_t winsorised_low = 0;   // points pulled up to the next-lowest value
  bool logged = false;              // the log fall-back was applied
  double lambda = 0;                // Box–Cox λ used
  double skew_before = 0, kurt_before = 0, skew_after = 0, kurt_after = 0;
  std::string note;                 // one line for the user ("2 high points winsorised")
};

// True when a variable needs no treatment by COINr's rule: |skewness| < skew_threshold OR
// kurtosis < kurt_threshold (skewness/kurtosis as stats::skewness / stats::kurtosis).
bool passes_skew_kurtosis(std::span<const double> x, double skew_threshold = 2.0, double kurt_threshold = 3.5);

// Winsorisation as COINr's Treat() default (Becker et al. 2017, the JRC practice): while the
// variable fails the skew/kurtosis rule and fewer than `max_points` points have been treated,
// replace the maximum (when skewness ≥ 0; ties together) by the largest remaining value, else
// the minimum by the smallest remaining value. If it still fails after `max_points` points
// and `log_fallback` is set, the original values are log-transformed instead:
//   x' = ln(x − min(x) + 1)      (shifted so the minimum maps to 0; defined for any x).
Treated winsorise(std::span<const double> x, double skew_threshold = 2.0, double kurt_threshold = 3.5,
                  std::size_t max_points = 5, bool log_fallback = true);

// x' = ln(x − min(x) + 1) (see above).
Treated log_shift(std::span<const double> x);

// Box & Cox (1964): x' = (x^λ − 1)/λ for λ ≠ 0, ln x for λ = 0; needs x > 0 (an input error
// names the first value ≤ 0 otherwise, via `what`). With λ NaN, λ is the maximum-likelihood
// estimate on [−3, 3]: it maximises the profile log-likelihood of a normal model for x',
//   ℓ(λ) = −(n/2) ln σ̂²(λ) + (λ − 1) Σ ln x,   σ̂² the variance of x' with divisor n,
// by a grid of step 0.05 refined by golden-section search to |Δλ| < 1e-8.
Treated box_cox(std::span<const double> x, double lambda, const std::string& what);
// The profile log-likelihood ℓ(λ) above (exposed for tests).
double box_cox_log_likelihood(std::span<const double> x, double lambda);

}  // namespace agglo::stats
