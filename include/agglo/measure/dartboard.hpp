// agglo::measure — is an industry's regional distribution of establishments distinguishable
// from random location? The "dartboard" test of Ellison & Glaeser (1997), on establishment
// counts.
//
// Null hypothesis (EG 1997, section I): each of the industry's N establishments chooses its
// region independently, region r with probability x_r (the reference shares: of all
// establishments, of local ones, or of population). The counts n_r are then
// Multinomial(N, x). The statistic is EG's raw geographic concentration on counts,
//
//   G = Σ_r (s_r − x_r)²,   s_r = n_r / N,
//
// i.e. EG's G with every establishment weighted 1, so the plant Herfindahl is H = 1/N and
//
//   E[G]   = (1 − Σx²) / N
//   Var[G] = (2 / N²) { [Σx² − 2Σx³ + (Σx²)²] − (1/N) [Σx² − 4Σx³ + 3(Σx²)²] }
//   γ      = (G / (1 − Σx²) − 1/N) / (1 − 1/N)     (EG's γ with H = 1/N; NaN for N = 1)
//   V      = γ (1 − Σx²) / Σx²                      (relative excess concentration)
//
// V puts γ on the scale of the regions' own concentration: if the industry's shares deviate
// from the reference multiplicatively, s_r = x_r (1 + u_r), then E[G] − (sampling part) ≈
// Σ x_r² u_r², so V ≈ the x²-weighted mean of u_r², whatever the number and sizes of the
// regions: √V is the size-weighted root-mean-square relative deviation of the industry's
// regional shares from the reference (V ≈ σ² for demand noise of relative size σ; V ≫ 1 for
// location quotients of 10 or more in a few hubs). γ itself shrinks with Σx²: on 3,000 counties
// (Σx² ≈ 0.001) a strongly clustered industry can have γ ≈ 0.001.
//
// (EG 1997's variance of G under γ = 0 with z_j = 1/N; derived again in
// docs/methods/cluster-definitions.md and checked against simulation in the unit tests.)
//
// The p-value P(G ≥ g) is computed
//   * for N ≤ exact_up_to: by Monte Carlo from the null itself (the exact finite-N law; the
//     counts are drawn with Walker's alias method), with Besag & Clifford's (1991) sequential
//     stopping: after h exceedances in k draws p = h / k, else p = (1 + exceedances) / (1 + B);
//   * above: from the asymptotic law N·G → Σ_k μ_k Z_k² (Z_k iid N(0,1), μ_k the eigenvalues
//     of diag(x) − x xᵀ, the covariance of one establishment's region indicator), by the
//     saddlepoint approximation of Kuonen (1999, Biometrika 86, 929–935) with Barndorff-
//     Nielsen's r*: P ≈ 1 − Φ(w + log(u/w) / w), w = sign(ŝ) √(2(ŝ t − K(ŝ))), u = ŝ √K''(ŝ),
//     K(s) = −½ Σ log(1 − 2 s μ_k) and K'(ŝ) = t. The cumulant generating function needs no
//     eigen-decomposition: det(I − 2s(D − x xᵀ)) = Π_r (1 − 2 s x_r) · (1 + 2s Σ_r x_r² /
//     (1 − 2 s x_r)), O(R) per evaluation.
// A two-moment (scaled χ²) approximation is not used: on county data it puts 3–10 times too
// much mass beyond the 0.1 % point (measured; docs/methods/cluster-definitions.md).
//
// Establishments in a region whose reference share is 0 are impossible under the null: p = 0.
// Complexity: O(R) to build the null; per industry O(R · 60) for the saddlepoint, or O(B · N)
// for Monte Carlo. Random draws come from core::Stream(seed, stream_id("dartboard"), item), so
// results do not depend on threads.
#pragma once

#include <cstdint>
#include <vector>

#include "agglo/core/rng.hpp"

namespace agglo::measure {

// The reference distribution x and what the test needs from it, computed once and shared by
// every industry tested against it.
class DartboardNull {
 public:
  // `weights` ≥ 0 per region (establishments, employment or population), not all 0; they are
  // normalised to shares. Usage error when every weight is 0 or one is negative / not finite.
  explicit DartboardNull(const std::vector<double>& weights);

  const std::vector<double>& shares() const { return x_; }
  std::size_t regions() const { return x_.size(); }
  double sum_x2() const { return s2_; }
  double sum_x3() const { return s3_; }
  // Largest eigenvalue of diag(x) − x xᵀ (root of the secular equation 1 = Σ x_r²/(x_r − μ)).
  double largest_eigenvalue() const { return mu_max_; }

  // K(s) = −½ log det(I − 2s(diag(x) − x xᵀ)) for s < 1 / (2 μ_max), with K'(s) and K''(s).
  double cgf(double s, double* d1 = nullptr, double* d2 = nullptr) const;

  // One region drawn with probability x_r (Walker 1977 / Vose 1991 alias method, O(1), one
  // 64-bit draw of `rng`).
  std::uint32_t draw(core::Stream& rng) const;

 private:
  std::vector<double> x_;
  double s2_ = 0, s3_ = 0, mu_max_ = 0;
  std::size_t top_ = 0;  // index of the largest share
  std::vector<double> alias_prob_;
  std::vector<std::uint32_t> alias_;
};

struct DartboardOptions {
  std::uint64_t exact_up_to = 100;  // Monte Carlo p-values for N ≤ this (0 = never)
  std::uint64_t draws = 9999;       // B, the most Monte Carlo draws
  std::uint64_t stop_after = 20;    // h of Besag–Clifford (0 = always B draws)
  std::uint64_t seed = core::Stream::default_seed;
};

struct DartboardTest {
  std::uint64_t establishments = 0;  // N
  double g = 0;                      // Σ_r (s_r − x_r)²
  double expected = 0, sd = 0;       // of G under the null, exact for this N
  double gamma = 0;                  // EG γ with H = 1/N; NaN when N ≤ 1
  double excess = 0;                 // V = γ (1 − Σx²) / Σx²; NaN when γ is
  double p = 1;                      // P(G ≥ g) under the null
  bool monte_carlo = false;          // p from simulation (else saddlepoint)
  std::uint64_t draws = 0;           // simulation draws made
  std::uint64_t exceedances = 0;     // simulated G ≥ g among them
  bool impossible = false;           // establishments where x_r = 0
};

// Tests one industry: `counts` has one entry per region of `null` (establishments, integers
// ≥ 0). `item` keys the random stream (use the industry's index). N = 0 gives p = 1.
DartboardTest dartboard_test(const DartboardNull& null, const std::vector<std::uint64_t>& counts,
                             const DartboardOptions& options, std::uint64_t item);

// P(Σ_k w_k Z_k² ≥ t) by the same saddlepoint approximation, for explicit weights w_k ≥ 0
// (used by the tests as the reference for the eigenvalue-free form). O(K) per evaluation.
double weighted_chi_square_tail(double t, const std::vector<double>& weights);

}  // namespace agglo::measure
