// `agglo simulate`: placeholder, filled in by the simulate work stream.
#include "../builtin.hpp"

namespace agglo::api {

void register_simulate(Registry&) {}

}  // namespace agglo::api
