// agglo::complexity — the product space backbone (Hidalgo, Klinger, Barabási & Hausmann 2007):
// the maximum spanning tree of the proximity network (so every product is reachable along its
// strongest links) plus every link with φ ≥ `strong_min` (0.55 in the 2007 visualisation).
// Prim's algorithm on the dense φ: O(P²) time, O(P) extra memory.
#pragma once

#include <cstdint>
#include <vector>

#include "agglo/data/dense_matrix.hpp"

namespace agglo::complexity {

struct BackboneEdge {
  std::uint32_t a = 0, b = 0;  // product indices, a < b
  double proximity = 0;
  bool in_tree = false;        // part of the maximum spanning tree (else a strong link)
};

// Only products with `active[p]` are nodes; a disconnected network gives a spanning forest.
std::vector<BackboneEdge> backbone(const data::DenseMatrix& phi, const std::vector<bool>& active,
                                   double strong_min = 0.55);

}  // namespace agglo::complexity
