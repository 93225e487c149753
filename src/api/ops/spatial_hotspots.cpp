// Spatial commands — spatial weights, Getis-Ord Gi*, LISA, Moran's I (issue 5). Commands are added here as they are built.
#include "../builtin.hpp"

namespace agglo::api {

void register_hotspots(Registry& r) { (void)r; }

}  // namespace agglo::api
