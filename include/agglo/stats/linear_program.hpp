// agglo::stats — linear programs, solved by GLPK's simplex (Makhorin, GNU Linear Programming
// Kit; Debian package libglpk-dev). GLPK stays inside src/stats/linear_program.cpp; this
// header has no third-party types.
//
//   maximise (or minimise)  cᵀx
//   subject to              row_lo_i ≤ a_iᵀx ≤ row_hi_i   (±∞ = unbounded side)
//                           col_lo_j ≤ x_j ≤ col_hi_j
#pragma once

#include <limits>
#include <string>
#include <vector>

namespace agglo::stats {

struct LinearProgram {
  static constexpr double inf = std::numeric_limits<double>::infinity();
  bool maximise = true;
  std::vector<double> objective;            // c, one per variable
  std::vector<double> col_lo, col_hi;       // default 0 ≤ x_j < ∞ when empty
  std::vector<std::vector<double>> rows;    // dense a_i, each of size objective.size()
  std::vector<double> row_lo, row_hi;       // per row
};

struct LpSolution {
  bool optimal = false;
  std::string status;      // "optimal", "infeasible", "unbounded", "failed"
  double objective = 0;
  std::vector<double> x;
};

// Solves `lp` with the primal simplex method (presolver on, messages off). O(simplex);
// for the benefit-of-the-doubt programmes here, a few dozen pivots.
LpSolution solve_lp(const LinearProgram& lp);

}  // namespace agglo::stats
