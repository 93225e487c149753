// A vector layer as GeoJSON or JSON rows (include/agglo/io/layer_json.hpp).
#include "agglo/io/layer_json.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <ogr_api.h>
#include <ogr_spatialref.h>

#include <memory>

#include "agglo/parallel/cancel.hpp"
#include "gdal_common.hpp"

namespace agglo::io {

namespace {

// One feature's attribute fields as a JSON object.
nlohmann::ordered_json properties(OGRFeature& f, OGRFeatureDefn& defn) {
  nlohmann::ordered_json p = nlohmann::ordered_json::object();
  for (int i = 0; i < defn.GetFieldCount(); ++i) {
    const auto* fd = defn.GetFieldDefn(i);
    const char* name = fd->GetNameRef();
    if (!f.IsFieldSetAndNotNull(i)) {
      p[name] = nullptr;
      continue;
    }
    switch (fd->GetType()) {
      case OFTInteger: p[name] = f.GetFieldAsInteger(i); break;
      case OFTInteger64: p[name] = static_cast<std::int64_t>(f.GetFieldAsInteger64(i)); break;
      case OFTReal: p[name] = f.GetFieldAsDouble(i); break;
      default: p[name] = f.GetFieldAsString(i); break;
    }
  }
  return p;
}

}  // namespace

std::string layer_json(const std::string& source, const std::string& layer_name, int precision) {
  gdal::ensure_registered();
  auto ds = gdal::open_vector(source);
  OGRLayer* layer = ds->GetLayerByName(layer_name.c_str());
  if (!layer)
    throw_input(ErrorCode::missing_column, fmt::format("no layer named '{}'", layer_name), Location{source, 0, 0, {}},
                "list the layers with GET /api/layers or ogrinfo");
  auto& defn = *layer->GetLayerDefn();
  const bool geometry = layer->GetGeomType() != wkbNone && defn.GetGeomFieldCount() > 0;
  layer->ResetReading();
  std::string out;
  if (!geometry) {
    out = "[";
    bool first = true;
    for (auto& f : *layer) {
      out += first ? "" : ",";
      first = false;
      out += properties(*f, defn).dump();
    }
    out += "]";
    return out;
  }
  // GeoJSON is lon/lat WGS 84 by definition; transform other CRSs.
  std::unique_ptr<OGRCoordinateTransformation> to_wgs84;
  if (const auto* srs = layer->GetSpatialRef()) {
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference from(*srs);
    from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (!from.IsSame(&wgs84)) to_wgs84.reset(OGRCreateCoordinateTransformation(&from, &wgs84));
  }
  const std::string precision_opt = fmt::format("COORDINATE_PRECISION={}", precision);
  char* opts[] = {const_cast<char*>(precision_opt.c_str()), nullptr};
  out = R"({"type":"FeatureCollection","name":)" + nlohmann::json(layer_name).dump() + R"(,"features":[)";
  bool first = true;
  std::size_t n = 0;
  for (auto& f : *layer) {
    if (++n % 4096 == 0) parallel::check_cancelled();
    out += first ? "" : ",";
    first = false;
    out += R"({"type":"Feature","geometry":)";
    OGRGeometry* g = f->GetGeometryRef();
    if (g && to_wgs84) g->transform(to_wgs84.get());
    if (g) {
      char* text = OGR_G_ExportToJsonEx(OGRGeometry::ToHandle(g), opts);
      out += text ? text : "null";
      CPLFree(text);
    } else {
      out += "null";
    }
    out += R"(,"properties":)" + properties(*f, defn).dump() + "}";
  }
  out += "]}";
  return out;
}

}  // namespace agglo::io
