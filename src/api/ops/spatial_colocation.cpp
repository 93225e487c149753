// Spatial commands — co-location patterns (issue 5). Commands are added here as they are built.
#include "../builtin.hpp"

namespace agglo::api {

void register_colocation(Registry& r) { (void)r; }

}  // namespace agglo::api
