// The scorecard module's commands (`agglo index`, `agglo scorecard`, `agglo recommend`),
// registered together by register_scorecard() (src/api/ops/scorecard.cpp).
#pragma once

#include <string>

#include "agglo/scorecard/composite.hpp"

namespace agglo::api {
class Registry;
void register_scorecard_index(Registry& r);
void register_scorecard_cards(Registry& r);
void register_scorecard_recommend(Registry& r);

// Reads a budget-allocation file (expert,node,points; COINr/JRC "budget allocation process")
// into per-node mean points for PipelineOptions::budget.
std::vector<double> read_budget(const std::string& path, const scorecard::IndicatorTree& tree);
}  // namespace agglo::api
