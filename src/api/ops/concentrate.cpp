// placeholder: being written
#include "../builtin.hpp"
namespace agglo::api {
void register_concentrate(Registry&) {}
}  // namespace agglo::api
