// `agglo complexity`: RCA, ECI/PCI (eigenvector, reflections, fitness), proximity, density,
// COG/COI, PRODY/EXPY, the product space backbone and panel dynamics from location × product
// exports (formulas in include/agglo/complexity/*.hpp and docs/methods/complexity.md).
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <tbb/parallel_for.h>

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
#include "agglo/io/table_reader.hpp"

namespace agglo::api {

// Shared with `agglo opportunities` (src/api/ops/opportunities.cpp declares these).
namespace complexity_ops {

std::vector<double> load_location_values(const std::string& path, const std::vector<std::string>& locations,
                                         const char* what, std::vector<std::string>& warnings) {
  auto column = [](const char* name, io::ColumnKind kind, bool required) {
    io::ColumnSpec c;
    c.name = name;
    c.kind = kind;
    c.required = required;
    return c;
  };
  io::ColumnSpec country = column("country", io::ColumnKind::code, false);
  io::ColumnSpec location = column("location", io::ColumnKind::code, false);
  io::ColumnSpec value = column("value", io::ColumnKind::real, true);
  value.non_negative = true;
  value.allow_empty = true;
  value.meaning = std::string(what) + " ≥ 0";
  const io::TableSpec spec{what, {country, location, value}, {}};
  const auto t = io::read_table(path, spec);
  if (!t.has("country") && !t.has("location"))
    throw_input(ErrorCode::missing_column, fmt::format("{} has neither a country nor a location column", path),
                Location{path, 1, 0, ""}, fmt::format("the {} file needs country,value (or location,value)", what));
  const auto& key = t.has("country") ? t.col("country") : t.col("location");
  const auto& v = t.col("value");
  std::unordered_map<std::string, double> by_code;
  for (std::size_t i = 0; i < t.rows; ++i) by_code[std::string(key.dictionary.name(key.codes[i]))] = v.reals[i];
  std::vector<double> values(locations.size(), std::nan(""));
  std::size_t matched = 0;
  for (std::size_t c = 0; c < locations.size(); ++c)
    if (auto it = by_code.find(locations[c]); it != by_code.end()) values[c] = it->second, ++matched;
  if (matched == 0)
    throw_input(ErrorCode::unknown_reference,
                fmt::format("no location of the exports file is in {}", path), Location{path, 0, 0, key.spec.name},
                fmt::format("the {} file's country (or location) codes must be the exports file's location codes", what));
  if (matched < by_code.size())
    warnings.push_back(fmt::format("{} row(s) of {} name locations absent from the exports file and are ignored",
                                   by_code.size() - matched, path));
  return values;
}

complexity::AnalysisOptions analysis_options(const ComplexitySettings& st, std::int64_t reflections_iterations,
                                             std::int64_t fitness_iterations,
                                             const std::vector<std::string>& locations,
                                             std::vector<std::string>& warnings) {
  complexity::AnalysisOptions a;
  a.rca.threshold = st.threshold;
  a.rca.strict = st.strict;
  a.rca.min_location_total = st.min_total;
  a.rca.rpop_threshold = st.rpop_threshold;
  a.rca.test = st.presence == "rpop"     ? complexity::PresenceTest::rpop
               : st.presence == "either" ? complexity::PresenceTest::either
                                         : complexity::PresenceTest::rca;
  if (a.rca.test != complexity::PresenceTest::rca) {
    if (st.population.empty())
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--presence {} needs --population FILE", st.presence),
                  "per-capita RCA divides each location's value by its population");
    a.rca.population = load_location_values(st.population, locations, "population", warnings);
  } else if (!st.population.empty()) {
    warnings.push_back("--population is only used with --presence rpop or either; ignored");
  }
  const auto& method = st.method;
  const auto& normalisation = st.normalisation;
  a.method = method == "reflections" ? complexity::Method::reflections
             : method == "fitness"   ? complexity::Method::fitness
                                     : complexity::Method::eigenvector;
  a.normalisation = normalisation == "own"      ? complexity::Normalisation::own
                    : normalisation == "sample" ? complexity::Normalisation::sample
                    : normalisation == "none"   ? complexity::Normalisation::none
                                                : complexity::Normalisation::atlas;
  a.proximity = complexity::proximity_measure_from(st.proximity);
  a.density_self_term = st.density_self_term;
  a.reflections_iterations = static_cast<int>(reflections_iterations);
  a.fitness_iterations = static_cast<int>(fitness_iterations);
  return a;
}

// The years to analyse: --year, else every year of a panel, else the one period (nullopt).
std::vector<std::optional<int>> years_to_run(const data::Panel& panel, const std::optional<std::int64_t>& year,
                                             const std::string& file) {
  if (!panel.has_years()) return {std::nullopt};
  const auto ys = complexity::panel_years(panel);
  if (year) {
    if (std::find(ys.begin(), ys.end(), static_cast<int>(*year)) == ys.end())
      throw_usage(ErrorCode::invalid_option_value,
                  fmt::format("--year {} is not in {} (years {}…{})", *year, file, ys.front(), ys.back()));
    return {static_cast<int>(*year)};
  }
  return {ys.begin(), ys.end()};
}

}  // namespace complexity_ops

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
  std::vector<std::string> locations, products;
  for (std::uint32_t r = 0; r < panel.rows.size(); ++r) locations.emplace_back(panel.rows.name(r));
  for (std::uint32_t c = 0; c < panel.cols.size(); ++c) products.emplace_back(panel.cols.name(c));
  auto opts = complexity_ops::analysis_options(o, o.reflections_iterations, o.fitness_iterations, locations,
                                               res.warnings);
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
    for (const auto& w : a.warnings) res.warnings.push_back(y ? fmt::format("{}: {}", *y, w) : w);
    std::vector<double> div(L), lnf(L);
    for (std::size_t c = 0; c < L; ++c) div[c] = m.diversity[c] > 0 ? m.diversity[c] : std::nan("");
    for (std::size_t c = 0; c < L; ++c) lnf[c] = std::log(a.fit.fitness[c]);
    per_year.push_back({{"year", y ? nlohmann::ordered_json(*y) : nlohmann::ordered_json(nullptr)},
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
  res.summary_json = nlohmann::ordered_json{{"locations", L},
                                            {"products", P},
                                            {"method", o.method},
                                            {"normalisation", o.normalisation},
                                            {"threshold", o.threshold},
                                            {"strict", o.strict},
                                            {"presence", o.presence},
                                            {"rpop_threshold", o.rpop_threshold},
                                            {"proximity", o.proximity},
                                            {"density_self_term", o.density_self_term},
                                            {"years", per_year},
                                            {"dynamics", dyn},
                                            {"seconds", {{"load", std::chrono::duration<double>(t1 - t0).count()},
                                                         {"analyse", analyse_s},
                                                         {"total", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()}}},
                                            {"warnings", res.warnings}}
                         .dump(1);
  return res;
}

}  // namespace

void register_complexity(Registry& r) {
  r.add(make_operation<ComplexityOptions>(
      "complexity", "economic complexity (ECI/PCI), proximity, density and complexity outlook",
      "From location × product values X_cp: RCA_cp = (X_cp/X_c)/(X_p/X) (Balassa), presence "
      "M_cp = RCA ≥ threshold, diversity and ubiquity; ECI and PCI by the eigenvector method "
      "(second eigenvector of D_c⁻¹ M D_p⁻¹ Mᵀ, Lanczos on the sparse M; Hidalgo & Hausmann 2009, "
      "Atlas 2014), the method of reflections and Tacchella et al.'s (2012) fitness–complexity; "
      "ECI's sign makes it correlate positively with diversity; product proximity "
      "φ = C_pp'/max(k_p,k_p') (or association, cosine, Jaccard); density "
      "d_cp = Σ M_cp' φ_pp' / Σ φ_pp'; COI and COG as py-ecomplexity computes them; PRODY and "
      "EXPY with --gdp (Hausmann, Hwang & Rodrik 2007). A panel is analysed year by year (a year "
      "column is added) and gains entries/exits of specialisations and the probability of entry "
      "by density decile. Locations and products with zero totals are excluded and named in a "
      "warning. See docs/methods/complexity.md.",
      {"agglo complexity --exports data/reference/world_exports_sitc4_avg_1998_2000.csv -o out/",
       "agglo complexity --exports exports.csv --gdp data/reference/world_gdp_per_capita_avg_1998_2000.csv --proximity cosine -o out/",
       "agglo complexity --exports panel.csv --year 2019 --method fitness --tables eci,pci -o out/"},
      "a directory: eci.csv (location,diversity,eci,eci_eigenvector,eci_reflections,fitness,avg_ubiquity,total[,expy][,year]), "
      "pci.csv (product,ubiquity,pci,pci_eigenvector,pci_reflections,fitness_complexity,avg_diversity,total[,prody][,year]), "
      "rca.csv (location,product,rca,mcp,value), density.csv (location,product,density,cog,mcp), "
      "proximity.csv (product_a,product_b,proximity; last year), coi.csv (location,coi), backbone.csv "
      "(product_a,product_b,proximity,tree), for panels transitions.csv and entry_by_density.csv; summary.json",
      &run_complexity));
}

}  // namespace agglo::api
