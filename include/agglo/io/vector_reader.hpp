// agglo::io — reading geodata with GDAL/OGR: any vector source GDAL opens (GeoPackage,
// GeoJSON, TopoJSON, Shapefile, FlatGeobuf, or a PostGIS connection string "PG:dbname=…").
#pragma once

#include <string>
#include <vector>

#include "agglo/data/economy.hpp"
#include "agglo/io/inputs.hpp"

namespace agglo::io {

struct VectorLayerInfo {
  std::string name;
  long long features = 0;
  std::string geometry;  // "Point", "MultiPolygon", "None"…
  std::string crs;       // authority code when known ("EPSG:4326"), else the CRS name
  std::vector<std::string> fields;
};

// True when `source` should be opened with GDAL rather than the CSV reader: a known vector
// extension or a "PG:" connection string.
bool is_vector_source(const std::string& source);

std::vector<VectorLayerInfo> list_layers(const std::string& source);

// Polygons → regions: code from `id_field` (the feature id when empty), name from
// `name_field`; lon/lat is a point on the surface (in EPSG:4326) and area_km2 the area in the
// World Cylindrical Equal Area projection (EPSG:6933). `layer` empty = the first layer.
data::RegionSet read_regions(const std::string& source, const std::string& layer,
                             const std::string& id_field, const std::string& name_field,
                             data::RegionLevel level = data::RegionLevel::other);

// Points → establishments with fields id, industry (required), region, employees (optional);
// coordinates are transformed to EPSG:4326 lon/lat.
data::Establishments read_establishment_points(const std::string& source,
                                               const std::string& layer = "",
                                               InputReport* report = nullptr);

}  // namespace agglo::io
