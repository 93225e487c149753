// agglo::io — the input files of the command-line contract (DESIGN.md, "Input schemas"),
// loaded into the data model with every check the engine relies on.
//
// Each loader either throws the first problem (strict, the default for analyses) or, with
// ReadOptions::collect, records every problem in an InputReport and returns what it could
// read (what `agglo validate` uses). Checks beyond types: duplicate ids and rows, references
// to unknown nodes, coordinate ranges, a known CRS.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "agglo/core/error.hpp"
#include "agglo/data/economy.hpp"
#include "agglo/io/table_reader.hpp"

namespace agglo::io {

struct InputReport {
  std::string kind;  // "employment", "establishments"…
  std::string path;
  std::size_t rows = 0;
  std::uint64_t bytes = 0;
  std::vector<std::pair<std::string, std::size_t>> counts;  // ("regions", 3000)…
  std::vector<std::string> warnings;
  std::vector<Error> errors;
  bool truncated = false;  // more errors existed than were kept
  bool ok() const { return errors.empty(); }
};

// The table specs, exposed so docs and tests can list the columns.
const TableSpec& employment_spec();
const TableSpec& establishments_spec();
const TableSpec& exports_spec();
const TableSpec& nodes_spec();
const TableSpec& edges_spec();
const TableSpec& responses_spec();
const TableSpec& regions_spec();
const TableSpec& industries_spec();

// region,industry,employment[,establishments,year,wages]. Duplicate region × industry (× year)
// rows are an error (duplicate_row).
data::Panel load_employment(const std::string& path, const ReadOptions& opts = {},
                            InputReport* report = nullptr);

// id,industry and lon,lat (EPSG:4326 degrees) or x,y (projected, CRS given by `crs`).
// Duplicate ids are an error (duplicate_id).
data::Establishments load_establishments(const std::string& path, const std::string& crs = "",
                                         const ReadOptions& opts = {},
                                         InputReport* report = nullptr);

// location,product,value[,year].
data::Panel load_exports(const std::string& path, const ReadOptions& opts = {},
                         InputReport* report = nullptr);

// nodes: id[,type,group,cluster,region]; edges: source,target[,weight,type,level].
data::ActorNetwork load_network(const std::string& nodes_path, const std::string& edges_path,
                                bool directed, const ReadOptions& opts = {},
                                InputReport* report = nullptr);

// id[,customers,suppliers,competitors,employees,research,capital,weight].
data::Survey load_survey(const std::string& path, const ReadOptions& opts = {},
                         InputReport* report = nullptr);

// code[,name,level,parent,lon,lat,area_km2,population]: regions and their hierarchy. Parents
// may come before or after their children but must exist (unknown_reference); levels are
// county, economic_area, metro_area, state, country or other; cycles are rejected.
data::RegionSet load_regions(const std::string& path, const ReadOptions& opts = {},
                             InputReport* report = nullptr);

// code[,title,kind,parent,cluster]: an industry classification; kind is traded, local or
// empty; parents must exist.
data::Classification load_industries(const std::string& path, const ReadOptions& opts = {},
                                     InputReport* report = nullptr);

}  // namespace agglo::io
