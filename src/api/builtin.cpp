#include "builtin.hpp"

namespace agglo::api {

void register_builtin_operations(Registry& r) {
  register_validate(r);
  register_synth(r);
  register_demo(r);
}

}  // namespace agglo::api
