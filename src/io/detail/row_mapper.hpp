// Internal: the per-row transformation of a named layout (include/agglo/io/layouts.hpp).
//
// A RowMapper sits between a source record (the file's fields) and the table reader: it
// presents a "virtual header" of agglo column names and, for every record, computes their
// values from the source fields (copy, zero-padded concatenation, a suffix), drops rows the
// layout leaves out, and treats suppressed cells. It is immutable once built and used from
// every parsing thread; all per-row state lives in the caller's scratch buffer and counters.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agglo/io/input_settings.hpp"

namespace agglo::io::detail {

// Why rows were left out or changed, counted per parsing chunk and summed.
struct MapCounts {
  static constexpr int kinds = 4;
  // [0] left out by a layout filter, [1] suppressed and dropped, [2] suppressed and imputed,
  // [3] suppressed with nothing to impute from (dropped).
  std::array<std::uint64_t, kinds> n{};
  void add(const MapCounts& o) {
    for (int i = 0; i < kinds; ++i) n[i] += o.n[i];
  }
};

struct RowMapper {
  std::string layout;                 // "cbp"
  std::string title;                  // for notes
  std::vector<std::string> names;     // the virtual header (agglo names)
  std::vector<int> origin;            // per virtual column: source field index (messages)

  struct Part {
    int field = -1;
    int width = 0;        // left-pad with '0' to this width (0 = as is)
    int keep_last = 0;    // keep only the last N characters (0 = all)
  };
  // A virtual column is the concatenation of its parts (usually one part: a copy).
  std::vector<std::vector<Part>> recipes;

  // Row filters, all must pass.
  struct Filter {
    int field = -1;
    enum class Test { equals_any, not_equals_any, six_digits } test = Test::equals_any;
    std::vector<std::string> values;
    std::string what;  // "aggregate NAICS rows" for the note
  };
  std::vector<Filter> filters;
  std::vector<std::string> filter_notes;  // per filter, what it left out

  // Suppression of the value column.
  int value_column = -1;                  // virtual index of the suppressible value
  std::vector<int> flag_fields;           // source fields holding suppression flags
  std::vector<std::vector<std::string>> flag_values;  // per flag field: suppressing values ({} = any non-empty)
  struct SizeClass {
    int field;
    double midpoint;
  };
  std::vector<SizeClass> size_classes;    // for imputation
  int range_field = -1;                   // a flag giving the value's range (CBP empflag)
  struct Range {
    std::string flag;
    double lo, hi;
  };
  std::vector<Range> ranges;
  bool impute = false;                    // --suppressed impute
  bool sum_duplicates = false;            // bilateral rows: the analysis sums them

  // Maps one record into `out` (views into `in` or `scratch`). False: the row is left out.
  bool map(std::span<const std::string_view> in, std::vector<std::string_view>& out,
           std::string& scratch, MapCounts& counts) const;
  // Notes for the user after reading (what was detected, left out, imputed).
  std::vector<std::string> notes(const MapCounts& counts, const std::string& path) const;
};

// The layout for an input of kind `input` with this header, following the settings (auto
// detection, a forced layout, or plain). Throws usage/input errors for a forced layout whose
// columns are missing. Empty when no layout applies.
std::optional<RowMapper> make_row_mapper(const std::string& input, const std::vector<std::string>& header,
                                         const InputSettings& settings, const std::string& path);

// Case-insensitive ASCII comparison of column names.
bool same_name(std::string_view a, std::string_view b);

}  // namespace agglo::io::detail
