// `agglo complexity`: RCA, ECI/PCI (eigenvector, reflections, fitness), proximity, density,
// COG/COI, PRODY/EXPY, the product space backbone and panel dynamics from location × product
// exports (formulas in include/agglo/complexity/*.hpp and docs/methods/complexity.md).
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

#include "../builtin.hpp"
#include "complexity_settings.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/complexity/complexity.hpp"
#include "agglo/complexity/panel_dynamics.hpp"
#include "agglo/complexity/product_space.hpp"
#include "agglo/io/inputs.hpp"

namespace agglo::api {

namespace {

struct ComplexityOptions : complexity_ops::ComplexitySettings {
  std::string exports;
  std::string gdp;
  std::optional<std::int64_t> year;
  std::int64_t reflections_iterations = 20;
  std::int64_t fitness_iterations = 200;
  double proximity_min = 0.0;
  double backbone_min = 0.55;
  bool all_cells = false;
  std::vector<std::string> tables = {"eci", "pci", "rca", "density", "proximity", "coi", "backbone", "dynamics"};

  static void describe(core::OptionSchema<ComplexityOptions>& s) {
    s.add("exports", &ComplexityOptions::exports, "location × product values CSV (location,product,value[,year]): exports, or employment by region × industry").path().required();
    s.add("gdp", &ComplexityOptions::gdp, "GDP per capita CSV (country,value or location,value): adds prody to pci.csv and expy to eci.csv").path();
    complexity_ops::describe_settings(s, "what fills the eci/pci columns and drives COI/COG (all three are always reported)");
    s.add("year", &ComplexityOptions::year, "analyse this year only (default: every year of a panel, with a year column)");
    s.add("reflections-iterations", &ComplexityOptions::reflections_iterations, "N of the method of reflections (rounded up to even)").min(2).max(10000);
    s.add("fitness-iterations", &ComplexityOptions::fitness_iterations, "maximum iterations of fitness–complexity").min(1).max(100000);
    s.add("proximity-min", &ComplexityOptions::proximity_min, "write proximity pairs with φ ≥ this (pairs with φ = 0 are never written)").min(0);
    s.add("backbone-min", &ComplexityOptions::backbone_min, "strong links kept in the product space backbone besides the maximum spanning tree: φ ≥ this").min(0);
    s.add("all-cells", &ComplexityOptions::all_cells, "rca.csv: every location × product cell (default: cells with value > 0)");
    s.add("tables", &ComplexityOptions::tables, "tables to write (all are computed)").choices({"eci", "pci", "rca", "density", "proximity", "coi", "backbone", "dynamics"});
  }
  void validate() const {
    if (tables.empty()) throw_usage(ErrorCode::invalid_option_value, "--tables needs at least one table");
  }
  bool want(const char* t) const { return std::find(tables.begin(), tables.end(), t) != tables.end(); }
};

Result run_complexity(const ComplexityOptions& o, Context& ctx) {
  io::ReadOptions ro;
  ro.allow_duplicate_rows = o.duplicates == "sum";
  const auto t0 = std::chrono::steady_clock::now();
  const auto panel = io::load_exports(o.exports, ro);
  const auto t1 = std::chrono::steady_clock::now();
  double analyse_s = 0;
  Result res;
  const auto years = complexity_ops::years_to_run(panel, o.year, o.exports);
  const bool year_col = panel.has_years() && !o.year;
  const auto su = complexity_ops::setup(o, o.exports, panel, o.reflections_iterations, o.fitness_iterations,
                                        res.warnings);
  const auto& locations = su.locations;
  const auto& products = su.products;
  const auto& opts = su.options;
  const bool loc_names = !su.location_names.name.empty() && su.location_names.matched > 0;
  const bool prod_names = !su.product_names.name.empty() && su.product_names.matched > 0;
  std::optional<std::vector<double>> gdp;
  if (!o.gdp.empty()) gdp = complexity_ops::load_location_values(o.gdp, locations, "GDP per capita", res.warnings);
  const std::size_t L = locations.size(), P = products.size();

  data::Table eci, pci, rca, dens, coi, prox, bb;
  auto& e_loc = eci.add_text("location");
  auto& e_div = eci.add_integer("diversity");
  auto& e_eci = eci.add_real("eci");
  auto& e_eig = eci.add_real("eci_eigenvector");
  auto& e_ref = eci.add_real("eci_reflections");
  auto& e_fit = eci.add_real("fitness");
  auto& e_avg = eci.add_real("avg_ubiquity");
  auto& e_tot = eci.add_real("total");
  auto* e_expy = gdp ? &eci.add_real("expy") : nullptr;
  auto* e_year = year_col ? &eci.add_integer("year") : nullptr;
  auto& p_prod = pci.add_text("product");
  auto& p_ubq = pci.add_integer("ubiquity");
  auto& p_pci = pci.add_real("pci");
  auto& p_eig = pci.add_real("pci_eigenvector");
  auto& p_ref = pci.add_real("pci_reflections");
  auto& p_fit = pci.add_real("fitness_complexity");
  auto& p_avg = pci.add_real("avg_diversity");
  auto& p_tot = pci.add_real("total");
  auto* p_prody = gdp ? &pci.add_real("prody") : nullptr;
  auto* p_year = year_col ? &pci.add_integer("year") : nullptr;
  auto& r_loc = rca.add_text("location");
  auto& r_prod = rca.add_text("product");
  auto& r_rca = rca.add_real("rca");
  auto& r_m = rca.add_integer("mcp");
  auto& r_val = rca.add_real("value");
  auto* r_rpop = opts.rca.test != complexity::PresenceTest::rca ? &rca.add_real("rpop") : nullptr;
  auto* r_year = year_col ? &rca.add_integer("year") : nullptr;
  auto& d_loc = dens.add_text("location");
  auto& d_prod = dens.add_text("product");
  auto& d_den = dens.add_real("density");
  auto& d_cog = dens.add_real("cog");
  auto& d_m = dens.add_integer("mcp");
  auto* d_year = year_col ? &dens.add_integer("year") : nullptr;
  auto& c_loc = coi.add_text("location");
  auto& c_coi = coi.add_real("coi");
  auto* c_year = year_col ? &coi.add_integer("year") : nullptr;

  std::vector<complexity::Snapshot> snaps;
  // The rows of each year, found in one pass over the panel (not one pass per year).
  std::vector<std::vector<std::uint32_t>> rows_of_year;
  if (years.size() > 1 && panel.size() < std::numeric_limits<std::uint32_t>::max()) {
    std::unordered_map<int, std::size_t> slot;
    for (std::size_t yi = 0; yi < years.size(); ++yi) slot.emplace(*years[yi], yi);
    rows_of_year.resize(years.size());
    for (std::size_t k = 0; k < panel.size(); ++k)
      if (const auto it = slot.find(panel.year[k]); it != slot.end())
        rows_of_year[it->second].push_back(static_cast<std::uint32_t>(k));
  }
  nlohmann::ordered_json per_year = nlohmann::ordered_json::array();
  // Years are analysed `batch` at a time in parallel (each year is also parallel inside; the
  // serial stages of one year — RCA, eigenvectors, fitness — overlap with another year's work),
  // then written out in year order. Every year's numbers are independent of the batching.
  const std::size_t batch = years.size() > 1 ? 2 : 1;
  std::vector<data::DenseMatrix> phi_buffers(batch);  // φ's P² doubles per slot, reused
  std::vector<std::optional<complexity::ExportMatrix>> xs(batch);
  std::vector<std::optional<complexity::Analysis>> as(batch);
  std::vector<std::vector<std::string>> sample_warnings(batch);  // the export floor's, per year
  std::vector<std::vector<bool>> left_out(batch);                // the year's sample
  std::size_t kept_last = 0;  // locations in the last year's calculation (headline)
  std::vector<std::size_t> order_last;  // the last year's locations by ECI, highest first
  for (std::size_t yi = 0; yi < years.size(); ++yi) {
    const auto y = years[yi];
    const bool last = yi + 1 == years.size();
    const std::size_t slot = yi % batch;
    if (slot == 0) {
      const std::size_t n = std::min(batch, years.size() - yi);
      const auto ta = std::chrono::steady_clock::now();
      tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
        const std::size_t yj = yi + i;
        auto year_opts = opts;
        sample_warnings[i] = complexity_ops::sample_for_year(su, years[yj], year_opts);
        left_out[i] = year_opts.rca.left_out;
        year_opts.keep_proximity = yj + 1 == years.size() && (o.want("proximity") || o.want("backbone"));
        xs[i] = rows_of_year.empty() ? complexity::export_matrix(panel, years[yj])
                                     : complexity::export_matrix(panel, rows_of_year[yj]);
        if (!rows_of_year.empty()) std::vector<std::uint32_t>().swap(rows_of_year[yj]);
        as[i] = complexity::analyse(*xs[i], year_opts, gdp ? &*gdp : nullptr, &phi_buffers[i]);
      });
      analyse_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - ta).count();
    }
    if (!ctx.quiet && years.size() > 1) ctx.note(fmt::format("complexity: year {}", *y));
    const auto& x = *xs[slot];
    auto& a = *as[slot];
    const auto& m = a.rca.m;
    for (const auto& w : sample_warnings[slot]) res.warnings.push_back(y ? fmt::format("{}: {}", *y, w) : w);
    for (const auto& w : a.warnings) res.warnings.push_back(y ? fmt::format("{}: {}", *y, w) : w);
    if (last) {
      for (std::size_t c = 0; c < L; ++c)
        if (!a.rca.location_excluded[c] && std::isfinite(a.eci[c])) order_last.push_back(c);
      std::stable_sort(order_last.begin(), order_last.end(), [&](auto i, auto j) { return a.eci[i] > a.eci[j]; });
      kept_last = order_last.size();
    }
    std::vector<double> div(L), lnf(L);
    for (std::size_t c = 0; c < L; ++c) div[c] = m.diversity[c] > 0 ? m.diversity[c] : std::nan("");
    for (std::size_t c = 0; c < L; ++c) lnf[c] = std::log(a.fit.fitness[c]);
    nlohmann::ordered_json by_exports = nlohmann::ordered_json::array();
    for (std::size_t c = 0; c < L; ++c)
      if (left_out[slot][c] && !su.left_out_population[c]) by_exports.push_back(locations[c]);
    per_year.push_back({{"year", y ? nlohmann::ordered_json(*y) : nlohmann::ordered_json(nullptr)},
                        {"left_out_by_exports", by_exports},
                        {"locations", L - std::count(a.rca.location_excluded.begin(), a.rca.location_excluded.end(), true)},
                        {"products", P - std::count(a.rca.product_excluded.begin(), a.rca.product_excluded.end(), true)},
                        {"presence_cells", m.nnz()},
                        {"eigenvalue2", a.eigen.eigenvalue2},
                        {"eigenvalue3", a.eigen.eigenvalue3},
                        {"eigen_converged", a.eigen.converged},
                        {"spearman_eci_reflections", complexity::spearman(a.eigen.eci, a.refl.eci)},
                        {"spearman_pci_reflections", complexity::spearman(a.eigen.pci, a.refl.pci)},
                        {"spearman_eci_log_fitness", complexity::spearman(a.eigen.eci, lnf)},
                        {"pearson_eci_diversity", complexity::pearson(a.eigen.eci, div)},
                        {"fitness_iterations", a.fit.iterations},
                        {"fitness_converged", a.fit.converged}});
    for (std::size_t c = 0; c < L; ++c) {
      if (a.rca.location_excluded[c]) continue;
      if (o.want("eci")) {
        e_loc.push_back(locations[c]);
        e_div.push_back(m.diversity[c]);
        e_eci.push_back(a.eci[c]);
        e_eig.push_back(a.eigen.eci[c]);
        e_ref.push_back(a.refl.eci[c]);
        e_fit.push_back(a.fit.fitness[c]);
        e_avg.push_back(a.refl.avg_ubiquity[c]);
        e_tot.push_back(a.rca.location_total[c]);
        if (e_expy) e_expy->push_back(a.prody->expy[c]);
        if (e_year) e_year->push_back(*y);
      }
      if (o.want("coi")) {
        c_loc.push_back(locations[c]);
        c_coi.push_back(a.outlook.coi[c]);
        if (c_year) c_year->push_back(*y);
      }
    }
    for (std::size_t p = 0; p < P && o.want("pci"); ++p) {
      if (a.rca.product_excluded[p]) continue;
      p_prod.push_back(products[p]);
      p_ubq.push_back(m.ubiquity[p]);
      p_pci.push_back(a.pci[p]);
      p_eig.push_back(a.eigen.pci[p]);
      p_ref.push_back(a.refl.pci[p]);
      p_fit.push_back(a.fit.complexity[p]);
      p_avg.push_back(a.refl.avg_diversity[p]);
      p_tot.push_back(a.rca.product_total[p]);
      if (p_prody) p_prody->push_back(a.prody->prody[p]);
      if (p_year) p_year->push_back(*y);
    }
    // Presence as a dense byte mask for the cell tables and the panel snapshots.
    complexity::Snapshot snap;
    snap.year = y ? *y : 0;
    snap.present.assign(L * P, 255);
    for (std::size_t c = 0; c < L; ++c) {
      if (a.rca.location_excluded[c]) continue;
      for (std::size_t p = 0; p < P; ++p)
        if (!a.rca.product_excluded[p]) snap.present[c * P + p] = 0;
      for (auto k = m.loc_ptr[c]; k < m.loc_ptr[c + 1]; ++k) snap.present[c * P + m.loc_products[k]] = 1;
    }
    for (std::size_t c = 0; c < L; ++c) {
      if (a.rca.location_excluded[c]) continue;
      for (std::size_t p = 0; p < P; ++p) {
        const auto pr = snap.present[c * P + p];
        if (pr > 1) continue;
        if (o.want("rca") && (o.all_cells || x.values(c, p) > 0)) {
          r_loc.push_back(locations[c]);
          r_prod.push_back(products[p]);
          r_rca.push_back(a.rca.rca(c, p));
          r_m.push_back(pr);
          r_val.push_back(x.values(c, p));
          if (r_rpop) r_rpop->push_back(a.rca.rpop(c, p));
          if (r_year) r_year->push_back(*y);
        }
        if (o.want("density")) {
          d_loc.push_back(locations[c]);
          d_prod.push_back(products[p]);
          d_den.push_back(a.outlook.density(c, p));
          d_cog.push_back(a.outlook.cog(c, p));
          d_m.push_back(pr);
          if (d_year) d_year->push_back(*y);
        }
      }
    }
    if (last && o.want("proximity")) {
      auto& a1 = prox.add_text("product_a");
      auto& b1 = prox.add_text("product_b");
      auto& v1 = prox.add_real("proximity");
      auto* yy = year_col ? &prox.add_integer("year") : nullptr;
      for (std::size_t p = 0; p < P; ++p)
        for (std::size_t q = p + 1; q < P; ++q) {
          const double v = a.phi(p, q);
          if (!(v > 0) || v < o.proximity_min) continue;
          a1.push_back(products[p]);
          b1.push_back(products[q]);
          v1.push_back(v);
          if (yy) yy->push_back(*y);
        }
    }
    if (last && o.want("backbone")) {
      std::vector<bool> active(P);
      for (std::size_t p = 0; p < P; ++p) active[p] = m.ubiquity[p] > 0;
      const auto edges = complexity::backbone(a.phi, active, o.backbone_min);
      auto& a1 = bb.add_text("product_a");
      auto& b1 = bb.add_text("product_b");
      auto& v1 = bb.add_real("proximity");
      auto& t1 = bb.add_integer("tree");
      auto* yy = year_col ? &bb.add_integer("year") : nullptr;
      for (const auto& e : edges) {
        a1.push_back(products[e.a]);
        b1.push_back(products[e.b]);
        v1.push_back(e.proximity);
        t1.push_back(e.in_tree ? 1 : 0);
        if (yy) yy->push_back(*y);
      }
    }
    if (years.size() > 1 && o.want("dynamics")) {
      snap.density = std::move(a.outlook.density);  // the year's last use of it
      snaps.push_back(std::move(snap));
    }
    as[slot].reset();
    xs[slot].reset();
  }
  if (o.want("eci")) res.tables.emplace_back("eci", std::move(eci));
  if (o.want("pci")) res.tables.emplace_back("pci", std::move(pci));
  if (o.want("rca")) res.tables.emplace_back("rca", std::move(rca));
  if (o.want("density")) res.tables.emplace_back("density", std::move(dens));
  if (o.want("proximity")) res.tables.emplace_back("proximity", std::move(prox));
  if (o.want("coi")) res.tables.emplace_back("coi", std::move(coi));
  if (o.want("backbone")) res.tables.emplace_back("backbone", std::move(bb));
  nlohmann::ordered_json dyn = nullptr;
  if (snaps.size() > 1) {
    const auto d = complexity::panel_dynamics(snaps, L, P);
    data::Table tr;
    auto& loc = tr.add_text("location");
    auto& yf = tr.add_integer("year_from");
    auto& yt = tr.add_integer("year_to");
    auto& en = tr.add_integer("entries");
    auto& ex = tr.add_integer("exits");
    auto& kp = tr.add_integer("kept");
    for (const auto& ch : d.changes) {
      loc.push_back(locations[ch.location]);
      yf.push_back(ch.year_from);
      yt.push_back(ch.year_to);
      en.push_back(ch.entries);
      ex.push_back(ch.exits);
      kp.push_back(ch.kept);
    }
    data::Table dec;
    auto& dd = dec.add_integer("decile");
    auto& dmin = dec.add_real("density_min");
    auto& dmax = dec.add_real("density_max");
    auto& dc = dec.add_integer("candidates");
    auto& de = dec.add_integer("entries");
    auto& dp = dec.add_real("probability");
    for (const auto& r : d.deciles) {
      dd.push_back(r.decile);
      dmin.push_back(r.density_min);
      dmax.push_back(r.density_max);
      dc.push_back(static_cast<std::int64_t>(r.candidates));
      de.push_back(static_cast<std::int64_t>(r.entries));
      dp.push_back(r.probability);
    }
    res.tables.emplace_back("transitions", std::move(tr));
    res.tables.emplace_back("entry_by_density", std::move(dec));
    dyn = {{"candidates", d.candidates},
           {"entries", d.entries},
           {"mean_density_entered", d.mean_density_entered},
           {"mean_density_not_entered", d.mean_density_not_entered}};
  }
  nlohmann::ordered_json summary{{"locations", L},
                                            {"products", P},
                                            {"method", o.method},
                                            {"normalisation", o.normalisation},
                                            {"threshold", o.threshold},
                                            {"strict", o.strict},
                                            {"presence", o.presence},
                                            {"rpop_threshold", o.rpop_threshold},
                                            {"proximity", o.proximity},
                                            {"cog_convention", o.cog_convention},
                                            {"density_self_term", o.cog_convention == "ecomplexity" || o.density_self_term},
                                            {"sample", su.sample_json()},
                                            {"names", {{"locations", su.location_names.source},
                                                       {"products", su.product_names.source}}},
                                            {"years", per_year},
                                            {"dynamics", dyn},
                                            {"warnings", res.warnings}};
  if (ctx.timings)
    summary["seconds"] = {{"load", std::chrono::duration<double>(t1 - t0).count()},
                          {"analyse", analyse_s},
                          {"total", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()}};
  res.summary_json = summary.dump(1);
  // "ECI of 151 of 226 locations (75 left out by the Atlas floors, see warnings); highest: …"
  std::size_t out_by_floor = 0;
  for (bool b : su.left_out_population) out_by_floor += b;
  std::string top;
  for (std::size_t k = 0; k < std::min<std::size_t>(5, order_last.size()); ++k) {
    const auto c = order_last[k];
    const auto& n = loc_names && !su.location_names.name[c].empty() ? su.location_names.name[c] : locations[c];
    top += (k ? ", " : "") + n;
  }
  res.headline = fmt::format("ECI of {} of {} locations{}{}{}", kept_last, L,
                             years.size() > 1 ? fmt::format(" in {} (last of {} years)", *years.back(), years.size()) : "",
                             out_by_floor ? fmt::format("; {} below the Atlas population floor left out (see warnings)",
                                                        out_by_floor)
                                          : "",
                             top.empty() ? "" : "; highest: " + top);
  return res;
}

}  // namespace

void register_complexity(Registry& r) {
  r.add(make_operation<ComplexityOptions>(
      "complexity", "economic complexity (ECI/PCI), proximity, density and complexity outlook",
      "From location × product values X_cp: RCA_cp = (X_cp/X_c)/(X_p/X) (Balassa 1965), presence "
      "M_cp = RCA ≥ threshold, diversity and ubiquity; ECI and PCI by the eigenvector method "
      "(second eigenvector of D_c⁻¹ M D_p⁻¹ Mᵀ, Lanczos on the sparse M; Hidalgo & Hausmann 2009; "
      "Hausmann et al. 2014), the method of reflections (Hidalgo & Hausmann 2009) and the "
      "fitness–complexity algorithm (Tacchella et al. 2012); ECI's sign makes it correlate "
      "positively with diversity; product proximity φ = C_pp'/max(k_p,k_p') (Hidalgo et al. 2007; "
      "or association, cosine, Jaccard); density d_cp = Σ M_cp' φ_pp' / Σ φ_pp'; COI and COG with "
      "py-ecomplexity's numbers by default (--cog-convention); PRODY and EXPY with --gdp "
      "(Hausmann, Hwang & Rodrik 2007). By default the calculation uses the Atlas of Economic "
      "Complexity's country sample (Hausmann et al. 2014): when the locations are countries, "
      "those with fewer than 1 million people (population from --population, else the bundled "
      "World Bank 1998–2000 figures) and, where the values are total exports, less than US$1 "
      "billion of exports are left out before RCA and named in a warning (--min-population, "
      "--min-exports, --values). The bundled world trade file's values are not total exports "
      "(about 1/110 of national totals), so only the population floor applies to it. A panel is "
      "analysed year by year (a year column is added) and gains entries/exits of specialisations "
      "and the probability of entry by density decile. Locations and products with zero totals "
      "are excluded and named. See docs/methods/complexity.md.",
      {"agglo complexity --exports data/reference/world_exports_sitc4_avg_1998_2000.csv -o out/",
       "agglo complexity --exports data/reference/world_exports_sitc4_avg_1998_2000.csv --gdp data/reference/world_gdp_per_capita_avg_1998_2000.csv --tables eci,pci -o out/",
       "agglo complexity --exports data/reference/world_exports_sitc4_avg_1998_2000.csv --method fitness --tables eci,pci -o fitness/",
       "agglo complexity --exports data/reference/world_exports_sitc4_avg_1998_2000.csv --min-population 0 --tables eci -o every_location/"},
      "a directory: eci.csv (location,diversity,eci,eci_eigenvector,eci_reflections,fitness,avg_ubiquity,total[,name][,expy][,year]), "
      "pci.csv (product,ubiquity,pci,pci_eigenvector,pci_reflections,fitness_complexity,avg_diversity,total[,name][,prody][,year]), "
      "rca.csv (location,product,rca,mcp,value), density.csv (location,product,density,cog,mcp), "
      "proximity.csv (product_a,product_b,proximity; last year), coi.csv (location,coi[,name]), backbone.csv "
      "(product_a,product_b,proximity,tree), for panels transitions.csv and entry_by_density.csv; summary.json "
      "(with the sample: floors, why, locations left out)",
      &run_complexity));
}

}  // namespace agglo::api
