// agglo::spatial — spatial econometric models of regional outcomes: does a region's outcome depend
// on its neighbours' outcomes (spatial lag), their covariates (spatially lagged X), or on
// spatially correlated shocks (spatial error)? Formulas, references and the choices that match R's
// spatialreg / spdep are written out in docs/methods/spatial_model.md; this header is the map.
//
//   ols   y = Xβ + ε                                  with LM diagnostics (Anselin et al. 1996)
//   slx   y = Xβ + WXθ + ε                            (OLS; Halleck Vega & Elhorst 2015)
//   sar   y = ρWy + Xβ + ε                            spatial lag (Ord 1975; Anselin 1988)
//   sdm   y = ρWy + Xβ + WXθ + ε                      spatial Durbin (LeSage & Pace 2009)
//   sem   y = Xβ + u,  u = λWu + ε                    spatial error (Anselin 1988)
//   sdem  y = Xβ + WXθ + u,  u = λWu + ε              spatial Durbin error
// with ε ~ N(0, σ² I). WX holds the lags of the non-constant columns of X (and of the constant
// too when W is not row-standardised, as spatialreg's create_WX does).
//
// Estimation is by maximum likelihood with σ² and β concentrated out, leaving a one-dimensional
// likelihood in ρ or λ maximised by Brent's method (Brent 1973; R's optimize, which spatialreg
// uses). The Jacobian ln|I − ρW| comes from spatial_jacobian.hpp (eigenvalues for small n, sparse LU
// otherwise; both exact). Standard errors come from the analytic asymptotic information matrix,
// exactly as spatialreg's lagsarlm/errorsarlm do for method "eigen" (and for n ≤ `small`); its
// traces tr(B), tr(B²), tr(B'B) with B = (I − ρW)^{-1} W are exact up to `exact_trace_max_n`
// regions (B computed column by column from the sparse LU) and Hutchinson Monte-Carlo estimates
// (seeded Rademacher probes) above.
//
// Impacts (LeSage & Pace 2009, ch. 2.7): for sar/sdm, S_k(W) = (I − ρW)^{-1}(β_k I + θ_k W);
// direct = tr(S_k)/n, total = 1'S_k 1/n, indirect = total − direct; their standard errors are the
// standard deviations over `impact_draws` draws of (ρ, β, θ) from the estimates' asymptotic normal
// distribution (seeded), as spatialreg's impacts(R = ...). For slx/sdem the impacts are β_k, θ_k
// and β_k + θ_k with analytic standard errors (spatialreg's impacts of lmSLX and of SDEM). The
// decay of spillovers with the order of neighbours is the series S = Σ_j ρ^j W^j (β I + θ W): the
// order-j term's direct and total parts.
//
// Islands (regions without neighbours) are handled by the caller's rule (spatial_model op):
// rejected by default, or kept with a zero row (spdep zero.policy = TRUE).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "agglo/spatial/spatial_jacobian.hpp"
#include "agglo/spatial/weights.hpp"

namespace agglo::spatial {

enum class SpatialModelKind : std::uint8_t { ols, slx, sar, sem, sdm, sdem };
// ml: maximum likelihood (every model). gmm: instrumental variables / generalised moments, no
// log-determinant, for very many regions (sar: spatial two-stage least squares, Kelejian & Prucha
// 1998; sem: the generalised moments estimator of λ, Kelejian & Prucha 1999, then feasible GLS).
enum class SpatialEstimator : std::uint8_t { ml, gmm };
SpatialModelKind parse_spatial_model(const std::string& s);
std::string to_string(SpatialModelKind k);

struct SpatialModelParams {
  SpatialModelKind kind = SpatialModelKind::sar;
  SpatialEstimator estimator = SpatialEstimator::ml;
  bool robust = true;                    // gmm sar: White (HC0) covariance; false: s²(Ẑ'Ẑ)^{-1}
  LogDetMethod logdet = LogDetMethod::automatic;
  std::size_t impact_draws = 1000;       // R in spatialreg::impacts; 0 = no simulated SEs
  std::size_t exact_trace_max_n = 4000;  // exact traces of B up to this n, Monte-Carlo above
  std::size_t trace_probes = 30;         // Hutchinson probes for large n
  std::size_t impact_orders = 10;        // rows of the spillover-decay table (orders 0..q-1)
  double tol = 1e-8;                     // Brent tolerance on ρ / λ (see spatial_model.cpp, maximise)
  double warm_start_window = 0.02;       // sparse path: exact Brent on ±this around the series' maximum
  std::uint64_t seed = 20240601;
};

struct SpatialCoefficient {
  std::string term;
  double estimate = 0, std_error = 0, z = 0, p = 0;
};

struct SpatialImpact {
  std::string term;
  double direct = 0, indirect = 0, total = 0;
  double direct_se = kNaN(), indirect_se = kNaN(), total_se = kNaN();
  static constexpr double kNaN() { return std::numeric_limits<double>::quiet_NaN(); }
};

// Order-j part of the impacts (j = 0 is the region's own effect at order 0).
struct SpatialImpactOrder {
  std::string term;
  std::size_t order = 0;
  double direct = 0, indirect = 0, total = 0;
};

struct LmTest {
  double statistic = 0, p = 0;
  int df = 1;
};

// Diagnostics of the OLS residuals e = y − Xb: Moran's I (Cliff & Ord 1981; spdep lm.morantest,
// p for the alternative "greater") and the Lagrange multiplier tests of Anselin et al. (1996)
// (spdep lm.LMtests / lm.RStests: LMerr, LMlag, RLMerr, RLMlag, SARMA).
struct OlsDiagnostics {
  double moran_I = 0, moran_expected = 0, moran_variance = 0, moran_z = 0, moran_p = 0;
  LmTest lm_err, lm_lag, rlm_err, rlm_lag, sarma;
};

struct SpatialModelFit {
  SpatialModelKind kind = SpatialModelKind::ols;
  std::size_t n = 0;
  std::vector<SpatialCoefficient> coefficients;  // β (and θ); ρ or λ last
  double rho = std::numeric_limits<double>::quiet_NaN(), rho_se = std::numeric_limits<double>::quiet_NaN();
  double lambda = std::numeric_limits<double>::quiet_NaN(), lambda_se = std::numeric_limits<double>::quiet_NaN();
  double sigma2 = 0;          // ML σ̂² = SSE / n (OLS/SLX: SSE / (n − k), as lm)
  double log_likelihood = 0;
  double aic = 0;
  std::size_t parameters = 0;  // counted in the AIC
  double ols_log_likelihood = 0, ols_aic = 0;
  double lr_statistic = std::numeric_limits<double>::quiet_NaN(), lr_p = std::numeric_limits<double>::quiet_NaN();
  OlsDiagnostics diagnostics;  // of the OLS fit on the same design (X, or X and WX)
  std::vector<SpatialImpact> impacts;
  std::vector<SpatialImpactOrder> impact_orders;
  double interval_lower = 0, interval_upper = 0;
  bool at_boundary = false;
  std::string logdet_method;   // "eigen", "sparse_lu", "none"
  std::string trace_method;    // "exact", "monte_carlo", "eigen", "series", "none"
  std::size_t evaluations = 0; // likelihood evaluations
  std::string estimator = "ml";
  std::string standard_errors;  // how the standard errors were computed (for the summary)
  double gm_sigma2 = std::numeric_limits<double>::quiet_NaN();  // sem gmm: σ² of the moment equations
  std::vector<double> residuals, fitted;
  std::vector<std::string> warnings;
};

// X is given by columns with their names; the constant, if any, is a column of ones named
// "(Intercept)". Throws input errors for too few regions and for aliased (collinear) columns,
// naming them.
SpatialModelFit fit_spatial_model(const SpatialWeights& w, const std::vector<double>& y,
                                  const std::vector<std::vector<double>>& X, const std::vector<std::string>& names,
                                  const SpatialModelParams& params);

// The diagnostics alone (OLS residuals `e` of y on X).
OlsDiagnostics ols_diagnostics(const SpatialWeights& w, const std::vector<double>& y,
                               const std::vector<std::vector<double>>& X, const std::vector<double>& e,
                               const std::vector<double>& fitted, const std::vector<double>& xtx_inv);

// Two-sided p-value of Student's t with `df` degrees of freedom (regularised incomplete beta).
double student_t_p(double t, double df);

}  // namespace agglo::spatial
