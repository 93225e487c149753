// `agglo hotspots`: Getis–Ord G*_i and local Moran (LISA) on regions with conditional
// permutation inference, FDR control, HH/LL/HL/LH classes and the global Moran's I (Ord & Getis
// 1995; Anselin 1995; Moran 1950; Cliff & Ord 1981). Method and conventions in
// include/agglo/spatial/hotspots.hpp and docs/methods/spatial-hotspots.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <memory>

#include "../builtin.hpp"
#include "region_weights.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/parallel/mpi.hpp"
#include "agglo/parallel/progress.hpp"
#include "agglo/spatial/hotspots.hpp"
#include "agglo/spatial/hotspots_input.hpp"

namespace agglo::api {

namespace {

struct HotspotsOptions {
  std::string regions;
  std::string value;
  std::string values;
  std::string id;
  std::string layer;
  std::string weights = "queen";
  std::int64_t k = 6;
  double distance = 0;
  std::string transform = "row";
  double snap = 1.4901161193847656e-08;  // sqrt(DBL_EPSILON), spdep poly2nb's default
  std::string statistic = "lisa";
  std::string gi_permutation = "conditional";
  std::string sampling = "without";
  std::int64_t permutations = 999;
  double alpha = 0.05;
  double fdr = 0;

  static void describe(core::OptionSchema<HotspotsOptions>& s) {
    s.add("regions", &HotspotsOptions::regions,
          "regions: polygons or points in any vector format GDAL reads (GeoPackage, GeoJSON, TopoJSON, Shapefile), "
          "or a CSV with an id and lon,lat or x,y").path().required();
    s.add("value", &HotspotsOptions::value, "numeric column analysed (in --values when given, else in --regions)").required();
    s.add("values", &HotspotsOptions::values, "CSV table keyed by region id that holds the --value column").path();
    s.add("id", &HotspotsOptions::id, "region id column/field (default: the first of region, code, id, fips, geoid)");
    s.add("layer", &HotspotsOptions::layer, "layer of a multi-layer vector source (default: the first)");
    s.add("weights", &HotspotsOptions::weights,
          "spatial weights: queen/rook contiguity of polygons, k nearest or a distance band of centroids")
        .choices({"queen", "rook", "knn", "distance"});
    s.add("k", &HotspotsOptions::k, "neighbours per region for --weights knn (1 ≤ k < regions)");
    s.add("distance", &HotspotsOptions::distance,
          "distance band for --weights distance: km for lon/lat regions, the coordinates' unit otherwise");
    s.add("transform", &HotspotsOptions::transform, "row-standardised (w_ij = 1/k_i) or binary weights").choices({"row", "binary"});
    s.add("snap", &HotspotsOptions::snap, "contiguity: vertices closer than this (in layer units) are shared (spdep poly2nb snap)");
    s.add("statistic", &HotspotsOptions::statistic, "statistic behind the z, p and class columns: local Moran (lisa) or Getis-Ord Gi* (gi)")
        .choices({"lisa", "gi"});
    s.add("permutations", &HotspotsOptions::permutations, "conditional permutations per region (pseudo p-values)");
    s.add("gi-permutation", &HotspotsOptions::gi_permutation,
          "what the G*_i permutations redraw: conditional (default) holds the region's own value and draws its k_i "
          "neighbours' values (Anselin 1995; PySAL esda G_Local(star=True), GeoDa, spdep >= 1.2-8 localG_perm); total "
          "redraws the region's own slot too, k_i + 1 values from the other regions (spdep <= 1.2-7 localG_perm, or "
          "fix_i_in_Gstar_permutations = FALSE). conditional is the default because it tests the neighbours given "
          "x_i; total also calls a lone extreme region with ordinary neighbours a hot spot")
        .choices({"conditional", "total"});
    s.add("sampling", &HotspotsOptions::sampling,
          "neighbour values drawn without replacement (default: a permutation, Anselin 1995; esda, GeoDa, spdep "
          "no_repeat_in_row = TRUE) or with replacement (spdep's default in localmoran_perm and localG_perm); "
          "applies to local Moran and G*")
        .choices({"without", "with"});
    s.add("alpha", &HotspotsOptions::alpha, "significance level of the pseudo p-value (without --fdr)");
    s.add("fdr", &HotspotsOptions::fdr, "control the false discovery rate at this level (Benjamini-Hochberg) instead of --alpha; 0 = off");
  }
  void validate() const {
    if (permutations < 1)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--permutations must be ≥ 1 (got {})", permutations),
                  "pseudo p-values need permutations; 999 (the default) or 9999 are usual");
    if (permutations > 10'000'000)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--permutations {} is too many (at most 10,000,000)", permutations));
    if (weights == "knn" && k < 1)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--k must be ≥ 1 (got {})", k), "e.g. --k 6");
    if (weights == "distance" && (!(distance > 0) || !std::isfinite(distance)))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--weights distance needs --distance > 0 (got {})", distance),
                  "km for lon/lat regions, the coordinates' unit for projected ones");
    if (!(snap >= 0) || !std::isfinite(snap))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--snap must be ≥ 0 (got {})", snap));
    if (!(alpha > 0 && alpha < 1))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--alpha must be in (0, 1) (got {})", alpha));
    if (!(fdr >= 0 && fdr < 1))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--fdr must be in [0, 1) (got {})", fdr), "0 turns FDR control off");
  }
};

Result run_hotspots(const HotspotsOptions& o, Context& ctx) {
  auto reg = spatial::read_hotspot_regions(o.regions, o.layer, o.id, o.values.empty() ? o.value : "");
  if (!o.values.empty()) spatial::join_hotspot_values(reg, o.values, o.id, o.value);
  const std::size_t n = reg.ids.size();
  if (n < 4)
    throw_input(ErrorCode::empty_input, fmt::format("{} has {} regions; at least 4 are needed", o.regions, n),
                Location{o.regions, 0, 0, {}}, "Moran's I and G* compare each region with the others");

  // A constant value has no variance to standardise by (zero-variance input error, exit 3).
  bool constant = true;
  for (std::size_t i = 1; i < n && constant; ++i) constant = reg.value[i] == reg.value[0];
  if (constant)
    throw_input(ErrorCode::invalid_value, fmt::format("--value {} is {} in every region (zero variance)", o.value, reg.value[0]),
                Location{o.values.empty() ? o.regions : o.values, 0, 0, o.value},
                "Moran's I and G* standardise by the variance; a constant has no spatial pattern to test");

  // ---- weights
  spatial::SpatialWeights w = detail::region_weights(reg, o);
  const std::size_t islands = w.islands();

  Result res;
  res.warnings = reg.warnings;
  if (islands > 0)
    res.warnings.push_back(fmt::format("{} of {} regions have no neighbour (islands): lag 0 as spdep zero.policy, class no_neighbours, p empty",
                                       islands, n));

  // ---- statistics and permutations
  spatial::HotspotParams p;
  p.permutations = static_cast<std::size_t>(o.permutations);
  p.seed = ctx.seed;
  p.statistic = o.statistic == "gi" ? spatial::HotspotStatistic::gi : spatial::HotspotStatistic::lisa;
  p.gi_permutation = o.gi_permutation == "total" ? spatial::GiPermutation::total : spatial::GiPermutation::conditional;
  p.sampling = o.sampling == "with" ? spatial::PermutationSampling::with_replacement : spatial::PermutationSampling::without_replacement;
  p.alpha = o.alpha;
  p.fdr = o.fdr;
  std::unique_ptr<parallel::Progress> bar;
  if (!ctx.quiet) {
    bar = std::make_unique<parallel::Progress>(fmt::format("{} conditional permutations per region", o.permutations), n, "regions");
    p.progress = [&](std::size_t d) { bar->set(d); };
  }
  auto h = spatial::hotspots(reg.value, w, p);
  bar.reset();
  if (!h.root) {  // an MPI rank other than 0 has sent its regions to rank 0, which writes everything
    res.output_written = true;
    return res;
  }

  const bool lisa = p.statistic == spatial::HotspotStatistic::lisa;
  data::Table t;
  auto& c_region = t.add_text("region");
  auto& c_value = t.add_real("value");
  auto& c_gi = t.add_real("gi_star");
  auto& c_li = t.add_real("local_moran");
  auto& c_z = t.add_real("z");
  auto& c_p = t.add_real("p");
  auto& c_class = t.add_text("class");
  auto& c_nb = t.add_integer("neighbours");
  auto& c_lag = t.add_real("lag");
  auto& c_quad = t.add_text("quadrant");
  auto& c_pfdr = t.add_real("p_fdr");
  auto& c_lz = t.add_real("lisa_z");
  auto& c_lpn = t.add_real("lisa_p_normal");
  auto& c_lps = t.add_real("lisa_p_sim");
  auto& c_lzs = t.add_real("lisa_z_sim");
  auto& c_gpn = t.add_real("gi_p_normal");
  auto& c_gps = t.add_real("gi_p_sim");
  // The representative point (polygon centroid or the given point): a point layer in .gpkg output.
  auto& c_px = t.add_real(reg.points.geographic ? "lon" : "x");
  auto& c_py = t.add_real(reg.points.geographic ? "lat" : "y");
  std::map<std::string, std::size_t> class_counts;
  for (std::size_t i = 0; i < n; ++i) {
    c_region.push_back(reg.ids[i]);
    c_value.push_back(h.value[i]);
    c_gi.push_back(h.gi_star[i]);
    c_li.push_back(h.lisa.I[i]);
    c_z.push_back(lisa ? h.lisa.z[i] : (h.neighbours[i] ? h.gi_star[i] : std::nan("")));
    c_p.push_back(lisa ? h.lisa_p_sim[i] : h.gi_p_sim[i]);
    c_class.push_back(h.klass[i]);
    ++class_counts[h.klass[i]];
    c_nb.push_back(h.neighbours[i]);
    c_lag.push_back(h.lag[i]);
    c_quad.push_back(h.quadrant[i]);
    c_pfdr.push_back(h.p_fdr[i]);
    c_lz.push_back(h.lisa.z[i]);
    c_lpn.push_back(h.lisa.p_normal[i]);
    c_lps.push_back(h.lisa_p_sim[i]);
    c_lzs.push_back(h.lisa_z_sim[i]);
    c_gpn.push_back(h.gi_p_normal[i]);
    c_gps.push_back(h.gi_p_sim[i]);
    c_px.push_back(reg.points.x[i]);
    c_py.push_back(reg.points.y[i]);
  }
  res.tables.emplace_back("hotspots", std::move(t));

  const auto& g = h.global;
  data::Table gt;
  gt.add_real("I", {g.I});
  gt.add_real("expected", {g.expected});
  gt.add_real("var_normality", {g.var_normal});
  gt.add_real("var_randomisation", {g.var_random});
  gt.add_real("z_normality", {g.z_normal});
  gt.add_real("z_randomisation", {g.z_random});
  gt.add_real("p_normality", {g.p_normal});
  gt.add_real("p_randomisation", {g.p_random});
  gt.add_real("p_randomisation_greater", {g.p_random_greater});
  gt.add_integer("permutations", {o.permutations});
  gt.add_real("p_sim", {h.global_p_sim});
  gt.add_real("mean_sim", {h.global_mean_sim});
  gt.add_real("sd_sim", {h.global_sd_sim});
  gt.add_integer("n", {static_cast<std::int64_t>(n)});
  gt.add_integer("n_used", {static_cast<std::int64_t>(g.n_used)});
  res.tables.emplace_back("global_moran", std::move(gt));

  nlohmann::ordered_json cj = nlohmann::ordered_json::object();
  for (const auto& [k, v] : class_counts) cj[k] = v;
  nlohmann::ordered_json js{
      {"regions", n},
      {"source", o.regions},
      {"id_column", reg.id_column},
      {"value", o.value},
      {"crs", reg.crs},
      {"weights", o.weights},
      {"transform", o.transform},
      {"links", w.links()},
      {"mean_neighbours", static_cast<double>(w.links()) / static_cast<double>(n)},
      {"islands", islands},
      {"symmetric", w.symmetric},
      {"statistic", o.statistic},
      {"z", lisa ? "local Moran z under conditional randomisation (spdep localmoran)" : "Getis-Ord G*_i (a z-value)"},
      {"p", "folded pseudo p (min(M, R-M)+1)/(R+1) from conditional permutations"},
      {"permutations", o.permutations},
      {"gi_permutation", o.gi_permutation},
      {"sampling", o.sampling},
      {"seed", ctx.seed},
      {"alpha", o.alpha},
      {"fdr", o.fdr},
      {"significance", o.fdr > 0 ? fmt::format("Benjamini-Hochberg adjusted p <= {}", o.fdr) : fmt::format("p <= {}", o.alpha)},
      {"significant", h.significant},
      {"classes", cj},
      {"global_moran",
       {{"I", g.I}, {"expected", g.expected}, {"z_randomisation", g.z_random}, {"p_randomisation", g.p_random},
        {"p_sim", h.global_p_sim}}},
      {"warnings", res.warnings}};
  if (o.weights == "knn") js["k"] = o.k;
  if (o.weights == "distance") js["distance"] = o.distance, js["distance_units"] = reg.points.geographic ? "km" : "coordinate units";
  if (o.weights == "queen" || o.weights == "rook") js["snap"] = o.snap;
  res.summary_json = js.dump(1);
  {
    std::string classes;
    for (const auto& [k, v] : class_counts)
      if (k != "not_significant" && k != "no_neighbours") classes += fmt::format("{}{} {}", classes.empty() ? "" : ", ", k, v);
    res.headline = fmt::format("{} of {} regions significant by {} ({}){}; global Moran's I = {:.3g} (z = {:.3g})", h.significant, n,
                               lisa ? "local Moran" : "Getis-Ord G*", classes.empty() ? "none" : classes,
                               o.fdr > 0 ? fmt::format(" at FDR {}", o.fdr) : fmt::format(" at p <= {}", o.alpha), g.I, g.z_random);
  }
  return res;
}

}  // namespace

void register_hotspots(Registry& r) {
  r.add(make_operation<HotspotsOptions>(
      "hotspots", "hot spots on regions: Getis-Ord Gi*, local Moran (LISA), global Moran's I",
      "Local spatial association of a regional value. Getis-Ord G*_i (Ord & Getis 1995, with the region itself) "
      "and local Moran I_i (Anselin 1995) for every region, tested by conditional permutation: the region's "
      "value is held and its k_i neighbours' values are drawn from the other n-1 regions (without replacement by "
      "default; --sampling with as spdep), --permutations times; the folded pseudo p-value is (min(M, R-M)+1)/(R+1) "
      "as in PySAL and GeoDa. For G*_i, which counts the region among its neighbours, --gi-permutation conditional "
      "(default; esda, GeoDa, spdep >= 1.2-8) holds the region's own value, total redraws it too (spdep <= 1.2-7). "
      "Each region draws from its own seeded stream, so results are identical for any --threads and under "
      "`mpirun -n K` (regions dealt to ranks, gathered on rank 0). Significance is p <= --alpha or, with --fdr q, "
      "a Benjamini-Hochberg adjusted p <= q; significant regions are classed HH/LL (hot/cold spots) or HL/LH "
      "(spatial outliers) by their Moran scatterplot quadrant (hot/cold for --statistic gi). Weights: queen or "
      "rook contiguity from shared polygon vertices (as spdep poly2nb), k nearest neighbours or a distance band "
      "of centroids (great-circle km for lon/lat), row-standardised or binary. Regions without neighbours "
      "(islands) keep a zero lag (spdep zero.policy) and are classed no_neighbours. The global Moran's I side "
      "table has E[I], variances under normality and randomisation (Cliff & Ord 1981), z, p and a permutation p. "
      "Values come from a column of the regions or from a CSV keyed by region (--values). "
      "See docs/methods/spatial-hotspots.md.",
      {"agglo hotspots --regions data/geo/us_counties_economic_areas_msas.topojson --layer counties --id fips "
       "--values data/geo/us_counties.csv --value area_km2 -o hotspots.csv",
       "agglo hotspots --regions data/geo/us_counties.csv --id fips --value area_km2 --weights knn --k 8 --statistic gi "
       "--fdr 0.05 -o out/",
       "agglo hotspots --regions data/geo/us_counties.csv --id fips --value area_km2 --weights knn --k 6 --statistic gi "
       "--gi-permutation total --sampling with --permutations 9999 -o spdep_127_convention.csv",
       "mpirun -n 2 agglo hotspots --regions data/geo/us_counties_economic_areas_msas.topojson --layer counties --id fips "
       "--values data/geo/us_counties.csv --value area_km2 --permutations 9999 -o out/"},
      "region,value,gi_star,local_moran,z,p,class (+ neighbours,lag,quadrant,p_fdr,lisa_z,lisa_p_normal,lisa_p_sim,"
      "lisa_z_sim,gi_p_normal,gi_p_sim,lon,lat or x,y of the centroid); z and p are those of --statistic (lisa: local Moran z under conditional "
      "randomisation and its pseudo p; gi: G*_i and its pseudo p); class HH, LL, HL, LH (gi: hot, cold), "
      "not_significant or no_neighbours. Side table global_moran: I,expected,var_normality,var_randomisation,"
      "z_normality,z_randomisation,p_normality,p_randomisation,p_randomisation_greater,permutations,p_sim,mean_sim,"
      "sd_sim,n,n_used; summary JSON",
      &run_hotspots));
}

}  // namespace agglo::api
