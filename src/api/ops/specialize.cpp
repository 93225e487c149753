// placeholder: being written
#include "../builtin.hpp"
namespace agglo::api {
void register_specialize(Registry&) {}
}  // namespace agglo::api
