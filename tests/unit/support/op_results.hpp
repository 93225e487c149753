// Helpers shared by the operation-level unit tests: run a registered operation as the CLI does,
// pick a table out of its result, read a cell, and read a small reference CSV (the files in
// tests/reference/, written by the scripts beside them) as rows of strings.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "agglo/api/operation.hpp"

namespace agglo::test_support {

inline api::Result run_op(const std::string& op, const core::ParamMap& p, int threads = 0) {
  api::Context ctx;
  ctx.threads = threads;
  return api::Registry::global().find(op)->run(p, ctx);
}

inline const data::Table& table(const api::Result& r, const std::string& name) {
  for (const auto& [n, t] : r.tables)
    if (n == name) return t;
  throw std::runtime_error("no table " + name);
}
inline double real_at(const data::Table& t, const std::string& col, std::size_t i) {
  return std::get<data::RealColumn>(t.at(col).values)[i];
}
inline std::int64_t int_at(const data::Table& t, const std::string& col, std::size_t i) {
  return std::get<data::IntColumn>(t.at(col).values)[i];
}

// The rows after the header, split on commas (no quoted commas in these files); surrounding
// double quotes and leading spaces (R's write.csv and format()) are stripped.
inline std::vector<std::vector<std::string>> read_rows(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  std::vector<std::vector<std::string>> rows;
  while (std::getline(f, line)) {
    std::vector<std::string> r;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, ',')) {
      if (c.size() >= 2 && c.front() == '"' && c.back() == '"') c = c.substr(1, c.size() - 2);
      while (!c.empty() && c.front() == ' ') c.erase(c.begin());
      r.push_back(c);
    }
    rows.push_back(r);
  }
  return rows;
}

}  // namespace agglo::test_support
