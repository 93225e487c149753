#include "agglo/core/error.hpp"

#include <fmt/format.h>

namespace agglo {

std::string Location::to_string() const {
  std::string s = file.empty() ? std::string("<input>") : file;
  if (is_row) {
    s += fmt::format(", row {}", line);
    if (!column_name.empty()) s += fmt::format(", column '{}'", column_name);
    return s;
  }
  if (line > 0) s += fmt::format(":{}", line);
  if (column > 0) s += fmt::format(":{}", column);
  if (!column_name.empty()) s += fmt::format(" (column '{}')", column_name);
  return s;
}

Error::Error(ErrorKind kind, ErrorCode code, std::string message, Location where, std::string hint)
    : std::runtime_error(compose(message, where, hint)),
      kind_(kind),
      code_(code),
      message_(std::move(message)),
      where_(std::move(where)),
      hint_(std::move(hint)) {}

std::string Error::compose(const std::string& message, const Location& where,
                           const std::string& hint) {
  std::string s;
  if (!where.file.empty() || where.line > 0 || where.is_row) s = where.to_string() + ": ";
  s += message;
  if (!hint.empty()) s += " (" + hint + ")";
  return s;
}

void throw_usage(ErrorCode code, std::string message, std::string hint) {
  throw Error(ErrorKind::usage, code, std::move(message), {}, std::move(hint));
}
void throw_input(ErrorCode code, std::string message, Location where, std::string hint) {
  throw Error(ErrorKind::input, code, std::move(message), std::move(where), std::move(hint));
}
void throw_io(ErrorCode code, std::string message, std::string file, std::string hint) {
  Location where;
  where.file = std::move(file);
  throw Error(ErrorKind::io, code, std::move(message), std::move(where), std::move(hint));
}

int exit_code(ErrorKind kind) noexcept { return static_cast<int>(kind); }

std::string_view error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::unknown: return "unknown";
    case ErrorCode::unknown_option: return "unknown_option";
    case ErrorCode::invalid_option_value: return "invalid_option_value";
    case ErrorCode::missing_option: return "missing_option";
    case ErrorCode::unknown_operation: return "unknown_operation";
    case ErrorCode::unknown_preset: return "unknown_preset";
    case ErrorCode::unsupported_format: return "unsupported_format";
    case ErrorCode::missing_column: return "missing_column";
    case ErrorCode::wrong_type: return "wrong_type";
    case ErrorCode::ragged_row: return "ragged_row";
    case ErrorCode::unterminated_quote: return "unterminated_quote";
    case ErrorCode::invalid_utf8: return "invalid_utf8";
    case ErrorCode::duplicate_id: return "duplicate_id";
    case ErrorCode::negative_value: return "negative_value";
    case ErrorCode::non_finite: return "non_finite";
    case ErrorCode::coordinate_out_of_range: return "coordinate_out_of_range";
    case ErrorCode::empty_input: return "empty_input";
    case ErrorCode::unknown_crs: return "unknown_crs";
    case ErrorCode::unknown_reference: return "unknown_reference";
    case ErrorCode::duplicate_row: return "duplicate_row";
    case ErrorCode::invalid_value: return "invalid_value";
    case ErrorCode::file_not_found: return "file_not_found";
    case ErrorCode::cannot_read: return "cannot_read";
    case ErrorCode::cannot_write: return "cannot_write";
    case ErrorCode::gdal_failure: return "gdal_failure";
    case ErrorCode::internal_error: return "internal_error";
    case ErrorCode::cancelled: return "cancelled";
  }
  return "unknown";
}

}  // namespace agglo
