// The structure module's section of `agglo demo` (src/api/ops/demo_structure.cpp).
#pragma once

#include <string>

namespace agglo::report {
class HtmlReport;
}

namespace agglo::api {
struct Context;
// Writes the synthetic structure inputs to `out`/inputs_structure/, runs development blocks and
// resilience on them and adds a blocks-versus-clusters section and a resilience table to `rep`.
void demo_structure_section(report::HtmlReport& rep, const std::string& out, Context& ctx);
}  // namespace agglo::api
