// Spatial commands — pair-distance kernel, Kd, M, Ripley's K/L (issue 5). Commands are added here as they are built.
#include "../builtin.hpp"

namespace agglo::api {

void register_spatial_distance(Registry& r) { (void)r; }

}  // namespace agglo::api
