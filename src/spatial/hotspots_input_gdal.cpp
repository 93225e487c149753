// Regions for `agglo hotspots` from any vector source GDAL opens: polygon vertices for the
// contiguity weights, centroids for distance weights, and optionally the value field (see
// include/agglo/spatial/hotspots_input.hpp). Compiled only with AGGLO_WITH_GDAL.
#include <fmt/format.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <unordered_map>

#include "agglo/spatial/hotspots_input.hpp"
#include "io/gdal/gdal_common.hpp"

namespace agglo::spatial {

namespace {

void add_rings(const OGRGeometry* g, PolygonVertices& pv) {
  const auto type = wkbFlatten(g->getGeometryType());
  if (type == wkbPolygon) {
    const auto* poly = g->toPolygon();
    for (const auto* ring : *poly)
      for (const auto& pt : *ring) pv.add_vertex(pt.getX(), pt.getY());
  } else if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
    for (const auto* part : *g->toGeometryCollection()) add_rings(part, pv);
  }
}

}  // namespace

HotspotRegions read_hotspot_regions_vector(const std::string& source, const std::string& layer_name,
                                           const std::string& id_column, const std::vector<std::string>& value_columns) {
  auto ds = io::gdal::open_vector(source);
  OGRLayer* layer = layer_name.empty() ? (ds->GetLayerCount() > 0 ? ds->GetLayer(0) : nullptr)
                                       : ds->GetLayerByName(layer_name.c_str());
  if (!layer) {
    std::string names;
    for (int i = 0; i < ds->GetLayerCount(); ++i) names += (i ? ", " : "") + std::string(ds->GetLayer(i)->GetName());
    throw_input(ErrorCode::missing_column, layer_name.empty() ? "the source has no layer" : fmt::format("no layer named '{}'", layer_name),
                Location{source, 0, 0, {}}, fmt::format("layers: {}", names.empty() ? "none" : names));
  }
  auto* defn = layer->GetLayerDefn();
  std::vector<std::string> fields;
  for (int f = 0; f < defn->GetFieldCount(); ++f) fields.emplace_back(defn->GetFieldDefn(f)->GetNameRef());
  HotspotRegions out;
  out.source = source;
  int id_idx = -1;
  if (!id_column.empty()) {
    id_idx = defn->GetFieldIndex(id_column.c_str());
    if (id_idx < 0)
      throw_input(ErrorCode::missing_column, fmt::format("layer '{}' has no field '{}' for the region id", layer->GetName(), id_column),
                  Location{source, 0, 0, id_column}, fmt::format("fields: {}", fmt::join(fields, ", ")));
    out.id_column = id_column;
  } else {
    for (const char* c : {"region", "code", "id", "fips", "geoid"})
      if ((id_idx = defn->GetFieldIndex(c)) >= 0) {
        out.id_column = c;
        break;
      }
    if (id_idx < 0) out.id_column = "(feature id)";
  }
  std::vector<int> value_idx;  // the field of each value column
  for (const auto& value_column : value_columns) {
    value_idx.push_back(defn->GetFieldIndex(value_column.c_str()));
    if (value_idx.back() < 0)
      throw_input(ErrorCode::missing_column, fmt::format("layer '{}' has no field '{}' for --value", layer->GetName(), value_column),
                  Location{source, 0, 0, value_column},
                  fmt::format("fields: {}; or give the values in a CSV with --values", fmt::join(fields, ", ")));
  }
  out.values.assign(value_columns.size(), {});
  const OGRSpatialReference* srs = layer->GetSpatialRef();
  out.points.geographic = srs && srs->IsGeographic();
  if (srs) {
    const char* auth = srs->GetAuthorityName(nullptr);
    const char* code = srs->GetAuthorityCode(nullptr);
    out.crs = (auth && code) ? fmt::format("{}:{}", auth, code) : std::string(srs->GetName());
  }
  std::unordered_map<std::string, std::uint64_t> seen;
  std::uint64_t row = 0;
  bool any_polygon = false, any_point = false;
  layer->ResetReading();
  CPLErrorReset();
  for (auto& feature : *layer) {
    ++row;
    std::string id = id_idx >= 0 ? feature->GetFieldAsString(id_idx) : std::to_string(feature->GetFID());
    if (id.empty())
      throw_input(ErrorCode::wrong_type, "empty region id", Location{source, row, static_cast<std::uint32_t>(id_idx + 1), out.id_column},
                  "every feature needs an id");
    if (const auto [it, fresh] = seen.emplace(id, row); !fresh)
      throw_input(ErrorCode::duplicate_id, fmt::format("duplicate region id '{}' (first in feature {})", id, it->second),
                  Location{source, row, static_cast<std::uint32_t>(id_idx + 1), out.id_column}, "each region must appear once");
    for (std::size_t c = 0; c < value_columns.size(); ++c) {
      const int vi = value_idx[c];
      const Location where{source, row, static_cast<std::uint32_t>(vi + 1), value_columns[c]};
      if (!feature->IsFieldSetAndNotNull(vi))
        throw_input(ErrorCode::wrong_type, fmt::format("region '{}' has no value", id), where, "every region needs a number");
      double v = 0;
      const auto ft = defn->GetFieldDefn(vi)->GetType();
      if (ft == OFTReal || ft == OFTInteger || ft == OFTInteger64) {
        v = feature->GetFieldAsDouble(vi);
      } else {
        const std::string s = feature->GetFieldAsString(vi);
        char* end = nullptr;
        v = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size())
          throw_input(ErrorCode::wrong_type, fmt::format("'{}' is not a number (region '{}')", s, id), where,
                      fmt::format("--value {} must be numeric", value_columns[c]));
      }
      if (!std::isfinite(v))
        throw_input(ErrorCode::non_finite, fmt::format("the value of region '{}' is not finite", id), where, "");
      out.values[c].push_back(v);
    }
    const OGRGeometry* g = feature->GetGeometryRef();
    // Present, finite, with a centroid: the region's position (a point is its own).
    const OGRPoint c = io::gdal::check_region_geometry(g, id, source, row);
    if (wkbFlatten(g->getGeometryType()) == wkbPoint) {
      any_point = true;
    } else {
      any_polygon = true;
      add_rings(g, out.polygons);
    }
    out.points.x.push_back(c.getX());
    out.points.y.push_back(c.getY());
    out.polygons.end_region();
    out.ids.push_back(std::move(id));
  }
  io::gdal::check_layer_read(*layer, source, row);
  if (!out.values.empty()) out.value = out.values.front();
  if (any_polygon && any_point)
    throw_input(ErrorCode::invalid_value, "the layer mixes points and polygons", Location{source, 0, 0, {}},
                "give one kind of geometry");
  out.has_polygons = any_polygon;
  if (!srs) {
    // No CRS: GeoJSON and TopoJSON are lon/lat by their specifications (RFC 7946), and GDAL
    // reports no CRS for TopoJSON. Coordinates all within lon/lat range are taken as degrees.
    bool lonlat = true;
    for (std::size_t k = 0; k < out.points.size() && lonlat; ++k)
      lonlat = std::fabs(out.points.x[k]) <= 180 && std::fabs(out.points.y[k]) <= 90;
    for (std::size_t k = 0; k < out.polygons.x.size() && lonlat; ++k)
      lonlat = std::fabs(out.polygons.x[k]) <= 180 && std::fabs(out.polygons.y[k]) <= 90;
    out.points.geographic = lonlat;
    if (lonlat) out.crs = "EPSG:4326";
    out.warnings.push_back(lonlat ? "the layer has no CRS; its coordinates are within lon/lat range and are taken as degrees (great-circle km)"
                                  : "the layer has no CRS: coordinates are taken as projected (Euclidean distances)");
  }
  return out;
}

}  // namespace agglo::spatial
