// agglo::io — a streaming CSV reader (RFC 4180 plus what real files contain).
//
// Handles: a header row; quoted fields with "" escapes and embedded delimiters or newlines;
// LF and CRLF line ends; a UTF-8 byte-order mark; invalid UTF-8 (reported with its position);
// thousands of columns; files larger than memory (read in blocks, never whole); gzip
// compression (zlib, detected from the magic bytes); comma, semicolon, tab or | separators.
//
// Two layers:
//  * CsvSource cuts the file into blocks that end on a record boundary, each carrying the
//    line number it starts at, so blocks can be parsed on several threads and every error
//    still names its line. Boundary search is quote-aware; a block without any '"' takes a
//    fast path (one memrchr for the last newline).
//  * RecordCursor walks the records of one block and yields their fields as string_views
//    (unescaped into a scratch buffer only when a field is quoted).
//
// Why hand-written: no Debian-packaged C++ CSV library streams blocks to threads with exact
// line numbers and UTF-8 checks; the parsing state machine is small and fully tested.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agglo::io {

struct CsvOptions {
  // The field separator; 0 = detect it from the header line (the most frequent of , ; tab |
  // outside quotes, comma on a tie; tab for .tsv/.tab files without any of them). Through
  // io::read_table, 0 means "as the input settings say" (--delimiter, detection by default).
  char delimiter = 0;
  std::size_t block_size = 4u << 20;  // bytes read per block (a block grows for a longer record)
  // A record (or the header) longer than this without a line end is an error, not a reason to
  // read on forever: /dev/zero, a binary file, a file with a stray quote.
  std::size_t max_record = 128u << 20;
};

// A run of complete records.
struct CsvBlock {
  std::string buffer;            // owns the bytes; `size` of them are complete records
  std::size_t size = 0;
  std::uint64_t first_line = 0;  // 1-based line number of the first record in the block
  std::uint64_t index = 0;       // 0, 1, 2… in file order
  std::string_view text() const { return {buffer.data(), size}; }
};

class CsvSource {
 public:
  // Opens the file and reads the header. Throws io errors (file_not_found, cannot_read) and
  // input errors (empty_input for an empty file, invalid_utf8 / unterminated_quote in the header).
  CsvSource(std::string path, CsvOptions options = {});
  ~CsvSource();
  CsvSource(const CsvSource&) = delete;
  CsvSource& operator=(const CsvSource&) = delete;

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  std::uint64_t file_size() const { return file_size_; }
  std::uint64_t bytes_read() const { return bytes_read_; }
  char delimiter() const { return options_.delimiter; }
  bool compressed() const { return gz_ != nullptr; }
  // With a given delimiter: another separator that the header seems to use (';' when the
  // header is one field "region;industry;employment"), else 0. For error messages.
  char suspect_delimiter() const { return suspect_; }

  // Fills `block` with the next records. Returns false at the end of the file. Throws
  // unterminated_quote when the file ends inside a quoted field. Not thread-safe: call it from
  // one thread (the pipeline's serial input stage).
  bool next_block(CsvBlock& block);

 private:
  bool fill();  // reads more bytes into pending_; false at EOF
  std::string path_;
  CsvOptions options_;
  int fd_ = -1;
  void* gz_ = nullptr;             // zlib gzFile when the file is gzip-compressed
  // Pipes and other streams that cannot be read twice: one shared copy per path, so a second
  // reader (a loader that reads the header first) sees the same bytes (csv_reader.cpp).
  std::shared_ptr<struct SharedStream> stream_;
  std::size_t stream_offset_ = 0;
  std::size_t read_raw(char* dst, std::size_t n);
  char suspect_ = 0;
  std::uint64_t file_size_ = 0;
  std::uint64_t bytes_read_ = 0;
  std::string pending_;            // bytes read but not yet handed out
  std::uint64_t next_line_ = 1;
  std::uint64_t next_index_ = 0;
  bool eof_ = false;
  std::vector<std::string> header_;
};

// Iterates the records of a block.
class RecordCursor {
 public:
  RecordCursor(const CsvBlock& block, char delimiter, const std::string& path);

  // Advances to the next record; false at the end of the block. Empty lines are skipped.
  bool next();
  std::span<const std::string_view> fields() const { return fields_; }
  std::uint64_t line() const { return line_; }  // line on which the current record starts

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  char delim_;
  const std::string& path_;
  std::uint64_t line_;
  std::uint64_t next_line_;
  std::vector<std::string_view> fields_;
  std::string scratch_;  // unescaped quoted fields live here
};

// The separator a header line uses (see CsvOptions::delimiter); `path` decides for .tsv files.
char detect_delimiter(std::string_view header_line, const std::string& path);

// Splits one line of text into fields (used for the header and by tests).
std::vector<std::string> split_csv_line(std::string_view line, char delimiter);

// True when `s` is valid UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF). On failure
// `bad_offset` receives the offset of the first invalid byte.
bool valid_utf8(std::string_view s, std::size_t* bad_offset = nullptr);

// Locates the record boundary search: the offset one past the last complete record in
// `text` starting in the unquoted state, or 0 if there is none. Exposed for tests.
std::size_t last_record_end(std::string_view text);

}  // namespace agglo::io
