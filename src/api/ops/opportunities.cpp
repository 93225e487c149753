// placeholder: being written
#include "../builtin.hpp"
namespace agglo::api {
void register_opportunities(Registry&) {}
}  // namespace agglo::api
