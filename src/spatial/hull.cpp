// Cluster hulls with GDAL/GEOS and their GeoPackage layer (see include/agglo/spatial/hull.hpp).
// The layer is written the way src/io/gdal/vector_writer.cpp writes workspaces: to a hidden
// temporary copy beside the target, renamed into place only when GDAL has closed it, so a
// failure or Ctrl-C leaves the old file (or none), never a half-written one.
#include "agglo/spatial/hull.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "agglo/core/error.hpp"
#include "agglo/io/atomic_file.hpp"

#if AGGLO_HAVE_GDAL
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include "../io/gdal/gdal_common.hpp"
#endif

namespace agglo::spatial {

#if AGGLO_HAVE_GDAL

namespace {

[[noreturn]] void throw_internal(std::string message) {
  throw Error(ErrorKind::internal, ErrorCode::gdal_failure, std::move(message), {}, "please report this as a bug");
}

struct GeomDeleter {
  void operator()(OGRGeometry* g) const { OGRGeometryFactory::destroyGeometry(g); }
};
using GeomPtr = std::unique_ptr<OGRGeometry, GeomDeleter>;

GeomPtr from_wkt(const std::string& wkt) {
  OGRGeometry* g = nullptr;
  if (OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) != OGRERR_NONE || !g)
    throw_internal(fmt::format("invalid WKT '{}'", wkt.substr(0, 60)));
  return GeomPtr(g);
}

std::string to_wkt(const OGRGeometry& g) {
  char* s = nullptr;
  g.exportToWkt(&s, wkbVariantIso);
  std::string out = s ? s : "";
  CPLFree(s);
  return out;
}

}  // namespace

bool have_hulls() { return true; }

std::vector<ClusterHull> cluster_hulls(const std::vector<double>& x, const std::vector<double>& y,
                                       const std::vector<std::int32_t>& label, std::size_t clusters,
                                       const HullOptions& o) {
  AGGLO_ASSERT(x.size() == y.size() && y.size() == label.size());
  std::vector<OGRMultiPoint> members(clusters);
  for (std::size_t i = 0; i < x.size(); ++i)
    if (label[i] >= 0) {
      AGGLO_ASSERT(static_cast<std::size_t>(label[i]) < clusters);
      members[label[i]].addGeometryDirectly(new OGRPoint(x[i], y[i]));
    }
  const double buffer = o.geographic ? 1e-5 : 1.0;
  std::vector<ClusterHull> out(clusters);
  for (std::size_t c = 0; c < clusters; ++c) {
    CPLErrorReset();
    GeomPtr hull(o.kind == HullKind::concave ? members[c].ConcaveHull(o.concavity, false) : members[c].ConvexHull());
    if (!hull) throw_internal(fmt::format("GEOS could not compute the hull of cluster {}: {}", c, CPLGetLastErrorMsg()));
    const auto type = wkbFlatten(hull->getGeometryType());
    if (type == wkbPolygon || type == wkbMultiPolygon) {
      out[c].kind = "polygon";
    } else {
      // Point (one distinct location) or line (collinear points): buffered into a polygon.
      out[c].kind = (type == wkbPoint || type == wkbMultiPoint) ? "point" : "line";
      hull.reset(hull->Buffer(buffer, 8));
      if (!hull) throw_internal(fmt::format("GEOS could not buffer the hull of cluster {}", c));
    }
    GeomPtr multi(OGRGeometryFactory::forceToMultiPolygon(hull.release()));
    out[c].wkt = to_wkt(*multi);
  }
  return out;
}

void write_hulls(const std::string& path, const std::string& layer_name, const std::vector<ClusterHull>& hulls,
                 const data::Table& t, const std::string& crs) {
  io::gdal::ensure_registered();
  AGGLO_ASSERT(t.rows() == hulls.size());
  if (std::filesystem::path(path).extension() != ".gpkg")
    throw_usage(ErrorCode::unsupported_format, fmt::format("hulls are written to a GeoPackage, not '{}'", path),
                "name the file *.gpkg");
  OGRSpatialReference srs;
  const bool have_srs = !crs.empty();
  if (have_srs) {
    if (srs.SetFromUserInput(crs.c_str()) != OGRERR_NONE)
      throw_input(ErrorCode::unknown_crs, fmt::format("unknown CRS '{}'", crs), {}, "use an EPSG code such as EPSG:4326");
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  }
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (!driver) throw_io(ErrorCode::gdal_failure, "GDAL has no GPKG driver", path);

  io::AtomicStage target(path);  // throws cannot_write when the directory is not writable
  if (std::filesystem::exists(path)) std::filesystem::copy_file(path, target.path());
  {
    io::gdal::DatasetPtr ds;
    CPLErrorReset();
    if (std::filesystem::exists(target.path())) {
      ds.reset(GDALDataset::Open(target.path().c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
      if (!ds)
        throw_io(ErrorCode::gdal_failure,
                 fmt::format("cannot update the existing file as a GeoPackage: {}", io::gdal::last_error("")), path);
    } else {
      ds.reset(driver->Create(target.path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
      if (!ds) throw_io(ErrorCode::cannot_write, fmt::format("cannot create: {}", io::gdal::last_error("")), path);
    }
    for (int i = 0; i < ds->GetLayerCount(); ++i)
      if (layer_name == ds->GetLayer(i)->GetName()) {
        ds->DeleteLayer(i);
        break;
      }
    OGRLayer* layer = ds->CreateLayer(layer_name.c_str(), have_srs ? &srs : nullptr, wkbMultiPolygon, nullptr);
    if (!layer)
      throw_io(ErrorCode::gdal_failure, fmt::format("cannot create layer '{}': {}", layer_name, io::gdal::last_error("")), path);
    io::gdal::create_fields(*layer, t, path);
    OGRFieldDefn kind("hull_kind", OFTString);
    layer->CreateField(&kind);
    const bool tx = layer->StartTransaction() == OGRERR_NONE;
    for (std::size_t i = 0; i < hulls.size(); ++i) {
      OGRFeature f(layer->GetLayerDefn());
      io::gdal::set_fields(f, t, i);
      f.SetField(static_cast<int>(t.columns().size()), hulls[i].kind.c_str());
      auto g = from_wkt(hulls[i].wkt);
      if (have_srs) g->assignSpatialReference(&srs);
      f.SetGeometryDirectly(g.release());
      if (layer->CreateFeature(&f) != OGRERR_NONE)
        throw_io(ErrorCode::gdal_failure, fmt::format("cannot write hull: {}", io::gdal::last_error("")), path);
    }
    if (tx && layer->CommitTransaction() != OGRERR_NONE)
      throw_io(ErrorCode::gdal_failure, fmt::format("cannot commit layer '{}': {}", layer_name, io::gdal::last_error("")), path);
  }  // GDALClose flushes before the rename
  target.commit();
}

double wkt_area(const std::string& wkt) {
  auto g = from_wkt(wkt);
  const auto type = wkbFlatten(g->getGeometryType());
  if (type == wkbPolygon) return g->toPolygon()->get_Area();
  if (type == wkbMultiPolygon) return g->toMultiPolygon()->get_Area();
  return 0.0;
}

bool wkt_covers(const std::string& wkt, double x, double y) {
  auto g = from_wkt(wkt);
  OGRPoint p(x, y);
  // Contains, or on the boundary (distance 0 up to rounding of the hull's vertices).
  return g->Contains(&p) || g->Distance(&p) <= 1e-9 * (1 + std::abs(x) + std::abs(y));
}

std::vector<std::string> read_layer_wkt(const std::string& path, const std::string& layer_name) {
  io::gdal::ensure_registered();
  auto ds = io::gdal::open_vector(path);
  OGRLayer* layer = ds->GetLayerByName(layer_name.c_str());
  if (!layer) throw_input(ErrorCode::missing_column, fmt::format("no layer '{}'", layer_name), Location{path, 0, 0, {}}, "");
  std::vector<std::string> out;
  layer->ResetReading();
  for (auto& f : *layer) {
    const OGRGeometry* g = f->GetGeometryRef();
    out.push_back(g ? to_wkt(*g) : "");
  }
  return out;
}

#else  // no GDAL

bool have_hulls() { return false; }

std::vector<ClusterHull> cluster_hulls(const std::vector<double>&, const std::vector<double>&,
                                       const std::vector<std::int32_t>&, std::size_t, const HullOptions&) {
  throw_usage(ErrorCode::unsupported_format, "cluster hulls need GDAL", "rebuild with -DAGGLO_WITH_GDAL=ON");
}
void write_hulls(const std::string&, const std::string&, const std::vector<ClusterHull>&, const data::Table&,
                 const std::string&) {
  throw_usage(ErrorCode::unsupported_format, "cluster hulls need GDAL", "rebuild with -DAGGLO_WITH_GDAL=ON");
}
double wkt_area(const std::string&) { return 0; }
bool wkt_covers(const std::string&, double, double) { return false; }
std::vector<std::string> read_layer_wkt(const std::string&, const std::string&) { return {}; }

#endif

}  // namespace agglo::spatial
