#include "agglo/io/csv_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <zlib.h>

#include "agglo/core/error.hpp"
#include "agglo/parallel/cancel.hpp"

namespace agglo::io {

namespace {

// Scans `text` with the record state machine. Quotes are special only at the start of a
// field, exactly as RecordCursor treats them. Returns one past the last '\n' that ends a
// record; `in_quote_at_end` tells whether the text ends inside a quoted field and
// `quote_open` where that field's quote is.
std::size_t scan_records(std::string_view text, char delim, bool* in_quote_at_end,
                         std::size_t* quote_open) {
  std::size_t last = 0;
  bool field_start = true;
  bool in_quote = false;
  std::size_t open_at = 0;
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (in_quote) {
      if (c == '"') {
        if (i + 1 < n && text[i + 1] == '"') {
          ++i;  // escaped quote ""
        } else {
          in_quote = false;
        }
      }
      continue;
    }
    if (c == '"' && field_start) {
      in_quote = true;
      open_at = i;
      field_start = false;
    } else if (c == delim) {
      field_start = true;
    } else if (c == '\n') {
      last = i + 1;
      field_start = true;
    } else {
      field_start = false;
    }
  }
  if (in_quote_at_end) *in_quote_at_end = in_quote;
  if (quote_open) *quote_open = open_at;
  return last;
}

std::size_t last_record_end_impl(std::string_view text, char delim) {
  if (std::memchr(text.data(), '"', text.size()) == nullptr) {
    // Fast path: without quotes every newline ends a record.
    const void* p = ::memrchr(text.data(), '\n', text.size());
    return p ? static_cast<const char*>(p) - text.data() + 1 : 0;
  }
  return scan_records(text, delim, nullptr, nullptr);
}

std::uint64_t count_newlines(std::string_view s) {
  return static_cast<std::uint64_t>(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

std::size_t last_record_end(std::string_view text) { return last_record_end_impl(text, ','); }

bool valid_utf8(std::string_view s, std::size_t* bad_offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // ASCII fast path, eight bytes at a time.
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Multi-byte sequence: the lead byte gives the length and the allowed range of the
    // second byte (this excludes overlong forms, surrogates and code points > U+10FFFF).
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) { len = 3; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) { len = 3; hi = 0x9F; }
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) { len = 4; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) { len = 4; hi = 0x8F; }
    else {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    for (std::size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) {
        if (bad_offset) *bad_offset = i;
        return false;
      }
    i += len;
  }
  return true;
}

std::vector<std::string> split_csv_line(std::string_view line, char delimiter) {
  CsvBlock b;
  b.buffer.assign(line);
  b.size = b.buffer.size();
  b.first_line = 1;
  static const std::string no_path;
  RecordCursor cur(b, delimiter, no_path);
  std::vector<std::string> out;
  if (cur.next())
    for (auto f : cur.fields()) out.emplace_back(f);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Streams that cannot be read twice (pipes, `<(command)`, sockets): the first reader keeps what
// it reads in memory, and every later CsvSource on the same path reads the same bytes from
// there, then from the stream where the first stopped. Loaders that look at the header before
// reading the table (or read one input for two purposes) then work on pipes as on files.
struct SharedStream {
  std::mutex mutex;
  int fd = -1;
  std::string data;
  bool eof = false;
  ~SharedStream() {
    if (fd >= 0) ::close(fd);
  }
};

namespace {

std::shared_ptr<SharedStream> shared_stream(const std::string& path, int fd) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<SharedStream>> streams;
  std::lock_guard lock(mutex);
  auto& s = streams[path];
  if (s) {
    ::close(fd);  // read again: the bytes are in memory
    return s;
  }
  s = std::make_shared<SharedStream>();
  s->fd = fd;
  return s;
}

// What the first bytes say a file is, when it is not text: the message for the user.
std::string binary_kind(std::string_view head) {
  auto starts = [&](std::string_view m) { return head.substr(0, m.size()) == m; };
  if (starts("PK\x03\x04")) return "a ZIP archive (or an .xlsx workbook): extract it, or export the sheet as CSV";
  if (starts("\xFD" "7zXZ")) return "xz-compressed: decompress it first (gzip is read directly)";
  if (starts("BZh")) return "bzip2-compressed: decompress it first (gzip is read directly)";
  if (starts("\x28\xB5\x2F\xFD")) return "zstd-compressed: decompress it first (gzip is read directly)";
  if (starts("7z\xBC\xAF")) return "a 7-Zip archive: extract it first";
  if (starts(std::string_view("SQLite format 3\0", 16))) return "a SQLite database: a GeoPackage must have the .gpkg extension";
  if (starts("%PDF")) return "a PDF document, not a table";
  if (head.find('\0') != std::string_view::npos) return "binary data (it contains NUL bytes), not a text table";
  return {};
}

}  // namespace

std::size_t CsvSource::read_raw(char* dst, std::size_t n) {
  parallel::check_cancelled();
  if (gz_) {
    auto* gz = static_cast<gzFile>(gz_);
    const int got = gzread(gz, dst, static_cast<unsigned>(std::min<std::size_t>(n, 1u << 30)));
    int code = 0;
    const char* msg = gzerror(gz, &code);
    if (got < 0 || (got == 0 && code != Z_OK && code != Z_STREAM_END))
      throw_io(ErrorCode::cannot_read, fmt::format("the gzip data is corrupt: {}", msg ? msg : "unknown error"), path_,
               "check the download (gzip -t FILE) or decompress it first");
    return static_cast<std::size_t>(got);
  }
  if (stream_) {
    std::lock_guard lock(stream_->mutex);
    while (stream_offset_ >= stream_->data.size() && !stream_->eof) {
      parallel::check_cancelled();
      char buf[1 << 16];
      const ssize_t r = ::read(stream_->fd, buf, sizeof buf);
      if (r < 0) {
        if (errno == EINTR) continue;
        throw_io(ErrorCode::cannot_read, fmt::format("read failed: {}", std::strerror(errno)), path_);
      }
      if (r == 0) stream_->eof = true;
      else stream_->data.append(buf, static_cast<std::size_t>(r));
    }
    const std::size_t k = std::min(n, stream_->data.size() - std::min(stream_offset_, stream_->data.size()));
    std::memcpy(dst, stream_->data.data() + stream_offset_, k);
    stream_offset_ += k;
    return k;
  }
  for (;;) {
    const ssize_t r = ::read(fd_, dst, n);
    if (r >= 0) return static_cast<std::size_t>(r);
    if (errno != EINTR) throw_io(ErrorCode::cannot_read, fmt::format("read failed: {}", std::strerror(errno)), path_);
  }
}

// ---------------------------------------------------------------------------------------------
// CsvSource

CsvSource::CsvSource(std::string path, CsvOptions options)
    : path_(std::move(path)), options_(options) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    if (errno == ENOENT)
      throw_io(ErrorCode::file_not_found, "file not found", path_, "check the path");
    throw_io(ErrorCode::cannot_read, fmt::format("cannot open: {}", std::strerror(errno)), path_);
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      ::close(fd_);
      fd_ = -1;
      throw_io(ErrorCode::cannot_read, "is a directory, expected a CSV file", path_);
    }
    file_size_ = S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0;
  }
  const bool regular = S_ISREG(st.st_mode);
  if (!regular) {
    // A pipe, FIFO or device: read through the shared in-memory copy (see SharedStream).
    stream_ = shared_stream(path_, fd_);
    fd_ = -1;
  }
#ifdef POSIX_FADV_SEQUENTIAL
  if (fd_ >= 0) ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  // What the first bytes say: gzip (1f 8b) is read through zlib, in the reading thread while
  // the parsing threads work as for a plain file; other binary formats get a clear error.
  {
    char magic[16] = {0};
    std::size_t got = 0;
    if (regular) {
      const ssize_t r = ::pread(fd_, magic, sizeof magic, 0);
      got = r > 0 ? static_cast<std::size_t>(r) : 0;
    } else {
      got = read_raw(magic, sizeof magic);
      stream_offset_ = 0;  // peeked: the copy keeps the bytes
    }
    const std::string_view head(magic, got);
    if (got >= 2 && static_cast<unsigned char>(magic[0]) == 0x1f && static_cast<unsigned char>(magic[1]) == 0x8b) {
      if (!regular)
        throw_io(ErrorCode::cannot_read, "gzip data from a pipe: agglo reads gzip from files", path_,
                 "pass the .gz file itself, or decompress into the pipe (zcat FILE)");
      const int dup = ::dup(fd_);
      gz_ = dup >= 0 ? gzdopen(dup, "rb") : nullptr;
      if (!gz_) {
        if (dup >= 0) ::close(dup);
        ::close(fd_);
        fd_ = -1;
        throw_io(ErrorCode::cannot_read, "cannot open the gzip stream", path_);
      }
      gzbuffer(static_cast<gzFile>(gz_), 1 << 18);
    } else if (const auto kind = binary_kind(head); !kind.empty()) {
      throw_input(ErrorCode::invalid_value, fmt::format("the file is {}", kind), Location{path_, 0, 0, {}},
                  "agglo reads CSV text (any separator, gzip-compressed or not) and GDAL vector formats");
    }
  }
  // The separator: given, or detected from the first line (before any field is split).
  const bool detect = options_.delimiter == 0;
  if (detect) options_.delimiter = ',';
  // Read until the header record is complete.
  std::size_t header_end = 0;
  for (;;) {
    bool in_quote = false;
    std::size_t open_at = 0;
    // The header ends at its first record-ending newline.
    const std::string_view view(pending_);
    std::size_t nl = 0;
    {
      // Find the first record end by scanning incrementally (header is small).
      bool fs = true, inq = false;
      for (std::size_t i = 0; i < view.size(); ++i) {
        const char c = view[i];
        if (inq) {
          if (c == '"') {
            if (i + 1 < view.size() && view[i + 1] == '"') ++i;
            else inq = false;
          }
          continue;
        }
        if (c == '"' && fs) { inq = true; open_at = i; fs = false; }
        else if (c == options_.delimiter) fs = true;
        else if (c == '\n') { nl = i + 1; break; }
        else fs = false;
      }
      in_quote = inq;
    }
    if (nl > 0) {
      header_end = nl;
      break;
    }
    if (pending_.size() > options_.max_record) {
      Location where{path_, 1, 0, {}};
      throw_input(ErrorCode::invalid_value,
                  fmt::format("the first line is longer than {} MiB without a line end", options_.max_record >> 20), where,
                  "is this a text (CSV) file? a header row names the columns, one line");
    }
    if (!fill()) {
      if (in_quote) {
        Location where{path_, 1, 0, {}};
        throw_input(ErrorCode::unterminated_quote, "the header ends inside a quoted field",
                    where, "close the quote with \"");
      }
      header_end = pending_.size();
      break;
    }
  }
  // Strip a UTF-8 byte-order mark, which Excel writes.
  std::size_t start = 0;
  if (pending_.size() >= 3 && pending_.compare(0, 3, "\xEF\xBB\xBF") == 0) start = 3;
  std::string_view head(pending_.data() + start, header_end - start);
  if (std::all_of(head.begin(), head.end(), [](char c) { return c == '\n' || c == '\r' || c == ' '; })) {
    Location where{path_, 0, 0, {}};
    throw_input(ErrorCode::empty_input, "the file is empty: expected a header row", where,
                "the first line must name the columns");
  }
  std::size_t bad = 0;
  if (!valid_utf8(head, &bad)) {
    Location where{path_, 1, 0, {}};
    throw_input(ErrorCode::invalid_utf8,
                fmt::format("invalid UTF-8 byte 0x{:02X} in the header at byte {}",
                            static_cast<unsigned char>(head[bad]), bad + 1),
                where, "save the file as UTF-8");
  }
  if (detect) {
    options_.delimiter = detect_delimiter(head, path_);
  } else {
    // Given explicitly: if the header does not split on it but splits on another separator,
    // messages about missing columns can say what the separator looks like.
    const char d = detect_delimiter(head, path_);
    if (d != options_.delimiter && split_csv_line(head, options_.delimiter).size() == 1) suspect_ = d;
  }
  header_ = split_csv_line(head, options_.delimiter);
  next_line_ = 1 + count_newlines(head);
  pending_.erase(0, header_end);
}

CsvSource::~CsvSource() {
  if (gz_) gzclose(static_cast<gzFile>(gz_));
  if (fd_ >= 0) ::close(fd_);
}

char detect_delimiter(std::string_view header_line, const std::string& path) {
  // Counts separators outside quotes. The most frequent wins; a tie goes to the comma, then
  // tab, semicolon, bar. A header with none of them is one column (comma), unless the file
  // is named .tsv/.tab.
  const char cand[] = {',', '\t', ';', '|'};
  std::size_t count[4] = {0, 0, 0, 0};
  bool in_quote = false;
  for (char c : header_line) {
    if (c == '"') in_quote = !in_quote;
    if (in_quote) continue;
    for (int k = 0; k < 4; ++k) count[k] += c == cand[k];
  }
  int best = 0;
  for (int k = 1; k < 4; ++k)
    if (count[k] > count[best]) best = k;
  if (count[best] == 0) {
    const auto dot = path.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : path.substr(dot);
    if (ext == ".tsv" || ext == ".tab") return '\t';
    return ',';
  }
  return cand[best];
}

bool CsvSource::fill() {
  if (eof_) return false;
  const std::size_t old = pending_.size();
  const std::size_t want = std::max<std::size_t>(options_.block_size, 1 << 16);
  pending_.resize(old + want);
  std::size_t got = 0;
  while (got < want) {
    const std::size_t r = read_raw(pending_.data() + old + got, want - got);
    if (r == 0) {
      eof_ = true;
      break;
    }
    got += r;
  }
  pending_.resize(old + got);
  // Progress and sizes are in bytes of the file on disk (compressed bytes for gzip).
  if (gz_) bytes_read_ = static_cast<std::uint64_t>(gzoffset(static_cast<gzFile>(gz_)));
  else bytes_read_ += got;
  return got > 0;
}

bool CsvSource::next_block(CsvBlock& block) {
  for (;;) {
    while (pending_.size() < options_.block_size && !eof_) fill();
    if (pending_.empty() && eof_) return false;
    std::size_t end = eof_ ? pending_.size() : last_record_end_impl(pending_, options_.delimiter);
    if (eof_) {
      bool in_quote = false;
      std::size_t open_at = 0;
      if (std::memchr(pending_.data(), '"', pending_.size()) != nullptr)
        scan_records(pending_, options_.delimiter, &in_quote, &open_at);
      if (in_quote) {
        const std::uint64_t line =
            next_line_ + count_newlines(std::string_view(pending_.data(), open_at));
        Location where{path_, line, 0, {}};
        throw_input(ErrorCode::unterminated_quote,
                    "the file ends inside a quoted field that opens here", where,
                    "close the quote with \" (a quote inside a quoted field is written \"\")");
      }
    }
    if (end == 0) {
      // One record is longer than the block: read more and try again — up to a limit.
      if (pending_.size() > options_.max_record) {
        Location where{path_, next_line_, 0, {}};
        throw_input(ErrorCode::invalid_value,
                    fmt::format("a record longer than {} MiB without a line end starts here", options_.max_record >> 20),
                    where, "is this a text (CSV) file? a quote that is never closed also makes one long record");
      }
      if (!fill() && !eof_) return false;
      if (eof_) continue;
      continue;
    }
    // Hand out [0, end) and keep the tail for the next block. Swapping moves the large
    // buffer without copying; only the short tail is copied.
    block.buffer.swap(pending_);
    pending_.assign(block.buffer, end, std::string::npos);
    block.size = end;
    block.first_line = next_line_;
    block.index = next_index_++;
    next_line_ += count_newlines(block.text());
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// RecordCursor

RecordCursor::RecordCursor(const CsvBlock& block, char delimiter, const std::string& path)
    : text_(block.text()), delim_(delimiter), path_(path), line_(block.first_line),
      next_line_(block.first_line) {}

bool RecordCursor::next() {
  fields_.clear();
  const std::size_t n = text_.size();
  // Skip empty lines (a lone "\n" or "\r\n").
  while (pos_ < n && (text_[pos_] == '\n' || (text_[pos_] == '\r' && pos_ + 1 < n && text_[pos_ + 1] == '\n'))) {
    if (text_[pos_] == '\r') ++pos_;
    ++pos_;
    ++next_line_;
  }
  if (pos_ >= n) return false;
  line_ = next_line_;
  const char* base = text_.data();
  const char* nl = static_cast<const char*>(std::memchr(base + pos_, '\n', n - pos_));
  std::size_t eol = nl ? static_cast<std::size_t>(nl - base) : n;

  if (std::memchr(base + pos_, '"', eol - pos_) == nullptr) {
    // Fast path: no quotes on this line, fields are the runs between delimiters.
    std::size_t stop = eol;
    if (stop > pos_ && base[stop - 1] == '\r') --stop;
    std::size_t s = pos_;
    for (;;) {
      const char* d = static_cast<const char*>(std::memchr(base + s, delim_, stop - s));
      if (!d) {
        fields_.emplace_back(base + s, stop - s);
        break;
      }
      const std::size_t e = static_cast<std::size_t>(d - base);
      fields_.emplace_back(base + s, e - s);
      s = e + 1;
    }
    pos_ = eol < n ? eol + 1 : n;
    ++next_line_;
    return true;
  }

  // Slow path: a state machine over the record, which may span lines. Quoted fields are
  // unescaped into scratch_; their views are made after the record is complete, because
  // scratch_ may reallocate while it grows.
  struct Span {
    std::size_t off, len;
    bool in_scratch;
  };
  std::vector<Span> spans;
  scratch_.clear();
  std::size_t i = pos_;
  for (;;) {
    if (i < n && base[i] == '"') {
      // Quoted field: copy its content, turning "" into ".
      const std::size_t soff = scratch_.size();
      ++i;
      bool closed = false;
      while (i < n) {
        const char c = base[i];
        if (c == '"') {
          if (i + 1 < n && base[i + 1] == '"') {
            scratch_.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (c == '\n') ++next_line_;
        scratch_.push_back(c);
        ++i;
      }
      if (!closed) {
        Location where{path_, line_, static_cast<std::uint32_t>(spans.size() + 1), {}};
        throw_input(ErrorCode::unterminated_quote, "quoted field is not closed", where,
                    "close the quote with \"");
      }
      // Lenient: characters between the closing quote and the delimiter are kept.
      while (i < n && base[i] != delim_ && base[i] != '\n') {
        if (!(base[i] == '\r' && (i + 1 == n || base[i + 1] == '\n'))) scratch_.push_back(base[i]);
        ++i;
      }
      spans.push_back({soff, scratch_.size() - soff, true});
    } else {
      const std::size_t s = i;
      while (i < n && base[i] != delim_ && base[i] != '\n') ++i;
      std::size_t e = i;
      if ((i == n || base[i] == '\n') && e > s && base[e - 1] == '\r') --e;
      spans.push_back({s, e - s, false});
    }
    if (i < n && base[i] == delim_) {
      ++i;
      continue;
    }
    // End of record: newline or end of block.
    if (i < n) ++i;  // consume '\n'
    ++next_line_;
    break;
  }
  pos_ = i;
  for (const auto& sp : spans)
    fields_.emplace_back(sp.in_scratch ? scratch_.data() + sp.off : base + sp.off, sp.len);
  return true;
}

}  // namespace agglo::io
