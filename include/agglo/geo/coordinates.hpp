// agglo::geo — coordinates, coordinate reference systems and distances.
//
// Points are either geographic (lon/lat in degrees on WGS 84, EPSG:4326), where distances are
// great-circle kilometres on a sphere of mean radius 6,371.0088 km, or projected (x/y in the
// CRS's linear unit, usually metres), where distances are Euclidean in that unit. Every
// distance in the API says which of the two it is through CoordinateSystem::distance_unit().
#pragma once

#include <array>
#include <cmath>
#include <string>

namespace agglo::geo {

constexpr double earth_radius_km = 6371.0088;  // IUGG mean radius R1
constexpr double deg_to_rad = 3.14159265358979323846 / 180.0;

struct CoordinateSystem {
  bool geographic = true;      // lon/lat degrees
  std::string crs = "EPSG:4326";
  std::string linear_unit = "km";  // "km" for geographic; the CRS's unit (often "m") otherwise
  std::string distance_unit() const { return geographic ? "km (great circle)" : linear_unit; }
};

// Great-circle distance in km between two lon/lat points (degrees), by the haversine formula,
// which stays accurate for the short distances cluster analysis cares about.
inline double haversine_km(double lon1, double lat1, double lon2, double lat2) {
  const double p1 = lat1 * deg_to_rad, p2 = lat2 * deg_to_rad;
  const double dp = p2 - p1, dl = (lon2 - lon1) * deg_to_rad;
  const double a = std::sin(dp / 2) * std::sin(dp / 2) +
                   std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
  return 2 * earth_radius_km * std::asin(std::min(1.0, std::sqrt(a)));
}

// The unit vector (cos φ cos λ, cos φ sin λ, sin φ) of a lon/lat point (degrees). Chords between
// unit vectors are a monotone function of great-circle distance (d = 2R asin(|Δu|/2)), so grids
// and kd-trees built on them have no seam at ±180° and no singularity at the poles.
inline std::array<double, 3> unit_vector(double lon, double lat) {
  const double lam = lon * deg_to_rad, phi = lat * deg_to_rad;
  return {std::cos(phi) * std::cos(lam), std::cos(phi) * std::sin(lam), std::sin(phi)};
}

inline double euclidean(double x1, double y1, double x2, double y2) {
  return std::hypot(x2 - x1, y2 - y1);
}

// Moves a lon/lat point by (east_km, north_km) on the local tangent plane; used to place
// points at a given distance scale. Accurate to well under 1 % for offsets below ~200 km.
inline void offset_km(double& lon, double& lat, double east_km, double north_km) {
  const double dlat = north_km / earth_radius_km / deg_to_rad;
  const double dlon = east_km / (earth_radius_km * std::cos(lat * deg_to_rad)) / deg_to_rad;
  lat += dlat;
  lon += dlon;
}

// Checks a CRS string ("EPSG:3857", a PROJ string or WKT) with PROJ through GDAL and returns
// its linear unit; throws input error unknown_crs when PROJ does not know it. Without GDAL
// only EPSG:4326 is accepted.
CoordinateSystem resolve_crs(const std::string& crs);

}  // namespace agglo::geo
