// Registers the dynamics operations: will an industry enter (entry), will an establishment
// survive (survival), did a programme work (evaluate did, evaluate synth).
#include "../builtin.hpp"
#include "dynamics_ops.hpp"

namespace agglo::api {

void register_dynamics(Registry& r) {
  register_entry(r);
  register_survival(r);
  register_evaluate(r);
  register_evaluate_anchor(r);
  register_evaluate_match(r);
}

}  // namespace agglo::api
