// `agglo spatial-model`: OLS with spatial diagnostics, SLX, and the spatial lag (SAR), error
// (SEM), Durbin (SDM) and Durbin error (SDEM) models by maximum likelihood, with direct, indirect
// and total impacts (Ord 1975; Anselin 1988; Anselin et al. 1996; LeSage & Pace 2009). Method in
// include/agglo/spatial/spatial_model.hpp and docs/methods/spatial_model.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

#include "../builtin.hpp"
#include "region_weights.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/spatial/hotspots_input.hpp"
#include "agglo/spatial/spatial_model.hpp"

namespace agglo::api {

namespace {

struct SpatialModelOptions {
  std::string regions;
  std::string values;
  std::string id;
  std::string layer;
  std::string y;
  std::string x;
  std::string model = "sar";
  std::string weights = "queen";
  std::int64_t k = 6;
  double distance = 0;
  std::string transform = "row";
  double snap = 1.4901161193847656e-08;  // sqrt(DBL_EPSILON), spdep poly2nb's default
  std::string islands = "error";
  std::string estimator = "ml";
  std::string vcov = "robust";
  std::string logdet = "auto";
  std::int64_t draws = 1000;
  std::int64_t probes = 30;
  std::int64_t exact_traces = 4000;
  bool no_intercept = false;

  static void describe(core::OptionSchema<SpatialModelOptions>& s) {
    s.add("regions", &SpatialModelOptions::regions,
          "regions: polygons or points in any vector format GDAL reads (GeoPackage, GeoJSON, TopoJSON, Shapefile), "
          "or a CSV with an id and lon,lat or x,y").path().required();
    s.add("values", &SpatialModelOptions::values, "CSV table keyed by region id with the --y and --x columns (default: --regions)").path();
    s.add("id", &SpatialModelOptions::id, "region id column/field (default: the first of region, code, id, fips, geoid)");
    s.add("layer", &SpatialModelOptions::layer, "layer of a multi-layer vector source (default: the first)");
    s.add("y", &SpatialModelOptions::y, "dependent variable (numeric column)").required();
    s.add("x", &SpatialModelOptions::x, "covariates, comma-separated numeric columns (a constant is added)").required();
    s.add("model", &SpatialModelOptions::model,
          "ols (with LM diagnostics), slx, sar (spatial lag), sem (spatial error), sdm (spatial Durbin), sdem (Durbin error)")
        .choices({"ols", "slx", "sar", "sem", "sdm", "sdem"});
    s.add("weights", &SpatialModelOptions::weights,
          "spatial weights: queen/rook contiguity of polygons, k nearest or a distance band of centroids")
        .choices({"queen", "rook", "knn", "distance"});
    s.add("k", &SpatialModelOptions::k, "neighbours per region for --weights knn (1 ≤ k < regions)");
    s.add("distance", &SpatialModelOptions::distance,
          "distance band for --weights distance: km for lon/lat regions, the coordinates' unit otherwise");
    s.add("transform", &SpatialModelOptions::transform, "row-standardised (w_ij = 1/k_i, spdep style W) or binary weights")
        .choices({"row", "binary"});
    s.add("snap", &SpatialModelOptions::snap, "contiguity: vertices closer than this (in layer units) are shared (spdep poly2nb snap)");
    s.add("islands", &SpatialModelOptions::islands,
          "regions without neighbours: error (default, exit 3) or keep them with an empty row of W, so their lag is 0 "
          "(spdep/spatialreg zero.policy = TRUE)")
        .choices({"error", "keep"});
    s.add("estimator", &SpatialModelOptions::estimator,
          "ml (maximum likelihood, every model) or gmm (no log-determinant, for millions of regions: sar by spatial "
          "two-stage least squares with instruments X, WX, W^2X, Kelejian & Prucha 1998; sem by the generalised "
          "moments estimator of lambda, Kelejian & Prucha 1999, then feasible GLS)")
        .choices({"ml", "gmm"});
    s.add("vcov", &SpatialModelOptions::vcov,
          "covariance of --estimator gmm --model sar: robust (White HC0, heteroskedasticity-consistent) or classic "
          "(s^2 (Z'Z)^-1)")
        .choices({"robust", "classic"});
    s.add("logdet", &SpatialModelOptions::logdet,
          "log-determinant ln|I - rho W|: eigenvalues (exact, O(n^3) once), sparse Cholesky or LU (exact, per evaluation), or auto "
          "(eigen up to 1,500 regions, sparse above)")
        .choices({"auto", "eigen", "sparse"});
    s.add("draws", &SpatialModelOptions::draws, "simulation draws for the impacts' standard errors (spatialreg impacts R); 0 = none");
    s.add("probes", &SpatialModelOptions::probes, "Monte-Carlo probes for the traces when regions exceed --exact-traces");
    s.add("exact-traces", &SpatialModelOptions::exact_traces,
          "compute the information-matrix traces exactly up to this many regions (O(n) sparse solves, O(n^2) memory)");
    s.add("no-intercept", &SpatialModelOptions::no_intercept, "fit without a constant");
  }
  void validate() const {
    if (weights == "knn" && k < 1)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--k must be ≥ 1 (got {})", k), "e.g. --k 6");
    if (weights == "distance" && (!(distance > 0) || !std::isfinite(distance)))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--weights distance needs --distance > 0 (got {})", distance),
                  "km for lon/lat regions, the coordinates' unit for projected ones");
    if (!(snap >= 0) || !std::isfinite(snap))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--snap must be ≥ 0 (got {})", snap));
    if (draws < 0 || draws > 1'000'000)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--draws must be in [0, 1000000] (got {})", draws));
    if (probes < 1 || probes > 100'000)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--probes must be in [1, 100000] (got {})", probes));
    if (exact_traces < 0) throw_usage(ErrorCode::invalid_option_value, "--exact-traces must be ≥ 0");
    if (estimator == "gmm" && model != "sar" && model != "sem")
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--estimator gmm fits --model sar or sem, not {}", model),
                  "use --estimator ml for ols, slx, sdm and sdem");
  }
};

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

nlohmann::ordered_json num(double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr); }

Result run_spatial_model(const SpatialModelOptions& o, Context& ctx) {
  const auto xs = split_list(o.x);
  if (xs.empty()) throw_usage(ErrorCode::invalid_option_value, "--x names no column", "e.g. --x INC,HOVAL");
  for (const auto& c : xs)
    if (c == o.y) throw_usage(ErrorCode::invalid_option_value, fmt::format("--x {} is also --y", c), "a covariate cannot be the outcome");

  // Regions, then y and every covariate joined by id (the same checks and messages as hotspots).
  using Clock = std::chrono::steady_clock;
  const auto t_read = Clock::now();
  // y and the covariates in one read of each file.
  std::vector<std::string> cols{o.y};
  cols.insert(cols.end(), xs.begin(), xs.end());
  auto reg = spatial::read_hotspot_regions(o.regions, o.layer, o.id, o.values.empty() ? cols : std::vector<std::string>{});
  if (!o.values.empty()) spatial::join_hotspot_values(reg, o.values, o.id, cols);
  const std::vector<double> y = reg.values.front();
  std::vector<std::vector<double>> X;
  std::vector<std::string> names;
  if (!o.no_intercept) X.emplace_back(y.size(), 1.0), names.emplace_back("(Intercept)");
  for (std::size_t c = 0; c < xs.size(); ++c) X.push_back(reg.values[1 + c]), names.push_back(xs[c]);
  const std::size_t n = reg.ids.size();
  const std::string vsrc = o.values.empty() ? o.regions : o.values;
  // A constant covariate duplicates the intercept: say which column, with the file.
  for (std::size_t j = o.no_intercept ? 0 : 1; j < X.size(); ++j) {
    bool constant = true;
    for (std::size_t i = 1; i < n && constant; ++i) constant = X[j][i] == X[j][0];
    if (constant && n > 0)
      throw_input(ErrorCode::invalid_value, fmt::format("--x {} is {} in every region (no variation)", names[j], X[j][0]),
                  Location{vsrc, 0, 0, names[j]}, "a constant covariate is collinear with the intercept; drop it");
  }

  // ---- weights (the same builders as hotspots)
  const auto t_weights = Clock::now();
  spatial::SpatialWeights w = detail::region_weights(reg, o);
  const auto t_fit = Clock::now();
  const std::size_t islands = w.islands();
  Result res;
  res.warnings = reg.warnings;
  std::sort(res.warnings.begin(), res.warnings.end());
  res.warnings.erase(std::unique(res.warnings.begin(), res.warnings.end()), res.warnings.end());
  if (islands > 0) {
    std::string list;
    std::size_t shown = 0;
    for (std::size_t i = 0; i < n && shown < 5; ++i)
      if (w.cardinality(i) == 0) list += (shown++ ? ", " : "") + reg.ids[i];
    if (o.islands == "error")
      throw_input(ErrorCode::invalid_value,
                  fmt::format("{} of {} regions have no neighbour under --weights {} (islands: {}{})", islands, n, o.weights, list,
                              islands > shown ? ", …" : ""),
                  Location{o.regions, 0, 0, {}},
                  "use --islands keep (their lag is 0, as spatialreg zero.policy = TRUE), --weights knn, or drop them");
    res.warnings.push_back(fmt::format("{} of {} regions have no neighbour (islands: {}{}): kept with a zero lag (--islands keep)",
                                       islands, n, list, islands > shown ? ", …" : ""));
  }

  spatial::SpatialModelParams p;
  p.kind = spatial::parse_spatial_model(o.model);
  p.estimator = o.estimator == "gmm" ? spatial::SpatialEstimator::gmm : spatial::SpatialEstimator::ml;
  p.robust = o.vcov == "robust";
  p.logdet = o.logdet == "eigen" ? spatial::LogDetMethod::eigen
             : o.logdet == "sparse" ? spatial::LogDetMethod::sparse : spatial::LogDetMethod::automatic;
  p.impact_draws = static_cast<std::size_t>(o.draws);
  p.trace_probes = static_cast<std::size_t>(o.probes);
  p.exact_trace_max_n = static_cast<std::size_t>(o.exact_traces);
  p.seed = ctx.seed;
  spatial::SpatialModelFit fit;
  try {
    fit = spatial::fit_spatial_model(w, y, X, names, p);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::input && e.where().file.empty())  // name the data source
      throw_input(e.code(), e.message(), Location{vsrc, 0, 0, {}}, e.hint());
    throw;
  }
  const auto t_done = Clock::now();
  for (const auto& wmsg : fit.warnings) res.warnings.push_back(wmsg);

  data::Table ct;
  auto& c_term = ct.add_text("term");
  auto& c_est = ct.add_real("estimate");
  auto& c_se = ct.add_real("std_error");
  auto& c_z = ct.add_real("z");
  auto& c_p = ct.add_real("p");
  for (const auto& c : fit.coefficients) {
    c_term.push_back(c.term), c_est.push_back(c.estimate), c_se.push_back(c.std_error), c_z.push_back(c.z), c_p.push_back(c.p);
  }
  res.tables.emplace_back("coefficients", std::move(ct));

  data::Table it;
  auto& i_term = it.add_text("term");
  auto& i_d = it.add_real("direct");
  auto& i_i = it.add_real("indirect");
  auto& i_t = it.add_real("total");
  auto& i_dse = it.add_real("direct_se");
  auto& i_ise = it.add_real("indirect_se");
  auto& i_tse = it.add_real("total_se");
  for (const auto& im : fit.impacts) {
    i_term.push_back(im.term), i_d.push_back(im.direct), i_i.push_back(im.indirect), i_t.push_back(im.total);
    i_dse.push_back(im.direct_se), i_ise.push_back(im.indirect_se), i_tse.push_back(im.total_se);
  }
  res.tables.emplace_back("impacts", std::move(it));
  if (!fit.impact_orders.empty()) {
    data::Table ot;
    auto& o_term = ot.add_text("term");
    auto& o_ord = ot.add_integer("order");
    auto& o_d = ot.add_real("direct");
    auto& o_i = ot.add_real("indirect");
    auto& o_t = ot.add_real("total");
    for (const auto& io : fit.impact_orders) {
      o_term.push_back(io.term), o_ord.push_back(static_cast<std::int64_t>(io.order));
      o_d.push_back(io.direct), o_i.push_back(io.indirect), o_t.push_back(io.total);
    }
    res.tables.emplace_back("impacts_by_order", std::move(ot));
  }
  {
    data::Table rt;
    auto& r_id = rt.add_text("region");
    auto& r_y = rt.add_real("y");
    auto& r_f = rt.add_real("fitted");
    auto& r_e = rt.add_real("residual");
    auto& r_nb = rt.add_integer("neighbours");
    for (std::size_t i = 0; i < n; ++i) {
      r_id.push_back(reg.ids[i]), r_y.push_back(y[i]), r_f.push_back(fit.fitted[i]), r_e.push_back(fit.residuals[i]);
      r_nb.push_back(static_cast<std::int64_t>(w.cardinality(i)));
    }
    res.tables.emplace_back("residuals", std::move(rt));
  }

  const auto& dg = fit.diagnostics;
  auto lm = [&](const spatial::LmTest& t) { return nlohmann::ordered_json{{"statistic", num(t.statistic)}, {"df", t.df}, {"p", num(t.p)}}; };
  nlohmann::ordered_json js{
      {"model", o.model},
      {"estimator", o.estimator},
      {"regions", n},
      {"source", o.regions},
      {"id_column", reg.id_column},
      {"y", o.y},
      {"x", xs},
      {"weights", o.weights},
      {"transform", o.transform},
      {"links", w.links()},
      {"mean_neighbours", static_cast<double>(w.links()) / static_cast<double>(n)},
      {"islands", islands},
      {"symmetric", w.symmetric}};
  if (o.weights == "knn") js["k"] = o.k;
  if (o.weights == "distance") js["distance"] = o.distance, js["distance_units"] = reg.points.geographic ? "km" : "coordinate units";
  if (!std::isnan(fit.rho)) js["rho"] = num(fit.rho), js["rho_se"] = num(fit.rho_se);
  if (!std::isnan(fit.lambda)) js["lambda"] = num(fit.lambda), js["lambda_se"] = num(fit.lambda_se);
  js["sigma2"] = num(fit.sigma2);
  js["log_likelihood"] = num(fit.log_likelihood);
  js["aic"] = num(fit.aic);
  js["parameters"] = fit.parameters;
  js["ols_log_likelihood"] = num(fit.ols_log_likelihood);
  js["ols_aic"] = num(fit.ols_aic);
  if (!std::isnan(fit.lr_statistic)) js["lr_test"] = {{"statistic", num(fit.lr_statistic)}, {"df", 1}, {"p", num(fit.lr_p)}};
  js["moran_residuals"] = {{"I", num(dg.moran_I)}, {"expected", num(dg.moran_expected)}, {"variance", num(dg.moran_variance)},
                           {"z", num(dg.moran_z)}, {"p", num(dg.moran_p)}, {"of", "OLS residuals of the model's design"}};
  js["lm_tests"] = {{"LMerr", lm(dg.lm_err)}, {"LMlag", lm(dg.lm_lag)}, {"RLMerr", lm(dg.rlm_err)},
                    {"RLMlag", lm(dg.rlm_lag)}, {"SARMA", lm(dg.sarma)}};
  if (fit.logdet_method != "none" || fit.estimator == "gmm") {
    js["interval"] = {num(fit.interval_lower), num(fit.interval_upper)};
    js["at_boundary"] = fit.at_boundary;
    js["logdet_method"] = fit.logdet_method;
    js["trace_method"] = fit.trace_method;
    js["evaluations"] = fit.evaluations;
    js["standard_errors"] = fit.standard_errors.empty()
                                ? std::string("analytic asymptotic information matrix (spatialreg method eigen / small-n path)")
                                : fit.standard_errors;
    if (!std::isnan(fit.gm_sigma2)) js["gm_sigma2"] = num(fit.gm_sigma2);
  }
  if (!fit.impacts.empty())
    js["impacts_se"] = (p.kind == spatial::SpatialModelKind::sar || p.kind == spatial::SpatialModelKind::sdm)
                           ? fmt::format("standard deviation over {} seeded draws (seed {})", o.draws, ctx.seed)
                           : std::string("analytic (linear combinations of the coefficients)");
  js["warnings"] = res.warnings;
  if (ctx.timings)  // --timings: what bench/spatial_model.sh compares with spatialreg's fitting call
    js["seconds"] = {{"read", std::chrono::duration<double>(t_weights - t_read).count()},
                     {"weights", std::chrono::duration<double>(t_fit - t_weights).count()},
                     {"fit", std::chrono::duration<double>(t_done - t_fit).count()}};
  res.summary_json = js.dump(1);

  // Headline: the spatial parameter and the strongest LM signal.
  std::string spatial_par;
  if (!std::isnan(fit.rho)) spatial_par = fmt::format("rho = {:.4g} (se {:.3g})", fit.rho, fit.rho_se);
  else if (!std::isnan(fit.lambda) && std::isnan(fit.lambda_se)) spatial_par = fmt::format("lambda = {:.4g}", fit.lambda);
  else if (!std::isnan(fit.lambda)) spatial_par = fmt::format("lambda = {:.4g} (se {:.3g})", fit.lambda, fit.lambda_se);
  else spatial_par = fmt::format("Moran's I of residuals {:.3g} (p {:.3g})", dg.moran_I, dg.moran_p);
  const std::string fit_quality = fit.estimator == "gmm" ? std::string("by GMM")
                                  : fmt::format("log-likelihood {:.6g}, AIC {:.6g}", fit.log_likelihood, fit.aic);
  res.headline = fmt::format("{} on {} regions: {}; {}; LMlag {:.3g} (p {:.3g}), LMerr {:.3g} (p {:.3g})", o.model, n, spatial_par,
                             fit_quality, dg.lm_lag.statistic, dg.lm_lag.p, dg.lm_err.statistic, dg.lm_err.p);
  return res;
}

}  // namespace

void register_spatial_model(Registry& r) {
  r.add(make_operation<SpatialModelOptions>(
      "spatial-model", "spatial econometric models: OLS + LM tests, SLX, SAR, SEM, SDM, SDEM with impacts",
      "Regional outcome models with spatial dependence, by maximum likelihood with the concentrated log-likelihood "
      "(Ord 1975; Anselin 1988; LeSage & Pace 2009): spatial lag (sar: y = rho W y + X b + e), spatial error (sem: "
      "u = lambda W u + e), spatial Durbin (sdm, adds W X), Durbin error (sdem) and SLX (OLS with W X). The "
      "log-determinant ln|I - rho W| is exact, by eigenvalues (small n) or a sparse factorisation (large n: Cholesky "
      "of the symmetric similar matrix for contiguity and distance bands, LU for k nearest neighbours). --estimator gmm "
      "needs no log-determinant and fits millions of regions: sar by spatial two-stage least squares with "
      "heteroskedasticity-robust (HC0) standard errors (spatialreg stsls), sem by the Kelejian-Prucha generalised "
      "moments estimator (spatialreg GMerrorsar). "
      "Standard errors come from the analytic asymptotic information matrix, as spatialreg's lagsarlm/errorsarlm. "
      "Every model reports the OLS diagnostics on the same design: Moran's I of the residuals (spdep lm.morantest) "
      "and the LM tests LMerr, LMlag, robust RLMerr, RLMlag and SARMA (Anselin et al. 1996). Impacts (LeSage & Pace "
      "2009): direct, indirect (spillover) and total effect of each covariate, with standard errors from seeded "
      "simulation draws for sar/sdm (spatialreg impacts R=) and analytic ones for slx/sdem; impacts_by_order shows "
      "how the spillover decays with the order of neighbours. Weights as for hotspots: queen or rook contiguity "
      "(spdep poly2nb), k nearest neighbours or a distance band of centroids, row-standardised or binary; islands "
      "are an error unless --islands keep. See docs/methods/spatial_model.md.",
      {"agglo spatial-model --regions tests/reference/spatial_model/columbus.gpkg --id POLYID --y CRIME --x INC,HOVAL "
       "--model sar --weights queen -o columbus_sar",
       "agglo spatial-model --regions tests/reference/spatial_model/columbus.gpkg --id POLYID --y CRIME --x INC,HOVAL "
       "--model ols --weights knn --k 4 -o columbus_ols",
       "agglo spatial-model --regions data/geo/us_counties.csv --id fips --values tests/reference/spatial_model/county_values.csv "
       "--y log_area --x lat,lon --model sem --weights knn --k 6 -o counties_sem",
       "agglo spatial-model --regions tests/reference/spatial_model/columbus.gpkg --id POLYID --y CRIME --x INC,HOVAL "
       "--model sar --estimator gmm --weights queen -o columbus_gmm"},
      "DIR/coefficients.csv: term,estimate,std_error,z,p (rho or lambda last); DIR/impacts.csv: term,direct,indirect,total,"
      "direct_se,indirect_se,total_se; DIR/impacts_by_order.csv: term,order,direct,indirect,total (sar/sdm); "
      "DIR/residuals.csv: region,y,fitted,residual,neighbours; DIR/summary.json with rho or lambda (and _se), "
      "sigma2, log_likelihood, aic, lr_test, moran_residuals, lm_tests {LMerr, LMlag, RLMerr, RLMlag, SARMA}",
      &run_spatial_model));
}

}  // namespace agglo::api
