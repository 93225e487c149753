// Private helpers shared by the GDAL back end (this folder only).
#pragma once

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>

#include "agglo/core/error.hpp"

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

}  // namespace agglo::io::gdal
