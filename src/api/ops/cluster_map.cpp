// placeholder: being written
#include "../builtin.hpp"
namespace agglo::api {
void register_cluster_map(Registry&) {}
}  // namespace agglo::api
