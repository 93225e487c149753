// agglo::spatial — one polygon per cluster (convex or concave hull of its member points),
// written as a GeoPackage layer with per-cluster attributes.
//
// Geometry comes from GDAL/OGR, which delegates to GEOS: the convex hull is
// OGRGeometry::ConvexHull (GEOS, Graham-scan family), the concave hull
// OGRGeometry::ConcaveHull(ratio, no holes), GEOS 3.11's concave hull by edge length: from
// the Delaunay triangulation of the points, border triangles are removed, longest outer edge
// first, while that edge is longer than L = min + ratio × (max − min) of the triangulation's
// edge lengths and the polygon stays connected. ratio 1 gives the convex hull; smaller ratios
// follow the points more tightly (the "chi-shape" of Duckham, Kulik, Worboys & Galton 2008,
// "Efficient generation of simple polygons for characterizing the shape of a set of points in
// the plane", Pattern Recognition 41(10):3224–3236).
//
// Degenerate clusters. The hull of 1 point is a point and that of 2 or more collinear points a
// line segment; agglo buffers these by a fixed small distance — 1 coordinate unit for
// projected points (1 m in metric CRSs), 1e-5 degrees (about 1.1 m) for lon/lat — so that
// every cluster is a (tiny) polygon, and marks them with hull_kind = "point" or "line"
// ("polygon" otherwise). Hulls are computed in the coordinates of the input: for lon/lat,
// in degrees on the plate carrée (a cluster straddling ±180° would be wrong; none is expected
// at the scale of establishment clusters).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/data/table.hpp"

namespace agglo::spatial {

enum class HullKind { convex, concave };

struct HullOptions {
  HullKind kind = HullKind::convex;
  double concavity = 0.5;   // GEOS ratio in (0, 1]; 1 = convex hull
  bool geographic = false;  // lon/lat degrees
};

struct ClusterHull {
  std::string wkt;          // (Multi)Polygon
  std::string kind;         // "polygon", "line" or "point" (the latter two buffered)
};

// True when GDAL (and hence hulls) is compiled in.
bool have_hulls();

// The hull of each cluster 0..clusters−1 of `label` (−1 = noise, ignored).
std::vector<ClusterHull> cluster_hulls(const std::vector<double>& x, const std::vector<double>& y,
                                       const std::vector<std::int32_t>& label, std::size_t clusters,
                                       const HullOptions& o);

// Writes the hulls as layer `layer` of the GeoPackage `path` (created, or updated with a layer
// of the same name replaced), one feature per hull with the columns of `attributes` (one row
// per hull) as fields, in the CRS `crs` (e.g. "EPSG:4326"; empty = none). All or nothing: the
// file is written to a temporary copy and renamed into place.
void write_hulls(const std::string& path, const std::string& layer, const std::vector<ClusterHull>& hulls,
                 const data::Table& attributes, const std::string& crs);

// Helpers for the tests: planar area of a WKT geometry; whether it covers (contains or
// touches) the point (x, y); the WKT of every feature of a layer, in feature order.
double wkt_area(const std::string& wkt);
bool wkt_covers(const std::string& wkt, double x, double y);
std::vector<std::string> read_layer_wkt(const std::string& path, const std::string& layer);

}  // namespace agglo::spatial
