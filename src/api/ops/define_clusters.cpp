// placeholder: being written
#include "../builtin.hpp"
namespace agglo::api {
void register_define_clusters(Registry&) {}
}  // namespace agglo::api
