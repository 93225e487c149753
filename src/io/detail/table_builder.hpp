// Internal: the one place where rows become checked, typed columns (io::read_table).
//
// Every source — a delimited text file (plain or gzip), a GDAL layer, an in-memory table —
// resolves its columns here (mapping, aliases, case, named layouts) and hands over its rows
// in chunks: as text fields (CSV, GDAL, memory tables under a layout) or as typed values
// (memory tables). The same checks and messages apply to all of them. Chunks are parsed on
// any thread and merged in source order, so the result does not depend on the thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agglo/core/error.hpp"
#include "agglo/core/ids.hpp"
#include "agglo/io/input_settings.hpp"
#include "agglo/io/table_reader.hpp"
#include "row_mapper.hpp"

namespace agglo::io::detail {

// What one parallel task produces from one run of rows.
struct Chunk {
  std::size_t rows = 0;
  std::vector<std::vector<double>> reals;
  std::vector<std::vector<std::int64_t>> integers;
  std::vector<std::vector<std::uint32_t>> codes;
  std::vector<core::Interner> dicts;
  // High-cardinality code columns (ids) skip chunk-local interning: their raw text is packed
  // here (ends[j][k] = end offset of row k) and interned once, globally, in the merge.
  std::vector<std::string> raw;
  std::vector<std::vector<std::uint32_t>> ends;
  std::vector<std::vector<std::uint64_t>> hashes;  // per row, for id columns
  // Per spec column, fixed when the chunk starts: 1 = a code column packed as raw text and
  // interned in the merge (TableBuilder decides from the first merged chunk). A snapshot, so
  // that a decision taken while this chunk is parsed cannot split it between both layouts.
  std::vector<std::uint8_t> direct;
  std::vector<std::vector<std::string>> texts;
  std::vector<std::uint64_t> lines;
  std::vector<Error> errors;
  MapCounts mapped;
  std::size_t source_bytes = 0;  // for progress
  // Scratch of the row mapper (per chunk: chunks are parsed on different threads).
  std::vector<std::string_view> vfields;
  std::string vscratch;
};

class TableBuilder {
 public:
  // `header`: the source's column names. `rows_not_lines`: locations are 0-based row
  // positions (memory tables) rather than 1-based file lines. Resolves every spec column and
  // throws missing_column (naming what the header has) before any row is read.
  TableBuilder(const TableSpec& spec, std::string path, std::vector<std::string> header,
               const ReadOptions& opts, const InputSettings& settings, bool rows_not_lines = false,
               char delimiter_used = ',', char delimiter_suspect = 0);

  std::size_t width() const { return spec_->columns.size(); }
  // The source field read for spec column j, or -1 (absent). With a layout, the index is into
  // the layout's virtual fields.
  int field_of(std::size_t j) const { return field_[j]; }
  const ColumnSpec& column(std::size_t j) const { return spec_->columns[j]; }
  bool has_layout() const { return mapper_.has_value(); }
  std::size_t header_size() const { return header_.size(); }
  const std::vector<std::string>& header() const { return header_; }
  const std::string& path() const { return path_; }

  void init_chunk(Chunk& c) const;
  // One record of text fields (one per source header column). `line` is its 1-based line
  // (or 0-based row position for memory tables).
  void add_record(Chunk& c, std::span<const std::string_view> fields, std::uint64_t line) const;

  // Typed cells for sources that hold numbers (memory tables without a layout): the same
  // checks as text. `fi` is the source column index (for messages).
  void put_text(Chunk& c, std::size_t j, std::string_view v, std::uint64_t line, int fi) const;
  void put_real(Chunk& c, std::size_t j, double x, std::uint64_t line, int fi, std::string_view shown_as = {}) const;
  void put_integer(Chunk& c, std::size_t j, std::int64_t x, std::uint64_t line, int fi) const;
  void put_missing(Chunk& c, std::size_t j, std::uint64_t line, int fi) const;
  // A text cell of a dictionary-encoded source (a memory column): `slot` caches the chunk-
  // local code of its dictionary entry (kNoSlot: not yet seen in this chunk), so a code
  // column checks and interns each distinct value once per chunk instead of once per row.
  static constexpr std::uint32_t kNoSlot = 0xffffffffu;
  void put_text_cached(Chunk& c, std::size_t j, std::string_view v, std::uint32_t& slot, std::uint64_t line, int fi) const;
  void end_row(Chunk& c, std::uint64_t line) const;

  // Merges chunks in source order (call from one thread); throws the first error when not
  // collecting. `stop` becomes true once max_errors are kept.
  void merge(Chunk& c);
  bool stop() const { return stop_; }
  // Size hints from the first chunk (bytes per row), so columns do not grow by doubling.
  void reserve_from(const Chunk& c, std::size_t chunk_bytes, std::uint64_t total_bytes);

  LoadedTable finish(std::uint64_t bytes);

  // The error for a column (file, line, column number and name).
  Location where(std::uint64_t line, int fi) const;

 private:
  void error(Chunk& c, ErrorCode code, std::string msg, std::uint64_t line, int fi, std::string hint) const;

  const TableSpec* spec_;
  std::string path_;
  std::vector<std::string> header_;        // the source's
  std::vector<int> field_;                 // per spec column
  std::optional<RowMapper> mapper_;
  ReadOptions opts_;
  std::size_t max_errors_;
  bool rows_;
  std::unique_ptr<std::atomic<bool>[]> direct_;  // per spec column: intern in the merge only
  LoadedTable out_;
  MapCounts mapped_;
  bool reserved_ = false;
  bool stop_ = false;
};

}  // namespace agglo::io::detail
