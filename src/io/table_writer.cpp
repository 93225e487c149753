#include "agglo/io/table_writer.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "agglo/io/atomic_file.hpp"
#include "agglo/parallel/cancel.hpp"

namespace agglo::io {

std::string csv_escape(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += "\"\"";
    else out += c;
  }
  out += '"';
  return out;
}

namespace {
void append_header(const data::Table& table, std::string& out) {
  const auto& cols = table.columns();
  for (std::size_t j = 0; j < cols.size(); ++j) {
    if (j) out += ',';
    out += csv_escape(cols[j].name);
  }
  out += '\n';
}

void append_row(const data::Table& table, std::size_t i, std::string& out) {
  const auto& cols = table.columns();
  for (std::size_t j = 0; j < cols.size(); ++j) {
    if (j) out += ',';
    const auto& c = cols[j];
    if (c.is_real()) {
      const double v = std::get<data::RealColumn>(c.values)[i];
      // A missing value is an empty cell, never the text "nan".
      if (std::isfinite(v)) fmt::format_to(std::back_inserter(out), "{}", v);
    } else if (c.is_integer()) {
      fmt::format_to(std::back_inserter(out), "{}", std::get<data::IntColumn>(c.values)[i]);
    } else {
      out += csv_escape(std::get<data::TextColumn>(c.values)[i]);
    }
  }
  out += '\n';
}
}  // namespace

void append_csv(const data::Table& table, std::string& out) {
  append_header(table, out);
  for (std::size_t i = 0, n = table.rows(); i < n; ++i) append_row(table, i, out);
}

void write_csv(const data::Table& table, const std::string& path) {
  AtomicFile f(path);
  // Written in slices so a table of millions of rows never needs its whole text in memory.
  std::string buf;
  append_header(table, buf);
  for (std::size_t i = 0, n = table.rows(); i < n; ++i) {
    append_row(table, i, buf);
    if (buf.size() > (1u << 20)) {
      f.write(buf);
      buf.clear();
      parallel::check_cancelled();  // a long write stops promptly on Ctrl-C
    }
  }
  f.write(buf);
  f.commit();
}

void write_json(const std::vector<NamedTable>& tables, const std::string& summary_json,
                const std::string& path) {
  nlohmann::ordered_json doc;
  if (!summary_json.empty()) doc["summary"] = nlohmann::ordered_json::parse(summary_json);
  auto& jt = doc["tables"];
  jt = nlohmann::ordered_json::object();
  for (const auto& nt : tables) {
    auto arr = nlohmann::ordered_json::array();
    const auto& cols = nt.table->columns();
    for (std::size_t i = 0; i < nt.table->rows(); ++i) {
      nlohmann::ordered_json row = nlohmann::ordered_json::object();
      for (const auto& c : cols) {
        if (c.is_real()) {
          const double v = std::get<data::RealColumn>(c.values)[i];
          row[c.name] = std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
        } else if (c.is_integer()) {
          row[c.name] = std::get<data::IntColumn>(c.values)[i];
        } else {
          row[c.name] = std::get<data::TextColumn>(c.values)[i];
        }
      }
      arr.push_back(std::move(row));
    }
    jt[nt.name] = std::move(arr);
  }
  AtomicFile f(path);
  f.write(doc.dump(1));
  f.write("\n");
  f.commit();
}

}  // namespace agglo::io
