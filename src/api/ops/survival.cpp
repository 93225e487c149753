// `agglo survival`: Cox proportional hazards on establishment (or firm) spells — which regional
// conditions and entrant types make an entrant survive (Neffke, Henning & Boschma 2012;
// Delgado, Porter & Stern 2010). Estimation in src/stats/cox.cpp and concordance.cpp; formulas
// in docs/methods/dynamics.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/stats/concordance.hpp"
#include "agglo/stats/cox.hpp"
#include "agglo/stats/kaplan_meier.hpp"
#include "dynamics_input.hpp"
#include "dynamics_ops.hpp"

namespace agglo::api {

namespace {

using Json = nlohmann::ordered_json;
Json num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

struct SurvivalOptions {
  std::string spells;
  std::string time;
  std::string event;
  std::string start;
  std::vector<std::string> covariates;
  std::string strata;
  std::string cluster;
  std::string ties = "efron";
  bool robust = false;
  std::string km_by;
  std::int64_t max_iterations = 20;
  double tolerance = 1e-9;
  double level = 0.95;

  static void describe(core::OptionSchema<SurvivalOptions>& s) {
    s.add("spells", &SurvivalOptions::spells,
          "CSV with one row per spell: an exit time, an event indicator and the covariates (one row per establishment, or "
          "several per establishment in counting-process form with --start)")
        .path()
        .required();
    s.add("time", &SurvivalOptions::time, "column of exit times (years, days…; the event or censoring time)").required();
    s.add("event", &SurvivalOptions::event,
          "column of event indicators: 1 = exit (event), 0 = censored; R's 1/2 coding (2 = event) is read too")
        .required();
    s.add("start", &SurvivalOptions::start,
          "column of entry times: counting-process spells (start, stop] for time-varying covariates or late entry");
    s.add("covariates", &SurvivalOptions::covariates, "numeric covariate columns, e.g. density,lq,foreign").required();
    s.add("strata", &SurvivalOptions::strata, "column whose groups get their own baseline hazard (e.g. industry)");
    s.add("cluster", &SurvivalOptions::cluster, "column of cluster ids (e.g. region): robust standard errors clustered on it");
    s.add("ties", &SurvivalOptions::ties, "handling of tied exit times: Efron (1977, R's default) or Breslow (1974)")
        .choices({"efron", "breslow"});
    s.add("robust", &SurvivalOptions::robust, "robust (Lin & Wei 1989) standard errors, per spell unless --cluster");
    s.add("km-by", &SurvivalOptions::km_by, "column to group Kaplan–Meier curves by (side table km); empty = all spells");
    s.add("max-iterations", &SurvivalOptions::max_iterations, "Newton–Raphson iterations at most (R: 20)").min(1).max(1000);
    s.add("tolerance", &SurvivalOptions::tolerance, "convergence: |1 − ℓ_old/ℓ_new| below this (R: 1e-9)").min(0);
    s.add("level", &SurvivalOptions::level, "confidence level of ci_lower, ci_upper").min(0.5).max(0.9999);
  }
  void validate() const {
    if (std::find(covariates.begin(), covariates.end(), time) != covariates.end() ||
        std::find(covariates.begin(), covariates.end(), event) != covariates.end())
      throw_usage(ErrorCode::invalid_option_value, "--time and --event cannot also be covariates");
    for (std::size_t j = 0; j < covariates.size(); ++j) {
      if (std::find(covariates.begin(), covariates.begin() + static_cast<std::ptrdiff_t>(j), covariates[j]) !=
          covariates.begin() + static_cast<std::ptrdiff_t>(j))
        throw_usage(ErrorCode::invalid_option_value, "covariate '" + covariates[j] + "' is listed twice");
      for (const auto* g : {&strata, &cluster, &km_by})
        if (*g == covariates[j])
          throw_usage(ErrorCode::invalid_option_value,
                      "'" + covariates[j] + "' cannot be a covariate and --strata, --cluster or --km-by at once");
    }
    for (const auto* g : {&strata, &cluster, &km_by})
      if (!g->empty() && (*g == time || *g == event || *g == start))
        throw_usage(ErrorCode::invalid_option_value, "--strata, --cluster and --km-by must be other columns than the times and events");
  }
};

double z_quantile(double level) {
  // inverse of the two-sided normal tail by bisection on erfc (called once)
  double lo = 0, hi = 10, target = 1 - level;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (std::erfc(mid / std::sqrt(2.0)) > target ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

Result run_survival(const SurvivalOptions& o, Context& ctx) {
  std::vector<std::string> reals = o.covariates;
  reals.push_back(o.time);
  reals.push_back(o.event);
  if (!o.start.empty()) reals.push_back(o.start);
  auto in = dynamics_input::read_columns(o.spells, "spells", reals, {o.strata, o.cluster, o.km_by});
  const std::size_t n = in.kept.size();
  if (n == 0)
    throw_input(ErrorCode::empty_input, "no spell with every used column present", {o.spells, 0, 0, ""},
                "check the --time, --event and --covariates columns for empty cells");
  stats::CoxData d;
  d.terms = o.covariates;
  d.stop.resize(n);
  d.event.resize(n);
  const auto& tcol = in.real(o.time);
  const auto& ecol = in.real(o.event);
  // event coding: {0,1}, or R's {1,2} when no 0 occurs
  bool has0 = false, has2 = false;
  for (std::size_t r = 0; r < n; ++r) {
    const double v = ecol[in.kept[r]];
    if (v != 0 && v != 1 && v != 2)
      throw_input(ErrorCode::invalid_value, fmt::format("event indicator {} is not 0/1 (or R's 1/2)", v), in.where(o.event, r),
                  "1 = the spell ended in the event (exit), 0 = censored");
    has0 = has0 || v == 0;
    has2 = has2 || v == 2;
  }
  if (has0 && has2)
    throw_input(ErrorCode::invalid_value, "the event column mixes 0 and 2: use 0/1 (or R's 1/2 coding, 2 = event)",
                {o.spells, 0, 0, o.event});
  for (std::size_t r = 0; r < n; ++r) {
    const std::size_t i = in.kept[r];
    d.stop[r] = tcol[i];
    d.event[r] = has2 ? ecol[i] == 2 : ecol[i] == 1;
    if (o.start.empty() && !(tcol[i] > 0) && !(tcol[i] == 0))
      throw_input(ErrorCode::invalid_value, fmt::format("exit time {} is negative", tcol[i]), in.where(o.time, r));
  }
  if (!o.start.empty()) {
    const auto& scol = in.real(o.start);
    d.start.resize(n);
    for (std::size_t r = 0; r < n; ++r) {
      d.start[r] = scol[in.kept[r]];
      if (!(d.start[r] < d.stop[r]))
        throw_input(ErrorCode::invalid_value,
                    fmt::format("entry time {} is not before exit time {}", d.start[r], d.stop[r]), in.where(o.start, r),
                    "counting-process spells (start, stop] need start < stop");
    }
  }
  for (const auto& c : o.covariates) {
    if (in.dropped == 0 && c != o.time && c != o.event && c != o.start) {  // every row kept: move, not copy
      d.x.push_back(std::move(in.table.col(c).reals));
      continue;
    }
    std::vector<double> v(n);
    const auto& col = in.real(c);
    for (std::size_t r = 0; r < n; ++r) v[r] = col[in.kept[r]];
    d.x.push_back(std::move(v));
  }
  auto codes_of = [&](const std::string& name, std::vector<std::string>* labels) {
    std::vector<std::uint32_t> ids(n);
    std::map<std::string, std::uint32_t> map;
    const auto& col = in.table.col(name).texts;
    for (std::size_t r = 0; r < n; ++r) {
      const auto [it, fresh] = map.emplace(col[in.kept[r]], static_cast<std::uint32_t>(map.size()));
      if (fresh && labels) labels->push_back(it->first);
      ids[r] = it->second;
    }
    return ids;
  };
  if (!o.strata.empty()) d.strata = codes_of(o.strata, nullptr);
  if (!o.cluster.empty()) d.cluster = codes_of(o.cluster, nullptr);
  stats::CoxOptions co;
  co.ties = o.ties == "breslow" ? stats::CoxTies::breslow : stats::CoxTies::efron;
  co.max_iterations = static_cast<int>(o.max_iterations);
  co.tolerance = o.tolerance;
  co.robust = o.robust || !o.cluster.empty();
  const auto fit = stats::fit_cox(d, co);
  const auto C = stats::harrell_concordance(d.stop, d.event, fit.linear_predictor, d.strata);

  const double z = z_quantile(o.level);
  data::Table t;
  t.add_text("term", fit.terms);
  t.add_real("estimate", fit.estimate);
  t.add_real("std_error", fit.std_error);
  t.add_real("z", fit.z);
  t.add_real("p", fit.p);
  t.add_real("hazard_ratio", fit.hazard_ratio);
  auto& lo = t.add_real("ci_lower");
  auto& hi = t.add_real("ci_upper");
  for (std::size_t j = 0; j < fit.terms.size(); ++j) {
    lo.push_back(std::exp(fit.estimate[j] - z * fit.std_error[j]));
    hi.push_back(std::exp(fit.estimate[j] + z * fit.std_error[j]));
  }
  if (fit.robust) t.add_real("model_std_error", fit.model_std_error);

  Result res;
  res.tables.emplace_back("survival", std::move(t));
  if (in.dropped)
    res.warnings.push_back(fmt::format("{} spell(s) with an empty cell in a used column were left out", in.dropped));
  res.warnings.insert(res.warnings.end(), fit.warnings.begin(), fit.warnings.end());

  // Kaplan–Meier curves (on exit times; with --start, the risk sets respect late entry)
  {
    std::vector<std::string> labels;
    std::vector<std::uint32_t> g = o.km_by.empty() ? std::vector<std::uint32_t>(n, 0) : codes_of(o.km_by, &labels);
    if (o.km_by.empty()) labels.push_back("all");
    const auto curves = stats::kaplan_meier(d.start, d.stop, d.event, g, labels.size(), o.level);
    data::Table km;
    auto& grp = km.add_text("group");
    auto& tm = km.add_real("time");
    auto& ar = km.add_real("at_risk");
    auto& ev = km.add_real("events");
    auto& ce = km.add_real("censored");
    auto& sv = km.add_real("survival");
    auto& se = km.add_real("std_error");
    auto& kl = km.add_real("ci_lower");
    auto& ku = km.add_real("ci_upper");
    for (std::size_t k = 0; k < curves.size(); ++k)
      for (const auto& row : curves[k].rows) {
        grp.push_back(labels[k]);
        tm.push_back(row.time);
        ar.push_back(row.at_risk);
        ev.push_back(row.events);
        ce.push_back(row.censored);
        sv.push_back(row.survival);
        se.push_back(row.std_error);
        kl.push_back(row.lower);
        ku.push_back(row.upper);
      }
    res.tables.emplace_back("km", std::move(km));
  }

  Json coef = Json::object();
  for (std::size_t j = 0; j < fit.terms.size(); ++j)
    coef[fit.terms[j]] = {{"estimate", num(fit.estimate[j])}, {"std_error", num(fit.std_error[j])},
                          {"hazard_ratio", num(fit.hazard_ratio[j])}};
  res.summary_json = Json{{"model", "cox"},
                          {"ties", o.ties},
                          {"n", fit.n},
                          {"events", fit.events},
                          {"rows_dropped_missing", in.dropped},
                          {"strata", fit.strata},
                          {"counting_process", !o.start.empty()},
                          {"robust", fit.robust},
                          {"clusters", fit.clusters},
                          {"log_likelihood", num(fit.log_likelihood)},
                          {"null_log_likelihood", num(fit.null_log_likelihood)},
                          {"lr_test", num(fit.lr_test)},
                          {"wald_test", num(fit.wald_test)},
                          {"score_test", num(fit.score_test)},
                          {"df", fit.terms.size()},
                          {"concordance", num(C.value)},
                          {"concordant_pairs", C.concordant},
                          {"discordant_pairs", C.discordant},
                          {"tied_risk_pairs", C.tied_risk},
                          {"iterations", fit.iterations},
                          {"converged", fit.converged},
                          {"infinite_terms", fit.infinite_terms},
                          {"coefficients", coef}}
                         .dump(1);
  res.headline = fmt::format("Cox model on {} spells ({} events): concordance {:.4f}, log-likelihood {:.4f}{}", fit.n,
                             fit.events, C.value, fit.log_likelihood,
                             fit.infinite_terms.empty() ? "" : " — monotone likelihood, see warnings");
  (void)ctx;
  return res;
}

}  // namespace

void register_survival(Registry& r) {
  r.add(make_operation<SurvivalOptions>(
      "survival", "Cox proportional hazards of spells (establishment survival), Efron ties, Kaplan–Meier curves",
      "Fits the Cox (1972) model λ(t | x) = λ0(t) exp(x'β) by Newton–Raphson on the partial likelihood with Efron (1977) "
      "ties (or Breslow), stratification (--strata), counting-process spells for time-varying covariates (--start), and "
      "robust Lin–Wei standard errors, clustered with --cluster (as R's survival::coxph). Reports hazard ratios with "
      "confidence intervals, Harrell's concordance, the likelihood-ratio, Wald and score tests, and Kaplan–Meier curves "
      "with Greenwood errors (side table km, grouped by --km-by). All spells censored is an input error (exit 3); a "
      "covariate that orders the events perfectly (monotone likelihood) is reported with a warning, an empty standard "
      "error and the term in infinite_terms. See docs/methods/dynamics.md.",
      {"agglo survival --spells spells.csv --time duration --event exited --covariates density,lq,foreign -o cox.csv",
       "agglo survival --spells spells.csv --time duration --event exited --covariates density,spinoff --strata industry "
       "--cluster region --km-by entrant_type -o cox.csv"},
      "term,estimate,std_error,z,p,hazard_ratio,ci_lower,ci_upper (+ model_std_error when robust); side table km: "
      "group,time,at_risk,events,censored,survival,std_error,ci_lower,ci_upper; summary with concordance, "
      "log_likelihood",
      &run_survival));
}

}  // namespace agglo::api
