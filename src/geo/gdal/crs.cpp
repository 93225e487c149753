#include <fmt/format.h>
#include <ogr_spatialref.h>

#include "../../io/gdal/gdal_common.hpp"
#include "agglo/geo/coordinates.hpp"

namespace agglo::geo {

CoordinateSystem resolve_crs(const std::string& crs) {
  io::gdal::ensure_registered();
  OGRSpatialReference srs;
  if (crs.empty() || srs.SetFromUserInput(crs.c_str()) != OGRERR_NONE)
    throw_input(ErrorCode::unknown_crs, fmt::format("unknown coordinate reference system '{}'", crs), {},
                "give an EPSG code such as EPSG:4326 (lon/lat) or EPSG:5070 (US Albers, metres)");
  CoordinateSystem cs;
  cs.crs = crs;
  cs.geographic = srs.IsGeographic() != 0;
  if (cs.geographic) {
    cs.linear_unit = "km";
  } else {
    const char* unit = nullptr;
    srs.GetLinearUnits(&unit);
    cs.linear_unit = unit ? unit : "unit";
    if (cs.linear_unit == "metre") cs.linear_unit = "m";
  }
  return cs;
}

}  // namespace agglo::geo
