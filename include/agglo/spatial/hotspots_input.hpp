// agglo::spatial — the regions and the value that `agglo hotspots` analyses.
//
// Regions come from
//   * a vector source GDAL opens (GeoPackage, GeoJSON, TopoJSON, Shapefile…; io::is_vector_source):
//     polygons (contiguity weights use their vertices; knn and distance bands use their
//     centroids, GEOS's planar centroid as sf::st_centroid) or points; or
//   * a CSV file with one row per region and `lon,lat` (degrees) or `x,y` (projected):
//     points only, so knn or distance weights.
// The region id is the column/field given by `id` or, when empty, the first of `region`,
// `code`, `id`, `fips`, `geoid` that exists (the feature id for vector sources without one).
//
// The value is a numeric column of the regions themselves, or of a separate CSV table keyed by
// region (DESIGN.md's data model keeps attributes of regions in tables joined by code): with
// `values` given, its id column (same rule) is matched to the regions and every region must have
// exactly one finite value.
//
// Errors (input tier, exit 3) name the file, the line (CSV) or feature number, and the column:
// a missing or non-numeric value, duplicate ids, a region without a value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/spatial/weights_contiguity.hpp"
#include "agglo/spatial/weights_distance.hpp"

namespace agglo::spatial {

struct HotspotRegions {
  std::string source;
  std::string id_column;
  std::vector<std::string> ids;
  bool has_polygons = false;
  PolygonVertices polygons;  // one entry per region when has_polygons
  PointSet points;           // centroids / representative points (geographic flag set)
  std::vector<double> value;                // the first value column (values[0])
  std::vector<std::vector<double>> values;  // every requested value column, in the order asked
  std::string crs;           // "EPSG:4326", a CRS name, or empty
  std::vector<std::string> warnings;
};

// Reads the regions and, in one pass, the numeric `value_columns` (none: the values come from a
// values table).
HotspotRegions read_hotspot_regions(const std::string& source, const std::string& layer, const std::string& id_column,
                                    const std::vector<std::string>& value_columns);
// One value column; empty: none.
inline HotspotRegions read_hotspot_regions(const std::string& source, const std::string& layer, const std::string& id_column,
                                           const std::string& value_column) {
  return read_hotspot_regions(source, layer, id_column,
                              value_column.empty() ? std::vector<std::string>{} : std::vector<std::string>{value_column});
}

// Fills regions.values (and .value) from a CSV table `path` with an id column and the
// `value_columns`, read once.
void join_hotspot_values(HotspotRegions& regions, const std::string& path, const std::string& id_column,
                         const std::vector<std::string>& value_columns);
inline void join_hotspot_values(HotspotRegions& regions, const std::string& path, const std::string& id_column,
                                const std::string& value_column) {
  join_hotspot_values(regions, path, id_column, std::vector<std::string>{value_column});
}

// GDAL back end (src/spatial/hotspots_input_gdal.cpp); without GDAL it throws.
HotspotRegions read_hotspot_regions_vector(const std::string& source, const std::string& layer,
                                           const std::string& id_column, const std::vector<std::string>& value_columns);

}  // namespace agglo::spatial
