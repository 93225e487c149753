// agglo::data — a small columnar table: the unit every operation returns and every writer
// (CSV, JSON, GeoPackage) accepts.
//
// Columns are typed (real, integer, text) and stored contiguously, so a table of two million
// establishments costs 8 bytes per number rather than a string per cell.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <variant>
#include <vector>

namespace agglo::data {

using RealColumn = std::vector<double>;
using IntColumn = std::vector<std::int64_t>;
using TextColumn = std::vector<std::string>;

struct Column {
  std::string name;
  std::variant<RealColumn, IntColumn, TextColumn> values;

  std::size_t size() const;
  bool is_real() const { return values.index() == 0; }
  bool is_integer() const { return values.index() == 1; }
  bool is_text() const { return values.index() == 2; }
};

class Table {
 public:
  Table() = default;

  // Adds a column; all columns must end up with the same length (checked by rows()).
  RealColumn& add_real(std::string name, RealColumn values = {});
  IntColumn& add_integer(std::string name, IntColumn values = {});
  TextColumn& add_text(std::string name, TextColumn values = {});

  std::size_t rows() const;  // asserts that every column has the same length
  std::size_t cols() const { return columns_.size(); }
  const std::deque<Column>& columns() const { return columns_; }
  std::deque<Column>& columns() { return columns_; }
  const Column* find(const std::string& name) const;
  const Column& at(const std::string& name) const;  // asserts the column exists

  // The cell as text, formatted the way the CSV writer writes it (shortest round-trip for
  // reals, so reading a written table gives back the same doubles).
  std::string cell_text(std::size_t row, std::size_t col) const;

 private:
  // A deque keeps references returned by add_*() valid while more columns are added.
  std::deque<Column> columns_;
};

}  // namespace agglo::data
