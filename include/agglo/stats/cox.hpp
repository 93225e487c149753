// agglo::stats — the Cox (1972) proportional hazards model, fitted by Newton–Raphson on the
// partial likelihood with Efron (1977) or Breslow (1974) handling of tied event times,
// stratification, counting-process data (start, stop] for time-varying covariates (Andersen &
// Gill 1982), and robust (Lin & Wei 1989) standard errors, optionally clustered.
//
// Conventions follow R's survival::coxph (Therneau & Grambsch 2000) so that results can be
// checked against it (docs/methods/dynamics.md writes every formula):
//
//   Model        λ_i(t) = λ_0s(t) exp(x_i'β), s the stratum of i (baseline free per stratum).
//   Likelihood   ℓ(β) = Σ_t [ Σ_{i∈D(t)} η_i − Σ_{l=0}^{d−1} log( S0(t) − (l/d) D0(t) ) ]   (Efron)
//                with η_i = x_i'β, r_i = e^η_i, S0(t) = Σ_{j∈R(t)} r_j over the risk set R(t),
//                D0(t) = Σ_{i∈D(t)} r_i over the d events tied at t; Breslow drops the l/d term.
//                Gradient and information follow with S1, S2 (first and second moments of x
//                over the risk set) in place of S0; each costs O(n k²) per iteration after one
//                O(n log n) sort.
//   Iteration    β from 0; Newton steps with step halving when ℓ falls; converged when
//                |1 − ℓ_old/ℓ_new| < tolerance (R's coxph.control(eps = 1e-9)), at most
//                max_iterations (R: 20). Covariates are centred (as R) — the estimates do not
//                change, the sums S0 stay in range.
//   Variance     model-based: I(β̂)⁻¹. Robust: V D'D V summed over clusters (or subjects) of the
//                score residuals (R's coxph(..., robust = TRUE) / cluster(); no small-sample factor).
//   Monotone     when a coefficient runs away (the partial likelihood has no maximum: a
//   likelihood   covariate orders the events perfectly), the fit stops, the term is named in
//                `infinite_terms`, and its standard error is NaN — R warns "coefficient may be
//                infinite" in the same situation. No events at all is an input error (nothing
//                to estimate).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace agglo::stats {

enum class CoxTies { efron, breslow };

struct CoxData {
  std::vector<double> start;                // entry times (counting process); empty = all 0 (−∞)
  std::vector<double> stop;                 // exit (event or censoring) times
  std::vector<std::uint8_t> event;          // 1 = event at stop, 0 = censored
  std::vector<std::vector<double>> x;       // covariate columns, x[j][i]
  std::vector<std::string> terms;           // one name per covariate column
  std::vector<std::uint32_t> strata;        // empty = one stratum
  std::vector<std::uint32_t> cluster;       // empty = none (robust SEs per row when robust)
  std::size_t rows() const { return stop.size(); }
};

struct CoxOptions {
  CoxTies ties = CoxTies::efron;
  int max_iterations = 20;     // R's coxph.control(iter.max = 20)
  double tolerance = 1e-9;     // on |1 − ℓ_old/ℓ_new|
  bool robust = false;         // true: Lin–Wei sandwich (clustered when data.cluster is set)
  // A coefficient with |β_j| sd(x_j) above this is treated as running to infinity.
  double infinite_threshold = 25.0;
};

struct CoxFit {
  std::vector<std::string> terms;
  std::vector<double> estimate, std_error, z, p, hazard_ratio;
  std::vector<double> model_std_error;      // from I⁻¹ (equal to std_error unless robust)
  std::vector<double> covariance;           // k × k row-major: the one behind std_error
  double log_likelihood = 0, null_log_likelihood = 0;
  double lr_test = 0, wald_test = 0, score_test = 0;   // each χ² on k degrees of freedom
  std::size_t n = 0, events = 0, strata = 1, clusters = 0;
  int iterations = 0;
  bool converged = false;
  bool robust = false;
  std::vector<std::string> infinite_terms;
  std::vector<std::string> warnings;
  std::vector<double> linear_predictor;     // x_i'β̂ with centred x (R's predict(type = "lp"))
};

// Fits the model. Throws agglo::Error (input) when there is no event, when a row has
// stop ≤ start or a non-finite value, and when a covariate is constant or collinear with
// the others (the information matrix is singular at β = 0).
CoxFit fit_cox(const CoxData& data, const CoxOptions& options = {});

// The log partial likelihood at β (exposed for tests and profile checks).
double cox_log_likelihood(const CoxData& data, const std::vector<double>& beta, CoxTies ties);

}  // namespace agglo::stats
