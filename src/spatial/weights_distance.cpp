// k-nearest-neighbour and distance-band weights with a nanoflann kd-tree (see
// include/agglo/spatial/weights_distance.hpp).
//
// Lon/lat points become unit vectors on the sphere; the kd-tree then searches by chord length
// c = |u_i − u_j|, a monotone function of the spherical great-circle distance 2R·asin(c/2),
// with a radius wide enough for the ellipsoidal distance. Every candidate the tree returns is
// re-measured with point_distance() and the final choice (the k nearest, or d ≤ D) is made on
// that number, so the kd-tree decides speed only.
#include "agglo/spatial/weights_distance.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <nanoflann.hpp>

#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"
#include "detail/point_cloud.hpp"

namespace agglo::spatial {

namespace {

using Cloud = detail::PointCloud;  // src/spatial/detail/point_cloud.hpp

using Tree = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, Cloud>, Cloud, 3, std::uint32_t>;

Cloud make_cloud(const PointSet& p) { return detail::make_point_cloud(p.x, p.y, p.geographic); }

// The kd-tree's squared search radius (chord² or distance²) that surely contains every point
// within distance D, with a margin for rounding: candidates are confirmed afterwards.
double search_radius2(const PointSet& p, double D) {
  if (!p.geographic) return D * D * (1 + 1e-9) + 1e-300;
  // Ellipsoidal distances (point_distance) are within ±0.4 % of the spherical ones (radius
  // earth_radius_km) the tree measures; search a sphere 1 % wider.
  const double half = 1.01 * D / (2 * geo::earth_radius_km) + 1e-12;
  const double c = half >= 3.14159265358979323846 / 2 ? 2.0 : 2 * std::sin(half);
  return c * c * (1 + 1e-9) + 1e-24;
}

void check_k(std::size_t k, std::size_t n) {
  if (k < 1 || k >= n)
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("--k must be between 1 and n − 1 = {} (got {})", n == 0 ? 0 : n - 1, k),
                "every region needs k other regions to choose its nearest neighbours from");
}

void check_d(double D) {
  if (!(D > 0) || !std::isfinite(D))
    throw_usage(ErrorCode::invalid_option_value, fmt::format("--distance must be > 0 (got {})", D),
                "km for lon/lat regions, the coordinates' unit for projected ones");
}

// The k nearest of candidates (index, distance), i excluded, ties by index.
void keep_k_nearest(std::vector<std::pair<double, std::uint32_t>>& cand, std::size_t k) {
  std::sort(cand.begin(), cand.end());
  if (cand.size() > k) cand.resize(k);
}

}  // namespace

double point_distance(const PointSet& p, std::size_t i, std::size_t j) {
  if (!p.geographic) return std::hypot(p.x[i] - p.x[j], p.y[i] - p.y[j]);
  return ellipsoid_km(p.x[i], p.y[i], p.x[j], p.y[j]);
}

double ellipsoid_km(double lon1, double lat1, double lon2, double lat2) {
  // Lambert–Andoyer: the spherical central angle 2w between the points, corrected to first
  // order in the WGS-84 flattening f (Lambert 1942, J. Washington Acad. Sci. 32:125–130); the
  // code of sp::spDists(longlat = TRUE) and spdep's gcdist, written out the same way so that
  // neighbour choices match spdep to the last bit.
  constexpr double a = 6378.137, f = 1.0 / 298.257223563, r = 3.14159265358979323846 / 180;
  constexpr double eps = 2.220446049250313e-16;
  if (std::fabs(lat1 - lat2) < eps) {
    if (std::fabs(lon1 - lon2) < eps) return 0.0;
    if (std::fabs((std::fabs(lon1) + std::fabs(lon2)) - 360.0) < eps) return 0.0;
  }
  const double F = (lat1 * r + lat2 * r) / 2, G = (lat1 * r - lat2 * r) / 2, L = (lon1 * r - lon2 * r) / 2;
  const double sG = std::sin(G), cG = std::cos(G), sF = std::sin(F), cF = std::cos(F), sL = std::sin(L), cL = std::cos(L);
  const double sinG2 = sG * sG, cosG2 = cG * cG, sinF2 = sF * sF, cosF2 = cF * cF, sinL2 = sL * sL, cosL2 = cL * cL;
  const double S = sinG2 * cosL2 + cosF2 * sinL2, C = cosG2 * cosL2 + sinF2 * sinL2;
  const double w = std::atan(std::sqrt(S / C)), R = std::sqrt(S * C) / w, D = 2 * w * a;
  const double H1 = (3 * R - 1) / (2 * C), H2 = (3 * R + 1) / (2 * S);
  return D * (1 + f * H1 * sinF2 * cosG2 - f * H2 * cosF2 * sinG2);
}

SpatialWeights knn_weights(const PointSet& p, std::size_t k) {
  const std::size_t n = p.size();
  check_k(k, n);
  const Cloud c = make_cloud(p);
  Tree tree(3, c, nanoflann::KDTreeSingleIndexAdaptorParams(16));
  std::vector<std::vector<std::uint32_t>> lists(n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<std::uint32_t> idx(k + 1);
    std::vector<double> d2(k + 1);
    std::vector<std::pair<std::uint32_t, double>> found;
    std::vector<std::pair<double, std::uint32_t>> cand;
    for (std::size_t i = r.begin(); i < r.end(); ++i) {
      // k + 1 nearest (the point itself is normally one of them), then every point as near as
      // the farthest of those, so that ties at the k-th distance are all seen.
      const std::size_t got = tree.knnSearch(c.pt[i].data(), k + 1, idx.data(), d2.data());
      double far = 0;
      for (std::size_t t = 0; t < got; ++t)
        if (idx[t] != i) far = std::max(far, point_distance(p, i, idx[t]));
      found.clear();
      tree.radiusSearch(c.pt[i].data(), search_radius2(p, far), found, nanoflann::SearchParams(32, 0, false));
      cand.clear();
      for (const auto& [j, dd] : found)
        if (j != i) cand.emplace_back(point_distance(p, i, j), j);
      keep_k_nearest(cand, k);
      for (const auto& [d, j] : cand) lists[i].push_back(j);
    }
  });
  return weights_from_lists(lists);
}

SpatialWeights knn_bruteforce(const PointSet& p, std::size_t k) {
  const std::size_t n = p.size();
  check_k(k, n);
  std::vector<std::vector<std::uint32_t>> lists(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::pair<double, std::uint32_t>> cand;
    for (std::size_t j = 0; j < n; ++j)
      if (j != i) cand.emplace_back(point_distance(p, i, j), static_cast<std::uint32_t>(j));
    keep_k_nearest(cand, k);
    for (const auto& [d, j] : cand) lists[i].push_back(j);
  }
  return weights_from_lists(lists);
}

SpatialWeights distance_band_weights(const PointSet& p, double D) {
  check_d(D);
  const std::size_t n = p.size();
  const Cloud c = make_cloud(p);
  Tree tree(3, c, nanoflann::KDTreeSingleIndexAdaptorParams(16));
  const double r2 = search_radius2(p, D);
  std::vector<std::vector<std::uint32_t>> lists(n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<std::pair<std::uint32_t, double>> found;
    for (std::size_t i = r.begin(); i < r.end(); ++i) {
      found.clear();
      tree.radiusSearch(c.pt[i].data(), r2, found, nanoflann::SearchParams(32, 0, false));
      for (const auto& [j, dd] : found)
        if (j != i && point_distance(p, i, j) <= D) lists[i].push_back(j);
    }
  });
  return weights_from_lists(lists);
}

SpatialWeights distance_band_bruteforce(const PointSet& p, double D) {
  check_d(D);
  const std::size_t n = p.size();
  std::vector<std::vector<std::uint32_t>> lists(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (j != i && point_distance(p, i, j) <= D) lists[i].push_back(static_cast<std::uint32_t>(j));
  return weights_from_lists(lists);
}

}  // namespace agglo::spatial
