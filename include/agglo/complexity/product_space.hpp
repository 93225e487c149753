// agglo::complexity — the product space backbone (Hidalgo, Klinger, Barabási & Hausmann 2007):
// the maximum spanning tree of the proximity network (so every product is reachable along its
// strongest links) plus every link with φ ≥ `strong_min` (0.55 in the 2007 visualisation).
// Prim's algorithm on the dense φ: O(P²) time, O(P) extra memory.
#pragma once

#include <cstdint>
#include <utility>
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

// Positions for drawing the backbone: the Fruchterman–Reingold force-directed layout (1991)
// from igraph, links attracting in proportion to their proximity, 500 iterations, started
// from positions drawn from core::Stream(seed, "product-space-layout") so the same seed gives
// the same picture. Returns (x, y) per product; inactive products get NaN. O(iterations · P²)
// for the repulsion; fine for the few thousand products of a classification.
std::vector<std::pair<double, double>> backbone_layout(std::size_t products, const std::vector<bool>& active,
                                                       const std::vector<BackboneEdge>& edges, std::uint64_t seed);

}  // namespace agglo::complexity
