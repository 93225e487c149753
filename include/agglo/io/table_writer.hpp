// agglo::io — writing result tables: CSV, JSON, GeoJSON and GeoPackage, chosen by extension.
//
// Every writer goes through AtomicFile, so a result file is complete or absent.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "agglo/data/table.hpp"

namespace agglo::io {

struct NamedTable {
  std::string name;        // layer / file stem: "nodes", "eci"…
  const data::Table* table;
};

// RFC 4180 CSV with a header; reals in shortest round-trip form; quotes where needed.
void write_csv(const data::Table& table, const std::string& path);
// Appends the CSV text of a table to `out` (used by write_csv and tests).
void append_csv(const data::Table& table, std::string& out);
// Quotes a field when it contains the delimiter, a quote, or a line break.
std::string csv_escape(const std::string& field);

// A JSON document {"tables": {name: [{col: value, …}, …]}, "summary": {...}}. `summary_json`
// is already-serialised JSON (or empty).
void write_json(const std::vector<NamedTable>& tables, const std::string& summary_json,
                const std::string& path);

// Writes tables as layers of a GeoPackage (or one layer of a GeoJSON file). A table with
// `lon`,`lat` columns becomes a point layer in EPSG:4326; a table with `x`,`y` columns and a
// given CRS a point layer in that CRS; other tables are attribute-only layers.
// With `update` true, layers are added to an existing GeoPackage (replacing same-named ones)
// via a copy that is renamed into place, so the workspace is never left half-updated.
void write_vector(const std::vector<NamedTable>& tables, const std::string& path,
                  bool update = false, const std::string& crs = "EPSG:4326");

// True when this build can write GeoPackage/GeoJSON.
bool have_vector_support();

}  // namespace agglo::io

namespace agglo::io {
// Copies the polygons of `source`/`source_layer` whose `id_field` is in `keep` (all when
// empty) into the GeoPackage `gpkg` as layer `layer`, reprojected to EPSG:4326; atomic like
// write_vector. Used to put region geometry (e.g. county outlines) into a workspace.
void write_polygon_layer(const std::string& gpkg, const std::string& layer, const std::string& source,
                         const std::string& source_layer, const std::string& id_field,
                         const std::vector<std::string>& keep);
}  // namespace agglo::io
