// The pieces that the maximum-likelihood (spatial_model.cpp) and the GMM/IV (spatial_gmm.cpp)
// estimators of the spatial models share: the design with its lagged columns, Brent's
// minimiser, the traces at an estimate, the power-series traces and the impacts of a lag model.
// Private to src/spatial/; the formulas are in docs/methods/spatial_model.md.
#pragma once

#include <Eigen/Dense>

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "agglo/spatial/spatial_model.hpp"
#include "agglo/stats/ols.hpp"

namespace agglo::spatial::detail {

using Vec = std::vector<double>;
using Cols = std::vector<std::vector<double>>;

double dot(const Vec& a, const Vec& b);
double normal_p(double z);  // two-sided normal p-value of z
// Brent's minimiser on [a, b]; `start`, when inside, replaces the golden-section first point.
double brent_min(const std::function<double(double)>& f, double a, double b, double tol, std::size_t& evals,
                 double start = std::numeric_limits<double>::quiet_NaN());

struct Design {
  Cols X;
  std::vector<std::string> names;
  std::size_t base = 0;               // columns of X before the lags
  std::vector<std::size_t> lag_of;    // for each lag column, its base column
  std::size_t intercept = SIZE_MAX;   // index of "(Intercept)"
};
Design make_design(const SpatialWeights& w, const Cols& X, const std::vector<std::string>& names, bool durbin);
void check_aliased(const stats::OlsFit& f, const Design& d);
// WX column by column.
Cols lag_columns(const SpatialWeights& w, const Cols& X);
// The spatial filter of the error models: yt = y − λWy, xt = X − λWX (from y, Wy, X and WX).
void spatial_filter(const Vec& y, const Vec& wy, const Cols& X, const Cols& WX, double l, Vec& yt, Cols& xt);

// Traces of B = (I − ρW)^{-1} W at an estimate, and 1'A1, 1'B1 (A = (I − ρW)^{-1}).
struct Traces {
  double tr_b = 0, tr_bb = 0, tr_btb = 0;
  double sum_a1 = 0, sum_b1 = 0;
  std::string method;
};
Traces traces_at(const SpatialWeights& w, SpatialJacobian& jac, double rho, const SpatialModelParams& prm);
// t_j = tr(W^j)/n, j = 0..q (exact from eigenvalues when the Jacobian has them, else Hutchinson).
Vec power_traces(const SpatialWeights& w, const SpatialJacobian& jac, std::size_t q, const SpatialModelParams& prm);
// c_j = 1'W^j 1/n, j = 0..q, exactly.
Vec row_sum_series(const SpatialWeights& w, std::size_t q);
// Both, on W in a locality order above 50,000 regions (the traces do not depend on the order).
struct SeriesTraces {
  Vec tj, cj;
};
SeriesTraces series_traces(const SpatialWeights& w, const SpatialJacobian& jac, std::size_t q, const SpatialModelParams& prm);
// Σ_{j ≥ 0} ρ^j coef[j + shift].
double series(const Vec& coef, std::size_t shift, double rho);

// Impacts of a lag model (sar, sdm) at (ρ̂, β̂) with covariance `cov` (order ρ, β; empty: no
// simulated SEs), from the traces `tr` at ρ̂ and the power traces t_j (LeSage & Pace 2009, §2.7).
void lag_impacts(SpatialModelFit& fit, const SpatialWeights& w, const SpatialJacobian& jac, const Design& d, const Vec& beta,
                 double par, const Eigen::MatrixXd& cov, const Traces& tr, const SeriesTraces& st, const SpatialModelParams& prm);

// The GMM/IV estimators (spatial_gmm.cpp): sar by spatial two-stage least squares, sem by the
// generalised moments estimator of λ and feasible GLS.
SpatialModelFit fit_spatial_gmm(const SpatialWeights& w, const Vec& y, const Cols& X, const std::vector<std::string>& names,
                                const SpatialModelParams& prm);

}  // namespace agglo::spatial::detail
