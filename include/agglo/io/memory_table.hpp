// agglo::io — tables that live in memory (a pandas DataFrame, an HTTP request body) read by
// the same loader as files.
//
// A front end registers a MemoryTable and passes its handle ("mem://3") as the option value
// where a path would go; io::read_table recognises the handle and reads the columns with the
// same column specs, mapping, checks and messages as a CSV file — only locations say
// "row 41" (0-based position) instead of "line 42". No temporary file is written.
//
// The engine does not own the cells: a numeric column is a view (pointer, length) onto the
// caller's buffer (a NumPy array), and a text column a list of string views onto the caller's
// strings (the UTF-8 buffers of Python str objects), which must stay alive and unchanged while
// the handle is registered. Views rather than copies: copying 2 million ids into std::strings
// cost more than parsing the same CSV. Texts the front end had to make (a number in an object
// column, a category name) live in the column's `owned` store.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace agglo::io {

struct MemoryColumn {
  enum class Type { real, integer, text, boolean };
  std::string name;
  Type type = Type::real;
  const double* reals = nullptr;          // type real: NaN = missing
  const std::int64_t* integers = nullptr; // type integer
  const std::uint8_t* valid = nullptr;    // optional mask for integer/boolean (0 = missing)
  const std::uint8_t* booleans = nullptr; // type boolean
  // Type text, in one of two layouts: one view per cell (`texts`), or dictionary-encoded
  // (`codes` into `dictionary`, as a pandas Categorical or a column of few distinct strings):
  // the loader then checks and interns each distinct value once per chunk, not once per row.
  std::vector<std::string_view> texts;      // per cell ("" = missing)
  std::vector<std::uint32_t> codes;         // per cell, into `dictionary`
  std::vector<std::string_view> dictionary; // distinct values (equal texts may repeat)
  std::deque<std::string> owned;            // storage of texts not viewed in the caller's memory
  std::vector<std::uint8_t> text_missing;   // optional: 1 where the text cell is missing (None/NaN)

  bool dictionary_encoded() const { return !codes.empty(); }
  std::string_view text(std::size_t i) const { return codes.empty() ? texts[i] : dictionary[codes[i]]; }
};

struct MemoryTable {
  std::string label;  // how messages name it: "DataFrame 'employment'"
  std::size_t rows = 0;
  std::vector<MemoryColumn> columns;
};
// (Geometries — polygons of a GeoDataFrame — travel as an in-memory GDAL file, /vsimem/…,
// which every GDAL-aware loader opens like a file on disk.)

// Registers `table` and returns its handle; the handle stays valid until unregistered.
std::string register_memory_table(std::shared_ptr<const MemoryTable> table);
void unregister_memory_table(const std::string& handle);
// The table of a handle, or null when `source` is not a registered handle.
std::shared_ptr<const MemoryTable> find_memory_table(const std::string& source);
bool is_memory_source(std::string_view source);

// Registration for the lifetime of a scope.
class MemoryTableHandle {
 public:
  explicit MemoryTableHandle(std::shared_ptr<const MemoryTable> t) : handle_(register_memory_table(std::move(t))) {}
  ~MemoryTableHandle() { unregister_memory_table(handle_); }
  MemoryTableHandle(const MemoryTableHandle&) = delete;
  MemoryTableHandle& operator=(const MemoryTableHandle&) = delete;
  const std::string& handle() const { return handle_; }

 private:
  std::string handle_;
};

}  // namespace agglo::io
