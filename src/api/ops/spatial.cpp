// Spatial commands: `agglo dbscan`, density-based clusters of establishments (Ester et al.
// 1996; algorithm and conventions in include/agglo/spatial/dbscan.hpp and
// docs/methods/spatial.md).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/spatial/dbscan.hpp"

namespace agglo::api {

namespace {

struct DbscanOptions {
  std::string establishments;
  double eps = 0;
  double min_points = 0;
  std::string industry;
  std::string weight = "none";
  std::string crs;

  static void describe(core::OptionSchema<DbscanOptions>& s) {
    s.add("establishments", &DbscanOptions::establishments, "establishments CSV with lon,lat or x,y").path().required();
    s.add("eps", &DbscanOptions::eps, "neighbourhood radius: km (great circle) for lon,lat; the coordinates' unit for x,y").required();
    s.add("min-points", &DbscanOptions::min_points, "neighbourhood size (the point itself included) or, with --weight, mass that makes a core point").required();
    s.add("industry", &DbscanOptions::industry, "cluster only the establishments of this industry code");
    s.add("weight", &DbscanOptions::weight, "weight each establishment by its employees (sklearn's sample_weight)").choices({"none", "employees"});
    s.add("crs", &DbscanOptions::crs, "CRS of x,y coordinates (checked when given)");
  }
  void validate() const {
    if (!(eps > 0) || !std::isfinite(eps))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--eps must be > 0 (got {})", eps),
                  "eps is in km for lon,lat points and in the coordinates' unit for x,y");
    if (!(min_points >= 1) || !std::isfinite(min_points))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--min-points must be ≥ 1 (got {})", min_points),
                  "the point itself counts, as in sklearn and R dbscan; 1 makes every point a core point");
  }
};

Result run_dbscan(const DbscanOptions& o, Context& ctx) {
  auto e = io::load_establishments(o.establishments, o.crs);
  const bool weighted = o.weight == "employees";
  if (weighted && e.employees.empty())
    throw_input(ErrorCode::missing_column, "--weight employees needs an employees column",
                Location{o.establishments, 1, 0, "employees"}, "add the column or drop --weight");
  // Selection (--industry) as indices into the loaded establishments.
  std::vector<std::size_t> sel;
  if (o.industry.empty()) {
    sel.resize(e.size());
    for (std::size_t i = 0; i < sel.size(); ++i) sel[i] = i;
  } else {
    const auto code = e.industry_codes.find(o.industry);
    if (!code)
      throw_input(ErrorCode::unknown_reference, fmt::format("industry '{}' has no establishments", o.industry),
                  Location{o.establishments, 0, 0, "industry"});
    for (std::size_t i = 0; i < e.size(); ++i)
      if (e.industry[i] == *code) sel.push_back(i);
  }
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

  Result res;
  data::Table t;
  auto& id = t.add_text("id");
  auto& cl = t.add_integer("cluster");
  for (std::size_t k = 0; k < sel.size(); ++k) {
    id.emplace_back(e.ids.name(static_cast<std::uint32_t>(sel[k])));
    cl.push_back(r.label[k]);
  }
  res.tables.emplace_back("dbscan", std::move(t));

  // Side table: one row per cluster.
  const std::size_t C = r.clusters;
  std::vector<std::int64_t> count(C, 0), cores(C, 0);
  std::vector<double> emp(C, 0), sx(C, 0), sy(C, 0), sz(C, 0);
  std::vector<std::map<std::uint32_t, std::pair<double, std::int64_t>>> by_ind(C);
  const bool has_emp = !e.employees.empty();
  for (std::size_t k = 0; k < sel.size(); ++k) {
    if (r.label[k] < 0) continue;
    const auto c = static_cast<std::size_t>(r.label[k]);
    ++count[c];
    cores[c] += r.core[k];
    const double ek = has_emp ? e.employees[sel[k]] : 0;
    emp[c] += ek;
    auto& bi = by_ind[c][e.industry[sel[k]]];
    bi.first += ek;
    ++bi.second;
    if (p.geographic) {  // mean of unit vectors: no seam at the antimeridian
      const double lam = x[k] * geo::deg_to_rad, phi = y[k] * geo::deg_to_rad;
      sx[c] += std::cos(phi) * std::cos(lam);
      sy[c] += std::cos(phi) * std::sin(lam);
      sz[c] += std::sin(phi);
    } else {
      sx[c] += x[k];
      sy[c] += y[k];
    }
  }
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
    cn.push_back(count[c]);
    cco.push_back(cores[c]);
    ce.push_back(has_emp ? emp[c] : std::nan(""));
    // Dominant industry: the largest employment (establishment count without employees);
    // ties go to the smallest code.
    std::string best;
    double best_v = -1;
    for (const auto& [ind, v] : by_ind[c]) {
      const double score = has_emp ? v.first : static_cast<double>(v.second);
      const std::string code(e.industry_codes.name(ind));
      if (score > best_v || (score == best_v && code < best)) best = code, best_v = score;
    }
    cd.push_back(best);
    if (p.geographic) {
      cxc.push_back(std::atan2(sy[c], sx[c]) / geo::deg_to_rad);
      cyc.push_back(std::atan2(sz[c], std::hypot(sx[c], sy[c])) / geo::deg_to_rad);
    } else {
      cxc.push_back(sx[c] / static_cast<double>(count[c]));
      cyc.push_back(sy[c] / static_cast<double>(count[c]));
    }
  }
  res.tables.emplace_back("clusters", std::move(ct));
  std::size_t ncore = 0;
  for (auto v : r.core) ncore += v;
  if (C == 0) res.warnings.push_back("no cluster: every establishment is noise at this eps and min-points");
  res.summary_json = nlohmann::ordered_json{{"establishments", sel.size()},
                                            {"industry", o.industry.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(o.industry)},
                                            {"clusters", C},
                                            {"core_points", ncore},
                                            {"noise", r.noise},
                                            {"eps", o.eps},
                                            {"min_points", o.min_points},
                                            {"weight", o.weight},
                                            {"distance_units", e.crs.distance_unit()},
                                            {"border_rule", "first core point in input order within eps"},
                                            {"warnings", res.warnings}}
                         .dump(1);
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
      "for x,y; a uniform grid of cell size eps finds candidates (O(n) memory). See "
      "docs/methods/spatial.md.",
      {"agglo dbscan --establishments establishments.csv --eps 2 --min-points 10 -o dbscan.csv",
       "agglo dbscan --establishments establishments.csv --eps 1 --min-points 200 --weight employees --industry 3341 -o out/"},
      "id,cluster (−1 = noise) + clusters side table (cluster,establishments,core_points,employment,"
      "dominant_industry,lon,lat or x,y) + summary",
      &run_dbscan));
}

}  // namespace agglo::api
