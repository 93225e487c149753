#include "agglo/data/table.hpp"

#include <fmt/format.h>

#include "agglo/core/error.hpp"

namespace agglo::data {

std::size_t Column::size() const {
  return std::visit([](const auto& v) { return v.size(); }, values);
}

RealColumn& Table::add_real(std::string name, RealColumn values) {
  columns_.push_back({std::move(name), std::move(values)});
  return std::get<RealColumn>(columns_.back().values);
}
IntColumn& Table::add_integer(std::string name, IntColumn values) {
  columns_.push_back({std::move(name), std::move(values)});
  return std::get<IntColumn>(columns_.back().values);
}
TextColumn& Table::add_text(std::string name, TextColumn values) {
  columns_.push_back({std::move(name), std::move(values)});
  return std::get<TextColumn>(columns_.back().values);
}

std::size_t Table::rows() const {
  if (columns_.empty()) return 0;
  const std::size_t n = columns_.front().size();
  for (const auto& c : columns_) AGGLO_ASSERT(c.size() == n);
  return n;
}

const Column* Table::find(const std::string& name) const {
  for (const auto& c : columns_)
    if (c.name == name) return &c;
  return nullptr;
}

const Column& Table::at(const std::string& name) const {
  const Column* c = find(name);
  AGGLO_ASSERT(c != nullptr);
  return *c;
}

std::string Table::cell_text(std::size_t row, std::size_t col) const {
  const auto& c = columns_[col];
  switch (c.values.index()) {
    case 0: {
      const double v = std::get<RealColumn>(c.values)[row];
      return fmt::format("{}", v);  // shortest representation that round-trips
    }
    case 1: return std::to_string(std::get<IntColumn>(c.values)[row]);
    default: return std::get<TextColumn>(c.values)[row];
  }
}

}  // namespace agglo::data
