// Registration of the built-in operations; each module's operations file defines one
// register_* function and this list calls them in a fixed order.
#pragma once

namespace agglo::api {
class Registry;
void register_builtin_operations(Registry& r);
void register_validate(Registry& r);
void register_synth(Registry& r);
void register_demo(Registry& r);
void register_specialize(Registry& r);
void register_concentrate(Registry& r);
void register_relatedness(Registry& r);
void register_define_clusters(Registry& r);
void register_cluster_map(Registry& r);
void register_complexity(Registry& r);
void register_opportunities(Registry& r);
void register_survey(Registry& r);
void register_network(Registry& r);
void register_simulate(Registry& r);
void register_spatial(Registry& r);           // dbscan, hdbscan
void register_spatial_distance(Registry& r);  // kdensity, mfunction, ripley
void register_colocation(Registry& r);
void register_hotspots(Registry& r);
void register_spatial_model(Registry& r);  // spatial-model (issue 19)
void register_scorecard(Registry& r);  // index, scorecard, recommend
void register_structure(Registry& r);  // io, blocks, resilience, synth-structure
void register_dynamics(Registry& r);   // entry, survival, evaluate did, evaluate synth
}  // namespace agglo::api
