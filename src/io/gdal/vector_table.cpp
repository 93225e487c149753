// A GDAL vector layer read as a table (io::read_table): attribute fields become columns, a
// point geometry becomes lon,lat in EPSG:4326 (or x,y when the layer is projected and cannot
// be transformed, or has no CRS and coordinates outside degrees). Numbers are passed on as
// their shortest exact text, so they are checked by the same code as CSV cells and come back
// bit-identical. Features are numbered from 1 in messages ("file.gpkg (layer 'x'):57").
#include <fmt/format.h>
#include <ogr_spatialref.h>

#include <charconv>
#include <cmath>

#include "../detail/table_builder.hpp"
#include "agglo/parallel/cancel.hpp"
#include "gdal_common.hpp"

namespace agglo::io::detail {

namespace {

bool wants_coordinates(const TableSpec& spec) {
  for (const auto& g : spec.one_of_groups)
    for (const auto& alt : g)
      if (alt == "lon+lat" || alt == "x+y") return true;
  return false;
}

OGRLayer* choose_layer(GDALDataset& ds, const std::string& wanted, bool points, const std::string& source) {
  if (!wanted.empty()) {
    if (OGRLayer* l = ds.GetLayerByName(wanted.c_str())) return l;
  } else {
    if (points)
      for (int i = 0; i < ds.GetLayerCount(); ++i) {
        const auto t = wkbFlatten(ds.GetLayer(i)->GetGeomType());
        if (t == wkbPoint || t == wkbMultiPoint) return ds.GetLayer(i);
      }
    if (ds.GetLayerCount() > 0) return ds.GetLayer(0);
  }
  std::string names;
  for (int i = 0; i < ds.GetLayerCount(); ++i) names += (i ? ", " : "") + std::string(ds.GetLayer(i)->GetName());
  throw_input(ErrorCode::missing_column,
              wanted.empty() ? "the source has no layer" : fmt::format("no layer named '{}'", wanted),
              Location{source, 0, 0, {}}, fmt::format("layers: {}; choose one with --layer", names.empty() ? "none" : names));
}

void append_real(std::string& s, double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  s.append(buf, r.ptr);
}

}  // namespace

LoadedTable read_vector_table(const std::string& source, const TableSpec& spec, const ReadOptions& opts,
                              const InputSettings& settings) {
  auto ds = gdal::open_vector(source);
  const bool points = wants_coordinates(spec);
  OGRLayer* layer = choose_layer(*ds, opts.plain ? std::string() : settings.layer, points, source);
  const std::string label = ds->GetLayerCount() > 1 || !settings.layer.empty()
                                ? fmt::format("{} (layer '{}')", source, layer->GetName())
                                : source;
  auto* defn = layer->GetLayerDefn();
  std::vector<std::string> header;
  for (int f = 0; f < defn->GetFieldCount(); ++f) header.emplace_back(defn->GetFieldDefn(f)->GetNameRef());

  // Geometry → coordinates, when the layer has a geometry and the fields do not already
  // carry them.
  const bool has_geom = layer->GetGeomType() != wkbNone;
  std::unique_ptr<OGRCoordinateTransformation> to_wgs84;
  bool geographic = true;
  if (has_geom) {
    if (const OGRSpatialReference* srs = layer->GetSpatialRef()) {
      OGRSpatialReference src(*srs);
      src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
      OGRSpatialReference wgs84;
      wgs84.importFromEPSG(4326);
      wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
      if (!src.IsSame(&wgs84)) {
        to_wgs84.reset(OGRCreateCoordinateTransformation(&src, &wgs84));
        geographic = to_wgs84 != nullptr;
      }
    }
  }
  auto field_index = [&](const char* n) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == n) return static_cast<int>(i);
    return -1;
  };
  const bool add_xy = has_geom && field_index("lon") < 0 && field_index("lat") < 0 && field_index("x") < 0 &&
                      field_index("y") < 0;
  // Without a CRS, coordinates in degree ranges are taken as lon/lat (GeoJSON, TopoJSON).
  bool names_lonlat = geographic;
  const std::size_t nattr = header.size();
  if (add_xy) {
    if (!layer->GetSpatialRef()) {
      OGREnvelope env;
      if (layer->GetExtent(&env, TRUE) == OGRERR_NONE)
        names_lonlat = env.MinX >= -180 && env.MaxX <= 180 && env.MinY >= -90 && env.MaxY <= 90;
    }
    header.emplace_back(names_lonlat ? "lon" : "x");
    header.emplace_back(names_lonlat ? "lat" : "y");
  }

  TableBuilder b(spec, label, header, opts, settings);
  Chunk c;
  b.init_chunk(c);
  std::vector<std::string> cells(header.size());
  std::vector<std::string_view> fields(header.size());
  std::uint64_t row = 0;
  layer->ResetReading();
  CPLErrorReset();
  for (auto& feature : *layer) {
    ++row;
    if ((row & 4095) == 0) parallel::check_cancelled();
    for (std::size_t f = 0; f < nattr; ++f) {
      auto& s = cells[f];
      s.clear();
      const int fi = static_cast<int>(f);
      if (!feature->IsFieldSetAndNotNull(fi)) continue;
      switch (defn->GetFieldDefn(fi)->GetType()) {
        case OFTReal: append_real(s, feature->GetFieldAsDouble(fi)); break;
        case OFTInteger:
        case OFTInteger64: s = std::to_string(feature->GetFieldAsInteger64(fi)); break;
        default: s = feature->GetFieldAsString(fi);
      }
    }
    if (add_xy) {
      cells[nattr].clear();
      cells[nattr + 1].clear();
      if (const OGRGeometry* g = feature->GetGeometryRef(); g && !g->IsEmpty()) {
        OGRPoint p;
        const auto t = wkbFlatten(g->getGeometryType());
        bool ok = true;
        if (t == wkbPoint) p = *g->toPoint();
        else ok = g->Centroid(&p) == OGRERR_NONE;  // polygons, multipoints: their centroid
        double x = p.getX(), y = p.getY();
        if (ok && to_wgs84) ok = to_wgs84->Transform(1, &x, &y) != 0;
        if (ok && std::isfinite(x) && std::isfinite(y)) {
          append_real(cells[nattr], x);
          append_real(cells[nattr + 1], y);
        }
      }
    }
    for (std::size_t f = 0; f < header.size(); ++f) fields[f] = cells[f];
    b.add_record(c, fields, row);
    if (c.rows >= (1u << 16)) {
      b.reserve_from(c, c.rows, static_cast<std::uint64_t>(std::max<GIntBig>(layer->GetFeatureCount(FALSE), 1)));
      b.merge(c);
      c = Chunk{};
      b.init_chunk(c);
      if (b.stop()) break;
    }
  }
  gdal::check_layer_read(*layer, label, row);  // a damaged file is not half-read
  b.merge(c);
  return b.finish(0);
}

}  // namespace agglo::io::detail
