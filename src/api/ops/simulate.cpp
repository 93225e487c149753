// `agglo simulate`: canonical models of cluster emergence with their analytic values, the
// productive-ecosystem model, replicates, sweeps, phase tables, tipping points and hysteresis
// (issue 8; the models are in src/simulate/, one per file; methods in docs/methods/simulate.md).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/parallel/mpi.hpp"
#include "agglo/simulate/ecosystem.hpp"
#include "agglo/simulate/ecosystem_world.hpp"
#include "agglo/simulate/experiment.hpp"
#include "agglo/simulate/mix_trials.hpp"
#include "agglo/simulate/model.hpp"

namespace agglo::api {

namespace {

struct SimulateOptions {
  std::string model;
  std::vector<std::string> param;
  std::int64_t steps = 0;
  std::int64_t replicates = 1;
  std::string sweep;
  bool hysteresis = false;
  std::string checkpoint;
  std::string resume;
  std::int64_t mix_replicates = 0;
  double tip_alpha = 0.05;
  double tip_effect = 0.3;
  std::string regions, focal, establishments, employment, industry, institutions, ties;

  static void describe(core::OptionSchema<SimulateOptions>& s) {
    s.add("model", &SimulateOptions::model,
          "model: polya, arthur, arthur-location, krugman, brenner, granovetter, schelling, percolation, ecosystem")
        .required();
    s.add("param", &SimulateOptions::param,
          "parameter values name=value (the model's symbols: sigma, mu, T, alpha, gamma, h, delta…); several separated by commas");
    s.add("steps", &SimulateOptions::steps, "steps per run (0 = the model's default)").min(0).max(1e12);
    s.add("replicates", &SimulateOptions::replicates, "independent runs per parameter value").min(1).max(1e7);
    s.add("sweep", &SimulateOptions::sweep, "sweep one parameter: name=lo:hi:n (n evenly spaced values)");
    s.add("hysteresis", &SimulateOptions::hysteresis,
          "sweep up then down, each run continuing from the previous value's final state");
    s.add("tip-alpha", &SimulateOptions::tip_alpha,
          "sweeps: family-wise level of the tip test (Welch t-test on the replicates between sweep points up to a quarter "
          "of the sweep apart, Holm-corrected over the windows of each direction)")
        .min(1e-12)
        .max(0.5);
    s.add("tip-effect", &SimulateOptions::tip_effect,
          "sweeps: a tip must also move the mean order parameter by at least this share of its range over the sweep")
        .min(0.01)
        .max(1.0);
    s.add("checkpoint", &SimulateOptions::checkpoint, "ecosystem: write the final agent state to this file").path();
    s.add("resume", &SimulateOptions::resume, "ecosystem: continue from a checkpoint written by --checkpoint").path();
    s.add("mix-replicates", &SimulateOptions::mix_replicates,
          "ecosystem: simulate each policy mix this many times at its least budget and report the share "
          "reaching critical mass with a 95 % Wilson interval (0 = mean-field ranking only)")
        .min(0)
        .max(1e6);
    s.add("regions", &SimulateOptions::regions,
          "ecosystem: run on these regions (CSV code,name,lon,lat[,area_km2,population]; distances in great-circle km, "
          "so give ell in km) instead of the synthetic grid")
        .path();
    s.add("focal", &SimulateOptions::focal, "ecosystem with --regions: code of the region the policy levers act on");
    s.add("establishments", &SimulateOptions::establishments,
          "ecosystem with --regions: initial firms, one per establishment (id,industry,lon/lat,region[,employees])")
        .path();
    s.add("employment", &SimulateOptions::employment,
          "ecosystem with --regions: initial firms from the workspace employment table (region,industry,employment"
          "[,establishments]) for --industry; the other industries give each region's background employment")
        .path();
    s.add("industry", &SimulateOptions::industry, "ecosystem: the simulated industry of --employment or --establishments");
    s.add("institutions", &SimulateOptions::institutions,
          "ecosystem with --regions: institutions as agents (CSV id,type,region[,level]; type university, research_centre "
          "or cluster_organisation)")
        .path();
    s.add("ties", &SimulateOptions::ties,
          "ecosystem with --establishments: firm-firm ties (CSV source,target of establishment ids) that carry innovations")
        .path();
  }
  void validate() const {}
};

nlohmann::ordered_json number_or_list(const std::vector<double>& v) {
  if (v.size() == 1) return v[0];
  return v;
}

// A number for the console: 4 significant digits (sweep values, means, locations).
std::string g4(double v) { return fmt::format("{:.4g}", v); }
nlohmann::ordered_json num_or_null(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

// The tipping points and the hysteresis verdict of a sweep: console lines, summary.json
// entries and the headline. Every claim printed here is the detector's (simulate/tipping.hpp):
// a tip is significant against the replicates' spread and large against the outcome's range,
// or explicitly marked untested when one replicate gives no spread.
std::string describe_tips(const simulate::ExperimentResult& ex, const simulate::Model& m, const simulate::Params& params,
                          const simulate::Sweep& sweep, bool hysteresis, nlohmann::ordered_json& js, std::string& headline) {
  const auto& rule = ex.tip_rule;
  const auto order = m.order_parameter();
  const auto& param = sweep.param;
  const auto refs = m.reference_tips(params, param, sweep.lo, sweep.hi, hysteresis);
  std::string text;
  if (ex.tipping.empty()) return text;
  const auto& first = ex.tipping.front();
  // How the tips were judged (once).
  {
    nlohmann::ordered_json tj = {{"test", first.tested ? "Welch t-test of H0 |change| <= min_effect * range between sweep points "
                                                         "up to max_window steps apart, Holm-corrected over the windows of each "
                                                         "direction"
                                                       : "untested rule (one replicate): effect size and a noise guard from the "
                                                         "successive differences"},
                                 {"alpha", rule.alpha},
                                 {"min_effect", rule.min_effect},
                                 {"max_window", first.max_window},
                                 {"windows", first.windows},
                                 {"range", first.range},
                                 {"bootstrap", first.tested ? rule.bootstrap : 0},
                                 {"level", rule.level}};
    js["tip_test"] = tj;
    if (first.max_window == 0)
      text += fmt::format("  tipping points: {}\n", first.reason);
    else if (first.tested)
      text += fmt::format("  tip test: a tip changes the mean {} by more than {:.0f} % of its range {} (= {}) within {} "
                          "sweep step{}, shown by Welch's t-test on the replicates, Holm-corrected over the {} windows of "
                          "each direction (α = {})\n",
                          order, 100 * rule.min_effect, g4(first.range), g4(rule.min_effect * first.range), first.max_window,
                          first.max_window == 1 ? "" : "s", first.windows, rule.alpha);
    else
      text += fmt::format("  tip rule: one replicate, so no significance test can be done — a tip is a change of {} by ≥ "
                          "{:.0f} % of its range {} within {} sweep step{} and by more than {} noise SDs of the sweep's own "
                          "point-to-point scatter (untested; --replicates 2 or more tests it)\n",
                          order, 100 * rule.min_effect, g4(first.range), first.max_window,
                          first.max_window == 1 ? "" : "s", rule.untested_sds);
  }
  std::vector<std::string> found;
  for (const auto& tp : ex.tipping) {
    const simulate::ReferenceTip* ref = nullptr;
    for (const auto& r : refs)
      if (r.direction == tp.direction) ref = &r;
    nlohmann::ordered_json j = {{"found", tp.found}, {"tested", tp.tested}};
    if (tp.found) {
      j["location"] = tp.location;
      j["interval"] = {tp.interval_lo, tp.interval_hi};
      j["bracket"] = {tp.bracket_lo, tp.bracket_hi};
      j["ci"] = std::isfinite(tp.ci_lo) ? nlohmann::ordered_json{tp.ci_lo, tp.ci_hi} : nlohmann::ordered_json(nullptr);
      if (tp.tested) j["bootstrap_valid"] = tp.bootstrap_valid;
    } else if (tp.max_window > 0) {
      j["largest_change"] = {{"interval", {tp.interval_lo, tp.interval_hi}}, {"jump", tp.jump}, {"effect", tp.effect}};
      if (tp.tested) j["largest_change"]["p_holm"] = tp.p_holm;
    }
    if (tp.found) {
      j["from"] = tp.from;
      j["to"] = tp.to;
      j["jump"] = tp.jump;
      j["effect"] = tp.effect;
      if (tp.tested) {
        j["t"] = num_or_null(tp.t);
        j["t_excess"] = num_or_null(tp.t_excess);
        j["df"] = tp.df;
        j["p"] = tp.p;
        j["p_holm"] = tp.p_holm;
      }
    }
    if (!tp.reason.empty()) j["reason"] = tp.reason;
    if (tp.crosses) j["mid_crossing"] = {{"location", tp.crossing}, {"bracket", {tp.crossing_lo, tp.crossing_hi}}};
    std::string ref_text;
    if (ref) {
      const bool inside = tp.found && ref->value >= tp.interval_lo && ref->value <= tp.interval_hi;
      j["reference"] = {{"name", ref->name}, {"value", ref->value}, {"kind", ref->kind}};
      if (tp.found) j["reference"]["inside_interval"] = inside;
      const double off = !tp.found || inside ? 0.0
                         : ref->value < tp.interval_lo ? tp.interval_lo - ref->value
                                                       : ref->value - tp.interval_hi;
      const std::string where = inside ? "inside the interval" : fmt::format("{} outside the interval", g4(off));
      ref_text = tp.found ? (ref->kind == "analytic"
                                 ? fmt::format("\n      finite-time estimate of the analytic {} {:.6f} ({})", ref->name, ref->value, where)
                                 : fmt::format("\n      mean-field {} {:.6f} ({})", ref->name, ref->value, where))
                          : fmt::format("\n      ({} {} {:.6f} lies in the swept range)", ref->kind, ref->name, ref->value);
    }
    js["tipping_point_" + tp.direction] = j;
    if (tp.found) {
      std::string ci = std::isfinite(tp.ci_lo) ? fmt::format("; {:.0f} % bootstrap CI {}–{}", 100 * rule.level, g4(tp.ci_lo),
                                                             g4(tp.ci_hi))
                       : tp.tested ? std::string("; bootstrap CI not defined (too few resamples cross the level)")
                                   : std::string();
      std::string stat = tp.tested ? fmt::format("; Welch test of a change beyond {}: t = {}, df {:.1f}, Holm p = {:.2g}",
                                                 g4(rule.min_effect * tp.range), g4(tp.t_excess), tp.df, tp.p_holm)
                                   : std::string(", untested");
      text += fmt::format("  tipping point ({}) {} ≈ {} in [{}, {}] (crossing between {} and {}{}): {} {} → {} ({:+.4g}{}){}\n",
                          tp.direction, param, g4(tp.location), g4(tp.interval_lo), g4(tp.interval_hi), g4(tp.bracket_lo),
                          g4(tp.bracket_hi), ci, order, g4(tp.from), g4(tp.to), tp.jump, stat, ref_text);
      found.push_back(fmt::format("{} tip at {} ≈ {} in [{}, {}]{}", tp.direction, param, g4(tp.location), g4(tp.interval_lo),
                                  g4(tp.interval_hi), tp.tested ? "" : " (untested)"));
    } else {
      text += fmt::format("  no tipping point ({}): {}{}\n", tp.direction, tp.reason, ref_text);
    }
  }
  if (hysteresis && ex.tipping.size() == 2) {
    const auto& h = ex.hysteresis;
    nlohmann::ordered_json hj = {{"verdict", h.verdict},
                                 {"band", h.band ? nlohmann::ordered_json{h.lo, h.hi} : nlohmann::ordered_json(nullptr)},
                                 {"width", h.band ? nlohmann::ordered_json(h.width) : nlohmann::ordered_json(nullptr)},
                                 {"memory", h.memory_points ? nlohmann::ordered_json{h.memory_lo, h.memory_hi}
                                                            : nlohmann::ordered_json(nullptr)},
                                 {"memory_points", h.memory_points},
                                 {"low_end", {{"value", sweep.lo}, {"up", num_or_null(h.end_up)}, {"down", num_or_null(h.end_down)},
                                              {"p", num_or_null(h.end_p)}}},
                                 {"reason", h.reason}};
    const simulate::ReferenceTip *ru = nullptr, *rd = nullptr;
    for (const auto& r : refs) (r.direction == "up" ? ru : rd) = &r;
    std::string ref_band;
    if (ru && rd && rd->value < ru->value) {
      hj["reference_band"] = {rd->value, ru->value};
      ref_band = fmt::format(" ({} band [{:.6f}, {:.6f}])", ru->kind, rd->value, ru->value);
    }
    js["hysteresis"] = hj;
    js["hysteresis_width"] = h.band ? nlohmann::ordered_json(h.width) : nlohmann::ordered_json(nullptr);
    if (h.band)
      text += fmt::format("  hysteresis band: {} in [{}, {}], width {} — lower edge in [{}, {}], upper edge in [{}, {}]{}\n",
                          param, g4(h.lo), g4(h.hi), g4(h.width), g4(ex.tipping[1].interval_lo),
                          g4(ex.tipping[1].interval_hi), g4(ex.tipping[0].interval_lo), g4(ex.tipping[0].interval_hi),
                          ref_band);
    else
      text += fmt::format("  hysteresis: {}\n", h.reason);
  }
  // Headline: what the sweep found, in one line.
  if (hysteresis && ex.hysteresis.band)
    headline = fmt::format("{} sweep of {}: hysteresis band {} in [{}, {}] (up tip in [{}, {}], down tip in [{}, {}]){}", m.name(),
                           order, param, g4(ex.hysteresis.lo), g4(ex.hysteresis.hi), g4(ex.tipping[0].interval_lo),
                           g4(ex.tipping[0].interval_hi), g4(ex.tipping[1].interval_lo), g4(ex.tipping[1].interval_hi),
                           ex.tipping[0].tested ? "" : ", untested (one replicate)");
  else if (found.empty())
    headline = fmt::format("{} sweep of {}: no tipping point{}", m.name(), order,
                           hysteresis ? "; no hysteresis detected" : "");
  else
    headline = fmt::format("{} sweep of {}: {}{}", m.name(), order, fmt::join(found, "; "),
                           !hysteresis                              ? ""
                           : ex.hysteresis.verdict == "irreversible" ? "; irreversible within the swept range"
                           : ex.hysteresis.verdict == "gradual" || ex.hysteresis.verdict == "memory"
                               ? fmt::format("; hysteresis without an abrupt way back (memory for {} in [{}, {}])", param,
                                             g4(ex.hysteresis.memory_lo), g4(ex.hysteresis.memory_hi))
                               : "; no hysteresis detected");
  return text;
}

Result run_simulate(const SimulateOptions& o, Context& ctx) {
  const bool geography = !o.regions.empty();
  const bool world_inputs = !o.focal.empty() || !o.establishments.empty() || !o.employment.empty() ||
                            !o.institutions.empty() || !o.ties.empty() || !o.industry.empty();
  if ((geography || world_inputs) && o.model != "ecosystem")
    throw_usage(ErrorCode::invalid_option_value, "--regions, --focal, --establishments, --employment, --industry, "
                "--institutions and --ties are for --model ecosystem");
  if (world_inputs && !geography)
    throw_usage(ErrorCode::missing_option, "--focal, --establishments, --employment, --institutions and --ties need --regions FILE",
                "e.g. --regions regions.csv --focal 06085");
  // The ecosystem on workspace regions is its own model instance holding the geography.
  std::shared_ptr<const simulate::ecosystem::World> world;
  std::unique_ptr<simulate::Model> geo_model;
  if (geography) {
    simulate::ecosystem::WorldFiles files{o.regions, o.focal, o.establishments, o.employment, o.industry, o.institutions, o.ties};
    world = std::make_shared<const simulate::ecosystem::World>(simulate::ecosystem::load_world(files));
    geo_model = simulate::ecosystem::make_model(world);
  }
  const auto& m = geo_model ? *geo_model : simulate::find_model(o.model);
  const auto params = simulate::resolve_params(m, o.param);
  std::optional<simulate::Sweep> sweep;
  if (!o.sweep.empty()) sweep = simulate::parse_sweep(m, o.sweep);
  if (o.hysteresis && !sweep)
    throw_usage(ErrorCode::invalid_option_value, "--hysteresis needs --sweep", "e.g. --sweep alpha=0:6:25 --hysteresis");
  if ((!o.checkpoint.empty() || !o.resume.empty()) && o.model != "ecosystem")
    throw_usage(ErrorCode::invalid_option_value, "--checkpoint and --resume are for --model ecosystem",
                "the canonical models run in seconds; rerun them instead");
  if ((!o.checkpoint.empty() || !o.resume.empty()) && (sweep || o.replicates > 1))
    throw_usage(ErrorCode::invalid_option_value, "--checkpoint/--resume work on a single run",
                "drop --sweep and --replicates");

  Result res;
  nlohmann::ordered_json js;
  js["model"] = m.name();
  js["description"] = m.summary();
  nlohmann::ordered_json pj;
  for (const auto& [k, v] : params) pj[k] = v;
  js["parameters"] = pj;
  js["seed"] = ctx.seed;
  js["steps"] = o.steps > 0 ? o.steps : m.default_steps();
  js["replicates"] = o.replicates;
  if (world) {
    js["geography"] = {{"regions_file", o.regions}, {"regions", world->size()}, {"focal", world->codes[world->focal]},
                       {"focal_name", world->names[world->focal]}, {"distance", "great-circle km"},
                       {"initial_firms", !o.establishments.empty() ? "establishments" : !o.employment.empty() ? "employment" : "parameters"},
                       {"institutions", world->institutions.size()}, {"ties", world->ties.size()}};
  }

  // Analytic values at the base parameters.
  const auto an = m.analytic(params);
  for (const auto& [k, v] : an.values) js[k] = number_or_list(v);
  if (!an.notes.empty()) js["analytic_notes"] = an.notes;

  std::string text = fmt::format("model {}: {}\n", m.name(), m.summary());
  for (const auto& [k, v] : an.values)
    text += fmt::format("  {:<34} {}\n", k, v.size() == 1 ? fmt::format("{:.6f}", v[0]) : fmt::format("{:.6f}", fmt::join(v, ", ")));

  if (o.model == "ecosystem" && (!o.checkpoint.empty() || !o.resume.empty())) {
    // One run cannot be split: under mpirun rank 0 runs it and the other ranks stand by.
    if (parallel::mpi::rank() != 0) {
      res.output_written = true;
      return res;
    }
    auto er = simulate::ecosystem::run_with_checkpoint(params, ctx.seed, o.steps, o.resume, o.checkpoint, world.get());
    data::Table runs;
    runs.add_integer("replicate", {0});
    for (const auto& [k, v] : er.metrics) {
      runs.add_real(k, {v});
      js["metrics"][k] = v;
    }
    res.tables.emplace_back("runs", std::move(runs));
    res.tables.emplace_back("steps", std::move(er.steps));
    res.tables.emplace_back("regions", std::move(er.regions));
    if (!o.checkpoint.empty()) res.files.push_back(o.checkpoint);
    res.summary_json = js.dump(1);
    text += fmt::format("  {} steps; checkpoint {}\n", er.steps.rows() ? er.steps.rows() - 1 : 0,
                        o.checkpoint.empty() ? "not written" : o.checkpoint);
    res.text = text;
    return res;
  }

  simulate::ExperimentConfig cfg;
  cfg.seed = ctx.seed;
  cfg.replicates = o.replicates;
  cfg.steps = o.steps;
  cfg.hysteresis = o.hysteresis;
  cfg.tip_rule.alpha = o.tip_alpha;
  cfg.tip_rule.min_effect = o.tip_effect;
  auto ex = simulate::run_experiment(m, params, sweep, cfg);
  // Policy mixes (ecosystem): ranked by the least budget that pushes the focal region past
  // critical mass in the mean field, and optionally tried out by simulation (every rank takes
  // part in those runs).
  data::Table mixes;
  bool mixes_simulated = false;
  if (o.model == "ecosystem") {
    mixes = simulate::ecosystem::rank_mixes(params, world.get());
    if (o.mix_replicates > 0) {
      simulate::ExperimentConfig mc = cfg;
      mc.replicates = o.mix_replicates;
      mixes_simulated = simulate::simulate_mixes(mixes, params, mc, &m, world.get());
    }
  }
  if (!ex.root) {
    // An MPI rank other than 0 has sent its runs to rank 0, which writes every output.
    res.output_written = true;
    return res;
  }

  // Means of every metric over the runs (no sweep).
  if (!sweep) {
    nlohmann::ordered_json mj;
    const auto R = static_cast<double>(ex.runs.rows());
    for (const auto& col : ex.runs.columns()) {
      if (col.name == "replicate" || !col.is_real()) continue;
      const auto& v = std::get<data::RealColumn>(col.values);
      double s = 0, s2 = 0;
      for (double x : v) s += x;
      const double mean = s / R;
      for (double x : v) s2 += (x - mean) * (x - mean);
      const double se = R > 1 ? std::sqrt(s2 / (R - 1) / R) : 0.0;
      mj[col.name] = {{"mean", mean}, {"se", se}};
      text += fmt::format("  {:<34} {:.6f} (SE {:.6f}, {} runs)\n", "mean " + col.name, mean, se, ex.runs.rows());
    }
    js["metrics"] = mj;
  } else {
    js["sweep"] = {{"param", sweep->param}, {"lo", sweep->lo}, {"hi", sweep->hi}, {"points", sweep->points},
                   {"hysteresis", o.hysteresis}, {"order_parameter", m.order_parameter()}};
    text += describe_tips(ex, m, params, *sweep, o.hysteresis, js, res.headline);
  }
  res.tables.emplace_back("runs", std::move(ex.runs));
  if (ex.steps.cols()) res.tables.emplace_back("steps", std::move(ex.steps));
  if (ex.phase.cols()) res.tables.emplace_back("phase", std::move(ex.phase));
  if (ex.regions.cols()) res.tables.emplace_back("regions", std::move(ex.regions));
  if (o.model == "ecosystem") {
    const auto& names = std::get<data::TextColumn>(mixes.at("mix").values);
    const auto& budgets = std::get<data::RealColumn>(mixes.at("min_budget").values);
    auto num = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr); };
    nlohmann::ordered_json rj = nlohmann::ordered_json::array();
    text += mixes_simulated ? fmt::format("  policy mixes by least budget to reach critical mass (simulated share of {} runs "
                                          "past it at that budget, 95 % Wilson interval):\n", o.mix_replicates)
                            : std::string("  policy mixes by least budget to reach critical mass:\n");
    for (std::size_t i = 0; i < names.size(); ++i) {
      nlohmann::ordered_json e = {{"mix", names[i]}, {"min_budget", num(budgets[i])}};
      std::string line = fmt::format("   {:>2}. {:<36} {}", i + 1, names[i],
                                     std::isfinite(budgets[i]) ? fmt::format("{:.3f}", budgets[i]) : std::string("not reachable"));
      if (mixes_simulated) {
        const double sh = std::get<data::RealColumn>(mixes.at("share").values)[i];
        const double lo = std::get<data::RealColumn>(mixes.at("share_low").values)[i];
        const double hi = std::get<data::RealColumn>(mixes.at("share_high").values)[i];
        e["replicates"] = std::get<data::IntColumn>(mixes.at("replicates").values)[i];
        e["reached"] = std::get<data::IntColumn>(mixes.at("reached").values)[i];
        e["share"] = num(sh);
        e["share_ci"] = {num(lo), num(hi)};
        if (std::isfinite(sh)) line += fmt::format("   {:5.1f} % [{:.1f}, {:.1f}]", 100 * sh, 100 * lo, 100 * hi);
      }
      rj.push_back(std::move(e));
      text += line + "\n";
    }
    js["policy_ranking"] = rj;
    res.tables.emplace_back("policy_mixes", std::move(mixes));
  }
  res.summary_json = js.dump(1);
  res.text = text;
  (void)ctx;
  return res;
}

}  // namespace

void register_simulate(Registry& r) {
  r.add(make_operation<SimulateOptions>(
      "simulate", "Agent-based and analytical models of critical mass, tipping points and hysteresis",
      "Runs one model: the Pólya urn (beta-binomial law), Arthur's (1989) adoption and (1990) location "
      "models (lock-in probability a/(a+b), expected time a·b), Krugman's (1991) core–periphery model "
      "(break and sustain points), a Brenner (2004) birth–death model (fixed points, critical mass, "
      "saddle-node), Granovetter's (1978) thresholds, Schelling's (1971) location choice, continuum "
      "percolation (giant cluster at mean degree ≈ 4.51) and the productive-ecosystem model with "
      "policy levers. The analytic values are derived by root finding on each model's equations and "
      "written to summary.json. --sweep name=lo:hi:n with --replicates R writes a phase table and "
      "looks for a tipping point in each direction: a change of the mean order parameter by more than 30 % of its range "
      "(--tip-effect) within at most a quarter of the sweep, shown by Welch's (1947) t-test on the replicates with Holm's (1979) "
      "correction over the windows (--tip-alpha 0.05), reported with the sweep interval that contains it and a bootstrap "
      "interval of its location; with one replicate no test is possible and the tip is marked untested (a noise guard "
      "from the sweep's own scatter applies). --hysteresis sweeps up and down: a band [down tip, up tip] only when the down "
      "tip lies below the up tip, else 'irreversible', 'gradual' (memory without an abrupt way back) or 'no hysteresis "
      "detected'. Where theory gives the tip (Krugman's sustain and break points for T, Brenner's saddle nodes for alpha, "
      "the ecosystem's mean field) it is printed beside the simulated one. For the ecosystem, --mix-replicates R "
      "tries every policy mix R times at its least budget (share reaching critical mass, 95 % Wilson "
      "interval). The ecosystem runs on a synthetic grid or, with --regions FILE --focal CODE, on workspace regions "
      "(great-circle km between their points; initial firms from --establishments or --employment/--industry, "
      "institutions as agents from --institutions, firm ties from --ties); cluster_detected applies the US Cluster "
      "Mapping strong rule to the simulated employment. Results do not depend on --threads, nor on the number of MPI ranks: built with MPI, "
      "`mpirun -n K agglo simulate …` deals sweep points and replicates to K ranks and rank 0 writes the "
      "outputs. See docs/methods/simulate.md.",
      {"agglo simulate --model krugman --param sigma=5,mu=0.4 --sweep T=1.5:2.0:26 --hysteresis -o out/",
       "agglo simulate --model krugman --sweep T=1.5:2.0:26 --hysteresis --replicates 4 -o out/",
       "agglo simulate --model brenner --param alpha=1.5,stochastic=0 -o out/",
       "agglo simulate --model brenner --param stochastic=0 --sweep alpha=0:8:41 --hysteresis --steps 6000 -o out/",
       "agglo simulate --model arthur --param a=3,b=7 --replicates 10000 -o out/",
       "agglo simulate --model ecosystem --param regions=9,scale=10,congestion=0.3 --sweep grant=0:5:21 --hysteresis "
       "--replicates 8 --steps 300 -o out/",
       "agglo simulate --model ecosystem --mix-replicates 20 -o out/",
       "agglo simulate --model ecosystem --regions data/experiments/ca_counties.csv --focal 06085 --param ell=40 -o out/",
       "agglo simulate --model ecosystem --regions data/experiments/ca_counties.csv --focal 06019 --institutions "
       "data/experiments/ca_institutions.csv --param scale=10,ell=40 --sweep grant=0:5:21 --hysteresis --replicates 8 -o out/",
       "mpirun -n 4 agglo --threads 2 simulate --model krugman --sweep T=1.4:2.1:36 --replicates 16 -o out/"},
      "DIR/runs.csv (one row per run: parameter, direction, replicate, metrics), DIR/steps.csv (per step, "
      "without --sweep), DIR/phase.csv (sweeps: mean, sd, se, ci_low, ci_high of the order parameter), "
      "DIR/regions.csv (ecosystem without --sweep: replicate, region, name, lon/lat or x/y, focal, firms, employment, lq, "
      "cluster_detected, institutions at the end), "
      "DIR/policy_mixes.csv (ecosystem: mixes by least budget; with --mix-replicates also replicates, reached, "
      "share, share_low, share_high), DIR/summary.json (parameters, analytic values, tip_test, tipping_point_up/down "
      "with interval, bootstrap ci, Welch statistics and the reference value, hysteresis verdict)",
      &run_simulate));
}

}  // namespace agglo::api
