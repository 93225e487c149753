// agglo::core — strong id types and the string interner.
//
// Region, industry, establishment and node codes arrive as strings ("06037", "336411"). They
// are interned once on ingest into dense 32-bit ids, so every later computation indexes plain
// arrays, and the type system stops a RegionId from being used where an IndustryId belongs.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agglo::core {

// A dense index tagged with what it indexes. Tag is an empty struct used only for the type.
template <class Tag>
struct Id {
  static constexpr std::uint32_t invalid_value = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t value = invalid_value;

  constexpr Id() = default;
  constexpr explicit Id(std::uint32_t v) : value(v) {}
  constexpr bool valid() const { return value != invalid_value; }
  constexpr std::size_t index() const { return value; }
  friend constexpr auto operator<=>(Id, Id) = default;
};

// Interns strings into ids 0, 1, 2… in order of first appearance. Lookups take a string_view
// and do not allocate; the strings live in a block arena (no allocation per string), indexed
// by a Swiss-table hash map (Abseil's flat_hash_map). Complexity: O(length) expected per call.
// Ingest of millions of unique ids spends most of its time here, hence the care.
class Interner {
 public:
  Interner();
  ~Interner();
  Interner(const Interner& other);
  Interner& operator=(const Interner& other);
  Interner(Interner&&) noexcept;
  Interner& operator=(Interner&&) noexcept;

  // The id of `code`, adding it if new.
  std::uint32_t intern(std::string_view code);
  // The id of `code`, or nullopt when it was never interned.
  std::optional<std::uint32_t> find(std::string_view code) const;
  // The string of an id; the view stays valid for the interner's lifetime.
  std::string_view name(std::uint32_t id) const;
  std::size_t size() const;
  void reserve(std::size_t n);

  // Adopts `text`, the concatenation of distinct strings ending at `ends` (exclusive offsets),
  // as ids 0…n−1 without hashing them: the lookup index is built on the first find() or
  // intern(). For columns of unique ids (checked by the caller), which are often never looked
  // up. Concurrent find()s are safe (the index is built once); intern() is never thread-safe.
  static Interner adopt_unique(std::string text, const std::vector<std::uint64_t>& ends);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace agglo::core
