// Shared by the Kd and M tests that compare with dbmss (tests/reference/spatial_distance/
// dbmss_reference.R): reading its CSV outputs and running an agglo operation on a bundled file.
#pragma once

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "agglo/api/operation.hpp"
#include "agglo/data/table.hpp"

namespace agglo::test_dbmss {

inline std::string path(const std::string& rel) { return std::string(AGGLO_TEST_DATA) + "/" + rel; }

// A plain CSV of numbers (NaN allowed): header → column.
inline std::map<std::string, std::vector<double>> read_numbers(const std::string& file) {
  std::ifstream in(file);
  std::string line, f;
  std::getline(in, line);
  std::vector<std::string> header;
  for (std::stringstream ss(line); std::getline(ss, f, ',');) header.push_back(f);
  std::map<std::string, std::vector<double>> cols;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    for (const auto& h : header) {
      std::getline(ss, f, ',');
      cols[h].push_back(f == "NaN" || f == "NA" ? std::nan("") : std::stod(f));
    }
  }
  return cols;
}

// The main table's real column `col` of an operation run.
inline std::vector<double> run_column(const std::string& op, const core::ParamMap& m, const std::string& col) {
  api::Context ctx;
  ctx.quiet = true;
  const auto r = api::Registry::global().find(op)->run(m, ctx);
  return std::get<data::RealColumn>(r.tables.front().second.at(col).values);
}

}  // namespace agglo::test_dbmss
