#include "agglo/data/economy.hpp"

#include "agglo/core/error.hpp"

namespace agglo::data {

std::string_view to_string(RegionLevel level) {
  switch (level) {
    case RegionLevel::county: return "county";
    case RegionLevel::economic_area: return "economic_area";
    case RegionLevel::metro_area: return "metro_area";
    case RegionLevel::state: return "state";
    case RegionLevel::country: return "country";
    case RegionLevel::other: return "other";
  }
  return "other";
}

std::string_view to_string(IndustryKind kind) {
  switch (kind) {
    case IndustryKind::traded: return "traded";
    case IndustryKind::local: return "local";
    case IndustryKind::unknown: return "unknown";
  }
  return "unknown";
}

RegionId RegionSet::add(Region r) {
  AGGLO_ASSERT(!codes_.find(r.code));
  const auto id = codes_.intern(r.code);
  AGGLO_ASSERT(id == items_.size());
  items_.push_back(std::move(r));
  return RegionId(id);
}

RegionId RegionSet::find(std::string_view code) const {
  if (auto id = codes_.find(code)) return RegionId(*id);
  return RegionId();
}

std::vector<RegionId> RegionSet::of_level(RegionLevel level) const {
  std::vector<RegionId> out;
  for (std::size_t i = 0; i < items_.size(); ++i)
    if (items_[i].level == level) out.emplace_back(static_cast<std::uint32_t>(i));
  return out;
}

IndustryId Classification::add(Industry i) {
  AGGLO_ASSERT(!codes_.find(i.code));
  const auto id = codes_.intern(i.code);
  items_.push_back(std::move(i));
  return IndustryId(id);
}

IndustryId Classification::find(std::string_view code) const {
  if (auto id = codes_.find(code)) return IndustryId(*id);
  return IndustryId();
}

}  // namespace agglo::data
