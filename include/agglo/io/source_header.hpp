// agglo::io — what is known of a table source before reading it: its column names, and the
// name messages call it by.
//
// Some operations choose their column specs from the header (which optional columns exist,
// which diamond items, which id column): they ask here instead of opening the file as CSV,
// so that an in-memory table ("mem://N", a pandas DataFrame) answers like a file would.
#pragma once

#include <string>
#include <vector>

namespace agglo::io {

// The header of `source`: a registered in-memory table's column names, else the first line
// of the delimited text file (io::CsvSource). Throws file_not_found / cannot_read (I/O).
std::vector<std::string> source_header(const std::string& source);

// How reports name `source`: a registered in-memory table's label ("DataFrame 'employment'"),
// else the source itself (the path as given).
std::string source_display_name(const std::string& source);

}  // namespace agglo::io
