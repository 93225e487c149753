// `agglo network`: placeholder, filled in by the network work stream.
#include "../builtin.hpp"

namespace agglo::api {

void register_network(Registry&) {}

}  // namespace agglo::api
