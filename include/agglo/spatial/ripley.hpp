// agglo::spatial — Ripley's K and L functions (Ripley 1976, "The second-order analysis of
// stationary point processes", Journal of Applied Probability 13:255–266; Ripley 1977, JRSS B
// 39:172–212) on a rectangular window, with the three edge corrections exactly as spatstat's
// Kest (Baddeley, Rubak & Turner 2015, "Spatial Point Patterns: Methodology and Applications
// with R", §7.4) defines them. n points in a window W of area |W|, λ = n/|W|, evaluation
// distances r_k = k·Δ, d_ij the Euclidean distances; sums over ORDERED pairs i ≠ j:
//
//   border (reduced sample, spatstat's "border"): with b_i the distance from point i to the
//     window's boundary, only points at least r inside the window are centres,
//       K_bord(r) = Σ_i Σ_j 1[d_ij ≤ r, b_i ≥ r] / (λ · #{i : b_i ≥ r})
//     (checked against Kest's output to the last digit; NaN when no point is r inside);
//   translation (Ohser & Stoyan 1981): e_ij = |W| / |W ∩ (W + x_j − x_i)| = ab / ((a − |Δx|)(b − |Δy|))
//     for an a×b rectangle, capped at 100 (spatstat.options("maxedgewt")),
//       K_trans(r) = |W| / (n(n−1)) · Σ_{d_ij ≤ r} e_ij,  NaN for r ≥ min(a, b);
//   isotropic (Ripley 1977): e_ij = 1 / (fraction of the circle of centre x_i and radius d_ij
//     inside W), capped at 100 (edge.Ripley's maxweight), K_iso as K_trans, NaN for r ≥ half
//     the window's diagonal (spatstat uses boundingradius(W), which it approximates on pixels).
// For a rectangle the outside arc is, with distances dL, dR, dD, dU to the four sides and
// a_s = acos(d_s/r) when d_s < r (else 0): 2(aL + aR + aD + aU) − Σ_corners max(0, a_1 + a_2 − π/2)
// (two adjacent arcs overlap exactly when that corner is inside the circle).
//   K_theo(r) = π r²;  L(r) = √(K(r)/π) (spatstat's Lest).
// Pairs come from geo::PairGrid with radius r_max: O(n) memory, parallel and deterministic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "agglo/spatial/envelope.hpp"

namespace agglo::spatial {

struct RectWindow {
  double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
  double width() const { return xmax - xmin; }
  double height() const { return ymax - ymin; }
  double area() const { return width() * height(); }
};

struct RipleyK {
  std::vector<double> distance, theo, border, translation, isotropic;
};

// K with the three corrections at r_k = k·rmax/(points−1). Points must lie in the window.
RipleyK ripley_k(const std::vector<double>& x, const std::vector<double>& y, const RectWindow& w,
                 double rmax, std::size_t points);
// The same by an O(n²) loop over ordered pairs (tests).
RipleyK ripley_k_bruteforce(const std::vector<double>& x, const std::vector<double>& y, const RectWindow& w,
                            double rmax, std::size_t points);
// Ripley's isotropic edge weight of a circle of centre (x, y) and radius r (capped at 100).
double ripley_isotropic_weight(double x, double y, double r, const RectWindow& w);

enum class RipleyCorrection { border, translation, isotropic };

struct RipleyEnvelope {
  Bands k, l;   // bands of K and of L for the chosen correction
  bool root = true;
};

// CSR envelopes: simulation s draws n uniform points in the window from the stream
// (seed, "ripley", s); bands as envelope_bands (local α and 1−α quantiles, DO global bands).
RipleyEnvelope ripley_envelope(std::size_t n, const RectWindow& w, double rmax, std::size_t points,
                               RipleyCorrection c, std::size_t simulations, double alpha, std::uint64_t seed);

}  // namespace agglo::spatial
