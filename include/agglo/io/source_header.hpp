// agglo::io — the column names of a table source, before reading it.
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

}  // namespace agglo::io
