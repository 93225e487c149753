// agglo::data — the economy model of DESIGN.md: regions, industries, establishments,
// region × industry panels, actor networks and survey responses.
//
// Storage is structure-of-arrays with dense ids (core::Id), so the hot loops of later modules
// (pair distances, location quotients, centralities) read contiguous memory. Codes are
// interned once on ingest; `codes.name(id)` gives the original string back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/core/ids.hpp"
#include "agglo/geo/coordinates.hpp"

namespace agglo::data {

struct RegionTag {};
struct IndustryTag {};
struct EstablishmentTag {};
struct NodeTag {};
using RegionId = core::Id<RegionTag>;
using IndustryId = core::Id<IndustryTag>;
using EstablishmentId = core::Id<EstablishmentTag>;
using NodeId = core::Id<NodeTag>;

// Region levels from fine to coarse. A region's parent is one level up (county → economic area).
enum class RegionLevel : std::uint8_t { county, economic_area, metro_area, state, country, other };
std::string_view to_string(RegionLevel level);

struct Region {
  std::string code;      // e.g. county FIPS "06037"
  std::string name;
  RegionLevel level = RegionLevel::other;
  RegionId parent;       // invalid for the top level
  double lon = 0, lat = 0;  // a representative interior point, degrees (EPSG:4326)
  double area_km2 = 0;
  double population = 0;
};

// Regions with their hierarchy. Geometry, when there is any, stays in the workspace
// GeoPackage layer `regions` and is joined by code.
class RegionSet {
 public:
  RegionId add(Region r);               // code must be new (AGGLO_ASSERT)
  RegionId find(std::string_view code) const;  // invalid when unknown
  const Region& operator[](RegionId id) const { return items_[id.index()]; }
  Region& operator[](RegionId id) { return items_[id.index()]; }
  std::size_t size() const { return items_.size(); }
  const std::vector<Region>& items() const { return items_; }
  // All regions of one level, in insertion order.
  std::vector<RegionId> of_level(RegionLevel level) const;

 private:
  core::Interner codes_;
  std::vector<Region> items_;
};

// Traded industries sell across regions and concentrate; local ones serve the local market
// and follow population (Delgado, Porter & Stern 2016).
enum class IndustryKind : std::uint8_t { unknown, traded, local };
std::string_view to_string(IndustryKind kind);

struct Industry {
  std::string code;    // e.g. NAICS 2007 "336411"
  std::string title;
  IndustryId parent;   // coarser code in the classification, when known
  IndustryKind kind = IndustryKind::unknown;
  std::string cluster;  // benchmark cluster name, when known
};

class Classification {
 public:
  explicit Classification(std::string name = "") : name_(std::move(name)) {}
  IndustryId add(Industry i);
  IndustryId find(std::string_view code) const;
  const Industry& operator[](IndustryId id) const { return items_[id.index()]; }
  std::size_t size() const { return items_.size(); }
  const std::vector<Industry>& items() const { return items_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;  // "NAICS2007", "SITC2"…
  core::Interner codes_;
  std::vector<Industry> items_;
};

// Establishments, one entry per plant, structure of arrays. Optional attributes are empty
// vectors when absent, or hold NaN for a missing value.
struct Establishments {
  core::Interner ids;                  // establishment id strings
  core::Interner industry_codes;       // industry code of each establishment, interned
  core::Interner region_codes;
  std::vector<std::uint32_t> industry; // index into industry_codes
  std::vector<std::uint32_t> region;   // index into region_codes (empty if no region column)
  std::vector<double> x, y;            // lon/lat degrees or projected units (see crs)
  std::vector<double> employees;       // empty if absent
  // Optional firm attributes (DESIGN.md); each empty when its column is absent, NaN where a
  // cell is empty. founded is a year; foreign is 0/1.
  core::Interner firm_codes;
  std::vector<std::uint32_t> firm;
  std::vector<double> sales, exports, rnd, patents, founded, foreign;
  geo::CoordinateSystem crs;
  std::size_t size() const { return x.size(); }
};

// A sparse region × industry (or location × product) panel: one entry per observed cell.
struct Panel {
  core::Interner rows;   // regions / locations
  core::Interner cols;   // industries / products
  std::vector<std::uint32_t> row, col;
  std::vector<std::int32_t> year;  // empty when the panel has one period
  std::vector<double> value;       // employment or export value
  std::vector<double> establishments;  // optional
  std::vector<double> wages;           // optional
  std::size_t size() const { return value.size(); }
  bool has_years() const { return !year.empty(); }
};

// Actor network: organisations and typed, weighted ties.
struct ActorNetwork {
  core::Interner ids;
  std::vector<std::string> type, group, cluster, region;  // per node, "" when unknown
  std::vector<std::uint32_t> source, target;              // per edge, node indices
  std::vector<double> weight;                             // per edge (1 when absent)
  std::vector<std::string> edge_type, edge_level;
  bool directed = false;
  std::size_t nodes() const { return ids.size(); }
  std::size_t edges() const { return source.size(); }
};

// Where a firm finds one factor of the Porter diamond (Gjelsvik 2014).
enum class FactorLocation : std::int8_t { not_applicable = 0, regional, national, international };

// CIS-style survey, one row per responding firm.
struct Survey {
  static constexpr const char* diamond_items[6] = {"customers", "suppliers", "competitors",
                                                   "employees", "research",  "capital"};
  core::Interner ids;
  std::vector<FactorLocation> items[6];  // per diamond item, per firm
  std::vector<double> weight;            // empty when unweighted
  std::size_t size() const { return ids.size(); }
};

}  // namespace agglo::data
