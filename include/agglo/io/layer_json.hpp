// agglo::io — one layer of a vector source (a GeoPackage workspace) as JSON text, for the
// HTTP server's /api/layers/NAME and the report's inlined data.
#pragma once

#include <string>

namespace agglo::io {

// A layer with geometry: a GeoJSON FeatureCollection (RFC 7946; coordinates in EPSG:4326,
// transformed when the layer has another CRS, rounded to `precision` decimals — 5 decimals
// of a degree is about 1 m), the attribute fields as properties. A layer without geometry:
// a JSON array of row objects {field: value}. Integers and reals stay numbers, NULL is null.
// Throws agglo::Error (input, missing_column) when there is no such layer.
// Time and memory are linear in the layer's size.
std::string layer_json(const std::string& source, const std::string& layer, int precision = 5);

}  // namespace agglo::io
