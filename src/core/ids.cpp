#include "agglo/core/ids.hpp"

namespace agglo::core {

std::uint32_t Interner::intern(std::string_view code) {
  if (auto it = index_.find(code); it != index_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(names_.size());
  names_.emplace_back(code);
  index_.emplace(names_.back(), id);
  return id;
}

std::optional<std::uint32_t> Interner::find(std::string_view code) const {
  if (auto it = index_.find(code); it != index_.end()) return it->second;
  return std::nullopt;
}

}  // namespace agglo::core
