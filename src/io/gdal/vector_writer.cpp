#include <fmt/format.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "agglo/io/atomic_file.hpp"
#include "agglo/io/table_writer.hpp"
#include "gdal_common.hpp"

namespace agglo::io {

bool have_vector_support() { return true; }

namespace {

const char* driver_for(const std::string& path) {
  const auto ext = std::filesystem::path(path).extension().string();
  if (ext == ".gpkg") return "GPKG";
  if (ext == ".geojson" || ext == ".json") return "GeoJSON";
  if (ext == ".shp") return "ESRI Shapefile";
  if (ext == ".fgb") return "FlatGeobuf";
  throw_usage(ErrorCode::unsupported_format,
              fmt::format("cannot write vector data to '{}'", path), "use .gpkg or .geojson");
}

void write_layer(GDALDataset& ds, const NamedTable& nt, const OGRSpatialReference* srs,
                 const std::string& path) {
  const auto& t = *nt.table;
  const auto* lon = t.find("lon");
  const auto* lat = t.find("lat");
  const auto* xs = lon ? lon : t.find("x");
  const auto* ys = lat ? lat : t.find("y");
  const bool points = xs && ys && xs->is_real() && ys->is_real();

  // Replace a layer of the same name (a re-run updates the workspace).
  for (int i = 0; i < ds.GetLayerCount(); ++i)
    if (nt.name == ds.GetLayer(i)->GetName()) {
      ds.DeleteLayer(i);
      break;
    }
  char** opts = nullptr;
  if (std::string(ds.GetDriverName()) == "GPKG") opts = CSLSetNameValue(opts, "SPATIAL_INDEX", points ? "YES" : "NO");
  OGRLayer* layer = ds.CreateLayer(nt.name.c_str(), points ? const_cast<OGRSpatialReference*>(srs) : nullptr,
                                   points ? wkbPoint : wkbNone, opts);
  CSLDestroy(opts);
  if (!layer)
    throw_io(ErrorCode::gdal_failure, fmt::format("cannot create layer '{}': {}", nt.name, gdal::last_error("")), path);
  gdal::create_fields(*layer, t, path);
  const bool tx = layer->StartTransaction() == OGRERR_NONE;
  const std::size_t n = t.rows();
  for (std::size_t i = 0; i < n; ++i) {
    OGRFeature f(layer->GetLayerDefn());
    gdal::set_fields(f, t, i);
    if (points) {
      const double x = std::get<data::RealColumn>(xs->values)[i];
      const double y = std::get<data::RealColumn>(ys->values)[i];
      if (std::isfinite(x) && std::isfinite(y)) f.SetGeometryDirectly(new OGRPoint(x, y));
    }
    if (layer->CreateFeature(&f) != OGRERR_NONE)
      throw_io(ErrorCode::gdal_failure, fmt::format("cannot write feature: {}", gdal::last_error("")), path);
  }
  if (tx && layer->CommitTransaction() != OGRERR_NONE)
    throw_io(ErrorCode::gdal_failure, fmt::format("cannot commit layer '{}': {}", nt.name, gdal::last_error("")), path);
}

bool has_points(const data::Table& t) {
  const auto* xs = t.find("lon") ? t.find("lon") : t.find("x");
  const auto* ys = t.find("lat") ? t.find("lat") : t.find("y");
  return xs && ys && xs->is_real() && ys->is_real();
}

// Reads the written file back and compares feature counts: GDAL's text drivers (GeoJSON)
// report a short write only at close, if at all, so a truncated file on a full disk would
// otherwise pass. Cheap next to writing (a count, not a parse, where the driver allows it).
void verify_written(const std::string& file, const std::vector<NamedTable>& tables, const std::string& target) {
  auto ds = gdal::open_vector(file);
  for (const auto& nt : tables) {
    OGRLayer* l = ds->GetLayerCount() == 1 && tables.size() == 1 ? ds->GetLayer(0) : ds->GetLayerByName(nt.name.c_str());
    const auto want = static_cast<GIntBig>(nt.table->rows());
    const GIntBig got = l ? l->GetFeatureCount(TRUE) : -1;
    if (got != want)
      throw_io(ErrorCode::cannot_write,
               fmt::format("layer '{}' has {} of {} features after writing", nt.name, got < 0 ? 0 : got, want), target,
               "is the disk full?");
  }
}

}  // namespace

void write_vector(const std::vector<NamedTable>& tables, const std::string& path, bool update,
                  const std::string& crs) {
  gdal::ensure_registered();
  const char* driver_name = driver_for(path);
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
  if (!driver) throw_io(ErrorCode::gdal_failure, fmt::format("GDAL has no {} driver", driver_name), path);
  if (std::string(driver_name) != "GPKG" && tables.size() > 1)
    throw_usage(ErrorCode::unsupported_format,
                fmt::format("{} holds one layer but there are {} tables", path, tables.size()),
                "write to a .gpkg, or to a directory for CSV files");

  OGRSpatialReference srs;
  if (srs.SetFromUserInput(crs.c_str()) != OGRERR_NONE)
    throw_input(ErrorCode::unknown_crs, fmt::format("unknown CRS '{}'", crs), {}, "use an EPSG code such as EPSG:4326");
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);

  // Formats without geometry-less layers: say so instead of writing an empty or partial file.
  const std::string drv(driver_name);
  if (drv == "ESRI Shapefile" || drv == "FlatGeobuf")
    for (const auto& nt : tables)
      if (!has_points(*nt.table))
        throw_usage(ErrorCode::unsupported_format,
                    fmt::format("{}: {} needs a geometry, but table '{}' has no lon,lat (or x,y) columns", path, drv,
                                nt.name),
                    "write it to .csv, .json or .gpkg");

  // The dataset is built in a private stage beside the target (a copy of the workspace when
  // updating one) and renamed into place: a killed run leaves the old file.
  AtomicStage stage(path);
  if (update && std::filesystem::exists(path)) std::filesystem::copy_file(path, stage.path());
  {
    gdal::DatasetPtr ds;
    if (std::filesystem::exists(stage.path())) {
      ds = gdal::open_vector(stage.path(), /*update=*/true);
    } else {
      CPLErrorReset();
      ds.reset(driver->Create(stage.path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
      if (!ds) throw_io(ErrorCode::gdal_failure, fmt::format("cannot create: {}", gdal::last_error("")), path);
    }
    for (const auto& nt : tables) write_layer(*ds, nt, &srs, path);
    CPLErrorReset();
  }  // GDALClose flushes everything; a failed flush (a full disk) is reported as a CPLError
  if (CPLGetLastErrorType() == CE_Failure)
    throw_io(ErrorCode::cannot_write, fmt::format("write failed: {}", gdal::last_error("")), path, "is the disk full?");
  verify_written(stage.path(), tables, path);
  stage.commit();
}

}  // namespace agglo::io

namespace agglo::io {

void write_polygon_layer(const std::string& gpkg, const std::string& layer_name, const std::string& source,
                         const std::string& source_layer, const std::string& id_field,
                         const std::vector<std::string>& keep) {
  auto src = gdal::open_vector(source);
  OGRLayer* in = source_layer.empty() ? src->GetLayer(0) : src->GetLayerByName(source_layer.c_str());
  if (!in) throw_input(ErrorCode::missing_column, fmt::format("no layer '{}'", source_layer), Location{source, 0, 0, {}}, "");
  const int id_idx = in->GetLayerDefn()->GetFieldIndex(id_field.c_str());
  if (id_idx < 0) throw_input(ErrorCode::missing_column, fmt::format("layer has no field '{}'", id_field), Location{source, 0, 0, {}}, "");
  std::vector<std::string> wanted(keep);
  std::sort(wanted.begin(), wanted.end());

  OGRSpatialReference wgs84;
  wgs84.importFromEPSG(4326);
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> ct;
  if (const auto* s = in->GetSpatialRef()) {
    OGRSpatialReference ss(*s);
    ss.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (!ss.IsSame(&wgs84)) ct.reset(OGRCreateCoordinateTransformation(&ss, &wgs84));
  }

  AtomicStage stage(gpkg);
  if (std::filesystem::exists(gpkg)) std::filesystem::copy_file(gpkg, stage.path());
  {
    gdal::DatasetPtr ds;
    if (std::filesystem::exists(stage.path())) {
      ds = gdal::open_vector(stage.path(), true);
    } else {
      GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
      ds.reset(drv->Create(stage.path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
      if (!ds) throw_io(ErrorCode::gdal_failure, gdal::last_error("cannot create GeoPackage"), gpkg);
    }
    for (int i = 0; i < ds->GetLayerCount(); ++i)
      if (layer_name == ds->GetLayer(i)->GetName()) {
        ds->DeleteLayer(i);
        break;
      }
    OGRLayer* out = ds->CreateLayer(layer_name.c_str(), &wgs84, wkbMultiPolygon, nullptr);
    if (!out) throw_io(ErrorCode::gdal_failure, gdal::last_error("cannot create layer"), gpkg);
    auto* idefn = in->GetLayerDefn();
    for (int f = 0; f < idefn->GetFieldCount(); ++f) {
      OGRFieldDefn fd(idefn->GetFieldDefn(f));
      out->CreateField(&fd);
    }
    const bool tx = out->StartTransaction() == OGRERR_NONE;
    in->ResetReading();
    for (auto& feature : *in) {
      const std::string id = feature->GetFieldAsString(id_idx);
      if (!wanted.empty() && !std::binary_search(wanted.begin(), wanted.end(), id)) continue;
      OGRFeature f(out->GetLayerDefn());
      f.SetFrom(feature.get(), TRUE);
      if (OGRGeometry* geom = f.GetGeometryRef()) {
        if (ct) geom->transform(ct.get());
        f.SetGeometryDirectly(OGRGeometryFactory::forceToMultiPolygon(geom->clone()));
      }
      if (out->CreateFeature(&f) != OGRERR_NONE)
        throw_io(ErrorCode::gdal_failure, gdal::last_error("cannot write polygon"), gpkg);
    }
    if (tx && out->CommitTransaction() != OGRERR_NONE)
      throw_io(ErrorCode::gdal_failure, gdal::last_error("cannot commit polygons"), gpkg);
  }
  stage.commit();
}

}  // namespace agglo::io
