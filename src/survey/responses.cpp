// Reading survey responses: file columns through io::read_table, derived diamond variables
// through io::load_survey + compute_diamond (include/agglo/survey/responses.hpp).
#include "agglo/survey/responses.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "agglo/io/csv_reader.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/source_header.hpp"
#include "agglo/io/table_reader.hpp"

namespace agglo::survey {

bool ResponseData::in_file(const std::string& column) const {
  return std::find(header.begin(), header.end(), column) != header.end();
}

Location ResponseData::where(const std::string& column, std::size_t row) const {
  Location w;
  w.file = path;
  w.line = row < lines.size() ? lines[row] : 0;
  const auto it = std::find(header.begin(), header.end(), column);
  w.column = it == header.end() ? 0 : static_cast<std::uint32_t>(it - header.begin() + 1);
  w.column_name = column;
  return w;
}

ResponseData read_responses(const std::string& path, const ResponseRequest& req) {
  ResponseData out;
  out.path = path;
  out.header = io::source_header(path);  // a file's first line, or a DataFrame's columns
  auto in_file = [&](const std::string& c) { return std::find(out.header.begin(), out.header.end(), c) != out.header.end(); };
  io::TableSpec spec;
  spec.what = "responses";
  std::vector<std::string> derived_num, derived_text;
  bool need_diamond = req.diamond;
  auto add = [&](const std::string& name, io::ColumnKind kind) {
    for (const auto& c : spec.columns)
      if (c.name == name) {
        if (c.kind != kind)
          throw_usage(ErrorCode::invalid_option_value,
                      fmt::format("column '{}' is asked for both as a number and as a category", name));
        return;
      }
    io::ColumnSpec c;
    c.name = name;
    c.kind = kind;
    c.required = true;
    c.allow_empty = true;
    c.meaning = kind == io::ColumnKind::real ? "a number (empty = missing)" : "a category (empty = missing)";
    spec.columns.push_back(c);
  };
  for (const auto& n : req.numeric) {
    if (!in_file(n) && is_diamond_variable(n) && n != "scope") {
      derived_num.push_back(n);
      need_diamond = true;
    } else {
      add(n, io::ColumnKind::real);
    }
  }
  for (const auto& n : req.text) {
    if (!in_file(n) && is_diamond_variable(n)) {
      derived_text.push_back(n);
      need_diamond = true;
    } else {
      add(n, io::ColumnKind::text);
    }
  }
  if (spec.columns.empty()) {
    io::ColumnSpec c;
    c.name = "id";
    c.kind = io::ColumnKind::text;
    c.allow_empty = true;
    spec.columns.push_back(c);
  }
  auto t = io::read_table(path, spec);
  out.rows = t.rows;
  out.lines = std::move(t.lines);
  for (auto& c : t.columns) {
    if (c.spec.kind == io::ColumnKind::real) out.numbers[c.spec.name] = std::move(c.reals);
    else out.texts[c.spec.name] = std::move(c.texts);
  }
  if (need_diamond) {
    auto s = io::load_survey(path);
    if (s.size() != out.rows)
      throw_input(ErrorCode::invalid_value, "the responses file changed while it was read", {path, 0, 0, ""});
    bool any_item = false;
    for (const char* item : data::Survey::diamond_items) any_item = any_item || in_file(item);
    if (!any_item)
      throw_input(ErrorCode::missing_column,
                  "the diamond index needs at least one of the columns customers, suppliers, competitors, employees, "
                  "research, capital",
                  {path, 1, 0, ""});
    out.diamond = compute_diamond(s, req.rules);
    out.survey = std::move(s);
    for (const auto& n : derived_num) diamond_variable(*out.diamond, n, &out.numbers[n], nullptr);
    for (const auto& n : derived_text) {
      if (n == "scope") {
        diamond_variable(*out.diamond, n, nullptr, &out.texts[n]);
        continue;
      }
      std::vector<double> v;
      diamond_variable(*out.diamond, n, &v, nullptr);
      auto& tx = out.texts[n];
      tx.reserve(v.size());
      for (double x : v) tx.push_back(std::isfinite(x) ? fmt::format("{}", x) : std::string());
    }
  }
  return out;
}

}  // namespace agglo::survey
