#include "agglo/core/ids.hpp"

#include <absl/container/flat_hash_map.h>
#define XXH_INLINE_ALL  // header-only use of xxHash: the hash inlines into the lookup
#include <xxhash.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <vector>

namespace agglo::core {

namespace {
// XXH3 (xxHash 0.8) is several times faster than std::hash on the short codes and ids that
// dominate ingest, and of excellent quality for hash tables.
struct CodeHash {
  std::size_t operator()(std::string_view s) const noexcept { return XXH3_64bits(s.data(), s.size()); }
};
}  // namespace

struct Interner::Impl {
  // Strings are appended to fixed-size blocks; a block is never reallocated, so the
  // string_views used as map keys stay valid. A string longer than a block gets its own.
  static constexpr std::size_t block_size = 1 << 16;
  std::vector<std::unique_ptr<char[]>> blocks;  // small strings, packed
  std::vector<std::unique_ptr<char[]>> large;   // strings over a quarter block, one each
  std::size_t used = 0;                         // bytes used in blocks.back()
  std::string adopted;  // text of adopt_unique(), which `names` views
  std::vector<std::string_view> names;
  absl::flat_hash_map<std::string_view, std::uint32_t, CodeHash> index;
  // false after adopt_unique() until the first lookup builds the index; call_once makes
  // concurrent first find()s on a shared interner safe.
  std::atomic<bool> indexed{true};
  std::once_flag index_once;

  void ensure_index() {
    if (indexed.load(std::memory_order_acquire)) return;
    std::call_once(index_once, [this] {
      index.reserve(names.size());
      for (std::uint32_t i = 0; i < names.size(); ++i) index.emplace(names[i], i);
      indexed.store(true, std::memory_order_release);
    });
  }

  std::string_view store(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > block_size / 4) {
      large.push_back(std::make_unique<char[]>(s.size()));
      std::memcpy(large.back().get(), s.data(), s.size());
      return {large.back().get(), s.size()};
    }
    if (blocks.empty() || used + s.size() > block_size) {
      blocks.push_back(std::make_unique<char[]>(block_size));
      used = 0;
    }
    char* p = blocks.back().get() + used;
    std::memcpy(p, s.data(), s.size());
    used += s.size();
    return {p, s.size()};
  }
};

Interner::Interner() : impl_(std::make_unique<Impl>()) {}
Interner::~Interner() = default;
Interner::Interner(Interner&&) noexcept = default;
Interner& Interner::operator=(Interner&&) noexcept = default;

Interner::Interner(const Interner& other) : impl_(std::make_unique<Impl>()) {
  reserve(other.size());
  for (auto s : other.impl_->names) intern(s);
}

Interner& Interner::operator=(const Interner& other) {
  if (this != &other) {
    Interner copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Interner Interner::adopt_unique(std::string text, const std::vector<std::uint64_t>& ends) {
  Interner in;
  auto& m = *in.impl_;
  m.adopted = std::move(text);
  m.names.reserve(ends.size());
  std::uint64_t start = 0;
  for (auto end : ends) {
    m.names.emplace_back(m.adopted.data() + start, end - start);
    start = end;
  }
  m.indexed.store(false, std::memory_order_release);
  return in;
}

std::uint32_t Interner::intern(std::string_view code) {
  auto& m = *impl_;
  m.ensure_index();
  if (auto it = m.index.find(code); it != m.index.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(m.names.size());
  const auto stored = m.store(code);
  m.names.push_back(stored);
  m.index.emplace(stored, id);
  return id;
}

std::optional<std::uint32_t> Interner::find(std::string_view code) const {
  impl_->ensure_index();
  if (auto it = impl_->index.find(code); it != impl_->index.end()) return it->second;
  return std::nullopt;
}

std::string_view Interner::name(std::uint32_t id) const { return impl_->names[id]; }
std::size_t Interner::size() const { return impl_->names.size(); }
void Interner::reserve(std::size_t n) {
  impl_->index.reserve(n);
  impl_->names.reserve(n);
}

}  // namespace agglo::core
