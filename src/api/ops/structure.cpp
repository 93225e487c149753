// The structure module's commands (issue 17): `agglo io`, `agglo blocks`, `agglo resilience`
// and `agglo synth-structure`. Methods in docs/methods/structure.md.
#include "../builtin.hpp"
#include "structure_ops.hpp"

namespace agglo::api {

void register_structure(Registry& r) {
  register_structure_io(r);
  register_structure_blocks(r);
  register_structure_resilience(r);
}

}  // namespace agglo::api
