// Private to the structure commands (src/api/ops/structure*.cpp): one register function per
// command file, called from register_structure() in structure.cpp.
#pragma once

namespace agglo::api {
class Registry;
void register_structure_io(Registry& r);          // agglo io
void register_structure_blocks(Registry& r);      // agglo blocks
void register_structure_resilience(Registry& r);  // agglo resilience, agglo synth-structure
}  // namespace agglo::api
