// Internal: plausibility checks of loaded inputs beyond their types (src/io/plausibility.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/core/error.hpp"
#include "agglo/data/economy.hpp"

namespace agglo::io::detail {

// Establishments whose lon and lat look exchanged (one error per point, or one for the whole
// file when most points are), at most `max_errors` of them.
std::vector<Error> swapped_coordinates(const data::Establishments& e, const std::vector<std::uint64_t>& lines,
                                       const std::string& path, bool rows, std::size_t max_errors);

}  // namespace agglo::io::detail
