// The agent-based engine; see include/agglo/simulate/agents.hpp.
#include "agglo/simulate/agents.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "agglo/core/error.hpp"
#include "agglo/io/atomic_file.hpp"

#ifndef AGGLO_VERSION
#define AGGLO_VERSION "unknown"
#endif

namespace agglo::simulate {

namespace {
Location file_location(const std::string& f) {
  Location l;
  l.file = f;
  return l;
}
}  // namespace

std::vector<std::uint32_t> activation_order(std::size_t n, std::uint64_t seed, std::uint64_t step) {
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  core::Stream rng(seed, core::stream_id("schedule"), step);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  return order;
}

std::size_t AgentStore::add_real(const std::string& name) {
  real_names_.push_back(name);
  reals_.emplace_back(size(), 0.0);
  return reals_.size() - 1;
}
std::size_t AgentStore::add_int(const std::string& name) {
  int_names_.push_back(name);
  ints_.emplace_back(size(), 0);
  return ints_.size() - 1;
}
std::size_t AgentStore::real_column(const std::string& name) const {
  for (std::size_t c = 0; c < real_names_.size(); ++c)
    if (real_names_[c] == name) return c;
  AGGLO_ASSERT(false && "no such real column");
  return 0;
}
std::size_t AgentStore::int_column(const std::string& name) const {
  for (std::size_t c = 0; c < int_names_.size(); ++c)
    if (int_names_[c] == name) return c;
  AGGLO_ASSERT(false && "no such integer column");
  return 0;
}
std::size_t AgentStore::live() const {
  std::size_t n = 0;
  for (auto a : alive_) n += a;
  return n;
}
std::size_t AgentStore::append(std::size_t n) {
  const std::size_t first = size();
  for (auto& c : reals_) c.resize(first + n, 0.0);
  for (auto& c : ints_) c.resize(first + n, 0);
  alive_.resize(first + n, 1);
  ids_.resize(first + n);
  for (std::size_t i = first; i < first + n; ++i) ids_[i] = next_id_++;
  return first;
}
void AgentStore::reserve(std::size_t n) {
  for (auto& c : reals_) c.reserve(n);
  for (auto& c : ints_) c.reserve(n);
  alive_.reserve(n);
  ids_.reserve(n);
}
void AgentStore::compact() {
  std::size_t w = 0;
  for (std::size_t i = 0; i < size(); ++i) {
    if (!alive_[i]) continue;
    if (w != i) {
      for (auto& c : reals_) c[w] = c[i];
      for (auto& c : ints_) c[w] = c[i];
      ids_[w] = ids_[i];
      alive_[w] = 1;
    }
    ++w;
  }
  for (auto& c : reals_) c.resize(w);
  for (auto& c : ints_) c.resize(w);
  alive_.resize(w);
  ids_.resize(w);
}

// ---- checkpoints ---------------------------------------------------------------------------
// Layout (little-endian, as the machine writes it): "AGGLOCKP" | u32 format | string agglo
// version | string model | u64 step | u64 seed | u64 next_id | params | extra | columns.
// Strings are u64 length + bytes; vectors are u64 count + raw elements.
namespace {
constexpr char kMagic[8] = {'A', 'G', 'G', 'L', 'O', 'C', 'K', 'P'};
constexpr std::uint32_t kFormat = 1;

struct Writer {
  std::string buf;
  template <class T>
  void pod(const T& v) { buf.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void str(const std::string& s) { pod<std::uint64_t>(s.size()); buf += s; }
  template <class T>
  void vec(const std::vector<T>& v) {
    pod<std::uint64_t>(v.size());
    buf.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
};
struct Reader {
  const std::string& buf;
  std::size_t pos = 0;
  std::string file;
  void need(std::size_t n) {
    if (pos + n > buf.size())
      throw_input(ErrorCode::invalid_value, "checkpoint is truncated", file_location(file), "write it again with --checkpoint");
  }
  template <class T>
  T pod() { need(sizeof(T)); T v; std::memcpy(&v, buf.data() + pos, sizeof v); pos += sizeof v; return v; }
  std::string str() { const auto n = pod<std::uint64_t>(); need(n); std::string s = buf.substr(pos, n); pos += n; return s; }
  template <class T>
  std::vector<T> vec() {
    const auto n = pod<std::uint64_t>();
    if (n > buf.size()) need(n);
    need(n * sizeof(T));
    std::vector<T> v(n);
    if (n) std::memcpy(v.data(), buf.data() + pos, n * sizeof(T));
    pos += n * sizeof(T);
    return v;
  }
};
}  // namespace

std::uint32_t AgentStore::format_version() { return kFormat; }

void AgentStore::save(const std::string& path, const Header& h) const {
  Writer w;
  w.buf.append(kMagic, 8);
  w.pod(kFormat);
  w.str(AGGLO_VERSION);
  w.str(h.model);
  w.pod<std::uint64_t>(h.step);
  w.pod<std::uint64_t>(h.seed);
  w.pod<std::uint64_t>(next_id_);
  w.pod<std::uint64_t>(h.params.size());
  for (const auto& [k, v] : h.params) { w.str(k); w.pod(v); }
  w.vec(h.extra);
  w.vec(alive_);
  w.vec(ids_);
  w.pod<std::uint64_t>(reals_.size());
  for (std::size_t c = 0; c < reals_.size(); ++c) { w.str(real_names_[c]); w.vec(reals_[c]); }
  w.pod<std::uint64_t>(ints_.size());
  for (std::size_t c = 0; c < ints_.size(); ++c) { w.str(int_names_[c]); w.vec(ints_[c]); }
  io::AtomicFile f(path);
  f.write(w.buf);
  f.commit();
}

AgentStore AgentStore::load(const std::string& path, Header& h, const std::string& expected_model) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_io(ErrorCode::file_not_found, "cannot open checkpoint", path, "check the path given to --resume");
  const std::string buf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Reader r{buf, 0, path};
  if (buf.size() < 8 || std::memcmp(buf.data(), kMagic, 8) != 0)
    throw_input(ErrorCode::invalid_value, "not an agglo checkpoint (bad magic bytes)", file_location(path),
                "pass a file written by agglo simulate --checkpoint");
  r.pos = 8;
  const auto format = r.pod<std::uint32_t>();
  const auto version = r.str();
  // The model (and its version) matters as much as agglo's version: a checkpoint of another
  // model version cannot be resumed whichever agglo wrote it. Both are named when both differ.
  std::string model_note;
  if (format == kFormat && !expected_model.empty()) {
    const auto saved = r.pos;
    const auto model = r.str();
    r.pos = saved;
    if (model != expected_model)
      model_note = fmt::format("checkpoint holds model '{}', this run needs '{}'{}", model, expected_model,
                               model + "-v2" == expected_model ? " (model version 1, before institutions and ties)" : "");
  }
  if (format != kFormat || version != AGGLO_VERSION)
    throw_input(ErrorCode::invalid_value,
                fmt::format("checkpoint written by agglo {} (checkpoint format {}), this is agglo {} (format {}){}",
                            version, format, AGGLO_VERSION, kFormat, model_note.empty() ? "" : "; " + model_note),
                file_location(path), "checkpoints are only valid for the agglo version that wrote them; rerun from the start");
  if (!model_note.empty())
    throw_input(ErrorCode::invalid_value, model_note, file_location(path),
                "checkpoints are only valid for the model version that wrote them; rerun from the start");
  AgentStore s;
  h.model = r.str();
  h.step = r.pod<std::uint64_t>();
  h.seed = r.pod<std::uint64_t>();
  s.next_id_ = r.pod<std::uint64_t>();
  const auto np = r.pod<std::uint64_t>();
  h.params.clear();
  for (std::uint64_t i = 0; i < np && i < buf.size(); ++i) {
    auto k = r.str();
    h.params.push_back({k, r.pod<double>()});
  }
  h.extra = r.vec<double>();
  s.alive_ = r.vec<std::uint8_t>();
  s.ids_ = r.vec<std::uint64_t>();
  const auto nr = r.pod<std::uint64_t>();
  for (std::uint64_t c = 0; c < nr && c < buf.size(); ++c) {
    s.real_names_.push_back(r.str());
    s.reals_.push_back(r.vec<double>());
  }
  const auto ni = r.pod<std::uint64_t>();
  for (std::uint64_t c = 0; c < ni && c < buf.size(); ++c) {
    s.int_names_.push_back(r.str());
    s.ints_.push_back(r.vec<std::int32_t>());
  }
  for (const auto& c : s.reals_)
    if (c.size() != s.alive_.size()) throw_input(ErrorCode::invalid_value, "checkpoint columns differ in length", file_location(path));
  for (const auto& c : s.ints_)
    if (c.size() != s.alive_.size()) throw_input(ErrorCode::invalid_value, "checkpoint columns differ in length", file_location(path));
  if (s.ids_.size() != s.alive_.size()) throw_input(ErrorCode::invalid_value, "checkpoint ids differ in length", file_location(path));
  return s;
}

// ---- neighbour search ------------------------------------------------------------------------
Neighbourhood::Lists Neighbourhood::lists() const {
  const std::size_t n = size();
  std::vector<std::vector<std::pair<std::uint32_t, double>>> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i].push_back({static_cast<std::uint32_t>(i), 0.0});
  grid_.for_each_pair([&](std::size_t i, std::size_t j, double d) {
    rows[i].push_back({static_cast<std::uint32_t>(j), d});
    rows[j].push_back({static_cast<std::uint32_t>(i), d});
  });
  Lists l;
  l.start.reserve(n + 1);
  l.start.push_back(0);
  for (auto& r : rows) {
    std::sort(r.begin(), r.end());
    for (const auto& [j, d] : r) { l.index.push_back(j); l.distance.push_back(d); }
    l.start.push_back(l.index.size());
    r = {};
  }
  return l;
}

// ---- observers -----------------------------------------------------------------------------
Observer::Observer(std::vector<std::string> names) : names_(std::move(names)), values_(names_.size()) {}

void Observer::observe(std::int64_t step, const std::vector<double>& values) {
  AGGLO_ASSERT(values.size() == names_.size());
  steps_.push_back(step);
  for (std::size_t k = 0; k < values.size(); ++k) values_[k].push_back(values[k]);
}

data::Table Observer::table() const {
  data::Table t;
  t.add_integer("step", steps_);
  for (std::size_t k = 0; k < names_.size(); ++k) t.add_real(names_[k], values_[k]);
  return t;
}

}  // namespace agglo::simulate
