#include "gdal_common.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <mutex>

namespace agglo::io::gdal {

void ensure_registered() {
  static std::once_flag once;
  std::call_once(once, [] {
    GDALAllRegister();
    // Errors are turned into agglo::Error by the callers; keep GDAL from printing them too.
    CPLSetErrorHandler(CPLQuietErrorHandler);
    // GeoPackages record when each layer last changed (gpkg_contents.last_change); the wall
    // clock would make two identical runs differ byte for byte. A fixed date keeps results
    // reproducible (docs/reliability.md); a user may set OGR_CURRENT_DATE to override it.
    if (!CPLGetConfigOption("OGR_CURRENT_DATE", nullptr))
      CPLSetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
  });
}

std::string last_error(const char* fallback) {
  const char* msg = CPLGetLastErrorMsg();
  return (msg && *msg) ? std::string(msg) : std::string(fallback);
}

DatasetPtr open_vector(const std::string& source, bool update) {
  ensure_registered();
  const bool is_connection = source.rfind("PG:", 0) == 0;
  if (!is_connection && !std::filesystem::exists(source))
    throw_io(ErrorCode::file_not_found, "file not found", source, "check the path");
  CPLErrorReset();
  auto* ds = static_cast<GDALDataset*>(GDALOpenEx(
      source.c_str(), GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY), nullptr,
      nullptr, nullptr));
  if (!ds)
    throw_io(ErrorCode::gdal_failure,
             fmt::format("GDAL cannot open it as vector data: {}", last_error("unknown format")),
             source, "supported: GeoPackage, GeoJSON, TopoJSON, Shapefile, PostGIS (PG:…)");
  return DatasetPtr(ds);
}

void check_layer_read(OGRLayer& layer, const std::string& source, std::uint64_t features_read) {
  if (CPLGetLastErrorType() < CE_Failure) return;
  throw_io(ErrorCode::gdal_failure,
           fmt::format("reading layer '{}' stopped after {} feature{}: {}", layer.GetName(), features_read,
                       features_read == 1 ? "" : "s", last_error("unknown GDAL error")),
           source, "the file is damaged or incomplete; write it again from its source");
}

OGRPoint check_region_geometry(const OGRGeometry* g, const std::string& id, const std::string& source, std::uint64_t row) {
  const Location where{source, row, 0, {}};
  if (!g || g->IsEmpty())
    throw_input(ErrorCode::invalid_value, fmt::format("region '{}' has no geometry", id), where,
                "every region needs a polygon or a point");
  OGREnvelope env;
  g->getEnvelope(&env);
  if (!std::isfinite(env.MinX) || !std::isfinite(env.MaxX) || !std::isfinite(env.MinY) || !std::isfinite(env.MaxY))
    throw_input(ErrorCode::non_finite, fmt::format("region '{}': its geometry has coordinates that are not finite (NaN or Inf)", id),
                where, "check the geometry");
  if (wkbFlatten(g->getGeometryType()) == wkbPoint) return *g->toPoint();
  OGRPoint c;
  CPLErrorReset();
  if (g->Centroid(&c) != OGRERR_NONE || !std::isfinite(c.getX()) || !std::isfinite(c.getY()))
    throw_input(ErrorCode::invalid_value, fmt::format("region '{}': no centroid ({})", id, last_error("GEOS")), where,
                "check the geometry");
  return c;
}

void create_fields(OGRLayer& layer, const data::Table& t, const std::string& path) {
  for (const auto& c : t.columns()) {
    OGRFieldDefn fd(c.name.c_str(), c.is_real() ? OFTReal : c.is_integer() ? OFTInteger64 : OFTString);
    if (layer.CreateField(&fd) != OGRERR_NONE)
      throw_io(ErrorCode::gdal_failure, fmt::format("cannot create field '{}': {}", c.name, last_error("")), path);
  }
}

void set_fields(OGRFeature& f, const data::Table& t, std::size_t i) {
  const auto& cols = t.columns();
  for (std::size_t j = 0; j < cols.size(); ++j) {
    const auto& c = cols[j];
    const int fi = static_cast<int>(j);
    if (c.is_real()) {
      const double v = std::get<data::RealColumn>(c.values)[i];
      if (std::isfinite(v)) f.SetField(fi, v);
      else f.SetFieldNull(fi);
    } else if (c.is_integer()) {
      f.SetField(fi, static_cast<GIntBig>(std::get<data::IntColumn>(c.values)[i]));
    } else {
      f.SetField(fi, std::get<data::TextColumn>(c.values)[i].c_str());
    }
  }
}

}  // namespace agglo::io::gdal
