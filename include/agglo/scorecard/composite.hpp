// agglo::scorecard — a composite index as one explicit pipeline (OECD/JRC Handbook on
// Constructing Composite Indicators, Nardo et al. 2008; the step names follow its ten steps
// and COINr's functions, Becker et al. 2022). Formulas in docs/methods/scorecard.md.
//
//   1. checks      an indicator with more than max_missing of its values missing, or with one
//                  value for every unit, is an input error (or, for constants, dropped).
//   2. imputation  none | mean | group_mean (within impute groups) | regression (OLS on the
//                  most correlated indicator; no EM iteration).
//   3. treatment   none | winsorise (COINr's skew/kurtosis rule, log fall-back) | log | boxcox.
//   4. direction   x ← d·x (d = ±1 of the leaf), as COINr applies directions.
//   5. normalise   per leaf: minmax to [l,u] | zscore | rank | percentile rank to [l,u] |
//                  target (distance to target, capped at the target) | goalposts | none.
//   6. weights     per inner node over its children: equal | manual (the tree's weights) |
//                  pca (squared loadings of the first principal component) | budget
//                  (expert budget allocation) | bod (benefit of the doubt, a linear programme
//                  per unit, Cherchye et al. 2007). Weights are rescaled to sum to one within
//                  each node over the children a unit has values for (COINr's a_amean).
//   7. aggregate   per inner node: arithmetic | geometric | harmonic | generalised (power p)
//                  | copeland (outranking, Munda & Nardo 2009) | bod.
// Diagnostics: effective weights of the indicators in the index, correlations of every node
// with its parent and the index, Cronbach's α of every inner node's children.
//
// The pipeline runs on one set of units (all of them compete); callers with several groups
// (the clusters of a scorecard) run it once per group.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "agglo/scorecard/indicator_tree.hpp"

namespace agglo::scorecard {

enum class Imputation { none, mean, group_mean, regression };
enum class Treatment { none, winsorise, log, boxcox };
enum class Normalisation { minmax, zscore, rank, percentile, target, goalposts, none };
enum class Weighting { equal, manual, pca, budget, bod };
enum class Aggregation { arithmetic, geometric, harmonic, generalised, copeland, bod };
// Zero (and, for the z-score, negative) values under geometric or harmonic means:
//   error — an input error naming the node and unit,
//   floor — values below `zero_floor` are raised to it (counted in a warning),
//   zero  — the mean is 0, its limit as a value tends to 0.
// Negative values under these means are always an input error.
enum class ZeroRule { error, floor, zero };

Imputation parse_imputation(const std::string& s);
Treatment parse_treatment(const std::string& s);
Normalisation parse_normalisation(const std::string& s);
Weighting parse_weighting(const std::string& s);
Aggregation parse_aggregation(const std::string& s);
ZeroRule parse_zero_rule(const std::string& s);
std::string to_string(Normalisation n);
std::string to_string(Aggregation a);

struct PipelineOptions {
  Imputation impute = Imputation::none;
  Treatment treat = Treatment::none;
  double skew_threshold = 2.0, kurt_threshold = 3.5;
  std::size_t winsorise_max = 5;
  double boxcox_lambda = std::numeric_limits<double>::quiet_NaN();  // NaN: maximum likelihood
  Normalisation normalise = Normalisation::minmax;
  double low = 0, high = 100;
  Weighting weights = Weighting::equal;
  std::vector<double> budget;     // Weighting::budget: per tree node, the mean points (NaN = none)
  double bod_min_share = 0;       // benefit of the doubt: each child's share of a unit's score
  double bod_max_share = 1;       //   lies in [min, max] (Cherchye et al. 2007 pie shares)
  Aggregation aggregate = Aggregation::arithmetic;
  double power = 1;               // Aggregation::generalised
  ZeroRule zeros = ZeroRule::floor;
  double zero_floor = 1;          // ZeroRule::floor, in normalised units (1 point of 0–100)
  double max_missing = 0.5;       // an indicator with a larger share missing is an error
  bool drop_constant = false;     // constant indicator: drop it (warning) instead of an error
  // Monte-Carlo hooks (uncertainty.hpp): leave one leaf out; multiply node weights.
  int drop_leaf = -1;             // index into tree.leaves
  std::vector<double> weight_scale;  // per tree node (empty = 1)
};

struct CompositeResult {
  // scores[node][unit] for every tree node: leaves hold normalised values, inner nodes their
  // aggregates; the root's row is the index.
  std::vector<std::vector<double>> scores;
  std::vector<double> index;
  std::vector<int> rank;               // 1 = highest index; ties share the smaller rank; 0 = no index
  std::vector<double> weight;          // per node: its weight within its parent (sum 1 per parent)
  std::vector<double> effective;       // per node: product of weights along the path to the root
  std::vector<double> corr_parent;     // per node: Pearson r with its parent's score
  std::vector<double> corr_index;      // per node: Pearson r with the index
  std::vector<double> alpha;           // per inner node: Cronbach's α of its children (NaN for leaves)
  std::vector<double> pca_explained;   // per inner node with pca weights: λ₁/k
  std::vector<std::string> treatment;  // per node: what outlier treatment did ("" none)
  std::vector<bool> dropped;           // per node: left out (constant indicator, drop_leaf)
  std::vector<std::string> warnings;
  std::size_t imputed = 0;             // cells imputed
  std::size_t floored = 0;             // values raised to the zero floor
};

// Runs the pipeline on `units` (indices into data's rows; all rows when empty).
CompositeResult compute_index(const IndicatorTree& tree, const IndicatorData& data, const PipelineOptions& options,
                              const std::vector<std::size_t>& units = {});

// --- pieces, exposed for tests and for the Monte-Carlo engine ------------------------------

// Ranks of index scores: 1 = highest, ties share the smaller rank, NaN → 0. Scores are first
// rounded to multiples of `resolution`, so that two scores equal in exact arithmetic but
// computed along different paths (nested means, or one collapsed mean) tie alike.
std::vector<int> rank_scores(const std::vector<double>& index, double resolution);
// The resolution used for ranks: 10⁻⁹ of the normalised scale (1e-7 on 0–100).
inline double rank_resolution(const PipelineOptions& o) { return 1e-9 * (o.high - o.low); }
// ⌊x/res + ½⌋ as an integer, with inv = 1/res: one multiply and a truncating conversion (no
// libm call), shared by rank_scores and the Monte-Carlo ranks so both round alike.
// The resolution actually used for one score vector: `resolution`, coarsened to max|x|/10¹⁵
// when the scores are so large (raw values under --normalise none) that x/resolution would
// overflow a 64-bit integer.
inline double effective_resolution(const double* x, std::size_t n, double resolution) {
  double m = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (x[i] == x[i] && x[i] - x[i] == 0) m = std::max(m, x[i] < 0 ? -x[i] : x[i]);
  return resolution > 0 && m / resolution > 1e15 ? m / 1e15 : resolution;
}
inline long long quantise(double x, double inv) {
  const double t = x * inv + 0.5;
  auto k = static_cast<long long>(t);
  return t < static_cast<double>(k) ? k - 1 : k;
}

// Normalises one indicator (already multiplied by its direction); `target`, `goal_low` and
// `goal_high` are on the directed scale. Throws invalid_value naming `what` for a target or
// goalposts that make the formula undefined.
std::vector<double> normalise(const std::vector<double>& x, Normalisation method, double low, double high,
                              double target, double goal_low, double goal_high, const std::string& what);

// Aggregates children scores x (NaN = missing, skipped) with weights w (not necessarily
// summing to one) by `method` (not copeland/bod, which need all units). `zeros`, `floor`:
// see ZeroRule; `floored` counts raised values. Returns NaN when every child is missing.
// Negative values under geometric/harmonic/generalised means throw invalid_value naming `what`.
double aggregate_one(const double* x, const double* w, std::size_t k, Aggregation method, double power, ZeroRule zeros,
                     double floor, std::size_t* floored, const std::string& what);

// Copeland scores of n units on k criteria (x[c][unit], NaN skipped pairwise) with weights w:
//   e_ab = Σ_c w_c [x_ca > x_cb] + ½ Σ_c w_c [x_ca = x_cb],   C_a = Σ_{b≠a} sign(e_ab − e_ba).
std::vector<double> copeland(const std::vector<std::vector<double>>& x, const std::vector<double>& w);

// Benefit of the doubt (Cherchye, Moesen, Rogge & Van Puyenbroeck 2007): for every unit c,
//   BoD_c = max_w Σ_j w_j y_cj  s.t.  Σ_j w_j y_kj ≤ 1 for every unit k,  w ≥ 0,
//           lo · Σ_i w_i y_ci ≤ w_j y_cj ≤ hi · Σ_i w_i y_ci   (pie-share restrictions),
// solved as a linear programme (stats::solve_lp, GLPK). y[j][unit] ≥ 0 (NaN read as 0).
// Returns scores in [0, 1] and, per unit, the optimal shares w_j y_cj / BoD_c.
struct BodResult {
  std::vector<double> score;
  std::vector<std::vector<double>> shares;  // shares[unit][j]
  std::size_t infeasible = 0;               // units whose restrictions admit no weights (score NaN)
};
BodResult benefit_of_the_doubt(const std::vector<std::vector<double>>& y, double lo, double hi);

}  // namespace agglo::scorecard
