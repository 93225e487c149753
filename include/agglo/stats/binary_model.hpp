// agglo::stats — binary-outcome regression: logit, probit and the linear
// probability model, with classic, heteroskedasticity-robust (HC0, HC1), cluster-robust and
// design-based (survey-weighted) standard errors, odds ratios and average marginal effects.
//
// Shared by the survey module (the multivariate step of Gjelsvik 2014: product innovation
// regressed on the firm's cluster type with controls, Table 6), the entry model and the
// propensity score of matching (dynamics). Conventions follow statsmodels and R's survey
// package so results can be checked against them (docs/methods/survey.md has every formula):
//
//   Model        P(y=1|x) = F(x'b): logit F = Λ(η) = 1/(1+e^−η); probit F = Φ(η);
//                linear probability model y = x'b + e fitted by (weighted) least squares.
//   Fit          Newton–Raphson on the (weighted) log-likelihood ℓ(b) = Σ w_i ℓ_i(b) with the
//                observed Hessian H = −∂²ℓ/∂b∂b' = X' diag(w_i h_i) X (h_i = Λ(1−Λ) for logit,
//                λ_i(λ_i + η_i) for probit with λ_i = q φ(qη)/Φ(qη), q = 2y−1), step halving when
//                ℓ falls, convergence when the Newton decrement g'H⁻¹g (the gradient's norm in
//                the H⁻¹ metric) is below `tolerance`. X'WX is accumulated over fixed blocks of
//                rows in parallel (TBB) and summed in block order: the same bits for any thread
//                count. Cost per iteration O(n k²), memory O(n) beyond X (no copy of X).
//   Covariance   classic  V = H⁻¹ (LPM: σ² (X'WX)⁻¹, σ² = Σ w e² / (n−k))
//                hc0      V = H⁻¹ (Σ s_i s_i') H⁻¹,  s_i = w_i ∂ℓ_i/∂η_i x_i (the score)
//                hc1      hc0 · n/(n−k)   (the OLS small-sample factor; statsmodels' discrete
//                         models report HC1 = HC0, Stata's `logit, vce(robust)` uses n/(n−1))
//                cluster  H⁻¹ (Σ_g S_g S_g') H⁻¹ · G/(G−1) · (n−1)/(n−k)  with S_g = Σ_{i∈g} s_i
//                         (statsmodels `cov_type='cluster'` default use_correction=True; Stata)
//                survey   H⁻¹ [m/(m−1) Σ_j (S_j − S̄)(S_j − S̄)'] H⁻¹ with j over the m primary
//                         sampling units (rows, or clusters when given): R's survey::svyglm for a
//                         one-stage with-replacement design (svydesign(ids=~1 or ~psu, weights=~w)).
//   AME          derivative: AME_j = mean_i f(η_i) b_j (statsmodels get_margeff(at='overall',
//                method='dydx'), the default); discrete: for 0/1 dummies the mean change
//                F(η | dummy=1) − F(η | dummy=0) (a categorical variable's other dummies set
//                to 0, as Stata's margins). Weighted means with survey weights. SEs by the delta
//                method: Var = J V J' with J = ∂AME/∂b.
//   Diagnostics  collinear columns (sequential Cholesky of X'WX in the given order, as R's
//                glm: a column that is a linear combination of earlier ones is dropped and
//                named, with the combination); complete separation (every observation
//                predicted exactly, or one column alone splits the outcome) is an input
//                error; quasi-separation is a warning and the affected terms are reported with
//                empty estimates; non-convergence is a warning and converged = false.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace agglo::stats {

enum class LinkFamily { logit, probit, linear };
enum class CovarianceType { classic, hc0, hc1, cluster, survey };
enum class MarginalMethod { derivative, discrete };

const char* family_name(LinkFamily f);          // "logit", "probit", "lpm"
const char* covariance_name(CovarianceType c);  // "classic", "hc0", "hc1", "cluster", "survey"

// A design matrix stored column by column (each column n doubles), so columns read from a
// file are moved in rather than copied into one n × k array.
struct Design {
  std::size_t rows = 0;
  std::vector<std::string> terms;             // column names; "const" for the intercept
  std::vector<std::vector<double>> columns;   // columns[j][i]
  // Terms that are dummies of one categorical variable share a group id (≥ 0); -1 otherwise.
  // The discrete marginal effect of a dummy sets the group's other dummies to 0.
  std::vector<int> group;
  std::size_t cols() const { return terms.size(); }
  void add(std::string term, std::vector<double> values, int group_id = -1);
};

struct FitOptions {
  LinkFamily family = LinkFamily::logit;
  CovarianceType covariance = CovarianceType::classic;
  MarginalMethod marginal = MarginalMethod::derivative;
  int max_iterations = 100;
  double tolerance = 1e-10;                // on the Newton decrement g'H⁻¹g
  double collinearity_tolerance = 1e-10;   // relative residual variance of a column, see above
  bool drop_collinear = true;              // false: collinearity is an input error
  std::size_t block_rows = 4096;           // rows per block of the parallel X'WX accumulation
};

enum class SeparationKind { none, quasi, complete };

struct BinaryModel {
  LinkFamily family = LinkFamily::logit;
  CovarianceType covariance = CovarianceType::classic;
  MarginalMethod marginal = MarginalMethod::derivative;
  // One entry per design term, in design order; NaN where a value does not exist (dropped
  // terms, the intercept's marginal effect, odds ratios outside the logit).
  std::vector<std::string> terms;
  std::vector<double> estimate, std_error, z, p, odds_ratio, ame, ame_se;
  std::vector<double> covariance_matrix;   // k × k row-major over all terms (NaN rows/cols for dropped)
  std::vector<std::string> dropped;        // collinear terms, in order
  std::vector<std::string> dropped_reason; // "= 1·a + 1·b − 1·const" or "has no variation"
  SeparationKind separation = SeparationKind::none;
  std::vector<std::string> separated_terms;
  std::size_t perfectly_predicted = 0;     // observations with fitted probability 0 or 1
  double log_likelihood = 0, null_log_likelihood = 0;
  double mcfadden_r2 = 0;                  // 1 − ℓ/ℓ₀ (logit, probit)
  double r2 = 0;                           // LPM: 1 − SSR/SST (weighted)
  double aic = 0, bic = 0;
  std::size_t n = 0, parameters = 0, clusters = 0;
  double sum_weights = 0;
  int iterations = 0;
  bool converged = false;
  double newton_decrement = 0;
  std::vector<std::string> warnings;
};

// Fits y (0/1; LPM accepts any real) on the design. `weights` empty = all 1 (else > 0, probability
// weights); `cluster` empty = none (else a group id per row: cluster-robust and survey PSUs).
// Throws agglo::Error (input) on complete separation, on collinearity with drop_collinear =
// false, and when fewer observations than parameters remain.
BinaryModel fit_binary_model(const Design& design, const std::vector<double>& y,
                             const std::vector<double>& weights, const std::vector<std::uint32_t>& cluster,
                             const FitOptions& options);

// Standard normal helpers (used by the tables' confidence intervals too).
double normal_cdf(double x);
double normal_quantile(double p);  // Acklam's rational approximation + one Newton step, |err| < 1e-15

}  // namespace agglo::stats
