// Cluster detection at observation times; see include/agglo/simulate/cluster_detection.hpp.
#include "agglo/simulate/cluster_detection.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "agglo/clusters/cluster_map.hpp"
#include "agglo/core/error.hpp"

namespace agglo::simulate {

RegionDetection detect_clusters(const std::vector<std::string>& codes, const std::vector<double>& firms,
                                const std::vector<double>& employment, const std::vector<double>& background) {
  const std::size_t R = codes.size();
  AGGLO_ASSERT(firms.size() == R && employment.size() == R && background.size() == R);
  clusters::ClusterMapInput in;
  in.employment.regions = codes;
  in.employment.industries = {"simulated", "other"};
  in.employment.values = data::DenseMatrix(R, 2, 0.0);
  data::DenseMatrix est(R, 2, 0.0);
  for (std::size_t r = 0; r < R; ++r) {
    in.employment.values.row(r)[0] = employment[r];
    in.employment.values.row(r)[1] = background[r];
    est.row(r)[0] = firms[r];
    // Establishments of the other industries are not modelled; a constant keeps the
    // qualifying test on the simulated column only.
    est.row(r)[1] = 1.0;
  }
  in.establishments = std::move(est);
  clusters::ClusterDefinitions defs;
  defs.add("simulated", "simulated industry");
  auto params = clusters::preset_params("us-cmp");
  params.denominator = clusters::LqDenominator::total;
  const auto map = clusters::cluster_map(in, defs, params, /*all_cells=*/true);
  // One cluster and all cells: row r of the cells table is region r.
  const auto& lq = std::get<data::RealColumn>(map.cells.at("lq").values);
  const auto& sig = std::get<data::IntColumn>(map.cells.at("significant").values);
  const auto& strong = std::get<data::IntColumn>(map.cells.at("strong").values);
  AGGLO_ASSERT(lq.size() == R);
  RegionDetection d;
  d.lq = lq;
  d.significant.resize(R);
  d.strong.resize(R);
  for (std::size_t r = 0; r < R; ++r) {
    d.significant[r] = sig[r] != 0;
    d.strong[r] = strong[r] != 0;
    d.strong_regions += d.strong[r];
  }
  return d;
}

RegionDetection detect_clusters_reference(const std::vector<double>& firms, const std::vector<double>& employment,
                                          const std::vector<double>& background) {
  const std::size_t R = firms.size();
  RegionDetection d;
  d.lq.assign(R, std::numeric_limits<double>::quiet_NaN());
  d.significant.assign(R, 0);
  d.strong.assign(R, 0);
  double es = 0, et = 0;
  for (std::size_t r = 0; r < R; ++r) { es += employment[r]; et += employment[r] + background[r]; }
  for (std::size_t r = 0; r < R; ++r) {
    const double tot = employment[r] + background[r];
    if (tot > 0 && es > 0) d.lq[r] = (employment[r] / tot) / (es / et);
  }
  std::vector<double> e, n, l;
  for (std::size_t r = 0; r < R; ++r)
    if (employment[r] > 0 && std::isfinite(d.lq[r])) { e.push_back(employment[r]); n.push_back(firms[r]); l.push_back(d.lq[r]); }
  if (e.size() < 2) return d;  // min_regions = 2
  auto q7 = [](std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const double h = (v.size() - 1) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const auto hi = std::min(v.size() - 1, lo + 1);
    return v[lo] + (h - lo) * (v[hi] - v[lo]);
  };
  const double qe = q7(e, 0.25), qn = q7(n, 0.25), ql = q7(l, 0.75);
  for (std::size_t r = 0; r < R; ++r) {
    if (!(employment[r] > 0) || !std::isfinite(d.lq[r])) continue;
    const bool qualifying = employment[r] > qe && firms[r] > qn;
    d.significant[r] = qualifying && d.lq[r] >= 1.0;
    d.strong[r] = d.significant[r] && d.lq[r] >= ql;
    d.strong_regions += d.strong[r];
  }
  return d;
}

}  // namespace agglo::simulate
