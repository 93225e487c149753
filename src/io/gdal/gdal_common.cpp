#include "gdal_common.hpp"

#include <cpl_error.h>
#include <fmt/format.h>

#include <filesystem>
#include <mutex>

namespace agglo::io::gdal {

void ensure_registered() {
  static std::once_flag once;
  std::call_once(once, [] {
    GDALAllRegister();
    // Errors are turned into agglo::Error by the callers; keep GDAL from printing them too.
    CPLSetErrorHandler(CPLQuietErrorHandler);
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

}  // namespace agglo::io::gdal
