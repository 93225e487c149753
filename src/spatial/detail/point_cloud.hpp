// The point set a nanoflann kd-tree indexes in the spatial module (HDBSCAN's core distances and
// Borůvka tree, k-nearest-neighbour and distance-band spatial weights): rows of 3 doubles,
// (x, y, 0) for projected points and the unit vector geo::unit_vector(lon, lat) for lon/lat
// points, so that the tree's Euclidean metric is the chord, a monotone function of great-circle
// distance. nanoflann reads the points through the three kdtree_get_* members (its "dataset
// adaptor" interface); the bounding box is left to nanoflann to compute.
#pragma once

#include <tbb/parallel_for.h>

#include <array>
#include <cstddef>
#include <vector>

#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"

namespace agglo::spatial::detail {

struct PointCloud {
  std::vector<std::array<double, 3>> pt;
  std::size_t kdtree_get_point_count() const { return pt.size(); }
  double kdtree_get_pt(std::size_t i, std::size_t d) const { return pt[i][d]; }
  template <class BBox>
  bool kdtree_get_bbox(BBox&) const { return false; }
};

inline PointCloud make_point_cloud(const std::vector<double>& x, const std::vector<double>& y, bool geographic) {
  AGGLO_ASSERT(x.size() == y.size());
  PointCloud c;
  c.pt.resize(x.size());
  tbb::parallel_for(std::size_t(0), x.size(), [&](std::size_t i) {
    c.pt[i] = geographic ? geo::unit_vector(x[i], y[i]) : std::array<double, 3>{x[i], y[i], 0.0};
  });
  return c;
}

}  // namespace agglo::spatial::detail
