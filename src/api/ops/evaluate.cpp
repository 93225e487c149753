// `agglo evaluate …`: did a programme (or an anchor firm) change anything?
//   evaluate did    staggered-adoption difference in differences (Callaway & Sant'Anna 2021)
//   evaluate synth  synthetic control (Abadie, Diamond & Hainmueller 2010) with placebo inference
// Estimators in src/dynamics/; formulas in docs/methods/dynamics.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/dynamics/event_study.hpp"
#include "agglo/dynamics/staggered_did.hpp"
#include "agglo/dynamics/synthetic_control.hpp"
#include "dynamics_input.hpp"
#include "dynamics_ops.hpp"

namespace agglo::api {

namespace {

using Json = nlohmann::ordered_json;
Json num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }
constexpr double z975 = 1.959963984540054;

std::int64_t whole(double v, const dynamics_input::Columns& in, const std::string& col, std::size_t r, const char* what) {
  if (std::floor(v) != v || std::fabs(v) > 1e15)
    throw_input(ErrorCode::invalid_value, fmt::format("{} {} is not a whole number", what, v), in.where(col, r),
                "periods and cohorts are integers (years)");
  return static_cast<std::int64_t>(v);
}

// A balanced unit × period panel from a long table; gaps, duplicates and a cohort that changes
// within a unit are input errors naming the row.
dynamics::PanelData read_panel(const std::string& path, const std::string& unit, const std::string& time,
                               const std::string& outcome, const std::string& cohort, std::vector<std::string>& warnings) {
  const auto in = dynamics_input::read_columns(path, "panel", {time, outcome, cohort}, {unit});
  if (in.dropped)
    for (std::size_t i = 0; i < in.table.rows; ++i) {
      // an empty cell is not a missing observation to skip: the panel must be balanced
      const bool missing = !std::isfinite(in.table.col(time).reals[i]) || !std::isfinite(in.table.col(outcome).reals[i]) ||
                           !std::isfinite(in.table.col(cohort).reals[i]) || in.table.col(unit).texts[i].empty();
      if (missing)
        throw_input(ErrorCode::invalid_value, "a panel row has an empty cell", {path, in.table.lines[i], 0, ""},
                    "the estimator needs a balanced panel: fill the value or drop the unit from the file");
    }
  const std::size_t N = in.kept.size();
  if (N == 0) throw_input(ErrorCode::empty_input, "the panel has no rows", {path, 0, 0, ""});
  std::map<std::int64_t, std::size_t> period_index;
  std::map<std::string, std::size_t> unit_index;
  std::vector<std::int64_t> per(N);
  for (std::size_t r = 0; r < N; ++r) {
    per[r] = whole(in.real(time)[in.kept[r]], in, time, r, "period");
    period_index.emplace(per[r], 0);
  }
  dynamics::PanelData p;
  for (auto& [t, k] : period_index) k = p.periods.size(), p.periods.push_back(t);
  const std::size_t T = p.periods.size();
  std::vector<std::size_t> filled;
  for (std::size_t r = 0; r < N; ++r) {
    const std::size_t i = in.kept[r];
    const auto& u = in.table.col(unit).texts[i];
    const auto g = whole(in.real(cohort)[i], in, cohort, r, "cohort");
    if (g < 0)
      throw_input(ErrorCode::invalid_value, fmt::format("cohort {} is negative", g), in.where(cohort, r),
                  "the cohort is the first treated period, 0 = never treated");
    auto [it, fresh] = unit_index.emplace(u, p.unit_names.size());
    if (fresh) {
      p.unit_names.push_back(u);
      p.cohort.push_back(g);
      p.y.resize(p.y.size() + T, std::numeric_limits<double>::quiet_NaN());
      filled.push_back(0);
    } else if (p.cohort[it->second] != g) {
      throw_input(ErrorCode::invalid_value,
                  fmt::format("unit '{}' has cohort {} here but {} on an earlier row", u, g, p.cohort[it->second]),
                  in.where(cohort, r), "the cohort (first treated period) is a fixed attribute of a unit");
    }
    double& cell = p.y[it->second * T + period_index[per[r]]];
    if (!std::isnan(cell))
      throw_input(ErrorCode::duplicate_row, fmt::format("unit '{}' has two rows for period {}", u, per[r]), in.where(time, r));
    cell = in.real(outcome)[i];
    ++filled[it->second];
  }
  for (std::size_t k = 0; k < p.unit_names.size(); ++k)
    if (filled[k] != T) {
      std::string missing;
      for (std::size_t t = 0; t < T; ++t)
        if (std::isnan(p.y[k * T + t])) missing += (missing.empty() ? "" : ", ") + std::to_string(p.periods[t]);
      throw_input(ErrorCode::invalid_value,
                  fmt::format("the panel has gaps: unit '{}' has no row for period(s) {} ({} of {} periods)", p.unit_names[k],
                              missing, filled[k], T),
                  {path, 0, 0, time}, "the estimator needs a balanced panel: every unit in every period");
    }
  (void)warnings;
  return p;
}

// ---------------------------------------------------------------------------------------------
struct DidOptions {
  std::string panel;
  std::string unit;
  std::string time;
  std::string outcome;
  std::string cohort;
  std::string estimator = "callaway-santanna";
  std::string control = "never-treated";
  std::int64_t bootstrap = 1000;
  double alpha = 0.05;

  static void describe(core::OptionSchema<DidOptions>& s) {
    s.add("panel", &DidOptions::panel, "long CSV: one row per unit and period (a balanced panel)").path().required();
    s.add("unit", &DidOptions::unit, "column of unit ids (region, county, firm)").required();
    s.add("time", &DidOptions::time, "column of periods (whole numbers, e.g. years)").required();
    s.add("outcome", &DidOptions::outcome, "column of the outcome (e.g. log employment)").required();
    s.add("cohort", &DidOptions::cohort, "column of the first treated period of the unit; 0 = never treated").required();
    s.add("estimator", &DidOptions::estimator,
          "callaway-santanna: group-time ATTs and their aggregations (Callaway & Sant'Anna 2021); sun-abraham: the "
          "interaction-weighted event study (Sun & Abraham 2021), a saturated cohort × period regression")
        .choices({"callaway-santanna", "sun-abraham"});
    s.add("control", &DidOptions::control,
          "comparison units: never treated (the default of both estimators); callaway-santanna: also those not yet "
          "treated by the cell's periods; sun-abraham: the last cohort to adopt (its treated periods left out)")
        .choices({"never-treated", "not-yet-treated", "last-treated"});
    s.add("bootstrap", &DidOptions::bootstrap, "multiplier-bootstrap draws for the uniform bands (0 = none; R did: 1000)")
        .min(0)
        .max(1000000);
    s.add("alpha", &DidOptions::alpha, "significance level of the intervals and uniform bands").min(0.0001).max(0.5);
  }
  void validate() const {
    if (estimator == "sun-abraham" && control == "not-yet-treated")
      throw_usage(ErrorCode::invalid_option_value,
                  "--estimator sun-abraham takes --control never-treated or last-treated, not not-yet-treated",
                  "Sun & Abraham's comparison is a cohort that is never treated, or the last to be treated");
    if (estimator == "callaway-santanna" && control == "last-treated")
      throw_usage(ErrorCode::invalid_option_value,
                  "--control last-treated is Sun & Abraham's comparison: use it with --estimator sun-abraham",
                  "Callaway & Sant'Anna compare with never-treated or not-yet-treated units");
  }
};

data::Table aggregate_table(const dynamics::Aggregate& A, const char* key, double z) {
  data::Table t;
  t.add_integer(key, {A.key.begin(), A.key.end()});
  t.add_real("att", A.att);
  t.add_real("std_error", A.std_error);
  auto& lo = t.add_real("ci_lower");
  auto& hi = t.add_real("ci_upper");
  auto& bl = t.add_real("band_lower");
  auto& bh = t.add_real("band_upper");
  for (std::size_t q = 0; q < A.key.size(); ++q) {
    lo.push_back(A.att[q] - z * A.std_error[q]);
    hi.push_back(A.att[q] + z * A.std_error[q]);
    const double c = A.critical_value > 0 ? A.critical_value : std::numeric_limits<double>::quiet_NaN();
    bl.push_back(A.att[q] - c * A.bootstrap_se[q]);
    bh.push_back(A.att[q] + c * A.bootstrap_se[q]);
  }
  t.add_real("bootstrap_se", A.bootstrap_se);
  return t;
}

Json aggregate_json(const dynamics::Aggregate& A, const char* key) {
  Json rows = Json::array();
  for (std::size_t q = 0; q < A.key.size(); ++q)
    rows.push_back({{key, A.key[q]}, {"att", num(A.att[q])}, {"std_error", num(A.std_error[q])},
                    {"bootstrap_se", num(A.bootstrap_se[q])}});
  return Json{{"overall_att", num(A.overall)},
              {"overall_se", num(A.overall_se)},
              {"overall_bootstrap_se", num(A.overall_bootstrap_se)},
              {"critical_value", num(A.critical_value)},
              {"by", rows}};
}

double z_of(double alpha) {
  double lo = 0, hi = 10;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (std::erfc(mid / std::sqrt(2.0)) > alpha ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

// The TWFE coefficient, its Goodman-Bacon decomposition (side table bacon, summary by type) and
// the warning when it disagrees with the heterogeneity-robust average.
Json add_twfe(double twfe, const std::vector<dynamics::BaconTerm>& terms, double robust_att, double robust_se,
              const char* robust_name, Result& res) {
  Json bacon = Json::object();
  data::Table b;
  auto& ty = b.add_text("type");
  auto& bt = b.add_integer("treated");
  auto& bc = b.add_integer("control");
  auto& be = b.add_real("estimate");
  auto& bw = b.add_real("weight");
  std::map<std::string, std::pair<double, double>> by;  // type → (Σ w, Σ w β)
  for (const auto& term : terms) {
    ty.push_back(term.type);
    bt.push_back(term.treated);
    bc.push_back(term.control);
    be.push_back(term.estimate);
    bw.push_back(term.weight);
    by[term.type].first += term.weight;
    by[term.type].second += term.weight * term.estimate;
  }
  for (const auto& [type, v] : by)
    bacon[type] = {{"weight", num(v.first)}, {"estimate", num(v.first > 0 ? v.second / v.first : std::nan(""))}};
  res.tables.emplace_back("bacon", std::move(b));
  if (std::fabs(twfe - robust_att) > 2 * robust_se)
    res.warnings.push_back(fmt::format(
        "the two-way fixed effects estimate ({:.4g}) differs from the {} ({:.4g}) by more than two standard errors: "
        "with staggered adoption and heterogeneous effects, TWFE compares treated units with already-treated ones "
        "(Goodman-Bacon 2021; its decomposition is in bacon.csv) — use the heterogeneity-robust estimates",
        twfe, robust_name, robust_att));
  return bacon;
}

Result run_sun_abraham(const DidOptions& o, const dynamics::PanelData& panel, std::vector<std::string> warnings) {
  const auto control = o.control == "last-treated" ? dynamics::EventControl::last_treated : dynamics::EventControl::never_treated;
  const auto r = dynamics::sun_abraham(panel, control);
  const double z = z_of(o.alpha);
  data::Table t;
  auto& g = t.add_integer("group");
  auto& tt = t.add_integer("time");
  auto& att = t.add_real("att");
  auto& se = t.add_real("std_error");
  auto& lo = t.add_real("ci_lower");
  auto& hi = t.add_real("ci_upper");
  auto& ev = t.add_integer("event_time");
  auto& nt = t.add_integer("n_treated");
  for (const auto& c : r.cells) {
    g.push_back(c.cohort);
    tt.push_back(c.time);
    att.push_back(c.estimate);
    se.push_back(c.std_error);
    lo.push_back(c.estimate - z * c.std_error);
    hi.push_back(c.estimate + z * c.std_error);
    ev.push_back(c.event_time);
    nt.push_back(static_cast<std::int64_t>(c.units));
  }
  data::Table d;
  d.add_integer("event_time", {r.event_time.begin(), r.event_time.end()});
  d.add_real("att", r.att);
  d.add_real("std_error", r.std_error);
  auto& dl = d.add_real("ci_lower");
  auto& dh = d.add_real("ci_upper");
  Json rows = Json::array();
  for (std::size_t q = 0; q < r.event_time.size(); ++q) {
    dl.push_back(r.att[q] - z * r.std_error[q]);
    dh.push_back(r.att[q] + z * r.std_error[q]);
    rows.push_back({{"event_time", r.event_time[q]}, {"att", num(r.att[q])}, {"std_error", num(r.std_error[q])}});
  }
  Result res;
  res.tables.emplace_back("att_gt", std::move(t));
  res.tables.emplace_back("dynamic", std::move(d));
  res.warnings = std::move(warnings);
  res.warnings.insert(res.warnings.end(), r.warnings.begin(), r.warnings.end());
  const double twfe = r.twfe;
  const Json bacon = add_twfe(r.twfe, r.bacon, r.att_post, r.att_post_se, "interaction-weighted post-treatment average", res);
  res.summary_json = Json{{"estimator", "sun_abraham"},
                          {"control_group", o.control},
                          {"control_cohort", r.control_cohort},
                          {"units", r.units},
                          {"periods", panel.periods.size()},
                          {"periods_used", r.periods_used},
                          {"clusters", r.clusters},
                          {"dropped_units", r.dropped_units},
                          {"att_simple", num(r.att_post)},
                          {"att_simple_se", num(r.att_post_se)},
                          {"std_error_type", "cluster-robust by unit (CR1), shares as fixed"},
                          {"alpha", o.alpha},
                          {"dynamic", Json{{"by", rows}}},
                          {"twfe", num(twfe)},
                          {"twfe_decomposition", bacon}}
                         .dump(1);
  res.headline = fmt::format("Sun–Abraham: post-treatment ATT {:.4f} (se {:.4f}) over {} cohort × period cells, {} units; TWFE {:.4f}",
                             r.att_post, r.att_post_se, r.cells.size(), r.units, twfe);
  return res;
}

Result run_did(const DidOptions& o, Context& ctx) {
  std::vector<std::string> warnings;
  const auto panel = read_panel(o.panel, o.unit, o.time, o.outcome, o.cohort, warnings);
  if (o.estimator == "sun-abraham") return run_sun_abraham(o, panel, warnings);
  dynamics::DidOptions d;
  d.control = o.control == "not-yet-treated" ? dynamics::ControlGroup::not_yet_treated : dynamics::ControlGroup::never_treated;
  d.bootstrap = o.bootstrap;
  d.alpha = o.alpha;
  d.seed = ctx.seed;
  d.threads = ctx.threads;
  const auto r = dynamics::callaway_santanna(panel, d);
  const double z = z_of(o.alpha);
  data::Table t;
  auto& g = t.add_integer("group");
  auto& tt = t.add_integer("time");
  auto& att = t.add_real("att");
  auto& se = t.add_real("std_error");
  auto& lo = t.add_real("ci_lower");
  auto& hi = t.add_real("ci_upper");
  auto& bl = t.add_real("band_lower");
  auto& bh = t.add_real("band_upper");
  auto& bse = t.add_real("bootstrap_se");
  auto& base = t.add_integer("base_period");
  auto& post = t.add_integer("post");
  auto& nt = t.add_integer("n_treated");
  auto& nc = t.add_integer("n_control");
  const double crit = o.bootstrap > 0 ? r.critical_value : std::numeric_limits<double>::quiet_NaN();
  for (const auto& c : r.cells) {
    g.push_back(c.group);
    tt.push_back(c.time);
    att.push_back(c.att);
    se.push_back(c.std_error);
    lo.push_back(c.att - z * c.std_error);
    hi.push_back(c.att + z * c.std_error);
    bl.push_back(c.att - crit * c.bootstrap_se);
    bh.push_back(c.att + crit * c.bootstrap_se);
    bse.push_back(o.bootstrap > 0 ? c.bootstrap_se : std::numeric_limits<double>::quiet_NaN());
    base.push_back(c.base);
    post.push_back(c.post);
    nt.push_back(static_cast<std::int64_t>(c.n_treated));
    nc.push_back(static_cast<std::int64_t>(c.n_control));
  }
  Result res;
  res.tables.emplace_back("att_gt", std::move(t));
  res.tables.emplace_back("dynamic", aggregate_table(r.dynamic, "event_time", z));
  res.tables.emplace_back("group", aggregate_table(r.group, "group", z));
  res.tables.emplace_back("calendar", aggregate_table(r.calendar, "time", z));
  res.warnings = warnings;
  res.warnings.insert(res.warnings.end(), r.warnings.begin(), r.warnings.end());
  const Json bacon = add_twfe(r.twfe, r.bacon, r.att_simple, r.att_simple_se, "simple ATT", res);
  res.summary_json = Json{{"estimator", "callaway_santanna"},
                          {"control_group", o.control},
                          {"base_period", "varying"},
                          {"units", r.units},
                          {"periods", panel.periods.size()},
                          {"never_treated", r.never_treated},
                          {"dropped_units", r.dropped_units},
                          {"att_simple", num(r.att_simple)},
                          {"att_simple_se", num(r.att_simple_se)},
                          {"att_simple_bootstrap_se", num(r.att_simple_bootstrap_se)},
                          {"critical_value", num(crit)},
                          {"alpha", o.alpha},
                          {"bootstrap", o.bootstrap},
                          {"seed", ctx.seed},
                          {"dynamic", aggregate_json(r.dynamic, "event_time")},
                          {"group", aggregate_json(r.group, "group")},
                          {"calendar", aggregate_json(r.calendar, "time")},
                          {"twfe", num(r.twfe)},
                          {"twfe_decomposition", bacon}}
                         .dump(1);
  res.headline = fmt::format("ATT (simple) {:.4f} (se {:.4f}) over {} group-time cells, {} units ({} never treated); TWFE {:.4f}",
                             r.att_simple, r.att_simple_se, r.cells.size(), r.units, r.never_treated, r.twfe);
  return res;
}

// ---------------------------------------------------------------------------------------------
struct SynthOptions {
  std::string panel;
  std::string unit;
  std::string time;
  std::string outcome;
  std::vector<std::string> treated;
  std::int64_t treatment_time = 0;
  std::string method = "synth";
  bool no_placebos = false;
  std::int64_t placebos = 200;

  static void describe(core::OptionSchema<SynthOptions>& s) {
    s.add("panel", &SynthOptions::panel, "long CSV: one row per unit and period (balanced)").path().required();
    s.add("unit", &SynthOptions::unit, "column of unit ids").required();
    s.add("time", &SynthOptions::time, "column of periods (whole numbers)").required();
    s.add("outcome", &SynthOptions::outcome, "column of the outcome").required();
    s.add("treated", &SynthOptions::treated, "id(s) of the treated unit(s) (synth: exactly one)").required();
    s.add("treatment-time", &SynthOptions::treatment_time, "first treated period (later periods are post-treatment)").required();
    s.add("method", &SynthOptions::method,
          "synth: synthetic control (Abadie et al. 2010); sdid: synthetic difference in differences (Arkhangelsky et al. 2021)")
        .choices({"synth", "sdid"});
    s.add("no-placebos", &SynthOptions::no_placebos, "synth: skip the in-space placebo runs (one per donor)");
    s.add("placebos", &SynthOptions::placebos, "sdid: placebo replications for the standard error (0 = none)").min(0).max(100000);
  }
  void validate() const {
    if (method == "synth" && treated.size() != 1)
      throw_usage(ErrorCode::invalid_option_value, "--method synth takes exactly one --treated unit (use --method sdid for several)");
  }
};

Result run_synth(const SynthOptions& o, Context& ctx) {
  std::vector<std::string> warnings;
  // the cohort column is not needed: read the panel with the time column standing in for it
  const auto in = dynamics_input::read_columns(o.panel, "panel", {o.time, o.outcome}, {o.unit});
  // reuse the balanced-panel reader through a temporary cohort of 0 for everyone
  dynamics::PanelData p;
  {
    std::map<std::int64_t, std::size_t> pi;
    for (auto r : in.kept) pi.emplace(static_cast<std::int64_t>(in.real(o.time)[r]), 0);
    for (auto& [t, k] : pi) k = p.periods.size(), p.periods.push_back(t);
    const std::size_t T = p.periods.size();
    std::map<std::string, std::size_t> ui;
    for (std::size_t q = 0; q < in.kept.size(); ++q) {
      const auto r = in.kept[q];
      const auto& u = in.table.col(o.unit).texts[r];
      auto [it, fresh] = ui.emplace(u, p.unit_names.size());
      if (fresh) p.unit_names.push_back(u), p.y.resize(p.y.size() + T, std::numeric_limits<double>::quiet_NaN());
      double& cell = p.y[it->second * T + pi[static_cast<std::int64_t>(in.real(o.time)[r])]];
      if (!std::isnan(cell))
        throw_input(ErrorCode::duplicate_row, fmt::format("unit '{}' has two rows for one period", u), in.where(o.time, q));
      cell = in.real(o.outcome)[r];
    }
    for (std::size_t k = 0; k < p.unit_names.size(); ++k)
      for (std::size_t t = 0; t < T; ++t)
        if (std::isnan(p.y[k * T + t]))
          throw_input(ErrorCode::invalid_value,
                      fmt::format("the panel has gaps: unit '{}' has no {} for period {}", p.unit_names[k], o.outcome, p.periods[t]),
                      {o.panel, 0, 0, o.time}, "synthetic control needs every unit in every period");
    p.cohort.assign(p.unit_names.size(), 0);
  }
  std::vector<std::size_t> treated;
  for (const auto& name : o.treated) {
    const auto it = std::find(p.unit_names.begin(), p.unit_names.end(), name);
    if (it == p.unit_names.end())
      throw_input(ErrorCode::unknown_reference, fmt::format("treated unit '{}' is not in the panel", name), {o.panel, 0, 0, o.unit});
    treated.push_back(static_cast<std::size_t>(it - p.unit_names.begin()));
  }
  if (o.method == "sdid") {
    const auto s = dynamics::synthetic_did(p, treated, o.treatment_time, static_cast<std::size_t>(o.placebos), ctx.seed);
    data::Table w;
    auto& wu = w.add_text("unit");
    auto& ww = w.add_real("weight");
    for (std::size_t j = 0; j < s.controls.size(); ++j) wu.push_back(p.unit_names[s.controls[j]]), ww.push_back(s.unit_weights[j]);
    data::Table tw;
    auto& tt = tw.add_integer("time");
    auto& tl = tw.add_real("weight");
    for (std::size_t t = 0; t < s.time_weights.size(); ++t) tt.push_back(p.periods[t]), tl.push_back(s.time_weights[t]);
    data::Table est;
    est.add_text("term", {"att"});
    est.add_real("estimate", {s.att});
    est.add_real("std_error", {s.std_error});
    Result res;
    res.tables.emplace_back("estimate", std::move(est));
    res.tables.emplace_back("unit_weights", std::move(w));
    res.tables.emplace_back("time_weights", std::move(tw));
    res.summary_json = Json{{"estimator", "synthetic_did"},
                            {"treated", o.treated},
                            {"treatment_time", o.treatment_time},
                            {"controls", s.controls.size()},
                            {"att", num(s.att)},
                            {"std_error", num(s.std_error)},
                            {"se_method", "placebo"},
                            {"placebos", s.placebos},
                            {"zeta", num(s.zeta)},
                            {"sigma", num(s.sigma)}}
                           .dump(1);
    res.headline = fmt::format("synthetic DiD: ATT {:.4g} (placebo se {:.4g}) for {} treated unit(s), {} controls", s.att,
                               s.std_error, treated.size(), s.controls.size());
    return res;
  }
  const auto* it = &treated[0];
  dynamics::SynthControlOptions so;
  so.placebos = !o.no_placebos;
  const auto r = dynamics::synthetic_control(p, *it, o.treatment_time, so);
  data::Table path;
  path.add_integer("time", {p.periods.begin(), p.periods.end()});
  path.add_real("treated", r.treated_path);
  path.add_real("synthetic", r.synthetic_path);
  path.add_real("gap", r.gap);
  data::Table w;
  auto& wu = w.add_text("unit");
  auto& ww = w.add_real("weight");
  for (std::size_t j = 0; j < r.donors.size(); ++j) wu.push_back(p.unit_names[r.donors[j]]), ww.push_back(r.weights[j]);
  data::Table pl;
  auto& pu = pl.add_text("unit");
  auto& pre = pl.add_real("pre_rmspe");
  auto& post = pl.add_real("post_rmspe");
  auto& ratio = pl.add_real("ratio");
  for (const auto& q : r.placebos)
    pu.push_back(p.unit_names[q.unit]), pre.push_back(q.pre_rmspe), post.push_back(q.post_rmspe), ratio.push_back(q.ratio);
  Result res;
  res.tables.emplace_back("path", std::move(path));
  res.tables.emplace_back("weights", std::move(w));
  res.tables.emplace_back("placebos", std::move(pl));
  res.warnings = warnings;
  res.warnings.insert(res.warnings.end(), r.warnings.begin(), r.warnings.end());
  res.summary_json = Json{{"estimator", "synthetic_control"},
                          {"treated", o.treated[0]},
                          {"treatment_time", o.treatment_time},
                          {"donors", r.donors.size()},
                          {"pre_rmspe", num(r.pre_rmspe)},
                          {"post_rmspe", num(r.post_rmspe)},
                          {"rmspe_ratio", num(r.ratio)},
                          {"att", num(r.att)},
                          {"placebo_p", num(r.placebo_p)},
                          {"iterations", r.iterations}}
                         .dump(1);
  res.headline = fmt::format("synthetic control for {}: mean post-treatment gap {:.4g}, pre-RMSPE {:.4g}, placebo p {:.3f}",
                             o.treated[0], r.att, r.pre_rmspe, r.placebo_p);
  (void)ctx;
  return res;
}

}  // namespace

void register_evaluate(Registry& r) {
  r.add(make_operation<DidOptions>(
      "evaluate did", "Staggered difference in differences: Callaway & Sant'Anna (2021) group-time ATTs",
      "Estimates ATT(g,t), the average effect in period t on the units first treated in period g (cohort g), by the "
      "unconditional difference in differences of Callaway & Sant'Anna (2021) against never-treated (or not-yet-treated) "
      "units, with the last pre-treatment period as base (pre-treatment cells compare consecutive periods, R did's "
      "'varying' base), analytic influence-function standard errors, a seeded multiplier bootstrap (Rademacher, per unit) "
      "for uniform confidence bands, and the simple, dynamic (event-study), group and calendar aggregations of R's "
      "did::aggte. The plain two-way fixed effects coefficient is reported beside (summary twfe) with a warning when it "
      "disagrees: under heterogeneous effects it is biased (Goodman-Bacon 2021), with its decomposition into 2×2 comparisons "
      "(side table bacon: treated vs never treated, earlier vs later, later vs already-treated earlier). --estimator sun-abraham: "
      "the interaction-weighted event study of Sun & Abraham (2021): a regression with unit and period fixed effects saturated "
      "in cohort × relative period (the period before adoption as reference), never-treated or last-treated controls, "
      "standard errors clustered by unit, the relative-period effects averaged with the cohorts' shares (dynamic.csv). "
      "Needs a balanced panel (gaps are an input error); units treated in the first period are dropped with a warning. "
      "See docs/methods/dynamics.md.",
      {"agglo evaluate did --panel mpdta.csv --unit countyreal --time year --outcome lemp --cohort first.treat -o did",
       "agglo evaluate did --panel panel.csv --unit region --time year --outcome log_employment --cohort programme_year "
       "--control not-yet-treated --bootstrap 999 -o did",
       "agglo evaluate did --estimator sun-abraham --panel mpdta.csv --unit countyreal --time year --outcome lemp "
       "--cohort first.treat -o sunab"},
      "a directory: att_gt.csv (group,time,att,std_error,ci_lower,ci_upper,band_lower,band_upper,bootstrap_se,base_period,"
      "post,n_treated,n_control), dynamic.csv, group.csv, calendar.csv, bacon.csv (type,treated,control,estimate,weight) and summary.json "
      "(att_simple, att_simple_se, the aggregations, twfe, twfe_decomposition); with --estimator sun-abraham: att_gt.csv "
      "(group,time,att,std_error,ci_lower,ci_upper,event_time,n_treated), dynamic.csv, bacon.csv and summary.json",
      &run_did));
  r.add(make_operation<SynthOptions>(
      "evaluate synth", "Synthetic control for one treated region (Abadie, Diamond & Hainmueller 2010)",
      "Builds the treated unit's counterfactual as a convex combination of donor units (weights ≥ 0 summing to 1) that "
      "best reproduces its pre-treatment outcome path (least squares on the pre-treatment outcomes over the simplex, "
      "solved to the global optimum by accelerated projected gradient), reports the post-treatment gap, and runs in-space placebos (each donor treated "
      "in turn) for the permutation p-value of the post/pre RMSPE ratio (Abadie et al. 2010). Covariate predictors and "
      "the nested V-matrix search of the Synth package are not implemented. --method sdid: synthetic difference in "
      "differences (Arkhangelsky et al. 2021) with unit and time weights and a placebo standard error, for one or "
      "several treated units. See docs/methods/dynamics.md.",
      {"agglo evaluate synth --panel panel.csv --unit region --time year --outcome gdp --treated R07 --treatment-time 2005 -o synth",
       "agglo evaluate synth --method sdid --panel panel.csv --unit region --time year --outcome gdp --treated R07,R12 --treatment-time 2005 -o sdid"},
      "a directory: path.csv (time,treated,synthetic,gap), weights.csv (unit,weight), placebos.csv "
      "(unit,pre_rmspe,post_rmspe,ratio), summary.json; with --method sdid: estimate.csv (term,estimate,std_error), "
      "unit_weights.csv, time_weights.csv, summary.json",
      &run_synth));
}

}  // namespace agglo::api
