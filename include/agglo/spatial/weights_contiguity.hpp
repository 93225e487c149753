// agglo::spatial — contiguity weights of polygons (queen and rook), as spdep::poly2nb builds
// them (Bivand, Pebesma & Gómez-Rubio 2013, "Applied Spatial Data Analysis with R", ch. 9;
// the rule goes back to the chess-move contiguities of Cliff & Ord 1981, §1.5).
//
// Two regions are neighbours when their boundaries share vertices, compared with a snap
// tolerance: vertices p of A and q of B are shared when |p − q| ≤ snap (Euclidean, in the
// polygons' own coordinates — degrees for lon/lat layers; spdep's default snap is
// sqrt(machine epsilon) ≈ 1.49e-8, which matches only identical vertices as topologically
// clean data such as TopoJSON or a GeoPackage built from it has).
//   queen: at least one shared vertex pair (boundaries touch in a point or more);
//   rook:  at least two shared vertex pairs (poly2nb's rule; two shared boundary points
//          usually mean a shared edge, though a pair of distant touching points also counts).
// Vertices are taken once per region (repeated ring-closing vertices and vertices on two rings
// of the same region are counted once), so a single touching point never becomes a rook link.
//
// Algorithm: every vertex of every region goes into one list sorted by its snap-grid cell; a
// vertex is compared only with the vertices in its own and the 8 surrounding cells, so the
// cost is O(V log V) for V vertices in total, whatever the number of regions (no O(n²) region
// pairs, no bounding-box loop; the grid cell is the finest bounding box there is).
// contiguity_bruteforce() compares every pair of regions and every pair of their vertices —
// the O(n² · v²) reference the tests check against.
#pragma once

#include <cstdint>
#include <vector>

#include "agglo/spatial/weights.hpp"

namespace agglo::spatial {

// Polygon boundaries as vertex lists: region r has vertices [offset[r], offset[r+1]) of x, y
// (all rings of all its parts, in any order; duplicates allowed).
struct PolygonVertices {
  std::vector<std::size_t> offset{0};
  std::vector<double> x, y;
  std::size_t size() const { return offset.size() - 1; }
  void add_vertex(double vx, double vy) { x.push_back(vx), y.push_back(vy); }
  void end_region() { offset.push_back(x.size()); }
};

enum class Contiguity : std::uint8_t { queen, rook };

// Binary contiguity weights. snap ≥ 0 (0 = exact equality).
SpatialWeights contiguity_weights(const PolygonVertices& p, Contiguity rule, double snap);

// The same by comparing all pairs (small inputs only).
SpatialWeights contiguity_bruteforce(const PolygonVertices& p, Contiguity rule, double snap);

}  // namespace agglo::spatial
