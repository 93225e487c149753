// agglo::core — strong id types and the string interner.
//
// Region, industry, establishment and node codes arrive as strings ("06037", "336411"). They
// are interned once on ingest into dense 32-bit ids, so every later computation indexes plain
// arrays, and the type system stops a RegionId from being used where an IndustryId belongs.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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
// and do not allocate. Complexity: O(length) expected per call.
class Interner {
 public:
  // The id of `code`, adding it if new.
  std::uint32_t intern(std::string_view code);
  // The id of `code`, or nullopt when it was never interned.
  std::optional<std::uint32_t> find(std::string_view code) const;
  const std::string& name(std::uint32_t id) const { return names_[id]; }
  std::size_t size() const { return names_.size(); }
  void reserve(std::size_t n) { index_.reserve(n); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  // A deque never moves its elements, so the string_views used as keys stay valid.
  std::deque<std::string> names_;
  std::unordered_map<std::string_view, std::uint32_t, Hash, std::equal_to<>> index_;
};

}  // namespace agglo::core
