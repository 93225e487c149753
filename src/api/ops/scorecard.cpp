// Registration of the scorecard module's commands.
#include "../builtin.hpp"
#include "scorecard_ops.hpp"

namespace agglo::api {

void register_scorecard(Registry& r) {
  register_scorecard_index(r);
  register_scorecard_cards(r);
  register_scorecard_recommend(r);
}

}  // namespace agglo::api
