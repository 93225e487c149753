#include "builtin.hpp"

namespace agglo::api {

void register_builtin_operations(Registry& r) {
  register_validate(r);
  register_synth(r);
  register_specialize(r);
  register_concentrate(r);
  register_relatedness(r);
  register_define_clusters(r);
  register_cluster_map(r);
  register_complexity(r);
  register_opportunities(r);
  register_survey(r);
  register_network(r);
  register_simulate(r);
  register_spatial(r);
  register_spatial_distance(r);
  register_colocation(r);
  register_hotspots(r);
  register_spatial_model(r);
  register_scorecard(r);
  register_structure(r);
  register_dynamics(r);
  register_demo(r);
}

}  // namespace agglo::api
