// Spatial commands (`agglo dbscan`, …): placeholder, filled in by the spatial work stream.
#include "../builtin.hpp"

namespace agglo::api {

void register_spatial(Registry&) {}

}  // namespace agglo::api
