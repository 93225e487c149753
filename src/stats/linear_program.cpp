#include "agglo/stats/linear_program.hpp"

#include <glpk.h>

#include <cmath>
#include <memory>

#include "agglo/core/error.hpp"

namespace agglo::stats {

namespace {
int bound_type(double lo, double hi) {
  const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
  if (has_lo && has_hi) return lo == hi ? GLP_FX : GLP_DB;
  if (has_lo) return GLP_LO;
  if (has_hi) return GLP_UP;
  return GLP_FR;
}
}  // namespace

LpSolution solve_lp(const LinearProgram& lp) {
  const int n = static_cast<int>(lp.objective.size());
  const int m = static_cast<int>(lp.rows.size());
  AGGLO_ASSERT(lp.row_lo.size() == lp.rows.size() && lp.row_hi.size() == lp.rows.size());
  std::unique_ptr<glp_prob, void (*)(glp_prob*)> p(glp_create_prob(), glp_delete_prob);
  glp_set_obj_dir(p.get(), lp.maximise ? GLP_MAX : GLP_MIN);
  if (m) glp_add_rows(p.get(), m);
  glp_add_cols(p.get(), n);
  for (int j = 0; j < n; ++j) {
    const double lo = lp.col_lo.empty() ? 0.0 : lp.col_lo[static_cast<std::size_t>(j)];
    const double hi = lp.col_hi.empty() ? LinearProgram::inf : lp.col_hi[static_cast<std::size_t>(j)];
    glp_set_col_bnds(p.get(), j + 1, bound_type(lo, hi), std::isfinite(lo) ? lo : 0.0, std::isfinite(hi) ? hi : 0.0);
    glp_set_obj_coef(p.get(), j + 1, lp.objective[static_cast<std::size_t>(j)]);
  }
  // GLPK's sparse triplets are 1-based with an unused element 0.
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0.0};
  for (int i = 0; i < m; ++i) {
    const auto& row = lp.rows[static_cast<std::size_t>(i)];
    AGGLO_ASSERT(static_cast<int>(row.size()) == n);
    const double lo = lp.row_lo[static_cast<std::size_t>(i)], hi = lp.row_hi[static_cast<std::size_t>(i)];
    glp_set_row_bnds(p.get(), i + 1, bound_type(lo, hi), std::isfinite(lo) ? lo : 0.0, std::isfinite(hi) ? hi : 0.0);
    for (int j = 0; j < n; ++j)
      if (row[static_cast<std::size_t>(j)] != 0) {
        ia.push_back(i + 1);
        ja.push_back(j + 1);
        ar.push_back(row[static_cast<std::size_t>(j)]);
      }
  }
  glp_load_matrix(p.get(), static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_ON;
  LpSolution s;
  const int rc = glp_simplex(p.get(), &parm);
  const int st = glp_get_status(p.get());
  if (rc == 0 && st == GLP_OPT) {
    s.optimal = true;
    s.status = "optimal";
  } else if (rc == GLP_ENOPFS || st == GLP_NOFEAS) {
    s.status = "infeasible";
  } else if (rc == GLP_ENODFS || st == GLP_UNBND) {
    s.status = "unbounded";
  } else {
    s.status = "failed";
  }
  s.objective = glp_get_obj_val(p.get());
  s.x.resize(static_cast<std::size_t>(n));
  for (int j = 0; j < n; ++j) s.x[static_cast<std::size_t>(j)] = glp_get_col_prim(p.get(), j + 1);
  return s;
}

}  // namespace agglo::stats
