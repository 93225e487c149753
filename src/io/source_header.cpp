#include "agglo/io/source_header.hpp"

#include "agglo/core/error.hpp"
#include "agglo/io/csv_reader.hpp"
#include "agglo/io/memory_table.hpp"

namespace agglo::io {

std::vector<std::string> source_header(const std::string& source) {
  if (is_memory_source(source)) {
    const auto t = find_memory_table(source);
    if (!t)
      throw_io(ErrorCode::file_not_found, "no in-memory table has this handle (it was released)", source,
               "pass the table again");
    std::vector<std::string> names;
    names.reserve(t->columns.size());
    for (const auto& c : t->columns) names.push_back(c.name);
    return names;
  }
  CsvSource src(source);
  return src.header();
}

std::string source_display_name(const std::string& source) {
  if (const auto t = find_memory_table(source); t && !t->label.empty()) return t->label;
  return source;
}

}  // namespace agglo::io
