// agglo::spatial — the K-density of Duranton & Overman (2005), "Testing for localization using
// micro-geographic data", Review of Economic Studies 72(4):1077–1106.
//
// The estimator. For a set of points with pair weights ω_ij, the K-density at distance d is
// the kernel density of the pair distances d_ij, with a Gaussian kernel φ, bandwidth h and
// reflection at 0 (Silverman 1986, §2.10) so that no mass leaks below distance 0:
//
//   K(d) = 1 / (h Σ_{i<j} ω_ij) · Σ_{i<j} ω_ij [ φ((d − d_ij)/h) + φ((d + d_ij)/h) ].
//
//   * univariate, unweighted (DO 2005 eq. 1): ω_ij = 1 over the n(n−1)/2 pairs of the
//     industry's establishments;
//   * univariate, weighted by employees (DO 2005 §5, "K-densities weighted by employment"):
//     ω_ij = e_i e_j;
//   * bivariate, industry A with neighbour industry B (DO 2005 §6, co-localisation):
//     ω_ij = 1 (or e_i e_j) when one of i, j is in A and the other in B, else 0, i.e. the
//     n_A·n_B cross pairs.
// The bandwidth is Silverman's rule of thumb as R's bw.nrd0 (the rule DO 2005 use):
// h = 0.9 · min(sd, IQR/1.34) · N^(−1/5) over the N unweighted pair distances that enter the
// estimator (all of them, also those beyond the largest evaluated distance).
//
// Binned computation (what dbmss does through R's density(), which bins too). Pair distances
// are linear-binned (each pair's weight is split between the two nearest grid points
// b·δ and (b+1)·δ in proportion to proximity, as R's density() does) on a grid whose step δ
// divides the evaluation step Δ, so the convolution with the kernel is a table look-up:
//   K(kΔ) = 1/(h W) Σ_b m_b [φ((kq − b)δ/h) + φ((kq + b)δ/h)],  q = Δ/δ.
// Linear binning preserves each pair's weight and mean position, and its error on K is
// second order: |K_binned − K_exact| ≤ (δ²/8)·max|φ''|/h³ = 0.05·δ²/h³ (relative to the
// kernel peak φ(0)/h: ≤ (δ/h)²/8). δ is chosen ≤ h/8 (a second pass over the pairs within
// the largest distance + 8h refines δ when the first pass was too coarse), so the error is
// ≤ 0.2 % of the peak, and typically far less. The bandwidth's quantiles come from the same
// histogram (error ≤ one pass-1 bin, Dmax/32768); sd from its first two moments.
// Memory is O(n + bins) per task: never a distance matrix.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace agglo::spatial {

// A point set for the estimator: coordinates, optional weights (employees; empty = every
// pair weighs 1) and, for a bivariate K-density, each point's group (0 = reference industry A,
// 1 = neighbour industry B; empty = univariate, every pair counts).
struct KdPoints {
  std::vector<double> x, y;
  std::vector<double> w;
  std::vector<std::uint8_t> group;
  bool geographic = false;
  bool weighted() const { return !w.empty(); }
  bool bivariate() const { return !group.empty(); }
};

struct KdCurve {
  std::vector<double> kd;       // K at the evaluation distances
  double bandwidth = 0;         // h
  double pairs = 0;             // N, unweighted pairs entering the estimator
  double total_weight = 0;      // Σ ω_ij
  double bin_width = 0;         // δ of the histogram the curve was computed from
  int passes = 1;               // 2 when a refining pass was needed
};

// K-density of `p` at the evaluation distances k·step, k = 0..points−1 (points ≥ 2, step > 0).
// A fixed bandwidth > 0 may be passed (0 = Silverman on this point set's pair distances).
KdCurve kd_estimate(const KdPoints& p, double step, std::size_t points, double bandwidth = 0);

// Silverman's rule as R's bw.nrd0 on an explicit list of values (tests, brute force).
double bw_nrd0(std::vector<double> values);

// The exact per-pair kernel sum (O(n²), the reference the tests compare kd_estimate against).
std::vector<double> kd_bruteforce(const KdPoints& p, double step, std::size_t points, double bandwidth);
// Pair distances entering the estimator (O(n²) memory; tests only).
std::vector<double> kd_pair_distances(const KdPoints& p);

// ---- the full Duranton–Overman test ---------------------------------------------------------

enum class KdNull { sites, labels };

struct KdSpec {
  std::vector<double> x, y;         // every establishment (the candidate sites)
  std::vector<double> employees;    // every establishment's employees (empty when unweighted)
  bool geographic = false;
  std::vector<std::size_t> reference;  // indices of industry A
  std::vector<std::size_t> neighbour;  // indices of industry B (empty: univariate)
  bool weighted = false;
  double max_distance = 0;          // 0: the median distance between all site pairs (DO)
  std::size_t points = 101;         // evaluation distances 0..max_distance
  std::size_t simulations = 1000;
  double alpha = 0.05;              // one-sided level of each band
  KdNull null_model = KdNull::sites;
  std::uint64_t seed = 0;
};

struct KdResult {
  std::vector<double> distance, kd, local_lower, local_upper, global_lower, global_upper;
  double bandwidth = 0, bin_width = 0;
  double max_distance = 0;
  bool median_default = false;       // max_distance came from the median site-pair distance
  double median_site_distance = 0;   // when computed
  double diameter = 0;               // largest distance between two sites
  // DO 2005 indices over the evaluated range (Σ_k · Δ, see docs): Γ = Σ max(K − global_upper, 0),
  // Ψ = Σ max(global_lower − K, 0) when Γ = 0 (else 0).
  double gamma = 0, psi = 0;
  bool localised = false, dispersed = false;
  double localised_from = -1, localised_to = -1;  // distances where K exceeds the global upper band
  double peak_excess_distance = -1;               // argmax of K − global_upper
  std::size_t upper_rank = 0, lower_rank = 0;
  double upper_crossing = 0, lower_crossing = 0, upper_percentile = 0, lower_percentile = 0;
  bool root = true;                  // false on MPI ranks other than 0 (nothing to write)
  std::vector<std::string> warnings;
};

// Runs the observed estimate, the counterfactual simulations (sites: the n_A (+ n_B)
// establishments, with their employees, placed on sites drawn without replacement from all
// sites; labels: n_A (+ n_B) establishments drawn without replacement from all, with their own
// employees) and the bands.
KdResult kdensity(const KdSpec& spec);

// Median of the distances between all pairs of sites, exact up to the histogram bin
// (Dmax/32768), and the largest distance; O(n) memory, parallel.
void site_distance_summary(const std::vector<double>& x, const std::vector<double>& y, bool geographic,
                           double& median, double& diameter);

}  // namespace agglo::spatial
