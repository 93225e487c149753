// `agglo evaluate match`: the comparison units most like the treated ones, before the outcome
// analysis — nearest-neighbour matching on the propensity score or the Mahalanobis distance,
// with balance tables (Ho, Imai, King & Stuart 2007; R's MatchIt). Estimator in
// src/dynamics/matching.cpp, formulas in docs/methods/dynamics.md §7.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/dynamics/matching.hpp"
#include "dynamics_input.hpp"
#include "dynamics_ops.hpp"

namespace agglo::api {

namespace {

using Json = nlohmann::ordered_json;
Json num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

struct MatchOptions {
  std::string data;
  std::string unit;
  std::string treatment;
  std::vector<std::string> covariates;
  std::string distance = "propensity";
  std::string order = "auto";
  std::int64_t ratio = 1;
  bool replace = false;
  double caliper = 0;

  static void describe(core::OptionSchema<MatchOptions>& s) {
    s.add("data", &MatchOptions::data,
          "CSV with one row per unit: its id, treatment (1 treated, 0 comparison pool) and pre-treatment covariates")
        .path()
        .required();
    s.add("unit", &MatchOptions::unit, "column of unit ids (region, firm)").required();
    s.add("treatment", &MatchOptions::treatment, "column: 1 = treated (in the programme), 0 = could serve as a control").required();
    s.add("covariates", &MatchOptions::covariates,
          "numeric pre-treatment covariates to match on, e.g. log_employment,lq,growth_2000_2005")
        .required();
    s.add("distance", &MatchOptions::distance,
          "propensity: |difference of logit propensity scores| (Rosenbaum & Rubin 1983); mahalanobis: on the covariates, "
          "pooled within-group covariance")
        .choices({"propensity", "mahalanobis"});
    s.add("order", &MatchOptions::order,
          "order in which treated units choose: auto (largest score first for propensity, data order for Mahalanobis, "
          "MatchIt's defaults), largest, smallest, data")
        .choices({"auto", "largest", "smallest", "data"});
    s.add("ratio", &MatchOptions::ratio, "controls per treated unit (k:1 matching, in rounds)").min(1).max(100);
    s.add("replace", &MatchOptions::replace, "a control may serve several treated units");
    s.add("caliper", &MatchOptions::caliper,
          "propensity: largest score difference allowed, in standard deviations of the score (0 = none; 0.2 is usual)")
        .min(0)
        .max(10);
  }
  void validate() const {
    if (caliper > 0 && distance != "propensity")
      throw_usage(ErrorCode::invalid_option_value, "--caliper is in standard deviations of the propensity score: use it with --distance propensity");
    if ((order == "largest" || order == "smallest") && distance != "propensity")
      throw_usage(ErrorCode::invalid_option_value, "--order largest/smallest sorts by the propensity score: use --order data with Mahalanobis");
    for (const auto& c : covariates)
      if (c == treatment || c == unit) throw_usage(ErrorCode::invalid_option_value, "'" + c + "' cannot be a covariate and the unit or treatment");
  }
};

Result run_match(const MatchOptions& o, Context& ctx) {
  std::vector<std::string> reals = o.covariates;
  reals.push_back(o.treatment);
  const auto in = dynamics_input::read_columns(o.data, "data", reals, {o.unit});
  const std::size_t n = in.kept.size();
  if (n == 0) throw_input(ErrorCode::empty_input, "no unit with every used column present", {o.data, 0, 0, ""});
  dynamics::MatchInput mi;
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (std::size_t r = 0; r < n; ++r) {
    const auto i = in.kept[r];
    const double t = in.real(o.treatment)[i];
    if (t != 0 && t != 1)
      throw_input(ErrorCode::invalid_value, fmt::format("treatment is {}, not 0 or 1", t), in.where(o.treatment, r));
    const auto& id = in.table.col(o.unit).texts[i];
    if (!seen.insert(id).second)
      throw_input(ErrorCode::duplicate_id, fmt::format("unit '{}' has two rows", id), in.where(o.unit, r),
                  "matching takes one row per unit (its pre-treatment characteristics)");
    ids.push_back(id);
    mi.treated.push_back(t == 1);
  }
  for (const auto& c : o.covariates) {
    std::vector<double> v(n);
    for (std::size_t r = 0; r < n; ++r) v[r] = in.real(c)[in.kept[r]];
    mi.X.push_back(std::move(v));
  }
  mi.names = o.covariates;
  dynamics::MatchOptions mo;
  mo.distance = o.distance == "mahalanobis" ? dynamics::MatchDistance::mahalanobis : dynamics::MatchDistance::propensity;
  mo.order = o.order == "largest"    ? dynamics::MatchOrder::largest
             : o.order == "smallest" ? dynamics::MatchOrder::smallest
             : o.order == "data"     ? dynamics::MatchOrder::data
                                     : dynamics::MatchOrder::automatic;
  mo.ratio = static_cast<std::size_t>(o.ratio);
  mo.replace = o.replace;
  mo.caliper = o.caliper;
  const auto r = dynamics::nearest_neighbour_match(mi, mo);

  data::Table pairs;
  auto& pt = pairs.add_text("treated");
  auto& pc = pairs.add_text("control");
  auto& pd = pairs.add_real("distance");
  auto& pr = pairs.add_integer("round");
  for (const auto& p : r.pairs)
    pt.push_back(ids[p.treated]), pc.push_back(ids[p.control]), pd.push_back(p.distance), pr.push_back(static_cast<std::int64_t>(p.round));
  data::Table w;
  w.add_text("unit", ids);
  auto& wt = w.add_integer("treated");
  for (auto t : mi.treated) wt.push_back(t);
  w.add_real("score", r.score);
  w.add_real("weight", r.weight);
  data::Table b;
  auto& bc = b.add_text("covariate");
  auto& b1 = b.add_real("mean_treated_all");
  auto& b2 = b.add_real("mean_control_all");
  auto& b3 = b.add_real("smd_before");
  auto& b4 = b.add_real("mean_treated");
  auto& b5 = b.add_real("mean_control");
  auto& b6 = b.add_real("smd_after");
  double worst_before = 0, worst_after = 0;
  for (const auto& x : r.balance) {
    bc.push_back(x.covariate), b1.push_back(x.mean_treated_all), b2.push_back(x.mean_control_all), b3.push_back(x.smd_before);
    b4.push_back(x.mean_treated), b5.push_back(x.mean_control), b6.push_back(x.smd_after);
    worst_before = std::max(worst_before, std::fabs(x.smd_before));
    worst_after = std::max(worst_after, std::fabs(x.smd_after));
  }
  Result res;
  res.tables.emplace_back("matches", std::move(pairs));
  res.tables.emplace_back("weights", std::move(w));
  res.tables.emplace_back("balance", std::move(b));
  res.warnings = r.warnings;
  if (in.dropped) res.warnings.push_back(fmt::format("{} row(s) with an empty cell in a used column were left out", in.dropped));
  if (worst_after > 0.25)
    res.warnings.push_back(fmt::format(
        "after matching a covariate still differs by {:.2f} standard deviations (> 0.25, Stuart 2010): the matched controls are "
        "not comparable on it — try Mahalanobis matching, a caliper, or more covariates in the score",
        worst_after));
  Json score = Json::object();
  for (std::size_t j = 0; j < r.score_terms.size(); ++j) score[r.score_terms[j]] = num(r.score_coefficients[j]);
  res.summary_json = Json{{"method", "nearest_neighbour"},
                          {"distance", o.distance},
                          {"ratio", o.ratio},
                          {"replace", o.replace},
                          {"caliper", o.caliper},
                          {"treated", r.treated},
                          {"controls", r.controls},
                          {"matched_treated", r.matched_treated},
                          {"matched_controls", r.matched_controls},
                          {"max_abs_smd_before", num(worst_before)},
                          {"max_abs_smd_after", num(worst_after)},
                          {"score_model", score}}
                         .dump(1);
  res.headline = fmt::format("matched {} of {} treated units with {} controls ({}); largest |standardised difference| {:.3f} → {:.3f}",
                             r.matched_treated, r.treated, r.matched_controls, o.distance, worst_before, worst_after);
  (void)ctx;
  return res;
}

}  // namespace

void register_evaluate_match(Registry& r) {
  r.add(make_operation<MatchOptions>(
      "evaluate match", "Match treated units with the most similar comparison units (propensity score or Mahalanobis)",
      "Pre-processing for programme evaluation (Ho, Imai, King & Stuart 2007): greedy nearest-neighbour matching of every "
      "treated unit with the comparison unit(s) closest on a logit propensity score (Rosenbaum & Rubin 1983) or on the "
      "Mahalanobis distance of the covariates, k:1, with or without replacement, with a caliper on the score, as R's "
      "MatchIt does (method = \"nearest\"). Reports the pairs, ATT weights per unit (0 = not in the matched sample) and "
      "the balance before and after (standardised mean differences). Run the outcome analysis on the units with weight "
      "> 0, e.g. agglo evaluate did on their panel. See docs/methods/dynamics.md.",
      {"agglo evaluate match --data regions.csv --unit region --treatment programme --covariates "
       "log_employment,lq_2000,growth_1995_2000 -o match",
       "agglo evaluate match --data lalonde.csv --unit id --treatment treat --covariates "
       "age,educ,black,hispan,married,nodegree,re74,re75 --distance mahalanobis -o match"},
      "a directory: matches.csv (treated,control,distance,round), weights.csv (unit,treated,score,weight), balance.csv "
      "(covariate,mean_treated_all,mean_control_all,smd_before,mean_treated,mean_control,smd_after), summary.json",
      &run_match));
}

}  // namespace agglo::api
