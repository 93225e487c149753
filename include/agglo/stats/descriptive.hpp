// agglo::stats — descriptive statistics shared by every module (L2): moments, ranks,
// quantiles, correlation, internal consistency.
//
// Missing values are NaN and are skipped ("pairwise complete" for two variables), as R does
// with na.rm = TRUE. Every function is O(n) except the ranks and quantiles (O(n log n)).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace agglo::stats {

// Number of finite values.
std::size_t count_finite(std::span<const double> x);
// Arithmetic mean of the finite values (NaN when there are none).
double mean(std::span<const double> x);
// Sample standard deviation, divisor n − 1 (NaN for fewer than 2 finite values).
double sd(std::span<const double> x);

// Sample skewness as e1071::skewness(type = 2) and COINr's skew() (the "adjusted
// Fisher–Pearson" G1 of Joanes & Gill 1998, also Excel's SKEW):
//   g1 = √n Σ d³ / (Σ d²)^{3/2},   G1 = g1 √(n(n−1)) / (n − 2),   d = x − x̄.
// NaN for fewer than 3 finite values or zero variance.
double skewness(std::span<const double> x);
// Sample excess kurtosis as e1071::kurtosis(type = 2) and COINr's kurt() (Excel's KURT):
//   r = n Σ d⁴ / (Σ d²)²,   G2 = ((n + 1)(r − 3) + 6)(n − 1) / ((n − 2)(n − 3)).
// NaN for fewer than 4 finite values or zero variance.
double kurtosis(std::span<const double> x);

// Pearson correlation over the pairs where both are finite (NaN for < 3 pairs or a constant).
double pearson(std::span<const double> x, std::span<const double> y);

// Ranks in ascending order, 1 = smallest; ties get the average of their ranks (R's
// rank(ties.method = "average")); NaN stays NaN.
std::vector<double> average_ranks(std::span<const double> x);
// Competition ranks in descending order, 1 = largest, ties share the smallest rank (R's
// rank(-x, ties.method = "min"), as COINr ranks index scores); NaN gets rank 0.
std::vector<int> descending_min_ranks(std::span<const double> x);

// The type-7 sample quantile (linear interpolation between order statistics, R's default;
// Hyndman & Fan 1996) of `sorted` (ascending, non-empty) at probability p ∈ [0, 1].
double quantile_sorted(std::span<const double> sorted, double p);
// The same for unsorted data with NaNs skipped (copies and sorts).
double quantile(std::span<const double> x, double p);

// Cronbach's (1951) α of k items (columns, each of n observations, NaN rows dropped
// listwise):  α = k/(k−1) · (1 − Σ_j var(x_j) / var(Σ_j x_j)).  NaN for k < 2 or n < 2.
double cronbach_alpha(const std::vector<std::vector<double>>& items);

}  // namespace agglo::stats
