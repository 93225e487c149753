// The operations of the dynamics module (issue 18), one register function per file.
#pragma once

#include <string>

namespace agglo::report {
class HtmlReport;
}

namespace agglo::api {
class Registry;
struct Context;
void register_survival(Registry& r);  // survival.cpp
void register_evaluate(Registry& r);  // evaluate.cpp: evaluate did, evaluate synth
void register_entry(Registry& r);     // entry.cpp
void register_evaluate_anchor(Registry& r);  // evaluate_anchor.cpp: evaluate anchor
void register_evaluate_match(Registry& r);   // evaluate_match.cpp: evaluate match
// The demo report's section on entry, survival and programme evaluation (demo_dynamics.cpp);
// writes its inputs under OUT/dynamics/.
void demo_dynamics_section(report::HtmlReport& rep, const std::string& out, const std::string& data_dir, Context& ctx);
}  // namespace agglo::api
