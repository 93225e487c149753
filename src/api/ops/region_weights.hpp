// The spatial weights of regions read by spatial::read_hotspot_regions, as `agglo hotspots` and
// `agglo spatial-model` build them from their options (--weights queen|rook|knn|distance, --k,
// --distance, --snap, --transform row|binary): contiguity needs polygons, knn needs more regions
// than k, and weights with no link at all are an input error. One place for both commands.
#pragma once

#include <fmt/format.h>

#include <string>

#include "agglo/core/error.hpp"
#include "agglo/spatial/hotspots_input.hpp"
#include "agglo/spatial/weights_contiguity.hpp"
#include "agglo/spatial/weights_distance.hpp"

namespace agglo::api::detail {

// Options: any struct with the fields regions, weights, k, distance, snap and transform.
template <class Options>
spatial::SpatialWeights region_weights(const spatial::HotspotRegions& reg, const Options& o) {
  const std::size_t n = reg.ids.size();
  spatial::SpatialWeights w;
  if (o.weights == "queen" || o.weights == "rook") {
    if (!reg.has_polygons)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--weights {} needs polygons, but {} has points", o.weights, o.regions),
                  "give polygons (GeoPackage, GeoJSON, Shapefile…) or use --weights knn or distance");
    w = spatial::contiguity_weights(reg.polygons, o.weights == "queen" ? spatial::Contiguity::queen : spatial::Contiguity::rook, o.snap);
  } else if (o.weights == "knn") {
    if (static_cast<std::size_t>(o.k) >= n)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--k {} needs more than {} regions ({} given)", o.k, o.k, n),
                  "k must be smaller than the number of regions");
    w = spatial::knn_weights(reg.points, static_cast<std::size_t>(o.k));
  } else {
    w = spatial::distance_band_weights(reg.points, o.distance);
  }
  spatial::transform(w, o.transform == "row" ? spatial::WeightsTransform::row : spatial::WeightsTransform::binary);
  if (w.links() == 0)
    throw_input(ErrorCode::invalid_value, fmt::format("no region of {} has a neighbour under --weights {}", o.regions, o.weights),
                Location{o.regions, 0, 0, {}},
                o.weights == "distance" ? "increase --distance" : "check the polygons share boundaries, raise --snap, or use --weights knn");
  return w;
}

}  // namespace agglo::api::detail
