// The demo's dynamics section (issue 18): will a region enter an industry (entry prediction on
// the bundled two-year panel), will an entrant survive (Cox model on synthetic establishment
// histories with planted effects), and did a programme work (Callaway–Sant'Anna on a synthetic
// staggered programme with planted effects, beside the biased two-way fixed effects estimate).
// Each analysis runs through the registry as its command would; inputs are written under
// OUT/dynamics/ so the user can rerun the commands shown.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "agglo/api/operation.hpp"
#include "agglo/dynamics/synthetic_programme.hpp"
#include "agglo/dynamics/synthetic_spells.hpp"
#include "agglo/io/atomic_file.hpp"
#include "agglo/io/table_writer.hpp"
#include "agglo/report/html_report.hpp"
#include "dynamics_ops.hpp"

namespace agglo::api {

namespace {

const data::Table* table_of(const Result& r, const std::string& name) {
  for (const auto& [n, t] : r.tables)
    if (n == name) return &t;
  return nullptr;
}

Result run_op(const std::string& name, const core::ParamMap& p, const Context& ctx) {
  Context sub = ctx;
  sub.output.clear();
  sub.quiet = true;
  return Registry::global().find(name)->run(p, sub);
}

}  // namespace

void demo_dynamics_section(report::HtmlReport& rep, const std::string& out, const std::string& data_dir, Context& ctx) {
  const std::string dir = out + "/dynamics";
  io::make_directories(dir);
  ctx.note("dynamics: entry prediction, survival, programme evaluation");

  // --- entry
  const auto entry = run_op("entry", {{"employment", data_dir + "/sample/panel_tiny.csv"}, {"from", "2019"}, {"to", "2024"}}, ctx);
  const auto es = nlohmann::json::parse(entry.summary_json);
  rep.heading("Which industries will a county enter? (entry prediction, 2019 → 2024)");
  rep.paragraph(fmt::format(
      "agglo entry on the bundled county × industry panel (data/sample/panel_tiny.csv, derived from the synthetic economy): "
      "a candidate is an industry a county was not specialised in in 2019 (LQ < 1); it entered when LQ ≥ 1 in 2024. A logit "
      "on relatedness density, PCI, ubiquity and size, evaluated by 5-fold cross-validation over counties: {} of {} "
      "candidates entered. ROC AUC {:.3f} against density alone {:.3f}, PCI alone {:.3f} and a random score {:.3f}; "
      "average precision {:.3f} against the base rate {:.3f}. Method: docs/methods/dynamics.md.",
      es["entries"].get<std::size_t>(), es["candidates"].get<std::size_t>(), es["auc"].get<double>(),
      es["baselines"]["density"]["auc"].get<double>(), es["baselines"]["pci"]["auc"].get<double>(),
      es["baselines"]["random"]["auc"].get<double>(), es["pr_auc"].get<double>(), es["entry_rate"].get<double>()));
  rep.raw(report::svg_bar_chart({"logit (density + controls)", "density alone", "PCI alone", "random"},
                                {es["auc"].get<double>(), es["baselines"]["density"]["auc"].get<double>(),
                                 es["baselines"]["pci"]["auc"].get<double>(), es["baselines"]["random"]["auc"].get<double>()},
                                "Out-of-sample ROC AUC of entry predictions", ""));
  if (const auto* c = table_of(entry, "coefficients")) rep.table(*c, 10, "entry logit coefficients (whole sample)");

  // --- survival
  dynamics::SpellSpec ss;
  const auto spells = dynamics::synthetic_spells(ss, ctx.seed);
  io::write_csv(spells, dir + "/spells.csv");
  const auto surv = run_op("survival", {{"spells", dir + "/spells.csv"}, {"time", "duration"}, {"event", "exited"},
                                        {"covariates", "density,spinoff,foreign,noise"}, {"cluster", "region"}},
                           ctx);
  const auto sv = nlohmann::json::parse(surv.summary_json);
  rep.heading("Which entrants survive? (Cox proportional hazards)");
  rep.paragraph(fmt::format(
      "agglo survival on {} synthetic establishment histories (OUT/dynamics/spells.csv; entry 2000–2019, observed to 2020) "
      "with planted log hazard ratios: relatedness density {:.2f}, spinoff {:.2f}, foreign-owned {:.2f}, noise 0. Cox model, "
      "Efron ties, standard errors clustered by region; {} exits; concordance {:.3f}. A hazard ratio below 1 means longer "
      "survival.",
      spells.rows(), ss.beta_density, ss.beta_spinoff, ss.beta_foreign, sv["events"].get<std::size_t>(),
      sv["concordance"].get<double>()));
  if (const auto* t = table_of(surv, "survival")) rep.table(*t, 10, "agglo survival --spells spells.csv --time duration --event exited --covariates density,spinoff,foreign,noise --cluster region");

  // --- programme evaluation
  dynamics::ProgrammeSpec ps;
  const auto prog = dynamics::synthetic_programme(ps, ctx.seed);
  {
    data::Table t;
    auto& u = t.add_text("region");
    auto& y = t.add_integer("year");
    auto& v = t.add_real("outcome");
    auto& g = t.add_integer("programme_year");
    const std::size_t T = prog.panel.periods.size();
    for (std::size_t i = 0; i < prog.panel.unit_names.size(); ++i)
      for (std::size_t k = 0; k < T; ++k) {
        u.push_back(prog.panel.unit_names[i]);
        y.push_back(prog.panel.periods[k]);
        v.push_back(prog.panel.y[i * T + k]);
        g.push_back(prog.panel.cohort[i]);
      }
    io::write_csv(t, dir + "/programme.csv");
  }
  const auto did = run_op("evaluate did", {{"panel", dir + "/programme.csv"}, {"unit", "region"}, {"time", "year"},
                                           {"outcome", "outcome"}, {"cohort", "programme_year"}, {"bootstrap", "999"}},
                          ctx);
  const auto ds = nlohmann::json::parse(did.summary_json);
  rep.heading("Did the cluster programme work? (staggered difference in differences)");
  rep.paragraph(fmt::format(
      "agglo evaluate did on a synthetic programme (OUT/dynamics/programme.csv): {} regions over {}–{}, joining in 2003, "
      "2006 or 2009 (10 % never join), with planted effects that grow with exposure and differ by cohort. The planted "
      "average effect on the treated is {:.3f}; Callaway & Sant'Anna's simple ATT is {:.3f} (se {:.3f}). The plain two-way "
      "fixed effects estimate is {:.3f}: it compares late joiners with regions already treated and is biased "
      "(Goodman-Bacon 2021).",
      prog.panel.unit_names.size(), prog.panel.periods.front(), prog.panel.periods.back(), prog.att_simple,
      ds["att_simple"].get<double>(), ds["att_simple_se"].get<double>(), ds["twfe"].get<double>()));
  if (const auto* dyn = table_of(did, "dynamic")) {
    const auto& e = std::get<data::IntColumn>(dyn->at("event_time").values);
    const auto& a = std::get<data::RealColumn>(dyn->at("att").values);
    const auto& lo = std::get<data::RealColumn>(dyn->at("band_lower").values);
    const auto& hi = std::get<data::RealColumn>(dyn->at("band_upper").values);
    std::vector<std::vector<double>> xs(3), ys(3);
    for (std::size_t i = 0; i < e.size(); ++i) {
      for (int k = 0; k < 3; ++k) xs[k].push_back(static_cast<double>(e[i]));
      ys[0].push_back(a[i]);
      ys[1].push_back(lo[i]);
      ys[2].push_back(hi[i]);
    }
    rep.raw(report::svg_line_chart(xs, ys, {"ATT by event time", "uniform band (lower)", "uniform band (upper)"},
                                   "Event study (Callaway–Sant'Anna dynamic aggregation)", "years since joining", "effect"));
  }
}

}  // namespace agglo::api
