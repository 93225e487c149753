// Spatial commands for density-based clusters of establishments: `agglo dbscan` (Ester et al.
// 1996; include/agglo/spatial/dbscan.hpp) and `agglo hdbscan` (Campello, Moulavi & Sander
// 2013; include/agglo/spatial/hdbscan.hpp), both optionally writing one hull polygon per
// cluster to a GeoPackage (include/agglo/spatial/hull.hpp). Conventions and validation:
// docs/methods/spatial.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/spatial/dbscan.hpp"
#include "agglo/spatial/hdbscan.hpp"
#include "agglo/spatial/hull.hpp"

namespace agglo::api {

namespace {

// ---- shared by both commands -------------------------------------------------------------

// Hull options, the same for dbscan and hdbscan.
template <class O>
void describe_hulls(core::OptionSchema<O>& s) {
  s.add("hulls", &O::hulls, "also write one polygon per cluster to this GeoPackage (layer <command>_hulls)").path();
  s.add("hull", &O::hull, "hull shape: convex, or concave (GEOS concave hull by edge-length ratio)").choices({"convex", "concave"});
  s.add("concavity", &O::concavity, "concave hull ratio in (0, 1]: 1 = convex hull, smaller hugs the points more tightly");
}

template <class O>
void validate_hulls(const O& o) {
  if (!(o.concavity > 0 && o.concavity <= 1))
    throw_usage(ErrorCode::invalid_option_value, fmt::format("--concavity must be in (0, 1] (got {})", o.concavity),
                "1 gives the convex hull; 0.3 follows the points closely");
  if (!o.hulls.empty() && std::filesystem::path(o.hulls).extension() != ".gpkg")
    throw_usage(ErrorCode::unsupported_format, fmt::format("--hulls must name a GeoPackage (*.gpkg), not '{}'", o.hulls),
                "e.g. --hulls clusters.gpkg");
  if (!o.hulls.empty() && !spatial::have_hulls())
    throw_usage(ErrorCode::unsupported_format, "--hulls needs GDAL", "rebuild with -DAGGLO_WITH_GDAL=ON");
}

// The establishments a command clusters (all, or one industry's), as indices into `e`.
std::vector<std::size_t> select_establishments(const data::Establishments& e, const std::string& industry,
                                               const std::string& file) {
  std::vector<std::size_t> sel;
  if (industry.empty()) {
    sel.resize(e.size());
    for (std::size_t i = 0; i < sel.size(); ++i) sel[i] = i;
    return sel;
  }
  const auto code = e.industry_codes.find(industry);
  if (!code)
    throw_input(ErrorCode::unknown_reference, fmt::format("industry '{}' has no establishments", industry),
                Location{file, 0, 0, "industry"});
  for (std::size_t i = 0; i < e.size(); ++i)
    if (e.industry[i] == *code) sel.push_back(i);
  return sel;
}

// Per-cluster statistics: size, employment, employment (or, without an employees column,
// establishments) by industry, centroid.
struct ClusterStats {
  std::vector<std::int64_t> count;
  std::vector<double> emp, cx, cy;
  std::vector<std::map<std::uint32_t, std::pair<double, std::int64_t>>> by_ind;
  bool has_emp = false;

  // Industries ranked by employment (establishments without employees), ties to the smaller
  // code, with their shares of the cluster.
  std::vector<std::pair<std::string, double>> ranked(const data::Establishments& e, std::size_t c) const {
    std::vector<std::pair<std::string, double>> v;
    double total = 0;
    for (const auto& [ind, s] : by_ind[c]) {
      const double score = has_emp ? s.first : static_cast<double>(s.second);
      v.emplace_back(std::string(e.industry_codes.name(ind)), score);
      total += score;
    }
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    for (auto& [code, score] : v) score = total > 0 ? score / total : std::nan("");
    return v;
  }
};

ClusterStats cluster_stats(const data::Establishments& e, const std::vector<std::size_t>& sel,
                           const std::vector<double>& x, const std::vector<double>& y,
                           const std::vector<std::int32_t>& label, std::size_t C, bool geographic) {
  ClusterStats s;
  s.count.assign(C, 0);
  s.emp.assign(C, 0);
  s.by_ind.resize(C);
  s.has_emp = !e.employees.empty();
  std::vector<double> sx(C, 0), sy(C, 0), sz(C, 0);
  for (std::size_t k = 0; k < sel.size(); ++k) {
    if (label[k] < 0) continue;
    const auto c = static_cast<std::size_t>(label[k]);
    ++s.count[c];
    const double ek = s.has_emp ? e.employees[sel[k]] : 0;
    s.emp[c] += ek;
    auto& bi = s.by_ind[c][e.industry[sel[k]]];
    bi.first += ek;
    ++bi.second;
    if (geographic) {  // mean of unit vectors: no seam at the antimeridian
      const auto u = geo::unit_vector(x[k], y[k]);
      sx[c] += u[0];
      sy[c] += u[1];
      sz[c] += u[2];
    } else {
      sx[c] += x[k];
      sy[c] += y[k];
    }
  }
  s.cx.resize(C);
  s.cy.resize(C);
  for (std::size_t c = 0; c < C; ++c) {
    if (geographic) {
      s.cx[c] = std::atan2(sy[c], sx[c]) / geo::deg_to_rad;
      s.cy[c] = std::atan2(sz[c], std::hypot(sx[c], sy[c])) / geo::deg_to_rad;
    } else {
      s.cx[c] = sx[c] / static_cast<double>(s.count[c]);
      s.cy[c] = sy[c] / static_cast<double>(s.count[c]);
    }
  }
  return s;
}

// The hull layer: geometry per cluster and attributes cluster, establishments, employment,
// the three largest industries with their shares of employment (of establishments without
// an employees column).
template <class O>
void write_cluster_hulls(const O& o, const std::string& command, const data::Establishments& e,
                         const std::vector<std::size_t>& sel, const std::vector<double>& x,
                         const std::vector<double>& y, const std::vector<std::int32_t>& label, std::size_t C,
                         const ClusterStats& st, Result& res) {
  if (o.hulls.empty()) return;
  spatial::HullOptions ho;
  ho.kind = o.hull == "concave" ? spatial::HullKind::concave : spatial::HullKind::convex;
  ho.concavity = o.concavity;
  ho.geographic = e.crs.geographic;
  const auto hulls = spatial::cluster_hulls(x, y, label, C, ho);
  data::Table t;
  auto& cc = t.add_integer("cluster");
  auto& cn = t.add_integer("establishments");
  auto& ce = t.add_real("employment");
  std::array<data::TextColumn*, 3> ind{};
  std::array<data::RealColumn*, 3> share{};
  for (int r = 0; r < 3; ++r) {
    ind[r] = &t.add_text(fmt::format("industry_{}", r + 1));
    share[r] = &t.add_real(fmt::format("share_{}", r + 1));
  }
  std::size_t degenerate = 0;
  for (std::size_t c = 0; c < C; ++c) {
    cc.push_back(static_cast<std::int64_t>(c));
    cn.push_back(st.count[c]);
    ce.push_back(st.has_emp ? st.emp[c] : std::nan(""));
    const auto ranked = st.ranked(e, c);
    for (std::size_t r = 0; r < 3; ++r) {
      ind[r]->push_back(r < ranked.size() ? ranked[r].first : std::string());
      share[r]->push_back(r < ranked.size() ? ranked[r].second : std::nan(""));
    }
    degenerate += hulls[c].kind != "polygon";
  }
  spatial::write_hulls(o.hulls, command + "_hulls", hulls, t, e.crs.crs);
  (void)sel;
  if (degenerate > 0)
    res.warnings.push_back(fmt::format("{} cluster hull(s) are a point or a line (collinear or coincident members), "
                                       "written buffered; see hull_kind", degenerate));
}

// ---- agglo dbscan ----------------------------------------------------------------------------

struct DbscanOptions {
  std::string establishments;
  double eps = 0;
  double min_points = 0;
  std::string industry;
  std::string weight = "none";
  std::string crs;
  std::string hulls;
  std::string hull = "convex";
  double concavity = 0.5;

  static void describe(core::OptionSchema<DbscanOptions>& s) {
    s.add("establishments", &DbscanOptions::establishments, "establishments CSV with lon,lat or x,y").path().required();
    s.add("eps", &DbscanOptions::eps, "neighbourhood radius: km (great circle) for lon,lat; the coordinates' unit for x,y").required();
    s.add("min-points", &DbscanOptions::min_points, "neighbourhood size (the point itself included) or, with --weight, mass that makes a core point").required();
    s.add("industry", &DbscanOptions::industry, "cluster only the establishments of this industry code");
    s.add("weight", &DbscanOptions::weight, "weight each establishment by its employees (sklearn's sample_weight)").choices({"none", "employees"});
    s.add("crs", &DbscanOptions::crs, "CRS of x,y coordinates (checked when given)");
    describe_hulls(s);
  }
  void validate() const {
    if (!(eps > 0) || !std::isfinite(eps))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--eps must be > 0 (got {})", eps),
                  "eps is in km for lon,lat points and in the coordinates' unit for x,y");
    if (!(min_points >= 1) || !std::isfinite(min_points))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--min-points must be ≥ 1 (got {})", min_points),
                  "the point itself counts, as in sklearn and R dbscan; 1 makes every point a core point");
    validate_hulls(*this);
  }
};

// The establishments' own coordinates beside their labels (lon,lat in degrees, or x,y in the
// CRS unit), so that .gpkg and .geojson outputs are point layers.
void add_point_columns(data::Table& t, const data::Establishments& e, const std::vector<std::size_t>& sel) {
  auto& xs = t.add_real(e.crs.geographic ? "lon" : "x");
  auto& ys = t.add_real(e.crs.geographic ? "lat" : "y");
  xs.reserve(sel.size());
  ys.reserve(sel.size());
  for (auto k : sel) {
    xs.push_back(e.x[k]);
    ys.push_back(e.y[k]);
  }
}

Result run_dbscan(const DbscanOptions& o, Context& ctx) {
  const auto t0 = std::chrono::steady_clock::now();
  auto e = io::load_establishments(o.establishments, o.crs);
  const auto t1 = std::chrono::steady_clock::now();
  const bool weighted = o.weight == "employees";
  if (weighted && e.employees.empty())
    throw_input(ErrorCode::missing_column, "--weight employees needs an employees column",
                Location{o.establishments, 1, 0, "employees"}, "add the column or drop --weight");
  const auto sel = select_establishments(e, o.industry, o.establishments);
  std::vector<double> x(sel.size()), y(sel.size()), w;
  for (std::size_t k = 0; k < sel.size(); ++k) x[k] = e.x[sel[k]], y[k] = e.y[sel[k]];
  if (weighted) {
    w.resize(sel.size());
    for (std::size_t k = 0; k < sel.size(); ++k) w[k] = e.employees[sel[k]];
  }
  spatial::DbscanParams p;
  p.eps = o.eps;
  p.min_points = o.min_points;
  p.geographic = e.crs.geographic;
  const auto r = spatial::dbscan(x, y, w, p);
  const auto t2 = std::chrono::steady_clock::now();

  Result res;
  data::Table t;
  auto& id = t.add_text("id");
  auto& cl = t.add_integer("cluster");
  for (std::size_t k = 0; k < sel.size(); ++k) {
    id.emplace_back(e.ids.name(static_cast<std::uint32_t>(sel[k])));
    cl.push_back(r.label[k]);
  }
  add_point_columns(t, e, sel);
  res.tables.emplace_back("dbscan", std::move(t));

  // Side table: one row per cluster.
  const std::size_t C = r.clusters;
  const auto st = cluster_stats(e, sel, x, y, r.label, C, p.geographic);
  std::vector<std::int64_t> cores(C, 0);
  for (std::size_t k = 0; k < sel.size(); ++k)
    if (r.label[k] >= 0) cores[r.label[k]] += r.core[k];
  data::Table ct;
  auto& cc = ct.add_integer("cluster");
  auto& cn = ct.add_integer("establishments");
  auto& cco = ct.add_integer("core_points");
  auto& ce = ct.add_real("employment");
  auto& cd = ct.add_text("dominant_industry");
  auto& cxc = ct.add_real(p.geographic ? "lon" : "x");
  auto& cyc = ct.add_real(p.geographic ? "lat" : "y");
  for (std::size_t c = 0; c < C; ++c) {
    cc.push_back(static_cast<std::int64_t>(c));
    cn.push_back(st.count[c]);
    cco.push_back(cores[c]);
    ce.push_back(st.has_emp ? st.emp[c] : std::nan(""));
    // Dominant industry: the largest employment (establishment count without employees);
    // ties go to the smallest code.
    cd.push_back(st.ranked(e, c).front().first);
    cxc.push_back(st.cx[c]);
    cyc.push_back(st.cy[c]);
  }
  res.tables.emplace_back("clusters", std::move(ct));
  write_cluster_hulls(o, "dbscan", e, sel, x, y, r.label, C, st, res);
  std::size_t ncore = 0;
  for (auto v : r.core) ncore += v;
  if (C == 0) res.warnings.push_back("no cluster: every establishment is noise at this eps and min-points");
  nlohmann::ordered_json summary{{"establishments", sel.size()},
                                            {"industry", o.industry.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(o.industry)},
                                            {"clusters", C},
                                            {"core_points", ncore},
                                            {"noise", r.noise},
                                            {"eps", o.eps},
                                            {"min_points", o.min_points},
                                            {"weight", o.weight},
                                            {"distance_units", e.crs.distance_unit()},
                                            {"border_rule", "first core point in input order within eps"},
                                            {"hulls", o.hulls.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(o.hulls)},
                                            {"warnings", res.warnings}};
  if (ctx.timings)  // --timings: the load and the clustering alone (what bench/ compares with peers)
    summary["seconds"] = {{"load", std::chrono::duration<double>(t1 - t0).count()},
                          {"dbscan", std::chrono::duration<double>(t2 - t1).count()}};
  res.summary_json = summary.dump(1);
  res.headline = fmt::format("{} DBSCAN cluster{} of {} establishments at eps {} {} and min-points {}; {} noise", C, C == 1 ? "" : "s",
                             sel.size(), o.eps, e.crs.geographic ? std::string("km") : e.crs.distance_unit(), o.min_points, r.noise);
  (void)ctx;
  return res;
}

// ---- agglo hdbscan ---------------------------------------------------------------------------

struct HdbscanOptions {
  std::string establishments;
  std::int64_t min_cluster_size = 0;
  std::optional<std::int64_t> min_samples;
  std::string convention = "campello";
  std::string industry;
  std::string crs;
  std::string hulls;
  std::string hull = "convex";
  double concavity = 0.5;

  static void describe(core::OptionSchema<HdbscanOptions>& s) {
    s.add("establishments", &HdbscanOptions::establishments, "establishments CSV with lon,lat or x,y").path().required();
    s.add("min-cluster-size", &HdbscanOptions::min_cluster_size, "smallest group of establishments that counts as a cluster (≥ 2)").required();
    s.add("min-samples", &HdbscanOptions::min_samples, "neighbours, the point itself included, that define the core distance (default: --min-cluster-size, as R dbscan's minPts)");
    s.add("convention", &HdbscanOptions::convention, "when a point leaves a cluster: campello (its group drops below --min-cluster-size; the paper and Python hdbscan) or r-dbscan (it is split off alone; R dbscan 1.1, whose membership_prob then fills probability)").choices({"campello", "r-dbscan"});
    s.add("industry", &HdbscanOptions::industry, "cluster only the establishments of this industry code");
    s.add("crs", &HdbscanOptions::crs, "CRS of x,y coordinates (checked when given)");
    describe_hulls(s);
  }
  void validate() const {
    if (min_cluster_size < 2)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--min-cluster-size must be ≥ 2 (got {})", min_cluster_size),
                  "a cluster needs at least two establishments");
    if (min_samples && *min_samples < 1)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--min-samples must be ≥ 1 (got {})", *min_samples),
                  "the point itself counts: 1 makes the core distance 0 (single linkage)");
    validate_hulls(*this);
  }
};

Result run_hdbscan(const HdbscanOptions& o, Context& ctx) {
  auto e = io::load_establishments(o.establishments, o.crs);
  const auto sel = select_establishments(e, o.industry, o.establishments);
  std::vector<double> x(sel.size()), y(sel.size());
  for (std::size_t k = 0; k < sel.size(); ++k) x[k] = e.x[sel[k]], y[k] = e.y[sel[k]];
  spatial::HdbscanParams p;
  p.min_cluster_size = static_cast<std::size_t>(o.min_cluster_size);
  p.min_samples = o.min_samples ? static_cast<std::size_t>(*o.min_samples) : 0;
  p.geographic = e.crs.geographic;
  p.convention = o.convention == "r-dbscan" ? spatial::HdbscanConvention::r_dbscan : spatial::HdbscanConvention::campello;
  if (sel.size() < p.min_cluster_size)
    throw_input(ErrorCode::invalid_value,
                fmt::format("{} establishments{} are fewer than --min-cluster-size {}", sel.size(),
                            o.industry.empty() ? "" : fmt::format(" of industry '{}'", o.industry), p.min_cluster_size),
                Location{o.establishments, 0, 0, {}}, "lower --min-cluster-size or select more establishments");
  const auto r = spatial::hdbscan(x, y, p);

  Result res;
  data::Table t;
  auto& id = t.add_text("id");
  auto& cl = t.add_integer("cluster");
  auto& pr = t.add_real("probability");
  for (std::size_t k = 0; k < sel.size(); ++k) {
    id.emplace_back(e.ids.name(static_cast<std::uint32_t>(sel[k])));
    cl.push_back(r.label[k]);
    pr.push_back(r.probability[k]);
  }
  add_point_columns(t, e, sel);
  res.tables.emplace_back("hdbscan", std::move(t));

  const std::size_t C = r.clusters;
  const auto st = cluster_stats(e, sel, x, y, r.label, C, p.geographic);
  data::Table ct;
  auto& cc = ct.add_integer("cluster");
  auto& cn = ct.add_integer("establishments");
  auto& ce = ct.add_real("employment");
  auto& cd = ct.add_text("dominant_industry");
  auto& cs = ct.add_real("stability");
  auto& cb = ct.add_real("birth_distance");
  auto& cxc = ct.add_real(p.geographic ? "lon" : "x");
  auto& cyc = ct.add_real(p.geographic ? "lat" : "y");
  for (std::size_t c = 0; c < C; ++c) {
    cc.push_back(static_cast<std::int64_t>(c));
    cn.push_back(st.count[c]);
    ce.push_back(st.has_emp ? st.emp[c] : std::nan(""));
    cd.push_back(st.ranked(e, c).front().first);
    cs.push_back(r.stability[c]);
    cb.push_back(r.lambda_birth[c] > 0 ? 1.0 / r.lambda_birth[c] : std::numeric_limits<double>::infinity());
    cxc.push_back(st.cx[c]);
    cyc.push_back(st.cy[c]);
  }
  res.tables.emplace_back("clusters", std::move(ct));
  write_cluster_hulls(o, "hdbscan", e, sel, x, y, r.label, C, st, res);
  if (C == 0)
    res.warnings.push_back(r.mst_weight == 0 ? "no cluster: all establishments are at one location (every one is noise, as in R dbscan)"
                                             : "no cluster: no group of --min-cluster-size establishments stands out of the single root cluster");
  const std::size_t ms = p.min_samples == 0 ? p.min_cluster_size : p.min_samples;
  std::size_t split_ties = 0;
  for (auto v : r.split_tie) split_ties += v;
  res.summary_json = nlohmann::ordered_json{{"establishments", sel.size()},
                                            {"industry", o.industry.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(o.industry)},
                                            {"clusters", C},
                                            {"noise", r.noise},
                                            {"min_cluster_size", p.min_cluster_size},
                                            {"min_samples", ms},
                                            {"distance_units", e.crs.distance_unit()},
                                            {"mst_weight", r.mst_weight},
                                            {"split_tie_points", split_ties},
                                            {"core_distance", "distance to the min_samples-th nearest neighbour, the point itself counted first"},
                                            {"convention", o.convention},
                                            {"probability", o.convention == "r-dbscan" ? "(max core distance in C - core distance) / max core distance in C (R dbscan 1.1)"
                                                                                       : "min(lambda_p, lambda_max(C)) / lambda_max(C), lambda = 1/distance"},
                                            {"hulls", o.hulls.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(o.hulls)},
                                            {"warnings", res.warnings}}
                         .dump(1);
  res.headline = fmt::format("{} HDBSCAN cluster{} of {} establishments (min-cluster-size {}, min-samples {}); {} noise", C,
                             C == 1 ? "" : "s", sel.size(), p.min_cluster_size, ms, r.noise);
  (void)ctx;
  return res;
}

}  // namespace

void register_spatial(Registry& r) {
  r.add(make_operation<DbscanOptions>(
      "dbscan", "DBSCAN density-based clusters of establishments (Ester et al. 1996)",
      "Density-based clustering of establishment points (Ester, Kriegel, Sander & Xu 1996). A "
      "point is a core point when its eps-neighbourhood, the point itself included (as in "
      "sklearn and R dbscan), holds at least --min-points establishments, or with --weight "
      "employees at least that many employees (sklearn's sample_weight). Clusters are the "
      "connected core points; a border point joins the cluster of the first core point in input "
      "order within eps of it; the rest is noise (cluster -1). Clusters are numbered 0.. in input "
      "order of their first core point, so the result is the same for any thread count. "
      "Distances are great-circle km (haversine) for lon,lat and Euclidean in the file's unit "
      "for x,y; a uniform grid of cell size eps finds candidates (O(n) memory). --hulls writes "
      "one convex or concave hull polygon per cluster to a GeoPackage layer dbscan_hulls "
      "(cluster, establishments, employment, industry_1..3 with share_1..3, hull_kind). The "
      "examples run on `agglo synth --preset tiny --seed 7 -o tiny/` (lon,lat: eps in km). See "
      "docs/methods/spatial.md.",
      {"agglo dbscan --establishments tiny/establishments.csv --eps 2 --min-points 10 -o dbscan.csv",
       "agglo dbscan --establishments tiny/establishments.csv --eps 3 --min-points 60 --weight employees --industry 336111 -o out/",
       "agglo dbscan --establishments tiny/establishments.csv --eps 2 --min-points 10 --hulls clusters.gpkg -o dbscan.csv"},
      "id,cluster (−1 = noise) + clusters side table (cluster,establishments,core_points,employment,"
      "dominant_industry,lon,lat or x,y) + summary",
      &run_dbscan));
  r.add(make_operation<HdbscanOptions>(
      "hdbscan", "HDBSCAN* hierarchical density-based clusters of establishments (Campello et al. 2013)",
      "Hierarchical density-based clustering of establishment points: HDBSCAN* (Campello, Moulavi "
      "& Sander 2013; Campello et al. 2015) with the accelerated algorithm of McInnes & Healy "
      "(2017). The core distance of a point is the distance to its --min-samples-th nearest "
      "neighbour, the point itself counted first (R dbscan's minPts; default --min-cluster-size); "
      "mutual reachability is max(core(p), core(q), d(p,q)). Its minimum spanning tree (Boruvka "
      "on a kd-tree, O(n) memory, no distance matrix) gives the single-linkage hierarchy over "
      "density levels lambda = 1/d (all merges at one distance form one node, so ties cannot "
      "change the result); the condensed tree keeps only splits into two or more groups of at "
      "least --min-cluster-size; the clusters of largest total stability (excess of mass) are "
      "selected, the root excluded. Points outside them are noise (cluster -1). probability is "
      "min(lambda_p, lambda_max(C)) / lambda_max(C), the level at which the point leaves its "
      "cluster relative to the last level anything leaves it (hdbscan's convention). Clusters "
      "are numbered 0.. in input order of their first member; the result is the same for any "
      "thread count. Distances are great-circle km for lon,lat and Euclidean in the file's unit "
      "for x,y. All establishments at one location give no cluster (all noise, as R dbscan). "
      "--hulls writes one convex or concave hull polygon per cluster to a GeoPackage layer "
      "hdbscan_hulls (cluster, establishments, employment, industry_1..3 with share_1..3, "
      "hull_kind). The examples run on `agglo synth --preset tiny --seed 7 -o tiny/`. See "
      "docs/methods/spatial.md.",
      {"agglo hdbscan --establishments tiny/establishments.csv --min-cluster-size 20 -o hdbscan.csv",
       "agglo hdbscan --establishments tiny/establishments.csv --min-cluster-size 10 --min-samples 5 --industry 336111 -o out/",
       "agglo hdbscan --establishments tiny/establishments.csv --min-cluster-size 20 --hulls clusters.gpkg --hull concave --concavity 0.3 -o h.csv"},
      "id,cluster (−1 = noise),probability + clusters side table (cluster,establishments,employment,"
      "dominant_industry,stability,birth_distance,lon,lat or x,y) + summary",
      &run_hdbscan));
}

}  // namespace agglo::api
