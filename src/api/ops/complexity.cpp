// placeholder: being written
#include "../builtin.hpp"
namespace agglo::api {
void register_complexity(Registry&) {}
}  // namespace agglo::api
