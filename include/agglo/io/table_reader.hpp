// agglo::io — typed, checked, parallel loading of a CSV file into columns.
//
// A TableSpec names the columns an input needs (and optional ones) with their kind:
//   code    — an identifier, interned to dense ids (region, industry…)
//   id      — an identifier expected to be unique per row (establishment ids): hashed in
//             parallel and checked by sorting the hashes, not by a hash-table insert per row;
//             loads as `code` (ids 0…n−1 when unique, interned normally otherwise)
//   real    — a finite number (optionally ≥ 0, optionally within [min, max])
//   integer — a whole number
//   text    — kept as a string
// Every other column of the file is kept out of memory and ignored, as DESIGN.md says.
//
// The file is read in blocks (CsvSource) by one thread while blocks are parsed on all threads
// (TBB parallel_pipeline), then appended in file order, so the result is identical for any
// thread count. Memory is the kept columns plus a few blocks in flight, not the file size.
//
// Errors are collected, up to `max_errors`, each naming file, line, column, the value and what
// was expected; with collect = false the first error is thrown at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agglo/core/error.hpp"
#include "agglo/core/ids.hpp"
#include "agglo/io/csv_reader.hpp"

namespace agglo::io {

enum class ColumnKind { code, real, integer, text, id };

struct ColumnSpec {
  std::string name;
  ColumnKind kind = ColumnKind::real;
  bool required = true;
  bool allow_empty = false;      // empty cell allowed (real → NaN, code/text → "")
  bool non_negative = false;     // reals/integers must be ≥ 0
  std::optional<double> min, max;  // inclusive range for reals
  std::string meaning;           // for messages: "employment (a count of jobs)"
  std::vector<std::string> aliases;  // other names accepted in a header ("longitude" for lon)
};

struct TableSpec {
  std::string what;  // "employment", "establishments"… for messages
  std::vector<ColumnSpec> columns;
  // Groups of columns of which one whole group is required, e.g. {lon,lat} or {x,y}.
  std::vector<std::vector<std::string>> one_of_groups;
};

struct LoadedColumn {
  ColumnSpec spec;
  bool present = false;        // the file has this column
  std::vector<double> reals;
  std::vector<std::int64_t> integers;
  std::vector<std::uint32_t> codes;  // ids into `dictionary`
  core::Interner dictionary;
  std::vector<std::string> texts;
  // id columns while loading (emptied once codes/dictionary are made)
  std::string id_text;
  std::vector<std::uint64_t> id_ends, id_hashes;
};

struct LoadedTable {
  std::string path;
  std::vector<std::string> header;
  std::vector<LoadedColumn> columns;  // in TableSpec order
  std::vector<std::uint64_t> lines;   // source line of every row (for later error messages)
  std::size_t rows = 0;
  std::uint64_t bytes = 0;
  std::vector<Error> errors;          // when collecting
  bool truncated_errors = false;      // more errors than max_errors were found
  // Set by a layout whose rows repeat a key by design (bilateral trade rows to be summed).
  bool sum_duplicates = false;
  std::string layout;                 // the layout the source was read with ("" = none)
  bool rows_not_lines = false;        // `lines` are 0-based row positions (an in-memory table)

  const LoadedColumn& col(const std::string& name) const;  // asserts the column is in the spec
  LoadedColumn& col(const std::string& name);              // to move columns out (no copies)
  bool has(const std::string& name) const;                 // in the spec and in the file
};

struct ReadOptions {
  bool collect = false;          // collect errors instead of throwing the first
  std::size_t max_errors = 100;
  // Panels (employment, exports): accept repeated region × industry (× year) rows, to be
  // summed by the analysis, instead of rejecting them as duplicate_row.
  bool allow_duplicate_rows = false;
  // Read the source as it is: no column mapping, no layout, comma-separated — for files the
  // engine ships (reference data), which the user's input options must not reinterpret.
  bool plain = false;
  CsvOptions csv;  // csv.delimiter 0 = from the input settings (detected by default)
};

// Reads the table `source` according to `spec`. A source is
//   * a delimited text file (CSV by default; the separator detected from the header; gzip
//     compressed when its first bytes say so, whatever its name),
//   * any GDAL vector source (GeoPackage, GeoJSON, Shapefile, "PG:…"; layer from --layer;
//     a point geometry becomes lon,lat columns in EPSG:4326),
//   * an in-memory table handle ("mem://N", io/memory_table.hpp).
// Columns are found by the input settings' mapping, then by name, alias, and name without
// regard to case; a named layout (io/layouts.hpp) may rebuild them from a public file's
// columns. Throws file_not_found / cannot_read (I/O) and, when not collecting, the first
// input error. Missing required columns are reported before any row is read.
LoadedTable read_table(const std::string& source, const TableSpec& spec, const ReadOptions& opts = {});

}  // namespace agglo::io
