// The proximity section of `agglo demo` ("Which are the effects of proximity?", seed 003):
// spatial econometrics of a planted cluster's location quotient across the counties — the LM
// tests of the OLS fit, the model they point to (Anselin's 2005 decision rule), its direct and
// indirect impacts, and the spillover-distance profile (the lag model over a sequence of distance
// bands). Called from demo.cpp by two lines; every model runs through `agglo spatial-model`.
#include "demo_proximity.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>

#include "agglo/io/table_writer.hpp"

namespace agglo::api {

namespace {

const data::Table* table_of(const Result& r, const std::string& name) {
  for (const auto& [n, t] : r.tables)
    if (n == name) return &t;
  return nullptr;
}

// Anselin (2005, "Exploring Spatial Data with GeoDa", p. 199) decision rule on the LM tests.
std::string choose_model(const nlohmann::json& lm, double alpha, std::string& why) {
  const double p_lag = lm["LMlag"]["p"].get<double>(), p_err = lm["LMerr"]["p"].get<double>();
  const double p_rlag = lm["RLMlag"]["p"].get<double>(), p_rerr = lm["RLMerr"]["p"].get<double>();
  if (p_lag > alpha && p_err > alpha) return why = "neither LMlag nor LMerr is significant: OLS", "ols";
  if (p_lag <= alpha && p_err > alpha) return why = "only LMlag is significant: spatial lag", "sar";
  if (p_err <= alpha && p_lag > alpha) return why = "only LMerr is significant: spatial error", "sem";
  if (p_rlag <= alpha && p_rerr > alpha) return why = "both LM tests significant, only robust RLMlag: spatial lag", "sar";
  if (p_rerr <= alpha && p_rlag > alpha) return why = "both LM tests significant, only robust RLMerr: spatial error", "sem";
  const bool lag = lm["RLMlag"]["statistic"].get<double>() >= lm["RLMerr"]["statistic"].get<double>();
  why = p_rlag <= alpha ? "both LM tests and both robust tests significant: the larger robust statistic"
                        : "both LM tests significant, neither robust test: the larger robust statistic";
  return lag ? "sar" : "sem";
}

}  // namespace

void demo_proximity(std::vector<std::pair<std::string, Result>>& analyses, const std::string& workspace,
                    const std::string& polygon_layer, const std::string& lq_csv, const data::Table& regions,
                    const std::string& out, const Context& ctx) {
  const auto* op = Registry::global().find("spatial-model");
  if (op == nullptr) return;
  // y: the planted cluster's LQ; x: log population density of the county (from the regions table).
  std::map<std::string, double> density;
  {
    const auto& code = std::get<data::TextColumn>(regions.at("code").values);
    const auto& pop = std::get<data::RealColumn>(regions.at("population").values);
    const auto& area = std::get<data::RealColumn>(regions.at("area_km2").values);
    for (std::size_t i = 0; i < code.size(); ++i)
      if (area[i] > 0 && pop[i] > 0) density[code[i]] = std::log(pop[i] / area[i]);
  }
  // The LQ table (fips,lq, written by demo.cpp) gets the covariate column.
  const std::string values = out + "/proximity_values.csv";
  {
    std::ifstream in(lq_csv);
    std::string line;
    std::getline(in, line);
    data::Table v;
    auto& id = v.add_text("fips");
    auto& y = v.add_real("lq");
    auto& x = v.add_real("log_density");
    while (std::getline(in, line)) {
      const auto comma = line.find(',');
      if (comma == std::string::npos) continue;
      const std::string f = line.substr(0, comma);
      id.push_back(f);
      y.push_back(std::stod(line.substr(comma + 1)));
      const auto it = density.find(f);
      x.push_back(it == density.end() ? 0.0 : it->second);
    }
    io::write_csv(v, values);
  }
  Context sub = ctx;
  sub.output.clear();
  sub.quiet = true;
  core::ParamMap base{{"regions", workspace}, {"layer", polygon_layer}, {"id", "fips"}, {"values", values},
                      {"y", "lq"}, {"x", "log_density"}, {"weights", "queen"}, {"islands", "keep"}, {"draws", "500"}};
  auto run = [&](const std::string& label, core::ParamMap p) {
    try {
      analyses.emplace_back(label, op->run(p, sub));
      return true;
    } catch (const Error& e) {
      ctx.note(fmt::format("proximity: {} skipped ({})", label, e.message()));
      return false;
    }
  };
  auto p = base;
  p["model"] = "ols";
  if (!run("proximity_ols", p)) return;
  const auto js = nlohmann::json::parse(analyses.back().second.summary_json);
  std::string why;
  std::string chosen = choose_model(js["lm_tests"], 0.05, why);
  if (chosen == "ols") chosen = "sar";  // still show a lag model's impacts (they will be near 0)
  p["model"] = chosen;
  run("proximity_model", p);
  // Spillover-distance profile: the lag model on distance bands of the county centroids.
  data::Table prof;
  auto& c_d = prof.add_real("distance_km");
  auto& c_rho = prof.add_real("rho");
  auto& c_se = prof.add_real("rho_se");
  auto& c_ll = prof.add_real("log_likelihood");
  auto& c_aic = prof.add_real("aic");
  auto& c_ind = prof.add_real("indirect");
  auto& c_links = prof.add_real("mean_neighbours");
  for (double d : {50.0, 75.0, 100.0, 150.0, 200.0, 300.0}) {
    auto q = base;
    q["model"] = "sar";
    q["weights"] = "distance";
    q["distance"] = fmt::format("{}", d);
    q["draws"] = "0";
    Context s2 = sub;
    try {
      const auto r = op->run(q, s2);
      const auto j = nlohmann::json::parse(r.summary_json);
      c_d.push_back(d);
      c_rho.push_back(j["rho"].is_number() ? j["rho"].get<double>() : std::nan(""));
      c_se.push_back(j["rho_se"].is_number() ? j["rho_se"].get<double>() : std::nan(""));
      c_ll.push_back(j["log_likelihood"].get<double>());
      c_aic.push_back(j["aic"].get<double>());
      c_links.push_back(j["mean_neighbours"].get<double>());
      const auto* im = table_of(r, "impacts");
      c_ind.push_back(im && !std::get<data::RealColumn>(im->at("indirect").values).empty()
                          ? std::get<data::RealColumn>(im->at("indirect").values)[0]
                          : std::nan(""));
    } catch (const Error& e) {
      ctx.note(fmt::format("proximity: distance band {} km skipped ({})", d, e.message()));
    }
  }
  Result pr;
  pr.tables.emplace_back("spillover_distance", std::move(prof));
  nlohmann::ordered_json pj{{"chosen_model", chosen}, {"rule", why}};
  pr.summary_json = pj.dump();
  analyses.emplace_back("proximity_distance", std::move(pr));
}

void demo_proximity_report(report::HtmlReport& rep, const std::vector<std::pair<std::string, Result>>& analyses) {
  const Result *ols = nullptr, *model = nullptr, *dist = nullptr;
  for (const auto& [n, r] : analyses) {
    if (n == "proximity_ols") ols = &r;
    if (n == "proximity_model") model = &r;
    if (n == "proximity_distance") dist = &r;
  }
  if (ols == nullptr) return;
  rep.heading("Which are the effects of proximity? (spatial econometrics)");
  const auto oj = nlohmann::json::parse(ols->summary_json);
  const auto& lm = oj["lm_tests"];
  std::string why = "-", chosen = "-";
  if (dist) {
    const auto dj = nlohmann::json::parse(dist->summary_json);
    why = dj["rule"].get<std::string>(), chosen = dj["chosen_model"].get<std::string>();
  }
  rep.paragraph(fmt::format(
      "Does a county's location quotient of the planted cluster depend on its neighbours'? The OLS fit of the LQ "
      "on log population density (queen contiguity of the county polygons, row-standardised) gives Moran's I of "
      "the residuals {:.3f} (p {:.3g}) and the LM tests of Anselin et al. (1996): LMlag {:.2f} (p {:.3g}), LMerr "
      "{:.2f} (p {:.3g}), robust RLMlag {:.2f}, RLMerr {:.2f}, SARMA {:.2f}. Rule (Anselin 2005): {} → {}. "
      "Formulas: docs/methods/spatial_model.md.",
      oj["moran_residuals"]["I"].get<double>(), oj["moran_residuals"]["p"].get<double>(), lm["LMlag"]["statistic"].get<double>(),
      lm["LMlag"]["p"].get<double>(), lm["LMerr"]["statistic"].get<double>(), lm["LMerr"]["p"].get<double>(),
      lm["RLMlag"]["statistic"].get<double>(), lm["RLMerr"]["statistic"].get<double>(), lm["SARMA"]["statistic"].get<double>(),
      why, chosen));
  if (model) {
    if (const auto* c = table_of(*model, "coefficients")) rep.table(*c, 10, "agglo spatial-model --model " + chosen + ": coefficients");
    if (const auto* im = table_of(*model, "impacts"); im && im->rows() > 0)
      rep.table(*im, 10, "direct, indirect (spillover) and total impacts (LeSage & Pace 2009), simulated standard errors");
    if (const auto* io = table_of(*model, "impacts_by_order"); io && io->rows() > 0)
      rep.table(*io, 6, "how the effect spreads with the order of neighbours (series of rho^j W^j)");
  }
  if (dist) {
    if (const auto* pt = table_of(*dist, "spillover_distance"); pt && pt->rows() > 0) {
      rep.paragraph("Spillover distance: the spatial lag model with a binary-neighbour distance band of the county "
                    "centroids (row-standardised), band by band. The band with the highest log-likelihood is the "
                    "reach at which proximity explains the map best.");
      rep.table(*pt, 10, "spatial lag model by distance band");
    }
  }
}

}  // namespace agglo::api
