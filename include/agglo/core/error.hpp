// agglo::core — the three tiers of failure (DESIGN.md, "Errors in three tiers").
//
//  1. Bugs: AGGLO_ASSERT. Only for conditions no input can cause.
//  2. Bad input, bad usage and I/O failures: agglo::Error with a stable, append-only ErrorCode.
//     The message says what is wrong, where (file, line, column, value) and how to fix it.
//  3. Expected outcomes (no convergence, an empty cluster set): fields of a Result, not errors.
//
// Errors are translated only at the boundaries: the CLI maps ErrorKind to an exit code, the
// Python module to an exception class, the HTTP server to a status code with a JSON body.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace agglo {

// Broad family of an error; decides the process exit code (see exit_code()).
enum class ErrorKind : std::uint8_t {
  usage = 2,     // wrong flags or option values: exit 2
  input = 3,     // invalid input data: exit 3
  io = 4,        // missing file, unwritable output, GDAL/SQLite failure: exit 4
  internal = 5,  // a bug escaped the assertions: exit 5
  cancelled = 130,  // Ctrl-C / SIGTERM: the conventional 128 + SIGINT
};

// Stable error codes. APPEND ONLY: scripts and the Python module match on these numbers.
enum class ErrorCode : std::uint16_t {
  unknown = 0,
  // usage (1xx)
  unknown_option = 100,
  invalid_option_value = 101,
  missing_option = 102,
  unknown_operation = 103,
  unknown_preset = 104,
  unsupported_format = 105,
  // input data (2xx)
  missing_column = 200,
  wrong_type = 201,
  ragged_row = 202,
  unterminated_quote = 203,
  invalid_utf8 = 204,
  duplicate_id = 205,
  negative_value = 206,
  non_finite = 207,
  coordinate_out_of_range = 208,
  empty_input = 209,
  unknown_crs = 210,
  unknown_reference = 211,  // e.g. an edge to a node that does not exist
  duplicate_row = 212,
  invalid_value = 213,
  // I/O (4xx)
  file_not_found = 400,
  cannot_read = 401,
  cannot_write = 402,
  gdal_failure = 403,
  // internal (5xx)
  internal_error = 500,
  cancelled = 600,
};

// Where in an input the problem is. Lines and columns are 1-based; 0 means "not applicable".
struct Location {
  std::string file;
  std::uint64_t line = 0;
  std::uint32_t column = 0;   // 1-based field index
  std::string column_name;    // header name of the column, when known
  // The source is an in-memory table (a DataFrame): `line` is a 0-based row position and
  // `file` the table's label. Messages say "row N" instead of "line N".
  bool is_row = false;

  std::string to_string() const;  // "file:line:column (name)"
};

// The one exception type that crosses module boundaries.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, ErrorCode code, std::string message, Location where = {},
        std::string hint = {});

  ErrorKind kind() const noexcept { return kind_; }
  ErrorCode code() const noexcept { return code_; }
  const Location& where() const noexcept { return where_; }
  const std::string& message() const noexcept { return message_; }
  const std::string& hint() const noexcept { return hint_; }

 private:
  static std::string compose(const std::string& message, const Location& where,
                             const std::string& hint);
  ErrorKind kind_;
  ErrorCode code_;
  std::string message_;
  Location where_;
  std::string hint_;
};

// Shorthands that read like the sentence they produce.
[[noreturn]] void throw_usage(ErrorCode code, std::string message, std::string hint = {});
[[noreturn]] void throw_input(ErrorCode code, std::string message, Location where = {},
                              std::string hint = {});
[[noreturn]] void throw_io(ErrorCode code, std::string message, std::string file,
                           std::string hint = {});

// The process exit code for an error kind (0 success, 2 usage, 3 input, 4 I/O, 5 internal,
// 130 cancelled).
int exit_code(ErrorKind kind) noexcept;

// Stable symbolic name for a code ("missing_column"), used in JSON error bodies.
std::string_view error_code_name(ErrorCode code) noexcept;

}  // namespace agglo

// Tier 1: a broken invariant is a bug in agglo, never the user's fault.
#define AGGLO_ASSERT(cond)                                                                 \
  do {                                                                                     \
    if (!(cond))                                                                           \
      throw ::agglo::Error(::agglo::ErrorKind::internal, ::agglo::ErrorCode::internal_error, \
                           std::string("internal check failed: " #cond " at ") + __FILE__ + \
                               ":" + std::to_string(__LINE__),                             \
                           {}, "please report this as a bug");                             \
  } while (0)
