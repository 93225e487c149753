// Input–output analysis: coefficients, Leontief and Ghosh inverses, linkages, multipliers and
// hypothetical extraction (formulas in include/agglo/structure/input_output.hpp).
#include "agglo/structure/input_output.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "agglo/core/error.hpp"

namespace agglo::structure {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

void check_table(const IoTable& t) {
  const std::size_t n = t.size();
  if (n == 0) throw_input(ErrorCode::empty_input, "the input–output table has no industries");
  AGGLO_ASSERT(t.flows.size() == n * n && t.output.size() == n && t.final_demand.size() == n && t.value_added.size() == n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (t.z(i, j) < 0 || !std::isfinite(t.z(i, j)))
        throw_input(ErrorCode::negative_value,
                    fmt::format("the flow from {} to {} is {}: inter-industry flows must be finite and ≥ 0",
                                t.industries[i], t.industries[j], t.z(i, j)),
                    {}, "net out negative entries (subsidies, stock changes) before building the table");
  for (std::size_t j = 0; j < n; ++j)
    if (!(t.output[j] > 0) || !std::isfinite(t.output[j]))
      throw_input(ErrorCode::invalid_value,
                  fmt::format("industry {} has gross output {}: the coefficients a_ij = z_ij / x_j need x_j > 0",
                              t.industries[j], t.output[j]),
                  {}, "drop industries without output or give their output in the totals file");
}

MatrixXd coefficients(const IoTable& t) {
  const auto n = static_cast<Index>(t.size());
  MatrixXd a(n, n);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j)
      a(i, j) = t.flows[static_cast<std::size_t>(i * n + j)] / t.output[static_cast<std::size_t>(j)];
  return a;
}

// (I − A)⁻¹ by LU with partial pivoting, refusing singular, ill-conditioned or unproductive
// tables with an input error that says which.
MatrixXd leontief_inverse(const MatrixXd& a, const std::vector<std::string>& names, double min_rcond, double* rcond_out) {
  const auto n = a.rows();
  const MatrixXd m = MatrixXd::Identity(n, n) - a;
  Eigen::PartialPivLU<MatrixXd> lu(m);
  const double rc = lu.rcond();
  if (rcond_out) *rcond_out = rc;
  const VectorXd colsum = a.colwise().sum();
  Index worst = 0;
  const double max_col = colsum.maxCoeff(&worst);
  if (!(rc >= min_rcond) || !std::isfinite(rc))
    throw_input(ErrorCode::invalid_value,
                fmt::format("I − A is singular or ill-conditioned (reciprocal condition number {:.3g} < {:.3g}); the "
                            "largest column sum of A is {:.6g} ({}): an industry that uses at least as much "
                            "intermediate input as it produces has no Leontief inverse",
                            rc, min_rcond, max_col, names[static_cast<std::size_t>(worst)]),
                {}, "check the output totals (x_j must exceed the column sum of flows into j) and units");
  MatrixXd l = lu.inverse();
  // A productive table (Hawkins–Simon) has L ≥ 0; a negative entry means some column sum of A
  // exceeds 1 and the "inverse" describes no economy.
  const double tol = 1e-9 * std::max(1.0, l.cwiseAbs().maxCoeff());
  Index ni = 0, nj = 0;
  if (l.minCoeff(&ni, &nj) < -tol)
    throw_input(ErrorCode::invalid_value,
                fmt::format("the table is not productive: the Leontief inverse has a negative entry L[{},{}] = {:.6g} "
                            "(largest column sum of A {:.6g}, industry {})",
                            names[static_cast<std::size_t>(ni)], names[static_cast<std::size_t>(nj)], l(ni, nj), max_col,
                            names[static_cast<std::size_t>(worst)]),
                {}, "every industry's intermediate inputs must be less than its gross output");
  return l;
}

std::vector<double> flat(const MatrixXd& m) {
  std::vector<double> out(static_cast<std::size_t>(m.size()));
  for (Index i = 0; i < m.rows(); ++i)
    for (Index j = 0; j < m.cols(); ++j) out[static_cast<std::size_t>(i * m.cols() + j)] = m(i, j);
  return out;
}

}  // namespace

IoAnalysis analyse_io(const IoTable& t, const IoOptions& options) {
  check_table(t);
  const std::size_t n = t.size();
  const auto ni = static_cast<Index>(n);
  const MatrixXd a = coefficients(t);
  IoAnalysis r;
  r.industries = t.industries;
  r.max_column_sum = a.colwise().sum().maxCoeff();
  const MatrixXd l = leontief_inverse(a, t.industries, options.min_rcond, &r.rcond);
  // G = X̂⁻¹ L X̂ (Miller & Blair 2009 eq. 12.9): B = X̂⁻¹ A X̂, so no second inversion.
  const VectorXd x = Eigen::Map<const VectorXd>(t.output.data(), ni);
  MatrixXd g(ni, ni);
  for (Index i = 0; i < ni; ++i)
    for (Index j = 0; j < ni; ++j) g(i, j) = l(i, j) * x(j) / x(i);
  const VectorXd col_l = l.colwise().sum().transpose();
  const VectorXd row_l = l.rowwise().sum();
  const VectorXd row_g = g.rowwise().sum();
  const double mean_bl = col_l.mean(), mean_fl = row_g.mean(), mean_fll = row_l.mean();
  double total_va = 0;
  for (double v : t.value_added) total_va += v;
  r.total_output = x.sum();
  // The influence vectors (header): L β with the observed final-demand shares, and Acemoglu et
  // al.'s network-only v = (α/n)[I − (1−α)W']⁻¹ 1 (one more LU, O(n³)).
  double total_fd = 0;
  for (double f : t.final_demand) total_fd += f;
  const VectorXd beta = Eigen::Map<const VectorXd>(t.final_demand.data(), ni) / total_fd;
  const VectorXd infl = l * beta;
  r.alpha = total_va / r.total_output;
  MatrixXd wt = MatrixXd::Zero(ni, ni);  // W'(j, i) = W(i, j) = z_ji / Σ_k z_ki
  for (Index i = 0; i < ni; ++i) {
    double bought = 0;
    for (Index k = 0; k < ni; ++k) bought += t.flows[static_cast<std::size_t>(k * ni + i)];
    if (bought > 0)
      for (Index j = 0; j < ni; ++j) wt(j, i) = t.flows[static_cast<std::size_t>(j * ni + i)] / bought;
  }
  const VectorXd vnet = (MatrixXd::Identity(ni, ni) - (1.0 - r.alpha) * wt).partialPivLu().solve(VectorXd::Ones(ni)) *
                        (r.alpha / static_cast<double>(n));
  r.influence_l2 = vnet.norm();
  r.linkages.resize(n);
  r.multipliers.resize(n);
  r.extraction.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    const auto jj = static_cast<Index>(j);
    auto& k = r.linkages[j];
    k.backward = col_l(jj);
    k.forward = row_g(jj);
    k.backward_norm = k.backward / mean_bl;
    k.forward_norm = k.forward / mean_fl;
    k.forward_leontief = row_l(jj);
    k.forward_leontief_norm = k.forward_leontief / mean_fll;
    const bool b = k.backward_norm > 1, f = k.forward_norm > 1;
    k.key_sector = b && f;
    k.linkage_class = b && f ? "key" : b ? "backward" : f ? "forward" : "weak";
    auto& m = r.multipliers[j];
    m.output = col_l(jj);
    double va = 0;
    for (std::size_t i = 0; i < n; ++i) va += t.value_added[i] / t.output[i] * l(static_cast<Index>(i), jj);
    m.value_added = va;
    m.domar_weight = total_va > 0 ? t.output[j] / total_va : std::nan("");
    m.own_share = l(jj, jj) / col_l(jj);
    m.influence = total_fd != 0 ? infl(jj) : std::nan("");
    m.influence_network = vnet(jj);
    auto& e = r.extraction[j];
    // Sherman–Morrison on the rank-one change of I − A (see the header for the derivation).
    e.backward_loss = x(jj) * (col_l(jj) - 1.0) / l(jj, jj);
    e.forward_loss = x(jj) * (row_g(jj) - 1.0) / g(jj, jj);
    e.total_loss = x(jj) * col_l(jj) / l(jj, jj);
    e.backward_share = e.backward_loss / r.total_output;
    e.forward_share = e.forward_loss / r.total_output;
    e.total_share = e.total_loss / r.total_output;
  }
  if (!options.extract_set.empty()) {
    std::vector<std::size_t> members;
    for (const auto& name : options.extract_set) {
      const auto it = std::find(t.industries.begin(), t.industries.end(), name);
      if (it == t.industries.end())
        throw_usage(ErrorCode::invalid_option_value, fmt::format("--extract: industry {} is not in the table", name));
      members.push_back(static_cast<std::size_t>(it - t.industries.begin()));
    }
    r.set_extraction.push_back(extract_sectors(t, members));
  }
  if (options.keep_matrices) {
    r.a = flat(a);
    r.l = flat(l);
    r.g = flat(g);
  }
  // Consistency of the totals: x_i = Σ_j z_ij + f_i and x_j = Σ_i z_ij + v_j (1 % tolerance).
  std::size_t row_bad = 0, col_bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double rs = 0, cs = 0;
    for (std::size_t j = 0; j < n; ++j) {
      rs += t.z(i, j);
      cs += t.z(j, i);
    }
    if (std::abs(rs + t.final_demand[i] - t.output[i]) > 0.01 * t.output[i]) ++row_bad;
    if (std::abs(cs + t.value_added[i] - t.output[i]) > 0.01 * t.output[i]) ++col_bad;
  }
  if (row_bad)
    r.warnings.push_back(fmt::format("{} industries: intermediate sales + final demand differ from output by more than 1 %", row_bad));
  if (col_bad)
    r.warnings.push_back(fmt::format("{} industries: intermediate purchases + value added differ from output by more than 1 % "
                                     "(imports and taxes belong in value added, the primary-input row, for the Ghosh model)",
                                     col_bad));
  return r;
}

SetExtraction extract_sectors(const IoTable& t, const std::vector<std::size_t>& members) {
  check_table(t);
  const std::size_t n = t.size();
  const auto ni = static_cast<Index>(n);
  std::vector<bool> in(n, false);
  for (auto m : members) {
    AGGLO_ASSERT(m < n);
    in[m] = true;
  }
  const MatrixXd a = coefficients(t);
  const VectorXd x = Eigen::Map<const VectorXd>(t.output.data(), ni);
  const VectorXd f = Eigen::Map<const VectorXd>(t.final_demand.data(), ni);
  const double total = x.sum();
  SetExtraction s;
  for (auto m : members) s.members.push_back(t.industries[m]);
  // Backward: the members' columns of A set to zero; x̄ = (I − Ā)⁻¹ f with f = (I − A) x so that
  // the unextracted table reproduces x exactly.
  const VectorXd fx = x - a * x;
  MatrixXd ab = a;
  for (std::size_t j = 0; j < n; ++j)
    if (in[j]) ab.col(static_cast<Index>(j)).setZero();
  const VectorXd xb = (MatrixXd::Identity(ni, ni) - ab).partialPivLu().solve(fx);
  s.backward_loss = total - xb.sum();
  // Forward: the members' rows of B set to zero; x̄' = v'(I − B̄)⁻¹ with v' = x'(I − B).
  MatrixXd b(ni, ni);
  for (Index i = 0; i < ni; ++i)
    for (Index j = 0; j < ni; ++j) b(i, j) = t.flows[static_cast<std::size_t>(i * ni + j)] / x(i);
  const VectorXd vx = x - b.transpose() * x;
  MatrixXd bb = b;
  for (std::size_t i = 0; i < n; ++i)
    if (in[i]) bb.row(static_cast<Index>(i)).setZero();
  const VectorXd xf = (MatrixXd::Identity(ni, ni) - bb).transpose().partialPivLu().solve(vx);
  s.forward_loss = total - xf.sum();
  s.forward_output.assign(xf.data(), xf.data() + ni);
  // Total: the members removed; the others keep their final demand (f = (I − A) x).
  std::vector<Index> keep;
  for (std::size_t i = 0; i < n; ++i)
    if (!in[i]) keep.push_back(static_cast<Index>(i));
  const auto nk = static_cast<Index>(keep.size());
  double kept = 0;
  if (nk > 0) {
    MatrixXd ar(nk, nk);
    VectorXd fr(nk);
    for (Index p = 0; p < nk; ++p) {
      fr(p) = fx(keep[static_cast<std::size_t>(p)]);
      for (Index q = 0; q < nk; ++q) ar(p, q) = a(keep[static_cast<std::size_t>(p)], keep[static_cast<std::size_t>(q)]);
    }
    kept = (MatrixXd::Identity(nk, nk) - ar).partialPivLu().solve(fr).sum();
  }
  s.total_loss = total - kept;
  s.backward_share = s.backward_loss / total;
  s.forward_share = s.forward_loss / total;
  s.total_share = s.total_loss / total;
  (void)f;
  return s;
}

}  // namespace agglo::structure
