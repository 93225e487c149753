// `agglo evaluate anchor`: did an anchor plant's opening raise its incumbent neighbours'
// productivity? The winner/loser design of Greenstone, Hornbeck & Moretti (2010); estimator in
// src/dynamics/winner_loser.cpp, formulas in docs/methods/dynamics.md §6.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/dynamics/winner_loser.hpp"
#include "dynamics_input.hpp"
#include "dynamics_ops.hpp"

namespace agglo::api {

namespace {

using Json = nlohmann::ordered_json;
Json num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }
constexpr double z975 = 1.959963984540054;

struct AnchorOptions {
  std::string panel;
  std::string unit;
  std::string time;
  std::string outcome;
  std::string case_column;
  std::string winner;
  std::string opening;
  std::string cluster;
  std::vector<std::string> covariates;
  std::int64_t lead = -7;
  std::int64_t lag = 5;

  static void describe(core::OptionSchema<AnchorOptions>& s) {
    s.add("panel", &AnchorOptions::panel,
          "long CSV: one row per incumbent plant, case and year (a plant short-listed in two cases appears in both)")
        .path()
        .required();
    s.add("unit", &AnchorOptions::unit, "column of plant (establishment) ids").required();
    s.add("time", &AnchorOptions::time, "column of years").required();
    s.add("outcome", &AnchorOptions::outcome, "column of the outcome (GHM: log output with inputs as --covariates, or log TFP)").required();
    s.add("case", &AnchorOptions::case_column, "column of the case: one anchor-plant opening, its winning and losing counties").required();
    s.add("winner", &AnchorOptions::winner, "column: 1 = the plant is in the county the anchor chose, 0 = in a runner-up").required();
    s.add("opening", &AnchorOptions::opening, "column of the case's opening (announcement) year").required();
    s.add("cluster", &AnchorOptions::cluster, "column to cluster standard errors on (GHM: county); default the plant");
    s.add("covariates", &AnchorOptions::covariates, "numeric control columns (e.g. log inputs of a production function)");
    s.add("lead", &AnchorOptions::lead, "first year of the window relative to the opening (GHM: −7)").min(-100).max(-1);
    s.add("lag", &AnchorOptions::lag, "last year of the window relative to the opening (GHM: 5)").min(0).max(100);
  }
  void validate() const {
    for (const auto& c : covariates)
      if (c == outcome || c == winner || c == opening || c == time)
        throw_usage(ErrorCode::invalid_option_value, "'" + c + "' cannot be a covariate and a design column at once");
  }
};

Result run_anchor(const AnchorOptions& o, Context& ctx) {
  std::vector<std::string> reals = o.covariates;
  for (const auto* c : {&o.time, &o.outcome, &o.winner, &o.opening}) reals.push_back(*c);
  const auto in = dynamics_input::read_columns(o.panel, "panel", reals, {o.unit, o.case_column, o.cluster});
  const std::size_t n = in.kept.size();
  if (n == 0) throw_input(ErrorCode::empty_input, "no row with every used column present", {o.panel, 0, 0, ""});
  dynamics::AnchorPanel p;
  std::map<std::string, std::uint32_t> cases, clusters;
  std::map<std::pair<std::string, std::uint32_t>, std::uint32_t> units;
  std::map<std::uint32_t, std::int64_t> opening_of;
  std::map<std::uint32_t, char> winner_of;
  std::map<std::pair<std::uint32_t, std::int64_t>, std::size_t> seen;
  std::vector<std::string> case_names;
  for (std::size_t r = 0; r < n; ++r) {
    const auto i = in.kept[r];
    const double year = in.real(o.time)[i], open = in.real(o.opening)[i], w = in.real(o.winner)[i];
    if (std::floor(year) != year) throw_input(ErrorCode::invalid_value, fmt::format("year {} is not a whole number", year), in.where(o.time, r));
    if (std::floor(open) != open)
      throw_input(ErrorCode::invalid_value, fmt::format("opening year {} is not a whole number", open), in.where(o.opening, r));
    if (w != 0 && w != 1)
      throw_input(ErrorCode::invalid_value, fmt::format("winner is {}, not 0 or 1", w), in.where(o.winner, r),
                  "1 = the plant is in the county the anchor chose, 0 = in a losing county");
    const auto& cname = in.table.col(o.case_column).texts[i];
    const auto c = cases.emplace(cname, static_cast<std::uint32_t>(cases.size())).first->second;
    if (c == case_names.size()) case_names.push_back(cname);
    const auto u = units.emplace(std::make_pair(in.table.col(o.unit).texts[i], c), static_cast<std::uint32_t>(units.size())).first->second;
    const auto [oit, ofresh] = opening_of.emplace(c, static_cast<std::int64_t>(open));
    if (!ofresh && oit->second != static_cast<std::int64_t>(open))
      throw_input(ErrorCode::invalid_value,
                  fmt::format("case '{}' opens in {} here but in {} on an earlier row", cname, open, oit->second),
                  in.where(o.opening, r), "the opening year is a fixed attribute of a case");
    const auto [wit, wfresh] = winner_of.emplace(u, static_cast<char>(w));
    if (!wfresh && wit->second != static_cast<char>(w))
      throw_input(ErrorCode::invalid_value,
                  fmt::format("plant '{}' is a winner on one row of case '{}' and a loser on another", in.table.col(o.unit).texts[i], cname),
                  in.where(o.winner, r), "a plant's county either won or lost its case");
    if (!seen.emplace(std::make_pair(u, static_cast<std::int64_t>(year)), r).second)
      throw_input(ErrorCode::duplicate_row,
                  fmt::format("plant '{}' has two rows for {} in case '{}'", in.table.col(o.unit).texts[i], year, cname),
                  in.where(o.time, r));
    p.unit.push_back(u);
    p.case_id.push_back(c);
    p.year.push_back(static_cast<std::int64_t>(year));
    p.opening.push_back(static_cast<std::int64_t>(open));
    p.y.push_back(in.real(o.outcome)[i]);
    p.winner.push_back(static_cast<char>(w));
    if (!o.cluster.empty())
      p.cluster.push_back(clusters.emplace(in.table.col(o.cluster).texts[i], static_cast<std::uint32_t>(clusters.size())).first->second);
  }
  for (const auto& c : o.covariates) {
    std::vector<double> v(n);
    for (std::size_t r = 0; r < n; ++r) v[r] = in.real(c)[in.kept[r]];
    p.covariates.push_back(std::move(v));
  }
  p.covariate_names = o.covariates;
  p.units = static_cast<std::uint32_t>(units.size());
  p.cases = static_cast<std::uint32_t>(cases.size());
  dynamics::AnchorOptions ao;
  ao.lead = o.lead;
  ao.lag = o.lag;
  dynamics::AnchorResult r;
  try {
    r = dynamics::winner_loser(p, ao);
  } catch (const Error& e) {
    // name the case as the file does
    std::string msg = e.what();
    for (std::size_t c = 0; c < case_names.size(); ++c) {
      const auto key = fmt::format("case {} ", c + 1);
      if (msg.rfind(key, 0) == 0) msg = fmt::format("case '{}' ", case_names[c]) + msg.substr(key.size());
    }
    throw Error(e.kind(), e.code(), msg, {o.panel, 0, 0, o.case_column}, e.hint());
  }
  data::Table est;
  auto& model = est.add_text("model");
  auto& term = est.add_text("term");
  auto& b = est.add_real("estimate");
  auto& se = est.add_real("std_error");
  auto& z = est.add_real("z");
  auto& pv = est.add_real("p");
  auto& lo = est.add_real("ci_lower");
  auto& hi = est.add_real("ci_upper");
  auto add = [&](const char* m, const std::string& t, double e, double s) {
    model.push_back(m), term.push_back(t), b.push_back(e), se.push_back(s), z.push_back(e / s);
    pv.push_back(std::erfc(std::fabs(e / s) / std::sqrt(2.0)));
    lo.push_back(e - z975 * s), hi.push_back(e + z975 * s);
  };
  for (const auto& t : r.mean_shift) add("mean_shift", t.term, t.estimate, t.std_error);
  for (const auto& t : r.trend_break) add("trend_break", t.term, t.estimate, t.std_error);
  add("trend_break", fmt::format("effect_after_{}_years", o.lag), r.effect_after, r.effect_after_se);
  data::Table ev;
  ev.add_integer("event_time", {r.event_time.begin(), r.event_time.end()});
  ev.add_real("estimate", r.event_estimate);
  ev.add_real("std_error", r.event_std_error);
  auto& el = ev.add_real("ci_lower");
  auto& eh = ev.add_real("ci_upper");
  for (std::size_t q = 0; q < r.event_time.size(); ++q)
    el.push_back(r.event_estimate[q] - z975 * r.event_std_error[q]), eh.push_back(r.event_estimate[q] + z975 * r.event_std_error[q]);
  Result res;
  res.tables.emplace_back("estimates", std::move(est));
  res.tables.emplace_back("event_study", std::move(ev));
  res.warnings = r.warnings;
  if (in.dropped) res.warnings.push_back(fmt::format("{} row(s) with an empty cell in a used column were left out", in.dropped));
  const auto& ms = r.mean_shift.front();
  res.summary_json = Json{{"design", "winner_loser"},
                          {"mean_shift", num(ms.estimate)},
                          {"mean_shift_se", num(ms.std_error)},
                          {"effect_after", num(r.effect_after)},
                          {"effect_after_se", num(r.effect_after_se)},
                          {"effect_after_years", o.lag},
                          {"window", {o.lead, o.lag}},
                          {"rows", r.rows},
                          {"plants", r.units},
                          {"winner_plants", r.winner_units},
                          {"cases", r.cases},
                          {"clusters", r.clusters},
                          {"cluster", o.cluster.empty() ? o.unit : o.cluster},
                          {"dropped_rows", in.dropped}}
                         .dump(1);
  res.headline = fmt::format(
      "winner/loser: incumbents in winning counties {:+.4f} (se {:.4f}) after the opening (mean shift); {:+.4f} (se {:.4f}) "
      "after {} years (trend break); {} plants in {} cases",
      ms.estimate, ms.std_error, r.effect_after, r.effect_after_se, o.lag, r.units, r.cases);
  (void)ctx;
  return res;
}

}  // namespace

void register_evaluate_anchor(Registry& r) {
  r.add(make_operation<AnchorOptions>(
      "evaluate anchor", "An anchor plant's effect on incumbent plants: winners vs losers (Greenstone, Hornbeck & Moretti 2010)",
      "Compares incumbent plants in the county a large plant chose (the winner) with those in the runner-up counties it "
      "short-listed (the losers), before and after the opening, with plant fixed effects and each case's own year "
      "effects: the mean shift (GHM Model 1), the trend break with the effect after --lag years (Model 2), and the "
      "event study of winner × year-relative-to-opening dummies (the year before as reference) whose leads test the "
      "design's parallel pre-trends. Standard errors clustered by --cluster (GHM: county). Only years from --lead to "
      "--lag around the opening are used. See docs/methods/dynamics.md.",
      {"agglo evaluate anchor --panel incumbents.csv --unit plant --time year --outcome log_tfp --case case "
       "--winner winner --opening opening_year --cluster county -o anchor",
       "agglo evaluate anchor --panel incumbents.csv --unit plant --time year --outcome log_output --covariates "
       "log_labour,log_capital,log_materials --case case --winner winner --opening opening_year --cluster county -o anchor"},
      "a directory: estimates.csv (model,term,estimate,std_error,z,p,ci_lower,ci_upper), event_study.csv "
      "(event_time,estimate,std_error,ci_lower,ci_upper), summary.json (mean_shift, effect_after, plants, cases, clusters)",
      &run_anchor));
}

}  // namespace agglo::api
