// agglo::spatial — the M function of Marcon & Puech (2010), "Measures of the geographic
// concentration of industries: improving distance-based methods", Journal of Economic
// Geography 10(5):745–762 (see also Marcon & Puech 2017, "A typology of distance-based
// measures of spatial concentration", Regional Science and Urban Economics 62:56–67), and its
// density m (Lang, Marcon & Puech 2020, "Distance-based measures of spatial concentration:
// introducing a relative density function", Annals of Regional Science 64:243–265).
//
// M is cumulative (neighbours up to r), relative (compared with the whole economy) and
// weighted (neighbours weigh their employees). With reference industry A, neighbour industry
// B (= A for the univariate M), weights w (employees, or 1), W = Σ_all w and W_B = Σ_{j∈B} w_j:
//
//   M(r) = Σ_{i∈A} [ Σ_{j∈B, j≠i, d_ij≤r} w_j / Σ_{j≠i, d_ij≤r} w_j ]
//          / Σ_{i∈A} [ (W_B − w_i·1[i∈B]) / (W − w_i) ].
//
// M = 1 where B is as frequent around A's establishments as in the whole economy, > 1 where it
// is more frequent (concentration), < 1 less. A reference point with no neighbour within r
// (its local ratio is 0/0) is left out of both sums at that r (dbmss would return NaN there);
// M is NaN at an r where no reference point has a neighbour.
//
// The density m replaces the indicator 1[d_ij ≤ r] by a Gaussian kernel of the distance,
// reflected at 0, k(d, r) = φ((r − d)/h) + φ((r + d)/h):
//   m(r) = Σ_{i∈A} [ Σ_{j∈B, j≠i} w_j k(d_ij, r) / Σ_{j≠i} w_j k(d_ij, r) ] / (same denominator),
// with h = Silverman's rule (bw.nrd0) on the distances from A's points to their neighbours
// within the largest r (computed from a 4096-bin histogram), unless given. Pairs beyond
// r_max + 6h are ignored (their kernel weight is below φ(6) ≈ 6e-9 of the peak).
//
// Null models (whole economy kept, marks permuted over the N locations, stream
// (seed, "mfunction", s)): sites — establishments keep their employees and move to a random
// existing site (dbmss's RandomLocation, the DO null); labels — industries are permuted, the
// employees stay at their sites (dbmss's RandomLabeling).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "agglo/spatial/envelope.hpp"

namespace agglo::spatial {

enum class MNull { sites, labels };

struct MSpec {
  std::vector<double> x, y;
  std::vector<double> weight;        // employees (empty: every establishment weighs 1)
  std::vector<std::uint8_t> in_a;    // 1 for reference-industry establishments
  std::vector<std::uint8_t> in_b;    // 1 for neighbour-industry establishments (= in_a: univariate)
  bool geographic = false;
  double max_distance = 0;           // > 0
  std::size_t points = 101;
  double bandwidth = 0;              // m's kernel bandwidth; 0 = Silverman
  std::size_t simulations = 0;
  double alpha = 0.05;
  MNull null_model = MNull::sites;
  std::uint64_t seed = 0;
};

struct MResult {
  std::vector<double> distance, m, density;  // M(r) and m(r)
  Bands m_bands, density_bands;
  double bandwidth = 0;
  bool root = true;
};

MResult mfunction(const MSpec& spec);
// M and m by O(n²) loops (tests); bandwidth must be given.
MResult mfunction_bruteforce(const MSpec& spec);

}  // namespace agglo::spatial
