#include "detail/table_builder.hpp"

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace agglo::io::detail {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Values in messages are cut to a readable length, never inside a UTF-8 character, and
// control characters (terminal escapes) are shown as \xNN.
std::string shown(std::string_view v) {
  std::string out;
  std::size_t i = 0, chars = 0;
  while (i < v.size() && chars < 40) {
    const auto c = static_cast<unsigned char>(v[i]);
    std::size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + len > v.size()) len = v.size() - i;
    if (c < 0x20 || c == 0x7F) out += fmt::format("\\x{:02X}", c);
    else out.append(v.substr(i, len));
    i += len;
    ++chars;
  }
  return i < v.size() ? fmt::format("'{}…'", out) : fmt::format("'{}'", out);
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

}  // namespace

TableBuilder::TableBuilder(const TableSpec& spec, std::string path, std::vector<std::string> header,
                           const ReadOptions& opts, const InputSettings& settings, bool rows_not_lines,
                           char delimiter_used, char delimiter_suspect)
    : spec_(&spec), path_(std::move(path)), header_(std::move(header)), opts_(opts),
      max_errors_(opts.collect ? opts.max_errors : 0), rows_(rows_not_lines) {
  out_.path = path_;
  out_.header = header_;
  out_.rows_not_lines = rows_;
  // A repeated header name makes "the column 'x'" ambiguous.
  for (std::size_t i = 0; i < header_.size(); ++i)
    for (std::size_t j = i + 1; j < header_.size(); ++j)
      if (!header_[i].empty() && header_[i] == header_[j]) {
        Location w = where(rows_ ? 0 : 1, static_cast<int>(j));
        throw_input(ErrorCode::duplicate_id,
                    fmt::format("column '{}' appears twice in the header (columns {} and {})", header_[i], i + 1, j + 1),
                    w, "rename one of them");
      }

  // A named layout rebuilds the agglo columns from the source's; names are then matched
  // against its virtual header.
  if (!opts.plain) mapper_ = make_row_mapper(spec.what, header_, settings, path_);
  const std::vector<std::string>& names = mapper_ ? mapper_->names : header_;

  auto find_exact = [&](std::string_view n) -> int {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == n) return static_cast<int>(i);
    return -1;
  };
  auto find_nocase = [&](std::string_view n) -> int {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (same_name(names[i], n)) return static_cast<int>(i);
    return -1;
  };
  // Column mappings that apply to this input (the user's --columns), by agglo name.
  std::vector<const ColumnMapping*> maps;
  if (!opts.plain && !mapper_)
    for (const auto& m : settings.columns)
      if (m.input.empty() || m.input == spec.what) maps.push_back(&m);
  for (const auto* m : maps) {
    const bool known = std::any_of(spec.columns.begin(), spec.columns.end(),
                                   [&](const ColumnSpec& c) { return c.name == m->target; });
    if (!known && !m->input.empty()) {
      std::vector<std::string> cols;
      for (const auto& c : spec.columns) cols.push_back(c.name);
      throw_usage(ErrorCode::invalid_option_value,
                  fmt::format("--columns {}.{}={}: the {} input has no column '{}'", m->input, m->target, m->source,
                              spec.what, m->target),
                  fmt::format("its columns are {}", joined(cols, ", ")));
    }
  }

  std::vector<std::string> missing;
  std::vector<bool> used(names.size(), false);
  for (const auto& cs : spec.columns) {
    int fi = -1;
    for (const auto* m : maps)
      if (m->target == cs.name) {
        fi = find_exact(m->source);
        if (fi < 0) fi = find_nocase(m->source);
        if (fi < 0)
          throw_input(ErrorCode::missing_column,
                      fmt::format("--columns maps {} to '{}', but the {} file has no column '{}'", cs.name, m->source,
                                  spec.what, m->source),
                      Location{path_, rows_ ? 0u : 1u, 0, {}, rows_}, fmt::format("the header has: {}", joined(names, ",")));
      }
    // Then the name itself, an alias, and the same without regard to case; a column already
    // taken by a mapping is not read twice.
    auto try_name = [&](std::string_view n) {
      if (fi >= 0) return;
      const int e = find_exact(n);
      if (e >= 0 && !used[static_cast<std::size_t>(e)]) fi = e;
    };
    try_name(cs.name);
    for (const auto& a : cs.aliases) try_name(a);
    auto try_nocase = [&](std::string_view n) {
      if (fi >= 0) return;
      const int e = find_nocase(n);
      if (e >= 0 && !used[static_cast<std::size_t>(e)]) fi = e;
    };
    try_nocase(cs.name);
    for (const auto& a : cs.aliases) try_nocase(a);
    if (fi >= 0) used[static_cast<std::size_t>(fi)] = true;
    field_.push_back(fi);
    LoadedColumn lc;
    lc.spec = cs;
    lc.present = fi >= 0;
    out_.columns.push_back(std::move(lc));
    if (fi < 0 && cs.required) missing.push_back(cs.name);
  }
  // Groups of alternatives ("lon+lat" or "x+y"): one whole alternative must be present.
  for (const auto& alts : spec.one_of_groups) {
    bool any_complete = false;
    for (const auto& alt : alts) {
      bool all = true;
      std::size_t s = 0;
      while (s <= alt.size()) {
        auto p = alt.find('+', s);
        if (p == std::string::npos) p = alt.size();
        const auto name = alt.substr(s, p - s);
        bool here = false;
        for (std::size_t j = 0; j < spec.columns.size(); ++j)
          if (spec.columns[j].name == name) here = field_[j] >= 0;
        all = all && here;
        s = p + 1;
      }
      any_complete = any_complete || all;
    }
    if (!any_complete) missing.push_back(joined(alts, " or "));
  }
  if (!missing.empty()) {
    std::string hint = fmt::format("the header has: {}", joined(header_, ","));
    if (delimiter_suspect)
      hint = fmt::format("the separator looks like '{}', not '{}': use --delimiter {} (or auto); {}",
                         delimiter_suspect == '\t' ? std::string("tab") : std::string(1, delimiter_suspect),
                         delimiter_used == '\t' ? std::string("tab") : std::string(1, delimiter_used),
                         delimiter_suspect == '\t' ? std::string("tab") : fmt::format("'{}'", delimiter_suspect), hint);
    else if (!mapper_)
      hint += "; map other names with --columns NAME=SOURCE";
    Location w{path_, rows_ ? 0u : 1u, 0, {}, rows_};
    throw_input(ErrorCode::missing_column,
                fmt::format("{} {} is missing required column{}: {}", spec.what, rows_ ? "table" : "file",
                            missing.size() > 1 ? "s" : "", joined(missing, ", ")),
                w, hint);
  }
  direct_ = std::make_unique<std::atomic<bool>[]>(spec.columns.size());
  for (std::size_t j = 0; j < spec.columns.size(); ++j) direct_[j] = false;
  if (mapper_) {
    out_.layout = mapper_->layout;
    out_.sum_duplicates = mapper_->sum_duplicates;
  }
}

Location TableBuilder::where(std::uint64_t line, int fi) const {
  Location w{path_, line, 0, {}, rows_};
  if (fi >= 0) {
    // With a layout, fi indexes the virtual header; messages name the source column.
    const int src = mapper_ ? mapper_->origin[static_cast<std::size_t>(fi)] : fi;
    w.column = static_cast<std::uint32_t>(src + 1);
    if (src < static_cast<int>(header_.size())) w.column_name = header_[static_cast<std::size_t>(src)];
  }
  return w;
}

void TableBuilder::error(Chunk& c, ErrorCode code, std::string msg, std::uint64_t line, int fi, std::string hint) const {
  if (c.errors.size() > max_errors_) return;
  c.errors.emplace_back(ErrorKind::input, code, std::move(msg), where(line, fi), std::move(hint));
}

void TableBuilder::init_chunk(Chunk& c) const {
  const std::size_t k = width();
  c.reals.resize(k);
  c.integers.resize(k);
  c.codes.resize(k);
  c.dicts.resize(k);
  c.texts.resize(k);
  c.raw.resize(k);
  c.ends.resize(k);
  c.hashes.resize(k);
  c.direct.resize(k);
  for (std::size_t j = 0; j < k; ++j) c.direct[j] = direct_[j].load(std::memory_order_relaxed) ? 1 : 0;
}

void TableBuilder::put_text_cached(Chunk& c, std::size_t j, std::string_view v, std::uint32_t& slot, std::uint64_t line,
                                   int fi) const {
  if (spec_->columns[j].kind != ColumnKind::code || c.direct[j]) {
    put_text(c, j, v, line, fi);
    return;
  }
  if (slot == kNoSlot) {
    const auto t = trim(v);
    if (t.empty()) {  // an error (or an allowed empty code) is a matter of each row
      put_text(c, j, v, line, fi);
      return;
    }
    slot = c.dicts[j].intern(t);
  }
  c.codes[j].push_back(slot);
}

void TableBuilder::put_text(Chunk& c, std::size_t j, std::string_view raw, std::uint64_t line, int fi) const {
  const auto& cs = spec_->columns[j];
  switch (cs.kind) {
    case ColumnKind::code: {
      const auto v = trim(raw);
      if (v.empty() && !cs.allow_empty)
        error(c, ErrorCode::wrong_type, fmt::format("empty {}: expected an identifier", cs.name), line, fi,
              "every row needs a value here");
      if (c.direct[j]) {
        c.raw[j].append(v);
        c.ends[j].push_back(static_cast<std::uint32_t>(c.raw[j].size()));
      } else {
        c.codes[j].push_back(c.dicts[j].intern(v));
      }
      return;
    }
    case ColumnKind::text:
      c.texts[j].emplace_back(raw);
      return;
    case ColumnKind::id: {
      const auto v = trim(raw);
      if (v.empty())
        error(c, ErrorCode::wrong_type, fmt::format("empty {}: expected an identifier", cs.name), line, fi,
              "every row needs a value here");
      c.raw[j].append(v);
      c.ends[j].push_back(static_cast<std::uint32_t>(c.raw[j].size()));
      c.hashes[j].push_back(XXH3_64bits(v.data(), v.size()));
      return;
    }
    case ColumnKind::real: {
      const auto v = trim(raw);
      if (v.empty()) {
        put_missing(c, j, line, fi);
        return;
      }
      double x = 0;
      auto [ptr, ec] = fast_float::from_chars(v.data(), v.data() + v.size(), x);
      if (ec != std::errc() || ptr != v.data() + v.size()) {
        // A number out of double range (1e400) is "not finite", not "not a number".
        const bool overflow = ec == std::errc::result_out_of_range;
        error(c, overflow ? ErrorCode::non_finite : ErrorCode::wrong_type,
              overflow ? fmt::format("{} is out of the range of numbers", shown(raw))
                       : fmt::format("{} is not a number: expected {}", shown(raw), cs.meaning.empty() ? "a number" : cs.meaning),
              line, fi, overflow ? "" : "use a dot for decimals and no thousands separators");
        c.reals[j].push_back(std::numeric_limits<double>::quiet_NaN());
        return;
      }
      put_real(c, j, x, line, fi, raw);
      return;
    }
    case ColumnKind::integer: {
      const auto v = trim(raw);
      if (v.empty()) {
        put_missing(c, j, line, fi);
        return;
      }
      std::int64_t x = 0;
      auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec != std::errc() || ptr != v.data() + v.size()) {
        // "2019.0" (a year written by a spreadsheet or pandas) is a whole number.
        double d = 0;
        auto [p2, e2] = fast_float::from_chars(v.data(), v.data() + v.size(), d);
        if (e2 == std::errc() && p2 == v.data() + v.size() && std::isfinite(d) && d == std::floor(d) &&
            std::fabs(d) < 9.0e15) {
          put_integer(c, j, static_cast<std::int64_t>(d), line, fi);
          return;
        }
        error(c, ErrorCode::wrong_type, fmt::format("{} is not a whole number", shown(raw)), line, fi, "");
        c.integers[j].push_back(0);
        return;
      }
      put_integer(c, j, x, line, fi);
      return;
    }
  }
}

void TableBuilder::put_missing(Chunk& c, std::size_t j, std::uint64_t line, int fi) const {
  const auto& cs = spec_->columns[j];
  switch (cs.kind) {
    case ColumnKind::real:
      if (!cs.allow_empty)
        error(c, ErrorCode::wrong_type, fmt::format("empty value: expected {}", cs.meaning.empty() ? "a number" : cs.meaning),
              line, fi, "");
      c.reals[j].push_back(std::numeric_limits<double>::quiet_NaN());
      return;
    case ColumnKind::integer:
      if (!cs.allow_empty) error(c, ErrorCode::wrong_type, "empty value: expected a whole number", line, fi, "");
      c.integers[j].push_back(0);
      return;
    default:
      put_text(c, j, {}, line, fi);
  }
}

void TableBuilder::put_real(Chunk& c, std::size_t j, double x, std::uint64_t line, int fi, std::string_view raw) const {
  const auto& cs = spec_->columns[j];
  if (cs.kind == ColumnKind::integer) {
    if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9.0e15) {
      put_integer(c, j, static_cast<std::int64_t>(x), line, fi);
    } else if (std::isnan(x)) {
      put_missing(c, j, line, fi);
    } else {
      error(c, ErrorCode::wrong_type, fmt::format("{} is not a whole number", raw.empty() ? fmt::format("{}", x) : shown(raw)),
            line, fi, "");
      c.integers[j].push_back(0);
    }
    return;
  }
  if (cs.kind != ColumnKind::real) {
    // A number where a code is expected (a FIPS or NAICS column of numbers): its text.
    char buf[32];
    std::string_view text;
    if (std::isnan(x)) {
      text = {};
    } else if (x == std::floor(x) && std::fabs(x) < 9.0e15) {
      auto r = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(x));
      text = std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
    } else {
      auto r = std::to_chars(buf, buf + sizeof buf, x);
      text = std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
    }
    put_text(c, j, text, line, fi);
    return;
  }
  auto show = [&] { return raw.empty() ? fmt::format("'{}'", x) : shown(raw); };
  if (std::isnan(x) && raw.empty()) {
    put_missing(c, j, line, fi);
    return;
  }
  if (!std::isfinite(x)) {
    error(c, ErrorCode::non_finite, fmt::format("{} is not a finite number", show()), line, fi,
          "NaN and Inf are not allowed; leave the cell empty only where the column allows it");
  } else if (cs.non_negative && x < 0) {
    error(c, ErrorCode::negative_value, fmt::format("{} is negative: expected {} ≥ 0", show(), cs.name), line, fi, "");
  } else if ((cs.min && x < *cs.min) || (cs.max && x > *cs.max)) {
    const bool coord = cs.name == "lon" || cs.name == "lat";
    error(c, coord ? ErrorCode::coordinate_out_of_range : ErrorCode::invalid_value,
          fmt::format("{} is out of range: {} must be in [{}, {}]", show(), cs.name, cs.min.value_or(-INFINITY),
                      cs.max.value_or(INFINITY)),
          line, fi,
          coord ? "longitude is in [-180, 180] and latitude in [-90, 90] degrees; projected coordinates go in x,y; "
                  "if lon and lat are swapped, map them with --columns lon=lat,lat=lon"
                : "");
  }
  c.reals[j].push_back(x);
}

void TableBuilder::put_integer(Chunk& c, std::size_t j, std::int64_t x, std::uint64_t line, int fi) const {
  const auto& cs = spec_->columns[j];
  if (cs.kind == ColumnKind::real) {
    put_real(c, j, static_cast<double>(x), line, fi);
    return;
  }
  if (cs.kind != ColumnKind::integer) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, x);
    put_text(c, j, std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)), line, fi);
    return;
  }
  if (cs.non_negative && x < 0)
    error(c, ErrorCode::negative_value, fmt::format("'{}' is negative: expected {} ≥ 0", x, cs.name), line, fi, "");
  c.integers[j].push_back(x);
}

void TableBuilder::end_row(Chunk& c, std::uint64_t line) const {
  c.lines.push_back(line);
  ++c.rows;
}

void TableBuilder::add_record(Chunk& c, std::span<const std::string_view> f, std::uint64_t line) const {
  if (f.size() != header_.size()) {
    if (c.errors.size() <= max_errors_) {
      Location w{path_, line, 0, {}, rows_};
      c.errors.emplace_back(
          ErrorKind::input, ErrorCode::ragged_row,
          fmt::format("row has {} field{}, the header has {}", f.size(), f.size() == 1 ? "" : "s", header_.size()), std::move(w),
          "every row needs one value per header column; quote values that contain the separator");
    }
    return;
  }
  std::span<const std::string_view> fields = f;
  if (mapper_) {
    if (!mapper_->map(f, c.vfields, c.vscratch, c.mapped)) return;  // left out by the layout
    fields = c.vfields;
  }
  const std::size_t k = width();
  for (std::size_t j = 0; j < k; ++j) {
    const int fi = field_[j];
    if (fi < 0) continue;
    put_text(c, j, fields[static_cast<std::size_t>(fi)], line, fi);
  }
  // Rows with errors are kept so row counts stay aligned; the errors decide.
  end_row(c, line);
}

void TableBuilder::reserve_from(const Chunk& c, std::size_t chunk_bytes, std::uint64_t total_bytes) {
  if (reserved_ || chunk_bytes == 0 || c.rows == 0) return;
  // Size the columns once from the first chunk's bytes per row, so they do not grow by
  // doubling (each doubling copies everything and faults in new pages).
  reserved_ = true;
  const double per_byte = static_cast<double>(c.rows) / static_cast<double>(chunk_bytes);
  const auto est = static_cast<std::size_t>(1.02 * per_byte * static_cast<double>(total_bytes)) + 16;
  const std::size_t k = width();
  for (std::size_t j = 0; j < k; ++j) {
    auto& col = out_.columns[j];
    if (!col.present) continue;
    switch (col.spec.kind) {
      case ColumnKind::real: col.reals.reserve(est); break;
      case ColumnKind::integer: col.integers.reserve(est); break;
      case ColumnKind::code: col.codes.reserve(est); break;
      case ColumnKind::text: col.texts.reserve(est); break;
      case ColumnKind::id:
        col.id_ends.reserve(est);
        col.id_hashes.reserve(est);
        col.id_text.reserve(static_cast<std::size_t>(1.02 * static_cast<double>(c.raw[j].size()) /
                                                     static_cast<double>(chunk_bytes) * static_cast<double>(total_bytes)));
        break;
    }
  }
  out_.lines.reserve(est);
  // A code column whose first chunk is mostly distinct values (an id column) is interned
  // directly from now on, into a dictionary sized for the file.
  for (std::size_t j = 0; j < k; ++j)
    if (out_.columns[j].present && out_.columns[j].spec.kind == ColumnKind::code && c.rows >= 1000 &&
        c.dicts[j].size() * 2 > c.rows) {
      direct_[j].store(true, std::memory_order_relaxed);
      out_.columns[j].dictionary.reserve(est);
    }
}

void TableBuilder::merge(Chunk& c) {
  // Errors first (so the first error thrown is the first in the source), then columns,
  // remapping chunk-local code ids to global ones.
  for (auto& e : c.errors) {
    if (!opts_.collect) throw e;
    if (out_.errors.size() < opts_.max_errors) out_.errors.push_back(std::move(e));
    else out_.truncated_errors = true;
  }
  if (opts_.collect && out_.errors.size() >= opts_.max_errors) stop_ = true;
  const std::size_t k = width();
  for (std::size_t j = 0; j < k; ++j) {
    auto& dst = out_.columns[j];
    if (!dst.present) continue;
    switch (dst.spec.kind) {
      case ColumnKind::real:
        dst.reals.insert(dst.reals.end(), c.reals[j].begin(), c.reals[j].end());
        break;
      case ColumnKind::integer:
        dst.integers.insert(dst.integers.end(), c.integers[j].begin(), c.integers[j].end());
        break;
      case ColumnKind::text:
        for (auto& s : c.texts[j]) dst.texts.push_back(std::move(s));
        break;
      case ColumnKind::id: {
        const std::uint64_t base = dst.id_text.size();
        dst.id_text.append(c.raw[j]);
        for (auto end : c.ends[j]) dst.id_ends.push_back(base + end);
        dst.id_hashes.insert(dst.id_hashes.end(), c.hashes[j].begin(), c.hashes[j].end());
        break;
      }
      case ColumnKind::code: {
        if (!c.ends[j].empty()) {
          const auto& raw = c.raw[j];
          std::uint32_t start = 0;
          for (auto end : c.ends[j]) {
            dst.codes.push_back(dst.dictionary.intern(std::string_view(raw).substr(start, end - start)));
            start = end;
          }
          break;
        }
        const auto& local = c.dicts[j];
        std::vector<std::uint32_t> remap(local.size());
        for (std::uint32_t id = 0; id < local.size(); ++id) remap[id] = dst.dictionary.intern(local.name(id));
        for (auto id : c.codes[j]) dst.codes.push_back(remap[id]);
        break;
      }
    }
  }
  out_.lines.insert(out_.lines.end(), c.lines.begin(), c.lines.end());
  out_.rows += c.rows;
  mapped_.add(c.mapped);
}

// Turns the packed text of an id column into codes and a dictionary. Uniqueness is checked by
// sorting (hash, row) pairs — sequential memory access, in parallel — instead of inserting
// every id into a hash table; only equal hashes are compared as strings. Unique ids (the
// normal case) become codes 0…n−1 over the adopted text; with duplicates the column is
// interned the ordinary way, so the loaders' duplicate checks see and report them.
void finish_id_column(LoadedColumn& col);  // table_reader.cpp

LoadedTable TableBuilder::finish(std::uint64_t bytes) {
  out_.bytes = bytes;
  for (auto& col : out_.columns)
    if (col.present && col.spec.kind == ColumnKind::id) finish_id_column(col);
  if (mapper_)
    for (auto& n : mapper_->notes(mapped_, path_)) add_input_note(std::move(n));
  return std::move(out_);
}

}  // namespace agglo::io::detail
