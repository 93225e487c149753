// agglo::spatial — Monte-Carlo envelopes for the distance-based measures (K-density, M,
// Ripley's K/L): running the simulated counterfactual curves over threads and MPI ranks, and
// the local and global confidence bands of Duranton & Overman (2005).
//
// Simulations. Simulation s (0-based) fills one row of an S×G matrix (G = evaluation
// distances). Its random numbers come from core::Stream(seed, stream, s) only, so row s is the
// same whatever thread or MPI rank computes it. Under `mpirun -n P`, simulation s goes to rank
// s mod P (as src/simulate/experiment.cpp deals its runs); each rank runs its share on its TBB
// threads and sends its rows to rank 0, which assembles the matrix in simulation order. Rank 0
// therefore holds exactly the matrix one process would compute, byte for byte.
//
// Bands (Duranton & Overman 2005, "Testing for localization using micro-geographic data",
// Review of Economic Studies 72:1077–1106, section 4.2). With α the one-sided level (0.05 in
// DO 2005):
//   * local bands: at each distance d the α and 1−α quantiles of the S simulated values
//     (R's quantile type 7: linear interpolation between order statistics);
//   * global upper band: at each distance the k-th largest simulated value, with one k for
//     all distances, chosen as the LARGEST k such that at most ⌊α·S⌋ simulated curves are
//     strictly above the band at one distance or more. The count of crossing curves only grows
//     with k, so k is found by binary search on 1..S (k = 1, the pointwise maximum, is never
//     crossed). The global lower band is the same from below (k-th smallest). DO 2005 describe
//     exactly this: "we choose the local confidence level such that only 5 % of the simulated
//     K-densities hit the global band" (separately above and below).
// The achieved share of crossing curves and the equivalent local percentile are reported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace agglo::spatial {

struct SimulationMatrix {
  std::size_t sims = 0, cols = 0;
  std::vector<double> values;  // row-major: simulation s at [s*cols, (s+1)*cols)
  bool root = true;            // false on MPI ranks other than 0 (values empty there)
  const double* row(std::size_t s) const { return values.data() + s * cols; }
};

// Runs simulations 0..sims−1; fill(s, row) writes the G = cols values of simulation s. Dealt to
// MPI ranks (s mod size) and TBB threads; gathered on rank 0. A progress bar labelled `label`
// advances per simulation; Ctrl-C is checked before each simulation. Errors on any rank end
// the whole MPI job (mpi::abort_job).
SimulationMatrix run_simulations(std::size_t sims, std::size_t cols, const std::string& label,
                                 const std::function<void(std::size_t, double*)>& fill);

struct Bands {
  std::vector<double> local_lower, local_upper, global_lower, global_upper;
  std::size_t upper_rank = 0, lower_rank = 0;   // k of the global bands (k-th largest / smallest)
  double upper_crossing = 0, lower_crossing = 0;  // share of simulated curves crossing each global band
  // The local percentile the global bands correspond to, e.g. 99.4 and 0.6.
  double upper_percentile = 0, lower_percentile = 0;
};

// Local and global bands over columns [first, first+count) of the matrix (every column when
// count = 0). alpha in (0, 0.5). NaN simulated values (undefined at that distance) are
// ignored pointwise; a column with no finite value gets NaN bands.
Bands envelope_bands(const SimulationMatrix& m, double alpha, std::size_t first = 0, std::size_t count = 0);

// R's quantile type 7 of sorted finite values (p in [0, 1]).
double quantile7(const std::vector<double>& sorted, double p);

// ---- samples too small to be read --------------------------------------------------------------
//
// Simulations. A global band at level α keeps ⌊α·S⌋ crossing curves of S simulations, and its
// achieved level moves in steps of 1/S. Monte-Carlo tests at 5 % are conventionally run with at
// least 99 simulations (Besag & Diggle 1977; spatstat's envelope() default; Duranton & Overman
// 2005 use 1000): with fewer, the 5 % band rests on at most 4 curves, and below 20 on none (it is
// the pointwise extreme of the simulations, a level of ≈ 1/(S + 1), not 5 %).
constexpr std::size_t kMinEnvelopeSimulations = 99;
// Establishments. With fewer than 30 establishments an industry's distance distribution rests on
// fewer than 30 locations (n(n − 1)/2 < 435 pairs), the counterfactual bands are wide, and a
// localised industry is often not told from a random one; see docs/methods/spatial-distance.md
// ("Small samples") for the measured detection rates behind the threshold.
constexpr std::size_t kMinEstablishments = 30;

// A warning (empty when none) for an envelope of `simulations` (> 0) simulations at level alpha.
std::string envelope_size_warning(std::size_t simulations, double alpha);
// A warning (empty when none) for a measure ("K-density", "M function") of an industry with n
// establishments; `role` names it ("industry '3341'" or "neighbour industry '3344'").
std::string small_industry_warning(const std::string& measure, const std::string& role, std::size_t n);

}  // namespace agglo::spatial
