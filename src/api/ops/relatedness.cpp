// placeholder: being written
#include "../builtin.hpp"
namespace agglo::api {
void register_relatedness(Registry&) {}
}  // namespace agglo::api
