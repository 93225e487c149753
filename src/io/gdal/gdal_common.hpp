// Private helpers shared by the GDAL back end (this folder only).
#pragma once

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cstdint>
#include <memory>
#include <string>

#include "agglo/core/error.hpp"
#include "agglo/data/table.hpp"

namespace agglo::io::gdal {

// GDAL must be initialised once per process; every entry point calls this.
void ensure_registered();

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

// Opens a vector source read-only; throws file_not_found / gdal_failure with GDAL's message.
DatasetPtr open_vector(const std::string& source, bool update = false);

// The last GDAL error message, or a fallback.
std::string last_error(const char* fallback);

// Reading a layer to its end. GDAL's feature loop ends early and silently when the source is
// damaged (a GeoPackage page SQLite calls "malformed"): the only sign is a CPLError of
// failure level. Callers reset the error state (CPLErrorReset) before their loop and call
// this after it with the number of features read: it throws gdal_failure naming the feature
// after which reading stopped, so a damaged file is never half-read with exit 0.
void check_layer_read(OGRLayer& layer, const std::string& source, std::uint64_t features_read);

// The geometry checks every region reader applies (validate, hotspots, cluster maps), with
// the same messages: a geometry must be present and not empty, its coordinates finite, and a
// polygon must have a centroid (GEOS refuses unclosed rings and the like). `row` is the
// 1-based feature number. Returns the centroid (the point itself for a point geometry).
OGRPoint check_region_geometry(const OGRGeometry* g, const std::string& id, const std::string& source, std::uint64_t row);

// One layer field per table column (real → Real, integer → Integer64, text → String), in
// column order; `path` names the file in the error when GDAL refuses a field.
void create_fields(OGRLayer& layer, const data::Table& t, const std::string& path);
// Sets fields 0..columns−1 of `f` from row `i` of `t` (a non-finite real becomes NULL).
void set_fields(OGRFeature& f, const data::Table& t, std::size_t i);

}  // namespace agglo::io::gdal
