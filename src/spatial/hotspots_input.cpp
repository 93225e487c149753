// Regions and values for `agglo hotspots` from CSV files, and the dispatch to the GDAL back end
// (see include/agglo/spatial/hotspots_input.hpp).
#include "agglo/spatial/hotspots_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "agglo/core/error.hpp"
#include "agglo/io/csv_reader.hpp"
#include "agglo/io/source_header.hpp"
#include "agglo/io/table_reader.hpp"
#include "agglo/io/vector_reader.hpp"

namespace agglo::spatial {

namespace {

const std::vector<std::string> kIdCandidates = {"region", "code", "id", "fips", "geoid"};

bool has(const std::vector<std::string>& header, const std::string& name) {
  return std::find(header.begin(), header.end(), name) != header.end();
}

// The id column: the one asked for, or the first candidate in the header.
std::string pick_id(const std::vector<std::string>& header, const std::string& asked, const std::string& path) {
  if (!asked.empty()) {
    if (!has(header, asked))
      throw_input(ErrorCode::missing_column, fmt::format("no column '{}' for the region id", asked),
                  Location{path, 1, 0, asked}, fmt::format("the header is: {}", fmt::join(header, ",")));
    return asked;
  }
  for (const auto& c : kIdCandidates)
    if (has(header, c)) return c;
  throw_input(ErrorCode::missing_column, "no region id column (region, code, id, fips or geoid)", Location{path, 1, 0, {}},
              "name the column with --id");
}

void check_value_column(const std::vector<std::string>& header, const std::string& value, const std::string& path) {
  if (!has(header, value))
    throw_input(ErrorCode::missing_column, fmt::format("no column '{}' for --value", value), Location{path, 1, 0, value},
                fmt::format("the header is: {}", fmt::join(header, ",")));
}

io::ColumnSpec real_column(const std::string& name, const std::string& meaning) {
  io::ColumnSpec s;
  s.name = name;
  s.kind = io::ColumnKind::real;
  s.meaning = meaning;
  return s;
}

io::ColumnSpec text_column(const std::string& name) {
  io::ColumnSpec s;
  s.name = name;
  s.kind = io::ColumnKind::text;
  return s;
}

void check_unique(const std::vector<std::string>& ids, const std::vector<std::uint64_t>& lines, const std::string& path,
                  const std::string& column) {
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i].empty())
      throw_input(ErrorCode::wrong_type, "empty region id", Location{path, lines[i], 0, column}, "every region needs an id");
    const auto [it, fresh] = seen.emplace(ids[i], i);
    if (!fresh)
      throw_input(ErrorCode::duplicate_id,
                  fmt::format("duplicate region id '{}' (first on line {})", ids[i], lines[it->second]),
                  Location{path, lines[i], 0, column}, "each region must appear once");
  }
}

}  // namespace

HotspotRegions read_hotspot_regions(const std::string& source, const std::string& layer, const std::string& id_column,
                                    const std::vector<std::string>& value_columns) {
  if (io::is_vector_source(source)) return read_hotspot_regions_vector(source, layer, id_column, value_columns);
  std::vector<std::string> header;
  { header = io::source_header(source); }
  HotspotRegions out;
  out.source = source;
  out.id_column = pick_id(header, id_column, source);
  for (const auto& c : value_columns) check_value_column(header, c, source);
  const bool lonlat = has(header, "lon") && has(header, "lat");
  if (!lonlat && !(has(header, "x") && has(header, "y")))
    throw_input(ErrorCode::missing_column, "region coordinates are missing: expected lon,lat or x,y columns",
                Location{source, 1, 0, {}},
                "a CSV of regions gives one representative point per region; for contiguity weights give polygons "
                "(GeoPackage, GeoJSON, Shapefile…)");
  io::TableSpec spec;
  spec.what = "regions";
  spec.columns.push_back(text_column(out.id_column));
  if (lonlat) {
    auto lo = real_column("lon", "a longitude in degrees");
    lo.min = -180, lo.max = 180;
    auto la = real_column("lat", "a latitude in degrees");
    la.min = -90, la.max = 90;
    spec.columns.push_back(lo), spec.columns.push_back(la);
  } else {
    spec.columns.push_back(real_column("x", "a projected coordinate"));
    spec.columns.push_back(real_column("y", "a projected coordinate"));
  }
  std::vector<std::string> read;  // each value column once
  for (const auto& c : value_columns)
    if (c != out.id_column && std::find(read.begin(), read.end(), c) == read.end()) {
      read.push_back(c);
      spec.columns.push_back(real_column(c, fmt::format("a number (the --value column '{}')", c)));
    }
  auto t = io::read_table(source, spec);
  out.ids = std::move(t.col(out.id_column).texts);
  check_unique(out.ids, t.lines, source, out.id_column);
  out.points.geographic = lonlat;
  out.points.x = std::move(t.col(lonlat ? "lon" : "x").reals);
  out.points.y = std::move(t.col(lonlat ? "lat" : "y").reals);
  if (lonlat) out.crs = "EPSG:4326";
  for (const auto& c : value_columns) out.values.push_back(t.col(c).reals);
  if (!out.values.empty()) out.value = out.values.front();
  return out;
}

void join_hotspot_values(HotspotRegions& regions, const std::string& path, const std::string& id_column,
                         const std::vector<std::string>& value_columns) {
  std::vector<std::string> header;
  { header = io::source_header(path); }
  const std::string idc = pick_id(header, id_column, path);
  io::TableSpec spec;
  spec.what = "values";
  spec.columns.push_back(text_column(idc));
  std::vector<std::string> read;  // each value column once
  for (const auto& c : value_columns) {
    check_value_column(header, c, path);
    if (std::find(read.begin(), read.end(), c) != read.end()) continue;
    read.push_back(c);
    spec.columns.push_back(real_column(c, fmt::format("a number (the --value column '{}')", c)));
  }
  auto t = io::read_table(path, spec);
  const auto& ids = t.col(idc).texts;
  check_unique(ids, t.lines, path, idc);
  std::unordered_map<std::string, std::size_t> row;
  for (std::size_t i = 0; i < ids.size(); ++i) row.emplace(ids[i], i);
  std::vector<std::size_t> at(regions.ids.size());  // each region's row in the values table
  std::size_t unused = ids.size();
  for (std::size_t r = 0; r < regions.ids.size(); ++r) {
    const auto it = row.find(regions.ids[r]);
    if (it == row.end())
      throw_input(ErrorCode::unknown_reference,
                  fmt::format("region '{}' of {} has no row in the values table", regions.ids[r], regions.source),
                  Location{path, 0, 0, idc}, "give every region a value (rows for other regions are ignored)");
    at[r] = it->second;
    --unused;
  }
  regions.values.clear();
  for (const auto& c : value_columns) {
    const auto& v = t.col(c).reals;
    std::vector<double> out(regions.ids.size());
    for (std::size_t r = 0; r < out.size(); ++r) out[r] = v[at[r]];
    regions.values.push_back(std::move(out));
  }
  regions.value = regions.values.empty() ? std::vector<double>{} : regions.values.front();
  if (unused > 0)
    regions.warnings.push_back(fmt::format("{} rows of {} name no region of {} and were ignored", unused, path, regions.source));
}

#ifndef AGGLO_HAVE_GDAL
HotspotRegions read_hotspot_regions_vector(const std::string& source, const std::string&, const std::string&,
                                           const std::vector<std::string>&) {
  throw_usage(ErrorCode::unsupported_format, fmt::format("{} is a vector source, but agglo was built without GDAL", source),
              "give regions as a CSV with lon,lat or x,y, or rebuild with -DAGGLO_WITH_GDAL=ON");
}
#endif

}  // namespace agglo::spatial
