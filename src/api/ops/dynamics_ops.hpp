// The operations of the dynamics module (issue 18), one register function per file.
#pragma once

namespace agglo::api {
class Registry;
void register_survival(Registry& r);  // survival.cpp
void register_evaluate(Registry& r);  // evaluate.cpp: evaluate did, evaluate synth
void register_entry(Registry& r);     // entry.cpp
}  // namespace agglo::api
