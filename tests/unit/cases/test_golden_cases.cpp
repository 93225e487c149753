// Data-driven golden cases (DESIGN.md, "Tests are mostly data"): every folder
// tests/cases/<module>/<case>/ holds input files and a case.json:
//   {"operation": "specialize",
//    "params": {"employment": "employment.csv", "summary": "regions"},   // paths relative to the case
//    "expect": {"specialization": "expected.csv", "regions": "expected_regions.csv"},
//    "tolerance": 1e-9,                                                   // absolute and relative
//    "why": "what the case shows, and where the expected numbers come from"}
// The operation runs through the api registry — the same path as the CLI — and every table
// named in "expect" must match: same columns, same rows in order, numbers within tolerance.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "agglo/api/operation.hpp"
#include "agglo/io/csv_reader.hpp"

namespace fs = std::filesystem;
using namespace agglo;

namespace {

std::vector<fs::path> case_dirs() {
  std::vector<fs::path> out;
  const fs::path root = fs::path(AGGLO_TEST_DATA) / "cases";
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.path().filename() == "case.json") out.push_back(e.path().parent_path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  io::CsvSource src(path);
  std::vector<std::vector<std::string>> rows{src.header()};
  io::CsvBlock b;
  while (src.next_block(b)) {
    io::RecordCursor cur(b, ',', path);
    while (cur.next()) {
      std::vector<std::string> row;
      for (auto f : cur.fields()) row.emplace_back(f);
      rows.push_back(row);
    }
  }
  return rows;
}

std::vector<std::vector<std::string>> table_rows(const data::Table& t) {
  std::vector<std::vector<std::string>> rows(1);
  for (const auto& c : t.columns()) rows[0].push_back(c.name);
  for (std::size_t i = 0; i < t.rows(); ++i) {
    std::vector<std::string> row;
    for (std::size_t j = 0; j < t.cols(); ++j) {
      const auto& c = t.columns()[j];
      const bool missing = c.is_real() && !std::isfinite(std::get<data::RealColumn>(c.values)[i]);
      row.push_back(missing ? "" : t.cell_text(i, j));
    }
    rows.push_back(row);
  }
  return rows;
}

bool numeric(const std::string& s, double& v) {
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size();
}

}  // namespace

TEST(GoldenCases, AllCasesMatch) {
  const auto dirs = case_dirs();
  ASSERT_FALSE(dirs.empty()) << "no golden cases found under tests/cases";
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir.string());
    std::ifstream in(dir / "case.json");
    const auto spec = nlohmann::json::parse(in);
    const auto* op = api::Registry::global().find(spec["operation"].get<std::string>());
    ASSERT_NE(op, nullptr) << "unknown operation";
    core::ParamMap params;
    for (const auto& [k, v] : spec["params"].items()) {
      std::string value = v.is_string() ? v.get<std::string>() : v.dump();
      // Values naming a file of the case are resolved against the case folder.
      if (fs::exists(dir / value)) value = (dir / value).string();
      params[k] = value;
    }
    api::Context ctx;
    const auto result = op->run(params, ctx);
    const double tol = spec.value("tolerance", 1e-9);
    for (const auto& [table, file] : spec["expect"].items()) {
      SCOPED_TRACE(table);
      const data::Table* got = nullptr;
      for (const auto& [n, t] : result.tables)
        if (n == table) got = &t;
      ASSERT_NE(got, nullptr) << "the result has no table " << table;
      const auto actual = table_rows(*got);
      const auto expected = read_csv((dir / file.get<std::string>()).string());
      ASSERT_EQ(actual.size(), expected.size()) << "row count";
      ASSERT_EQ(actual[0], expected[0]) << "columns";
      for (std::size_t i = 1; i < expected.size(); ++i)
        for (std::size_t j = 0; j < expected[i].size(); ++j) {
          double a = 0, e = 0;
          if (numeric(expected[i][j], e) && numeric(actual[i][j], a))
            EXPECT_NEAR(a, e, tol * std::max(1.0, std::fabs(e))) << "row " << i << " column " << expected[0][j];
          else
            EXPECT_EQ(actual[i][j], expected[i][j]) << "row " << i << " column " << expected[0][j];
        }
    }
  }
}
