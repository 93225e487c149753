// `agglo survey`: placeholder, filled in by the survey work stream.
#include "../builtin.hpp"

namespace agglo::api {

void register_survey(Registry&) {}

}  // namespace agglo::api
