// agglo::spatial — spatial weights: who is a neighbour of whom, and how much each neighbour
// counts, for the region statistics of hotspots.hpp (Getis–Ord Gi*, local and global Moran).
//
// A weights object W is a sparse n × n matrix stored row by row (compressed sparse rows):
// row i lists the neighbours j of region i in ascending order with their weights w_ij. The
// diagonal is never stored (w_ii = 0: a region is not its own neighbour); Gi* adds the region
// itself explicitly (getis.hpp). Memory is O(n + number of neighbour pairs), never n × n.
//
// Builders (one file each):
//   weights_contiguity.hpp  queen / rook contiguity of polygons (shared vertices, spdep poly2nb)
//   weights_distance.hpp    k nearest neighbours and distance bands on points (centroids)
// Every builder returns binary weights (w_ij = 1); transform() turns them into row-standardised
// weights w_ij = 1 / k_i (spdep style "W", PySAL transform "R") or leaves them binary (style "B").
//
// Islands. A region without neighbours (k_i = 0) keeps an empty row. As in spdep with
// zero.policy = TRUE, its spatial lag is 0; the statistics mark it (see hotspots.hpp) and the
// global Moran's I counts n without islands (spdep adjust.n = TRUE).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace agglo::spatial {

enum class WeightsTransform : std::uint8_t { binary, row };

struct SpatialWeights {
  std::size_t n = 0;
  std::vector<std::size_t> offset;       // n + 1 entries; row i is [offset[i], offset[i+1])
  std::vector<std::uint32_t> neighbour;  // ascending within a row, never i itself
  std::vector<double> weight;            // w_ij, same layout as neighbour
  WeightsTransform transform = WeightsTransform::binary;
  bool symmetric = true;                 // neighbour relation symmetric (j ∈ N(i) ⇔ i ∈ N(j))

  std::size_t cardinality(std::size_t i) const { return offset[i + 1] - offset[i]; }
  std::size_t links() const { return neighbour.size(); }  // number of stored (i, j) pairs
  std::size_t islands() const;                             // rows with no neighbour
};

// Binary weights from neighbour lists (each list may be unsorted and contain duplicates; both are
// removed, as is i itself). `symmetric` is computed.
SpatialWeights weights_from_lists(const std::vector<std::vector<std::uint32_t>>& lists);

// Binary weights from undirected pairs (i, j), i ≠ j; both directions are stored.
SpatialWeights weights_from_pairs(std::size_t n, std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs);

// Sets w_ij = 1 (binary) or w_ij = 1 / k_i (row-standardised; islands stay empty).
void transform(SpatialWeights& w, WeightsTransform t);

// The constants of Cliff & Ord (1981) used by the moments of Moran's I:
//   S0 = Σ_i Σ_j w_ij,  S1 = ½ Σ_i Σ_j (w_ij + w_ji)²,  S2 = Σ_i (w_i· + w_·i)²
// (w_i· the row sum, w_·i the column sum). O(links · log k) time for the w_ji look-ups.
struct WeightsConstants {
  double S0 = 0, S1 = 0, S2 = 0;
};
WeightsConstants weights_constants(const SpatialWeights& w);

// y_i = Σ_j w_ij x_j (0 for islands).
std::vector<double> spatial_lag(const SpatialWeights& w, const std::vector<double>& x);

// "row" or "binary", for messages and the summary.
std::string to_string(WeightsTransform t);

}  // namespace agglo::spatial
