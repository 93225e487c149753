// GMM / instrumental-variable estimators of the spatial lag and error models: no log-determinant,
// so they run on millions of regions (docs/methods/spatial_model.md §4b).
//
//   sar  spatial two-stage least squares (Kelejian & Prucha 1998; Anselin 1988, §7.2): Wy is
//        endogenous; the instruments H = [X, WX, W²X] (lags of the non-constant columns; for
//        non-row-standardised W also W1 and W²1) give the first stage Ŵy = P_H Wy, then OLS of y
//        on Ẑ = [Ŵy, X]: θ̂ = (Ẑ'Ẑ)^{-1} Ẑ'y, residuals e = y − Zθ̂ with the actual Wy.
//        Covariance: White's heteroskedasticity-consistent (Ẑ'Ẑ)^{-1} Ẑ' diag(e²) Ẑ (Ẑ'Ẑ)^{-1}
//        (HC0; Kelejian & Prucha 2010 for its validity), or s²(Ẑ'Ẑ)^{-1} with s² = e'e/(n − p).
//        These are spatialreg's stsls(robust = TRUE / FALSE).
//   sem  the generalised moments estimator of Kelejian & Prucha (1999): with OLS residuals u,
//        ū = Wu, ū̄ = W²u, the three moment conditions
//          E[ε'ε/n] = σ², E[ε̄'ε̄/n] = σ² tr(W'W)/n, E[ε̄'ε/n] = 0   (ε = u − λū)
//        are G (λ, λ², σ²)' = g with
//          G = (1/n)[2u'ū, −ū'ū, n; 2ū̄'ū, −ū̄'ū̄, tr(W'W); u'ū̄ + ū'ū, −ū̄'ū, 0],  g = (1/n)(u'u, ū'ū, u'ū),
//        solved by nonlinear least squares min ‖G(λ, λ², σ²)' − g‖². For given λ the best σ² is
//        linear, so the objective is a quartic in λ alone: its global minimum on the parameter
//        interval is found by a grid and Brent's method (spatialreg's GMerrorsar runs nlminb from
//        a Moran-type start to the same minimum). Then β by feasible GLS: OLS of y − λ̂Wy on
//        X − λ̂WX (the constant's lag included), covariance σ̂²((X − λ̂WX)'(X − λ̂WX))^{-1} with
//        σ̂² = ‖u − λ̂ū‖²/n (spatialreg's non-legacy definitions). λ is a nuisance parameter of
//        the GM estimator and gets no standard error here (spatialreg's se.lambda is not reproduced).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "agglo/core/error.hpp"
#include "detail/spatial_model_parts.hpp"

namespace agglo::spatial::detail {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// OLS of y on the columns of H, dropping columns aliased with earlier ones (redundant
// instruments leave the projection unchanged).
stats::OlsFit ols_full_rank(const Vec& y, Cols H) {
  for (;;) {
    stats::OlsFit f = stats::ols(y, H);
    if (f.aliased.empty()) return f;
    for (auto it = f.aliased.rbegin(); it != f.aliased.rend(); ++it) H.erase(H.begin() + static_cast<std::ptrdiff_t>(*it));
  }
}

Eigen::MatrixXd from_row_major(const Vec& v, std::size_t k) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b) m(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = v[a * k + b];
  return m;
}

void stsls(SpatialModelFit& fit, const SpatialWeights& w, const Vec& y, const Design& d, const SpatialModelParams& prm) {
  const std::size_t n = y.size(), k = d.X.size();
  const Vec wy = spatial_lag(w, y);
  // Instruments: X, then WX and W²X of the non-constant columns (and of the constant for
  // non-row-standardised W, where W1 is the neighbour count).
  Cols H = d.X;
  for (std::size_t j = 0; j < k; ++j) {
    if (j == d.intercept && w.transform == WeightsTransform::row) continue;
    Vec wx = spatial_lag(w, d.X[j]);
    Vec wwx = spatial_lag(w, wx);
    H.push_back(std::move(wx)), H.push_back(std::move(wwx));
  }
  if (H.size() == k)
    throw_input(ErrorCode::invalid_value, "the lag model by GMM needs a covariate besides the constant (its lags are the instruments)",
                {}, "add a covariate, or use --estimator ml");
  const stats::OlsFit first = ols_full_rank(wy, H);
  if (first.rank <= k)
    throw_input(ErrorCode::invalid_value, "the instruments WX, W²X add nothing to X (they are collinear with it): Wy is not identified",
                {}, "use --estimator ml");
  // Second stage on Ẑ = [Ŵy, X].
  Cols Z;
  Z.push_back(first.fitted);
  for (const auto& c : d.X) Z.push_back(c);
  const stats::OlsFit second = stats::ols(y, Z);
  if (!second.aliased.empty())
    throw_input(ErrorCode::invalid_value, "the first-stage Ŵy is collinear with X: the lag parameter is not identified", {},
                "use --estimator ml");
  const std::size_t p = k + 1;
  Vec e(n), fitted(n);
  for (std::size_t i = 0; i < n; ++i) {
    double v = second.beta[0] * wy[i];
    for (std::size_t j = 0; j < k; ++j) v += second.beta[1 + j] * d.X[j][i];
    fitted[i] = v, e[i] = y[i] - v;
  }
  const double sse = dot(e, e), s2 = sse / static_cast<double>(n - p);
  const Eigen::MatrixXd zzi = from_row_major(second.xtx_inv, p);
  Eigen::MatrixXd V;
  if (prm.robust) {
    Eigen::MatrixXd meat = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p));
    Eigen::VectorXd zi(static_cast<Eigen::Index>(p));
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < p; ++j) zi[static_cast<Eigen::Index>(j)] = Z[j][i];
      meat.noalias() += (e[i] * e[i]) * zi * zi.transpose();
    }
    V = zzi * meat * zzi;
    fit.standard_errors = "White heteroskedasticity-consistent (HC0) covariance of the two-stage least squares (spatialreg stsls robust = TRUE)";
  } else {
    V = s2 * zzi;
    fit.standard_errors = "s^2 (Z'Z)^-1 of the two-stage least squares, s^2 = e'e/(n - p) (spatialreg stsls robust = FALSE)";
  }
  // Coefficients in agglo's order: β, then ρ; the covariance in the impacts' order (ρ, β).
  Vec beta(second.beta.begin() + 1, second.beta.end());
  for (std::size_t j = 0; j < k; ++j) {
    const double se = std::sqrt(V(static_cast<Eigen::Index>(1 + j), static_cast<Eigen::Index>(1 + j)));
    fit.coefficients.push_back({d.names[j], beta[j], se, beta[j] / se, normal_p(beta[j] / se)});
  }
  const double rho = second.beta[0], rho_se = std::sqrt(V(0, 0));
  fit.coefficients.push_back({"rho", rho, rho_se, rho / rho_se, normal_p(rho / rho_se)});
  fit.rho = rho, fit.rho_se = rho_se;
  fit.sigma2 = s2;
  fit.residuals = e, fit.fitted = fitted;
  fit.parameters = p;

  // Impacts: exact traces (one sparse factorisation) up to exact_trace_max_n regions, else the
  // power series Σ ρ^j t_j, Σ ρ^j c_j (no factorisation; truncation checked).
  SpatialJacobian jac(w, prm.logdet);
  fit.interval_lower = jac.lower(), fit.interval_upper = jac.upper();
  fit.logdet_method = "none";
  if (!(rho > jac.lower() && rho < jac.upper())) {
    fit.at_boundary = true;
    fit.warnings.push_back(fmt::format("rho = {:.6g} is outside the parameter space ({:.6g}, {:.6g}): (I - rho W) is not "
                                       "invertible on the right branch, so impacts are not reported",
                                       rho, jac.lower(), jac.upper()));
    return;
  }
  std::size_t q = std::max<std::size_t>(40, prm.impact_orders + 1);
  const double ar = std::fabs(rho);
  if (ar > 0) q = std::max(q, std::min<std::size_t>(400, static_cast<std::size_t>(std::ceil(std::log(1e-10) / std::log(ar)))));
  const SeriesTraces st = series_traces(w, jac, q + 1, prm);
  const Vec& tj = st.tj;
  Traces tr;
  if (n <= prm.exact_trace_max_n) {
    tr = traces_at(w, jac, rho, prm);
    fit.trace_method = tr.method;
  } else {
    const Vec& cj = st.cj;
    const double nd = static_cast<double>(n);
    tr.tr_b = nd * series(tj, 1, rho), tr.sum_a1 = nd * series(cj, 0, rho), tr.sum_b1 = nd * series(cj, 1, rho);
    fit.trace_method = "series";
    if (std::pow(ar, static_cast<double>(tj.size() - 1)) > 1e-6)
      fit.warnings.push_back(fmt::format("rho = {:.4g} is close to 1: the impacts' power series, cut at {} terms, is truncated "
                                         "(remainder up to {:.2g} of the total)",
                                         rho, tj.size() - 1, std::pow(ar, static_cast<double>(tj.size() - 1))));
  }
  lag_impacts(fit, w, jac, d, beta, rho, V, tr, st, prm);  // V is in the impacts' order (ρ, β)
}

// `o`: the OLS fit of y on X (its residuals are the GM estimator's u).
void gm_error(SpatialModelFit& fit, const SpatialWeights& w, const Vec& y, const Design& d, const stats::OlsFit& o,
              const SpatialModelParams& prm) {
  const std::size_t n = y.size(), k = d.X.size();
  const double nd = static_cast<double>(n);
  const Vec& u = o.residuals;
  const Vec wu = spatial_lag(w, u), wwu = spatial_lag(w, wu);
  double trwpw = 0;
  for (double v : w.weight) trwpw += v * v;
  const double uu = dot(u, u), uwu = dot(u, wu), wuwu = dot(wu, wu), uwwu = dot(u, wwu), wwuwu = dot(wwu, wu),
               wwuwwu = dot(wwu, wwu);
  const double G[3][3] = {{2 * uwu / nd, -wuwu / nd, 1.0},
                          {2 * wwuwu / nd, -wwuwwu / nd, trwpw / nd},
                          {(uwwu + wuwu) / nd, -wwuwu / nd, 0.0}};
  const double g[3] = {uu / nd, wuwu / nd, uwu / nd};
  // Concentrated objective: r(λ) = G₁λ + G₂λ² − g, σ²(λ) = −(G₃·r)/(G₃·G₃), F = ‖r + G₃σ²‖².
  const double g3g3 = G[0][2] * G[0][2] + G[1][2] * G[1][2] + G[2][2] * G[2][2];
  auto sigma2_at = [&](double l, double* f) {
    double r[3], gr = 0;
    for (int i = 0; i < 3; ++i) r[i] = G[i][0] * l + G[i][1] * l * l - g[i], gr += G[i][2] * r[i];
    const double s = -gr / g3g3;
    if (f) {
      *f = 0;
      for (int i = 0; i < 3; ++i) *f += (r[i] + G[i][2] * s) * (r[i] + G[i][2] * s);
    }
    return s;
  };
  auto objective = [&](double l) {
    double f = 0;
    sigma2_at(l, &f);
    return f;
  };
  // The global minimum of the quartic on the parameter interval: the best of a fine grid, then
  // Brent between its neighbours.
  SpatialJacobian jac(w, prm.logdet);
  const double lo = jac.lower(), hi = jac.upper();
  constexpr int kGrid = 2000;
  int best = 1;
  double best_f = objective(lo + (hi - lo) / kGrid);
  for (int i = 2; i < kGrid; ++i) {
    const double f = objective(lo + (hi - lo) * i / kGrid);
    if (f < best_f) best_f = f, best = i;
  }
  const double a = lo + (hi - lo) * (best - 1) / kGrid, b = lo + (hi - lo) * (best + 1) / kGrid;
  const double lambda = brent_min(objective, a, b, 1e-13, fit.evaluations);
  fit.gm_sigma2 = sigma2_at(lambda, nullptr);
  fit.interval_lower = lo, fit.interval_upper = hi;
  fit.logdet_method = "none";
  fit.trace_method = "none";
  const double span = hi - lo;
  if (lambda - lo < 1e-6 * span || hi - lambda < 1e-6 * span) {
    fit.at_boundary = true;
    fit.warnings.push_back(fmt::format("lambda = {:.6g} is at the bound of its interval [{:.6g}, {:.6g}]: the moment equations "
                                       "have no interior solution",
                                       lambda, lo, hi));
  }
  // Feasible GLS for β.
  Vec yt;
  Cols xt;
  spatial_filter(y, spatial_lag(w, y), d.X, lag_columns(w, d.X), lambda, yt, xt);
  const stats::OlsFit f = stats::ols(yt, xt);
  check_aliased(f, d);
  double sse = 0;
  for (std::size_t i = 0; i < n; ++i) sse += (u[i] - lambda * wu[i]) * (u[i] - lambda * wu[i]);
  const double s2 = sse / nd;
  for (std::size_t j = 0; j < k; ++j) {
    const double se = std::sqrt(s2 * f.xtx_inv[j * k + j]);
    fit.coefficients.push_back({d.names[j], f.beta[j], se, f.beta[j] / se, normal_p(f.beta[j] / se)});
  }
  fit.coefficients.push_back({"lambda", lambda, kNaN, kNaN, kNaN});
  fit.lambda = lambda;
  fit.sigma2 = s2;
  fit.parameters = k + 2;
  fit.fitted.assign(n, 0.0);
  fit.residuals.resize(n);
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t i = 0; i < n; ++i) fit.fitted[i] += f.beta[j] * d.X[j][i];
  for (std::size_t i = 0; i < n; ++i) fit.residuals[i] = y[i] - fit.fitted[i];
  fit.standard_errors = "beta: sigma^2 ((X - lambda W X)'(X - lambda W X))^-1 of the feasible GLS (spatialreg GMerrorsar); "
                        "lambda: none (a nuisance parameter of the GM estimator)";
}

}  // namespace

SpatialModelFit fit_spatial_gmm(const SpatialWeights& w, const Vec& y, const Cols& X, const std::vector<std::string>& names,
                                const SpatialModelParams& prm) {
  const std::size_t n = y.size();
  AGGLO_ASSERT(w.n == n && names.size() == X.size());
  if (prm.kind != SpatialModelKind::sar && prm.kind != SpatialModelKind::sem)
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("--estimator gmm fits the lag (sar) and error (sem) models, not {}", to_string(prm.kind)),
                "use --estimator ml for ols, slx, sdm and sdem");
  const Design d = make_design(w, X, names, false);
  const std::size_t k = d.X.size();
  if (n < k + 3)
    throw_input(ErrorCode::empty_input,
                fmt::format("{} regions are too few for a {} model with {} coefficients (need at least {})", n,
                            to_string(prm.kind), k, k + 3),
                {}, "use fewer covariates or more regions");
  SpatialModelFit fit;
  fit.kind = prm.kind;
  fit.n = n;
  fit.estimator = "gmm";
  fit.log_likelihood = fit.aic = fit.ols_log_likelihood = fit.ols_aic = kNaN;
  // The OLS diagnostics on the same design, as for maximum likelihood.
  const stats::OlsFit o = stats::ols(y, d.X);
  check_aliased(o, d);
  fit.diagnostics = ols_diagnostics(w, y, d.X, o.residuals, o.fitted, o.xtx_inv);
  if (prm.kind == SpatialModelKind::sar) stsls(fit, w, y, d, prm);
  else gm_error(fit, w, y, d, o, prm);
  return fit;
}

}  // namespace agglo::spatial::detail
