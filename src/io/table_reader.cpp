#include "agglo/io/table_reader.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstring>
#include <charconv>
#include <cmath>
#include <memory>
#include <mutex>
#include <numeric>

#include "agglo/io/memory_table.hpp"
#include "agglo/io/vector_reader.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/parallel/progress.hpp"
#include "detail/table_builder.hpp"

namespace agglo::io {

const LoadedColumn& LoadedTable::col(const std::string& name) const {
  for (const auto& c : columns)
    if (c.spec.name == name) return c;
  AGGLO_ASSERT(false && "column not in the spec");
  return columns.front();
}

LoadedColumn& LoadedTable::col(const std::string& name) {
  return const_cast<LoadedColumn&>(static_cast<const LoadedTable&>(*this).col(name));
}

bool LoadedTable::has(const std::string& name) const {
  for (const auto& c : columns)
    if (c.spec.name == name) return c.present;
  return false;
}

namespace detail {

// Turns the packed text of an id column into codes and a dictionary. Uniqueness is checked by
// sorting (hash, row) pairs — sequential memory access, in parallel — instead of inserting
// every id into a hash table; only equal hashes are compared as strings. Unique ids (the
// normal case) become codes 0…n−1 over the adopted text; with duplicates the column is
// interned the ordinary way, so the loaders' duplicate checks see and report them.
void finish_id_column(LoadedColumn& col) {
  const std::size_t n = col.id_ends.size();
  auto name = [&](std::size_t i) {
    const std::uint64_t start = i ? col.id_ends[i - 1] : 0;
    return std::string_view(col.id_text).substr(start, col.id_ends[i] - start);
  };
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed(n);
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) { keyed[i] = {col.id_hashes[i], static_cast<std::uint32_t>(i)}; });
  tbb::parallel_sort(keyed.begin(), keyed.end());
  bool duplicates = false;
  for (std::size_t i = 1; i < n && !duplicates; ++i)
    if (keyed[i].first == keyed[i - 1].first) {
      // Same hash: compare this run's strings pairwise (runs are almost always of length 2).
      std::size_t end = i + 1;
      while (end < n && keyed[end].first == keyed[i].first) ++end;
      for (std::size_t a = i - 1; a < end && !duplicates; ++a)
        for (std::size_t b = a + 1; b < end && !duplicates; ++b)
          duplicates = name(keyed[a].second) == name(keyed[b].second);
    }
  col.codes.resize(n);
  if (!duplicates) {
    std::iota(col.codes.begin(), col.codes.end(), 0u);
    col.dictionary = core::Interner::adopt_unique(std::move(col.id_text), col.id_ends);
  } else {
    for (std::size_t i = 0; i < n; ++i) col.codes[i] = col.dictionary.intern(name(i));
  }
  col.id_text = {};
  col.id_ends = {};
  col.id_hashes = {};
}


#ifdef AGGLO_HAVE_GDAL
// src/io/gdal/vector_table.cpp
LoadedTable read_vector_table(const std::string& source, const TableSpec& spec, const ReadOptions& opts,
                              const InputSettings& settings);
#endif

}  // namespace detail

namespace {

using detail::Chunk;
using detail::TableBuilder;

// Checks the encoding of a block: one pass, ASCII fast path. After an invalid byte the scan
// resumes on the next line, so every line with a bad byte is reported, not only the first.
void check_block_utf8(Chunk& c, const CsvBlock& block, const TableBuilder& b, char delim, std::size_t max_errors) {
  const auto text = block.text();
  // NUL bytes are valid UTF-8 but never part of a text table; they would cut identifiers in
  // the GeoPackage writer. Every line with one is reported.
  for (std::size_t at = 0; c.errors.size() <= max_errors;) {
    const void* z = std::memchr(text.data() + at, '\0', text.size() - at);
    if (!z) break;
    const std::size_t pos = static_cast<const char*>(z) - text.data();
    const auto before = text.substr(0, pos);
    const auto line = block.first_line + std::count(before.begin(), before.end(), '\n');
    c.errors.emplace_back(ErrorKind::input, ErrorCode::invalid_value, "NUL byte (\\0) in the data",
                          Location{b.path(), static_cast<std::uint64_t>(line), 0, {}},
                          "is this a text (CSV) file? remove the NUL bytes");
    const auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  std::size_t from = 0;
  while (from < text.size() && c.errors.size() <= max_errors) {
    std::size_t bad = 0;
    if (valid_utf8(text.substr(from), &bad)) break;
    bad += from;
    const auto before = text.substr(0, bad);
    const auto line = block.first_line + std::count(before.begin(), before.end(), '\n');
    const auto line_start = before.rfind('\n');
    const auto in_line = before.substr(line_start == std::string_view::npos ? 0 : line_start + 1);
    const int fi = static_cast<int>(std::count(in_line.begin(), in_line.end(), delim));
    Location w{b.path(), static_cast<std::uint64_t>(line), static_cast<std::uint32_t>(fi + 1),
               fi < static_cast<int>(b.header().size()) ? b.header()[static_cast<std::size_t>(fi)] : ""};
    c.errors.emplace_back(ErrorKind::input, ErrorCode::invalid_utf8,
                          fmt::format("invalid UTF-8 byte 0x{:02X}", static_cast<unsigned char>(text[bad])), std::move(w),
                          "save the file as UTF-8 (not Latin-1 or Windows-1252)");
    const auto nl = text.find('\n', bad);
    if (nl == std::string_view::npos) break;
    from = nl + 1;
  }
}

// A delimited text file (plain or gzip): one thread reads blocks cut at record boundaries,
// all threads parse them, one merges them in file order.
LoadedTable read_text_table(const std::string& path, const TableSpec& spec, const ReadOptions& opts,
                            const InputSettings& settings) {
  CsvOptions co = opts.csv;
  if (co.delimiter == 0 && opts.plain) co.delimiter = ',';
  if (co.delimiter == 0) co.delimiter = settings.delimiter;  // 0 again = detect
  CsvSource source(path, co);
  TableBuilder b(spec, path, source.header(), opts, settings, false, source.delimiter(), source.suspect_delimiter());
  const std::size_t max_errors = opts.collect ? opts.max_errors : 0;

  struct Item {
    CsvBlock block;
    Chunk chunk;
  };
  parallel::Progress progress(fmt::format("reading {}", spec.what), source.file_size(), "bytes");
  const std::size_t tokens = 2 * static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()) + 1;
  // Block buffers are recycled: a fresh 4 MiB buffer per block would be zero-filled and
  // page-faulted in by the kernel every time, which costs more than parsing it.
  std::mutex pool_mutex;
  std::vector<std::string> pool;
  std::uint64_t consumed = 0;
  const char delim = source.delimiter();
  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, std::shared_ptr<Item>>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& fc) -> std::shared_ptr<Item> {
            parallel::check_cancelled();
            auto it = std::make_shared<Item>();
            {
              std::lock_guard lock(pool_mutex);
              if (!pool.empty()) {
                it->block.buffer = std::move(pool.back());
                pool.pop_back();
              }
            }
            if (b.stop() || !source.next_block(it->block)) {
              fc.stop();
              return nullptr;
            }
            it->chunk.source_bytes = static_cast<std::size_t>(source.bytes_read() - consumed);
            consumed = source.bytes_read();
            return it;
          }) &
          tbb::make_filter<std::shared_ptr<Item>, std::shared_ptr<Item>>(
              tbb::filter_mode::parallel,
              [&](std::shared_ptr<Item> it) {
                b.init_chunk(it->chunk);
                check_block_utf8(it->chunk, it->block, b, delim, max_errors);
                RecordCursor cur(it->block, delim, path);
                while (cur.next()) b.add_record(it->chunk, cur.fields(), cur.line());
                return it;
              }) &
          tbb::make_filter<std::shared_ptr<Item>, void>(
              tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Item> it) {
                b.reserve_from(it->chunk, it->block.size,
                               source.compressed() ? 4 * source.file_size() : source.file_size());
                b.merge(it->chunk);
                progress.advance(it->chunk.source_bytes);
                std::lock_guard lock(pool_mutex);
                it->block.buffer.clear();  // keeps its capacity
                pool.push_back(std::move(it->block.buffer));
              }));
  return b.finish(source.bytes_read());
}

// An in-memory table: numbers are checked as numbers (no text round trip); rows are split
// into chunks parsed in parallel and merged in order.
LoadedTable read_memory_table(const MemoryTable& t, const TableSpec& spec, const ReadOptions& opts,
                              const InputSettings& settings) {
  std::vector<std::string> header;
  for (const auto& c : t.columns) header.push_back(c.name);
  TableBuilder b(spec, t.label, header, opts, settings, true);
  const std::size_t n = t.rows;
  const std::size_t per = 1u << 16;
  const std::size_t chunks = (n + per - 1) / per;
  // Text of a numeric cell, for layouts (which work on text fields).
  auto cell_text = [](const MemoryColumn& c, std::size_t i, std::string& buf) -> std::string_view {
    char tmp[32];
    switch (c.type) {
      case MemoryColumn::Type::text:
        return c.text(i);
      case MemoryColumn::Type::real: {
        if (std::isnan(c.reals[i])) return {};
        auto r = std::to_chars(tmp, tmp + sizeof tmp, c.reals[i]);
        buf.assign(tmp, r.ptr);
        return buf;
      }
      case MemoryColumn::Type::integer: {
        if (c.valid && !c.valid[i]) return {};
        auto r = std::to_chars(tmp, tmp + sizeof tmp, c.integers[i]);
        buf.assign(tmp, r.ptr);
        return buf;
      }
      case MemoryColumn::Type::boolean:
        if (c.valid && !c.valid[i]) return {};
        return c.booleans[i] ? "1" : "0";
    }
    return {};
  };
  struct Part {
    std::size_t k = 0;
    Chunk chunk;
  };
  auto parse = [&](Chunk& c, std::size_t k) {
    b.init_chunk(c);
    const std::size_t lo = k * per, hi = std::min(n, lo + per);
    if (b.has_layout()) {
      std::vector<std::string> bufs(t.columns.size());
      std::vector<std::string_view> fields(t.columns.size());
      for (std::size_t i = lo; i < hi; ++i) {
        for (std::size_t f = 0; f < t.columns.size(); ++f) fields[f] = cell_text(t.columns[f], i, bufs[f]);
        b.add_record(c, fields, i);
      }
      return;
    }
    // Per dictionary-encoded column, the chunk-local code of each dictionary entry.
    std::vector<std::vector<std::uint32_t>> slots(b.width());
    for (std::size_t j = 0; j < b.width(); ++j)
      if (b.field_of(j) >= 0 && t.columns[static_cast<std::size_t>(b.field_of(j))].dictionary_encoded())
        slots[j].assign(t.columns[static_cast<std::size_t>(b.field_of(j))].dictionary.size(), TableBuilder::kNoSlot);
    // Column by column is faster, but rows must stay aligned with their errors: row by row.
    for (std::size_t i = lo; i < hi; ++i) {
      for (std::size_t j = 0; j < b.width(); ++j) {
        const int fi = b.field_of(j);
        if (fi < 0) continue;
        const auto& col = t.columns[static_cast<std::size_t>(fi)];
        switch (col.type) {
          case MemoryColumn::Type::real:
            b.put_real(c, j, col.reals[i], i, fi);
            break;
          case MemoryColumn::Type::integer:
            if (col.valid && !col.valid[i]) b.put_missing(c, j, i, fi);
            else b.put_integer(c, j, col.integers[i], i, fi);
            break;
          case MemoryColumn::Type::boolean:
            if (col.valid && !col.valid[i]) b.put_missing(c, j, i, fi);
            else b.put_integer(c, j, col.booleans[i] ? 1 : 0, i, fi);
            break;
          case MemoryColumn::Type::text:
            if (!col.text_missing.empty() && col.text_missing[i]) b.put_missing(c, j, i, fi);
            else if (col.dictionary_encoded()) b.put_text_cached(c, j, col.dictionary[col.codes[i]], slots[j][col.codes[i]], i, fi);
            else b.put_text(c, j, col.texts[i], i, fi);
            break;
        }
      }
      b.end_row(c, i);
    }
  };
  // The same three stages as the CSV reader: row ranges handed out in order, parsed on any
  // thread, merged in order. Merging while later ranges are parsed matters: the first merge
  // decides which code columns are ids (reserve_from), so later ranges skip chunk-local
  // interning, and the serial merge overlaps the parallel parse instead of following it.
  const std::size_t tokens = 2 * static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()) + 1;
  std::size_t next = 0;
  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, std::shared_ptr<Part>>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& fc) -> std::shared_ptr<Part> {
            parallel::check_cancelled();
            if (b.stop() || next >= chunks) {
              fc.stop();
              return nullptr;
            }
            auto part = std::make_shared<Part>();
            part->k = next++;
            return part;
          }) &
          tbb::make_filter<std::shared_ptr<Part>, std::shared_ptr<Part>>(
              tbb::filter_mode::parallel,
              [&](std::shared_ptr<Part> part) {
                parse(part->chunk, part->k);
                return part;
              }) &
          tbb::make_filter<std::shared_ptr<Part>, void>(
              tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Part> part) {
                b.reserve_from(part->chunk, std::max<std::size_t>(part->chunk.rows, 1), std::max<std::size_t>(n, 1));
                b.merge(part->chunk);
              }));
  std::uint64_t bytes = 0;
  for (const auto& c : t.columns)
    bytes += c.type == MemoryColumn::Type::text ? 0 : 8 * static_cast<std::uint64_t>(n);
  return b.finish(bytes);
}

}  // namespace

LoadedTable read_table(const std::string& source, const TableSpec& spec, const ReadOptions& opts) {
  static const InputSettings plain_settings;
  const InputSettings& settings = opts.plain ? plain_settings : current_input_settings();
  if (is_memory_source(source)) {
    const auto t = find_memory_table(source);
    if (!t)
      throw_io(ErrorCode::file_not_found, "no in-memory table has this handle (it was released)", source,
               "pass the table again");
    return read_memory_table(*t, spec, opts, settings);
  }
#ifdef AGGLO_HAVE_GDAL
  if (is_vector_source(source)) return detail::read_vector_table(source, spec, opts, settings);
#endif
  return read_text_table(source, spec, opts, settings);
}

}  // namespace agglo::io
