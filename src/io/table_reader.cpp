#include "agglo/io/table_reader.hpp"

#include <fast_float/fast_float.h>
#include <fmt/format.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <numeric>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
#define XXH_INLINE_ALL
#include <xxhash.h>
#include <atomic>
#include <mutex>

#include "agglo/parallel/cancel.hpp"
#include "agglo/parallel/progress.hpp"

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

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string shown(std::string_view v) {
  // Values in messages are cut to a readable length.
  if (v.size() > 40) return fmt::format("'{}…'", v.substr(0, 40));
  return fmt::format("'{}'", v);
}

// What one parallel task produces from one block.
struct Chunk {
  CsvBlock block;
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
  std::vector<std::vector<std::string>> texts;
  std::vector<std::uint64_t> lines;
  std::vector<Error> errors;
};

struct Plan {
  const TableSpec* spec;
  std::vector<int> file_index;  // per spec column: index in the file header or -1
  std::size_t header_size;
  std::string path;
  std::size_t max_errors;
  char delimiter;
  std::unique_ptr<std::atomic<bool>[]> direct;  // per spec column: intern in the merge only
};

void parse_block(Chunk& c, const Plan& plan, const std::vector<std::string>& header) {
  const auto& cols = plan.spec->columns;
  const std::size_t k = cols.size();
  c.reals.resize(k);
  c.integers.resize(k);
  c.codes.resize(k);
  c.dicts.resize(k);
  c.texts.resize(k);
  c.raw.resize(k);
  c.ends.resize(k);
  c.hashes.resize(k);
  std::vector<bool> direct(k);
  for (std::size_t j = 0; j < k; ++j) direct[j] = plan.direct[j].load(std::memory_order_relaxed);

  auto where_col = [&](int fi) -> Location {
    return Location{plan.path, 0, static_cast<std::uint32_t>(fi + 1), header[fi]};
  };
  auto error = [&](ErrorCode code, std::string msg, std::uint64_t line, int fi, std::string hint) {
    if (c.errors.size() > plan.max_errors) return;
    Location w = where_col(fi);
    w.line = line;
    c.errors.emplace_back(ErrorKind::input, code, std::move(msg), std::move(w), std::move(hint));
  };

  // Encoding first: one pass over the block, ASCII fast path. After an invalid byte the scan
  // resumes on the next line, so every line with a bad byte is reported, not only the first.
  const auto text = c.block.text();
  std::size_t from = 0;
  while (from < text.size() && c.errors.size() <= plan.max_errors) {
    std::size_t bad = 0;
    if (valid_utf8(text.substr(from), &bad)) break;
    bad += from;
    const auto before = text.substr(0, bad);
    const auto line = c.block.first_line + std::count(before.begin(), before.end(), '\n');
    const auto line_start = before.rfind('\n');
    const auto in_line = before.substr(line_start == std::string_view::npos ? 0 : line_start + 1);
    const int fi = static_cast<int>(std::count(in_line.begin(), in_line.end(), plan.delimiter));
    Location w{plan.path, static_cast<std::uint64_t>(line), static_cast<std::uint32_t>(fi + 1),
               fi < static_cast<int>(header.size()) ? header[fi] : ""};
    c.errors.emplace_back(ErrorKind::input, ErrorCode::invalid_utf8,
                          fmt::format("invalid UTF-8 byte 0x{:02X}",
                                      static_cast<unsigned char>(text[bad])),
                          std::move(w), "save the file as UTF-8 (not Latin-1 or Windows-1252)");
    const auto nl = text.find('\n', bad);
    if (nl == std::string_view::npos) break;
    from = nl + 1;
  }

  RecordCursor cur(c.block, plan.delimiter, plan.path);
  while (cur.next()) {
    const auto f = cur.fields();
    const auto line = cur.line();
    if (f.size() != plan.header_size) {
      if (c.errors.size() <= plan.max_errors) {
        Location w{plan.path, line, 0, {}};
        c.errors.emplace_back(
            ErrorKind::input, ErrorCode::ragged_row,
            fmt::format("row has {} fields, the header has {}", f.size(), plan.header_size),
            std::move(w), "every row needs one value per header column; quote values that contain commas");
      }
      continue;
    }
    bool row_ok = true;
    for (std::size_t j = 0; j < k; ++j) {
      const int fi = plan.file_index[j];
      if (fi < 0) continue;
      const auto& cs = cols[j];
      const std::string_view raw = f[static_cast<std::size_t>(fi)];
      switch (cs.kind) {
        case ColumnKind::code: {
          const auto v = trim(raw);
          if (v.empty() && !cs.allow_empty) {
            error(ErrorCode::wrong_type, fmt::format("empty {}: expected an identifier", cs.name), line, fi,
                  "every row needs a value here");
            row_ok = false;
          }
          if (direct[j]) {
            c.raw[j].append(v);
            c.ends[j].push_back(static_cast<std::uint32_t>(c.raw[j].size()));
          } else {
            c.codes[j].push_back(c.dicts[j].intern(v));
          }
          break;
        }
        case ColumnKind::text:
          c.texts[j].emplace_back(raw);
          break;
        case ColumnKind::id: {
          const auto v = trim(raw);
          if (v.empty()) {
            error(ErrorCode::wrong_type, fmt::format("empty {}: expected an identifier", cs.name), line, fi,
                  "every row needs a value here");
            row_ok = false;
          }
          c.raw[j].append(v);
          c.ends[j].push_back(static_cast<std::uint32_t>(c.raw[j].size()));
          c.hashes[j].push_back(XXH3_64bits(v.data(), v.size()));
          break;
        }
        case ColumnKind::real: {
          const auto v = trim(raw);
          double x = std::numeric_limits<double>::quiet_NaN();
          if (v.empty()) {
            if (!cs.allow_empty) {
              error(ErrorCode::wrong_type, fmt::format("empty value: expected {}", cs.meaning.empty() ? "a number" : cs.meaning), line, fi, "");
              row_ok = false;
            }
          } else {
            auto [ptr, ec] = fast_float::from_chars(v.data(), v.data() + v.size(), x);
            if (ec != std::errc() || ptr != v.data() + v.size()) {
              error(ErrorCode::wrong_type,
                    fmt::format("{} is not a number: expected {}", shown(raw),
                                cs.meaning.empty() ? "a number" : cs.meaning),
                    line, fi, "use a dot for decimals and no thousands separators");
              row_ok = false;
            } else if (!std::isfinite(x)) {
              error(ErrorCode::non_finite, fmt::format("{} is not a finite number", shown(raw)), line, fi,
                    "NaN and Inf are not allowed; leave the cell empty only where the column allows it");
              row_ok = false;
            } else if (cs.non_negative && x < 0) {
              error(ErrorCode::negative_value,
                    fmt::format("{} is negative: expected {} ≥ 0", shown(raw), cs.name), line, fi, "");
              row_ok = false;
            } else if ((cs.min && x < *cs.min) || (cs.max && x > *cs.max)) {
              error(cs.name == "lon" || cs.name == "lat" ? ErrorCode::coordinate_out_of_range
                                                          : ErrorCode::invalid_value,
                    fmt::format("{} is out of range: {} must be in [{}, {}]", shown(raw), cs.name,
                                cs.min.value_or(-INFINITY), cs.max.value_or(INFINITY)),
                    line, fi, cs.name == "lon" || cs.name == "lat" ? "longitude is in [-180, 180] and latitude in [-90, 90] degrees; projected coordinates go in x,y" : "");
              row_ok = false;
            }
          }
          c.reals[j].push_back(x);
          break;
        }
        case ColumnKind::integer: {
          const auto v = trim(raw);
          std::int64_t x = 0;
          if (v.empty()) {
            if (!cs.allow_empty) {
              error(ErrorCode::wrong_type, "empty value: expected a whole number", line, fi, "");
              row_ok = false;
            }
          } else {
            auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
            if (ec != std::errc() || ptr != v.data() + v.size()) {
              error(ErrorCode::wrong_type, fmt::format("{} is not a whole number", shown(raw)), line, fi, "");
              row_ok = false;
            } else if (cs.non_negative && x < 0) {
              error(ErrorCode::negative_value, fmt::format("{} is negative: expected {} ≥ 0", shown(raw), cs.name), line, fi, "");
              row_ok = false;
            }
          }
          c.integers[j].push_back(x);
          break;
        }
      }
    }
    (void)row_ok;  // rows with errors are kept so row counts stay aligned; errors decide
    c.lines.push_back(line);
    ++c.rows;
  }
}

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

}  // namespace

LoadedTable read_table(const std::string& path, const TableSpec& spec, const ReadOptions& opts) {
  CsvSource source(path, opts.csv);
  LoadedTable out;
  out.path = path;
  out.header = source.header();

  Plan plan;
  plan.spec = &spec;
  plan.header_size = out.header.size();
  plan.path = path;
  plan.max_errors = opts.collect ? opts.max_errors : 0;
  plan.delimiter = source.delimiter();
  plan.direct = std::make_unique<std::atomic<bool>[]>(spec.columns.size());
  for (std::size_t j = 0; j < spec.columns.size(); ++j) plan.direct[j] = false;

  // Match spec columns to header columns (exact names; a duplicated header name is an error).
  for (std::size_t i = 0; i < out.header.size(); ++i)
    for (std::size_t j = i + 1; j < out.header.size(); ++j)
      if (!out.header[i].empty() && out.header[i] == out.header[j]) {
        Location w{path, 1, static_cast<std::uint32_t>(j + 1), out.header[j]};
        throw_input(ErrorCode::duplicate_id,
                    fmt::format("column '{}' appears twice in the header (columns {} and {})",
                                out.header[i], i + 1, j + 1),
                    w, "rename one of them");
      }
  auto find_col = [&](const std::string& name) -> int {
    for (std::size_t i = 0; i < out.header.size(); ++i)
      if (out.header[i] == name) return static_cast<int>(i);
    return -1;
  };
  std::vector<std::string> missing;
  for (const auto& cs : spec.columns) {
    const int fi = find_col(cs.name);
    plan.file_index.push_back(fi);
    LoadedColumn lc;
    lc.spec = cs;
    lc.present = fi >= 0;
    out.columns.push_back(std::move(lc));
    if (fi < 0 && cs.required) missing.push_back(cs.name);
  }
  for (const auto& group : spec.one_of_groups) {
    bool any_complete = false;
    for (const auto& g : group) (void)g;
    // A group is a list "a|b" of alternatives, each alternative a '+'-joined set of columns.
    std::vector<std::string> alts = group;
    for (const auto& alt : alts) {
      bool all = true;
      std::size_t s = 0;
      while (s <= alt.size()) {
        auto p = alt.find('+', s);
        if (p == std::string::npos) p = alt.size();
        if (find_col(alt.substr(s, p - s)) < 0) all = false;
        s = p + 1;
      }
      if (all) any_complete = true;
    }
    if (!any_complete) {
      std::string names;
      for (const auto& a : alts) names += (names.empty() ? "" : " or ") + a;
      missing.push_back(names);
    }
  }
  if (!missing.empty()) {
    std::string have;
    for (const auto& h : out.header) have += (have.empty() ? "" : ",") + h;
    Location w{path, 1, 0, {}};
    throw_input(ErrorCode::missing_column,
                fmt::format("{} file is missing required column{}: {}", spec.what,
                            missing.size() > 1 ? "s" : "",
                            [&] { std::string s; for (auto& m : missing) s += (s.empty() ? "" : ", ") + m; return s; }()),
                w, fmt::format("the header has: {}", have));
  }

  const std::size_t k = spec.columns.size();
  parallel::Progress progress(fmt::format("reading {}", spec.what), source.file_size(), "bytes");
  const std::size_t tokens = 2 * static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()) + 1;
  bool stop = false;
  bool reserved = false;
  // Block buffers are recycled: a fresh 4 MiB buffer per block would be zero-filled and
  // page-faulted in by the kernel every time, which costs more than parsing it.
  std::mutex pool_mutex;
  std::vector<std::string> pool;

  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, std::shared_ptr<Chunk>>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& fc) -> std::shared_ptr<Chunk> {
            parallel::check_cancelled();
            auto c = std::make_shared<Chunk>();
            {
              std::lock_guard lock(pool_mutex);
              if (!pool.empty()) {
                c->block.buffer = std::move(pool.back());
                pool.pop_back();
              }
            }
            if (stop || !source.next_block(c->block)) {
              fc.stop();
              return nullptr;
            }
            return c;
          }) &
          tbb::make_filter<std::shared_ptr<Chunk>, std::shared_ptr<Chunk>>(
              tbb::filter_mode::parallel,
              [&](std::shared_ptr<Chunk> c) {
                parse_block(*c, plan, out.header);
                return c;
              }) &
          tbb::make_filter<std::shared_ptr<Chunk>, void>(
              tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Chunk> c) {
                // Merge in file order: errors first (so the first error thrown is the first in
                // the file), then columns, remapping chunk-local code ids to global ones.
                for (auto& e : c->errors) {
                  if (!opts.collect) throw e;
                  if (out.errors.size() < opts.max_errors) out.errors.push_back(std::move(e));
                  else out.truncated_errors = true;
                }
                if (opts.collect && out.errors.size() >= opts.max_errors) stop = true;
                if (!reserved && c->block.size > 0 && c->rows > 0) {
                  // Size the columns once from the first block's bytes per row, so they do not
                  // grow by doubling (each doubling copies everything and faults in new pages).
                  reserved = true;
                  const double per_byte = static_cast<double>(c->rows) / static_cast<double>(c->block.size);
                  const auto est = static_cast<std::size_t>(1.02 * per_byte * static_cast<double>(source.file_size())) + 16;
                  for (auto& col : out.columns) {
                    if (!col.present) continue;
                    switch (col.spec.kind) {
                      case ColumnKind::real: col.reals.reserve(est); break;
                      case ColumnKind::integer: col.integers.reserve(est); break;
                      case ColumnKind::code: col.codes.reserve(est); break;
                      case ColumnKind::text: col.texts.reserve(est); break;
                      case ColumnKind::id:
                        col.id_ends.reserve(est);
                        col.id_hashes.reserve(est);
                        col.id_text.reserve(static_cast<std::size_t>(1.02 * static_cast<double>(c->raw[&col - out.columns.data()].size()) /
                                                                     static_cast<double>(c->block.size) * static_cast<double>(source.file_size())));
                        break;
                    }
                  }
                  out.lines.reserve(est);
                  // A code column whose first block is mostly distinct values (an id column)
                  // is interned directly from now on, into a dictionary sized for the file.
                  for (std::size_t j = 0; j < k; ++j)
                    if (out.columns[j].present && out.columns[j].spec.kind == ColumnKind::code &&
                        c->rows >= 1000 && c->dicts[j].size() * 2 > c->rows) {
                      plan.direct[j].store(true, std::memory_order_relaxed);
                      out.columns[j].dictionary.reserve(est);
                    }
                }
                for (std::size_t j = 0; j < k; ++j) {
                  auto& dst = out.columns[j];
                  if (!dst.present) continue;
                  switch (dst.spec.kind) {
                    case ColumnKind::real:
                      dst.reals.insert(dst.reals.end(), c->reals[j].begin(), c->reals[j].end());
                      break;
                    case ColumnKind::integer:
                      dst.integers.insert(dst.integers.end(), c->integers[j].begin(), c->integers[j].end());
                      break;
                    case ColumnKind::text:
                      for (auto& s : c->texts[j]) dst.texts.push_back(std::move(s));
                      break;
                    case ColumnKind::id: {
                      const std::uint64_t base = dst.id_text.size();
                      dst.id_text.append(c->raw[j]);
                      for (auto end : c->ends[j]) dst.id_ends.push_back(base + end);
                      dst.id_hashes.insert(dst.id_hashes.end(), c->hashes[j].begin(), c->hashes[j].end());
                      break;
                    }
                    case ColumnKind::code: {
                      if (!c->ends[j].empty()) {
                        const auto& raw = c->raw[j];
                        std::uint32_t start = 0;
                        for (auto end : c->ends[j]) {
                          dst.codes.push_back(dst.dictionary.intern(std::string_view(raw).substr(start, end - start)));
                          start = end;
                        }
                        break;
                      }
                      const auto& local = c->dicts[j];
                      std::vector<std::uint32_t> remap(local.size());
                      for (std::uint32_t id = 0; id < local.size(); ++id)
                        remap[id] = dst.dictionary.intern(local.name(id));
                      for (auto id : c->codes[j]) dst.codes.push_back(remap[id]);
                      break;
                    }
                  }
                }
                out.lines.insert(out.lines.end(), c->lines.begin(), c->lines.end());
                out.rows += c->rows;
                progress.advance(c->block.size);
                std::lock_guard lock(pool_mutex);
                c->block.buffer.clear();  // keeps its capacity
                pool.push_back(std::move(c->block.buffer));
              }));
  out.bytes = source.bytes_read();
  for (auto& col : out.columns)
    if (col.present && col.spec.kind == ColumnKind::id) finish_id_column(col);
  return out;
}

}  // namespace agglo::io
