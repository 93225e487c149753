#include "agglo/io/vector_reader.hpp"

#include <fmt/format.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>

#include "gdal_common.hpp"

namespace agglo::io {

namespace {

std::string lower_ext(const std::string& s) {
  const auto dot = s.rfind('.');
  if (dot == std::string::npos) return "";
  std::string e = s.substr(dot + 1);
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
  return e;
}

OGRLayer* pick_layer(GDALDataset& ds, const std::string& layer, const std::string& source) {
  OGRLayer* l = layer.empty() ? (ds.GetLayerCount() > 0 ? ds.GetLayer(0) : nullptr)
                              : ds.GetLayerByName(layer.c_str());
  if (!l) {
    std::string names;
    for (int i = 0; i < ds.GetLayerCount(); ++i)
      names += (i ? ", " : "") + std::string(ds.GetLayer(i)->GetName());
    throw_input(ErrorCode::missing_column,
                layer.empty() ? "the source has no layer" : fmt::format("no layer named '{}'", layer),
                Location{source, 0, 0, {}}, fmt::format("layers: {}", names.empty() ? "none" : names));
  }
  return l;
}

// A transformation from the layer's CRS to lon/lat (traditional axis order), or null when the
// layer is already in lon/lat or has no CRS.
std::unique_ptr<OGRCoordinateTransformation> to_lonlat(OGRLayer& layer) {
  const OGRSpatialReference* src = layer.GetSpatialRef();
  if (!src) return nullptr;
  OGRSpatialReference wgs84;
  wgs84.importFromEPSG(4326);
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  OGRSpatialReference s(*src);
  s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  if (s.IsSame(&wgs84)) return nullptr;
  return std::unique_ptr<OGRCoordinateTransformation>(OGRCreateCoordinateTransformation(&s, &wgs84));
}

}  // namespace

bool is_vector_source(const std::string& source) {
  if (source.rfind("PG:", 0) == 0) return true;
  const auto e = lower_ext(source);
  return e == "gpkg" || e == "geojson" || e == "json" || e == "topojson" || e == "shp" ||
         e == "fgb" || e == "gml" || e == "kml" || e == "sqlite";
}

std::vector<VectorLayerInfo> list_layers(const std::string& source) {
  auto ds = gdal::open_vector(source);
  std::vector<VectorLayerInfo> out;
  for (int i = 0; i < ds->GetLayerCount(); ++i) {
    OGRLayer* l = ds->GetLayer(i);
    VectorLayerInfo info;
    info.name = l->GetName();
    info.features = l->GetFeatureCount();
    info.geometry = OGRGeometryTypeToName(l->GetGeomType());
    if (const auto* srs = l->GetSpatialRef()) {
      const char* auth = srs->GetAuthorityName(nullptr);
      const char* code = srs->GetAuthorityCode(nullptr);
      info.crs = (auth && code) ? fmt::format("{}:{}", auth, code) : std::string(srs->GetName());
    }
    auto* defn = l->GetLayerDefn();
    for (int f = 0; f < defn->GetFieldCount(); ++f) info.fields.emplace_back(defn->GetFieldDefn(f)->GetNameRef());
    out.push_back(std::move(info));
  }
  return out;
}

data::RegionSet read_regions(const std::string& source, const std::string& layer_name,
                             const std::string& id_field, const std::string& name_field,
                             data::RegionLevel level) {
  auto ds = gdal::open_vector(source);
  OGRLayer* layer = pick_layer(*ds, layer_name, source);
  auto* defn = layer->GetLayerDefn();
  const int id_idx = id_field.empty() ? -1 : defn->GetFieldIndex(id_field.c_str());
  const int name_idx = name_field.empty() ? -1 : defn->GetFieldIndex(name_field.c_str());
  if (!id_field.empty() && id_idx < 0)
    throw_input(ErrorCode::missing_column, fmt::format("layer has no field '{}'", id_field),
                Location{source, 0, 0, {}}, "");
  auto lonlat = to_lonlat(*layer);
  // Areas in an equal-area projection: EPSG:6933 (WGS 84 / NSIDC EASE-Grid 2.0 Global).
  OGRSpatialReference ea;
  ea.importFromEPSG(6933);
  ea.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  OGRSpatialReference wgs84;
  wgs84.importFromEPSG(4326);
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> to_ea(OGRCreateCoordinateTransformation(&wgs84, &ea));

  data::RegionSet regions;
  layer->ResetReading();
  CPLErrorReset();
  long long row = 0;
  for (auto& feature : *layer) {
    ++row;
    data::Region r;
    r.level = level;
    r.code = id_idx >= 0 ? feature->GetFieldAsString(id_idx) : std::to_string(feature->GetFID());
    if (name_idx >= 0) r.name = feature->GetFieldAsString(name_idx);
    if (regions.find(r.code).valid())
      throw_input(ErrorCode::duplicate_id, fmt::format("duplicate region id '{}'", r.code),
                  Location{source, static_cast<std::uint64_t>(row), 0, id_field}, "ids must be unique");
    // The checks of the analyses that use region geometry (hotspots), so that validate
    // accepts only what they accept.
    gdal::check_region_geometry(feature->GetGeometryRef(), r.code, source, static_cast<std::uint64_t>(row));
    if (OGRGeometry* g = feature->GetGeometryRef()) {
      std::unique_ptr<OGRGeometry> geom(g->clone());
      if (lonlat) geom->transform(lonlat.get());
      OGRPoint p;
      // A point guaranteed inside the polygon (a centroid can fall outside a crescent).
      OGRGeometryH pos = OGR_G_PointOnSurface(OGRGeometry::ToHandle(geom.get()));
      if (pos) {
        r.lon = OGR_G_GetX(pos, 0);
        r.lat = OGR_G_GetY(pos, 0);
        OGR_G_DestroyGeometry(pos);
      } else if (geom->Centroid(&p) == OGRERR_NONE) {
        r.lon = p.getX();
        r.lat = p.getY();
      }
      if (to_ea && geom->transform(to_ea.get()) == OGRERR_NONE) {
        r.area_km2 = OGR_G_Area(OGRGeometry::ToHandle(geom.get())) / 1e6;
      }
    }
    regions.add(std::move(r));
  }
  gdal::check_layer_read(*layer, source, static_cast<std::uint64_t>(row));
  return regions;
}

data::Establishments read_establishment_points(const std::string& source, const std::string& layer_name,
                                               InputReport* report) {
  auto ds = gdal::open_vector(source);
  OGRLayer* layer = pick_layer(*ds, layer_name, source);
  auto* defn = layer->GetLayerDefn();
  const int id_idx = defn->GetFieldIndex("id");
  const int ind_idx = defn->GetFieldIndex("industry");
  const int reg_idx = defn->GetFieldIndex("region");
  const int emp_idx = defn->GetFieldIndex("employees");
  if (ind_idx < 0)
    throw_input(ErrorCode::missing_column, "layer has no field 'industry'", Location{source, 0, 0, {}},
                "establishment layers need an industry field");
  auto lonlat = to_lonlat(*layer);
  data::Establishments e;
  long long row = 0;
  CPLErrorReset();
  for (auto& feature : *layer) {
    ++row;
    OGRGeometry* g = feature->GetGeometryRef();
    if (!g || wkbFlatten(g->getGeometryType()) != wkbPoint)
      throw_input(ErrorCode::wrong_type, "feature has no point geometry",
                  Location{source, static_cast<std::uint64_t>(row), 0, {}}, "establishments are points");
    OGRPoint p(*g->toPoint());
    if (lonlat) p.transform(lonlat.get());
    const std::string id = id_idx >= 0 ? feature->GetFieldAsString(id_idx) : std::to_string(feature->GetFID());
    const auto before = e.ids.size();
    e.ids.intern(id);
    if (e.ids.size() == before)
      throw_input(ErrorCode::duplicate_id, fmt::format("duplicate establishment id '{}'", id),
                  Location{source, static_cast<std::uint64_t>(row), 0, "id"}, "ids must be unique");
    e.industry.push_back(e.industry_codes.intern(feature->GetFieldAsString(ind_idx)));
    if (reg_idx >= 0) e.region.push_back(e.region_codes.intern(feature->GetFieldAsString(reg_idx)));
    if (emp_idx >= 0) e.employees.push_back(feature->GetFieldAsDouble(emp_idx));
    if (!(std::fabs(p.getX()) <= 180 && std::fabs(p.getY()) <= 90))
      throw_input(ErrorCode::coordinate_out_of_range,
                  fmt::format("point ({}, {}) is outside lon/lat range", p.getX(), p.getY()),
                  Location{source, static_cast<std::uint64_t>(row), 0, {}}, "check the layer's CRS");
    e.x.push_back(p.getX());
    e.y.push_back(p.getY());
  }
  gdal::check_layer_read(*layer, source, static_cast<std::uint64_t>(row));
  if (report) {
    report->kind = "establishments";
    report->path = source;
    report->rows = e.size();
    report->counts = {{"establishments", e.size()}, {"industries", e.industry_codes.size()}};
  }
  return e;
}

}  // namespace agglo::io
