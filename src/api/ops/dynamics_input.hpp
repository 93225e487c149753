// Reading the tables of the dynamics commands (entry, survival, evaluate): columns named by the
// user, numeric or identifiers, with rows that have an empty cell in a used column dropped
// (and counted), as R's model functions do with na.omit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/core/error.hpp"
#include "agglo/io/table_reader.hpp"

namespace agglo::api::dynamics_input {

struct Columns {
  io::LoadedTable table;
  std::vector<std::size_t> kept;  // rows with every used cell present
  std::size_t dropped = 0;
  // Location of kept row r's cell in column `name` (for error messages).
  Location where(const std::string& name, std::size_t r) const;
  const std::vector<double>& real(const std::string& name) const { return table.col(name).reals; }
};

// Reads `path` keeping the `reals` (numbers) and `codes` (identifiers) columns; empty names are
// skipped. Every listed column is required.
Columns read_columns(const std::string& path, const std::string& what, const std::vector<std::string>& reals,
                     const std::vector<std::string>& codes);

}  // namespace agglo::api::dynamics_input
