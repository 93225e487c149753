// Co-agglomeration of industry pairs regressed on IO dependence and labour similarity, after
// Ellison, Glaeser & Kerr (2010) (include/agglo/structure/coagglomeration.hpp).
#include "agglo/structure/coagglomeration.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/stats/time_series.hpp"

namespace agglo::structure {

namespace {

constexpr std::uint64_t kPermutations = 0xe6c1;

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t m = std::min(a.size(), b.size());
  double ma = 0, mb = 0;
  for (std::size_t k = 0; k < m; ++k) {
    ma += a[k];
    mb += b[k];
  }
  ma /= static_cast<double>(m);
  mb /= static_cast<double>(m);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t k = 0; k < m; ++k) {
    sab += (a[k] - ma) * (b[k] - mb);
    saa += (a[k] - ma) * (a[k] - ma);
    sbb += (b[k] - mb) * (b[k] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

}  // namespace

CoagglomerationResult coagglomeration(const IoTable& t, const EmploymentMatrix& em,
                                      const std::vector<std::vector<double>>& occupations, std::size_t permutations,
                                      std::uint64_t seed) {
  const std::size_t n = t.size(), R = em.regions.size();
  AGGLO_ASSERT(em.industries.size() == n);
  const bool labour = !occupations.empty();
  AGGLO_ASSERT(!labour || occupations.size() == n);
  CoagglomerationResult res;
  // Industries with employment (and occupations, when the labour term is asked for).
  std::vector<std::size_t> keep;
  std::vector<double> ei(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t r = 0; r < R; ++r) ei[i] += em.at(r, i);
    if (ei[i] > 0 && (!labour || !occupations[i].empty())) keep.push_back(i);
  }
  if (keep.size() < n)
    res.warnings.push_back(fmt::format("{} industries have no employment{} and are left out of the pairs", n - keep.size(),
                                       labour ? " or no occupations" : ""));
  const std::size_t m = keep.size();
  res.industries = m;
  if (m < 4)
    throw_input(ErrorCode::invalid_value,
                fmt::format("only {} industries have employment in the regions; the co-agglomeration regression needs at least 4", m),
                {}, "give --employment with the IO table's industry codes");
  double E = 0;
  for (double v : em.region_total) E += v;
  std::vector<double> x(R);
  double hx = 0;
  for (std::size_t r = 0; r < R; ++r) {
    x[r] = em.region_total[r] / E;
    hx += x[r] * x[r];
  }
  if (!(1 - hx > 0)) throw_input(ErrorCode::invalid_value, "all employment is in one region: co-agglomeration is undefined");
  // u_ir = s_ir − x_r; Γ = U U' / (1 − Σ x²) holds γc for every pair (and is what the
  // permutations re-index).
  Eigen::MatrixXd u(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(R));
  for (std::size_t p = 0; p < m; ++p)
    for (std::size_t r = 0; r < R; ++r)
      u(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(r)) = em.at(r, keep[p]) / ei[keep[p]] - x[r];
  const Eigen::MatrixXd gamma = (u * u.transpose()) / (1 - hx);
  std::vector<double> bought(n, 0.0);
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = 0; i < n; ++i) bought[j] += t.z(i, j);
  for (std::size_t p = 0; p < m; ++p)
    for (std::size_t q = p + 1; q < m; ++q) {
      const std::size_t i = keep[p], j = keep[q];
      CoagglomerationPair c;
      c.i = i;
      c.j = j;
      c.coagglomeration = gamma(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(q));
      c.input = std::max(bought[i] > 0 ? t.z(j, i) / bought[i] : 0.0, bought[j] > 0 ? t.z(i, j) / bought[j] : 0.0);
      c.output = std::max(t.z(i, j) / t.output[i], t.z(j, i) / t.output[j]);
      c.labour = labour ? correlation(occupations[i], occupations[j]) : std::nan("");
      res.pairs.push_back(c);
    }
  // OLS with HC1 standard errors, raw and standardised.
  const std::size_t np = res.pairs.size(), k = labour ? 4 : 3;
  std::vector<std::string> names = {"const", "input", "output"};
  if (labour) names.push_back("labour");
  Eigen::MatrixXd X(static_cast<Eigen::Index>(np), static_cast<Eigen::Index>(k));
  Eigen::VectorXd y(static_cast<Eigen::Index>(np));
  for (std::size_t p = 0; p < np; ++p) {
    const auto& c = res.pairs[p];
    const auto row = static_cast<Eigen::Index>(p);
    X(row, 0) = 1;
    X(row, 1) = c.input;
    X(row, 2) = c.output;
    if (labour) X(row, 3) = c.labour;
    y(row) = c.coagglomeration;
  }
  auto fit = [&](const Eigen::MatrixXd& Xd, const Eigen::VectorXd& yd, Eigen::VectorXd& b, Eigen::VectorXd& se, double* r2) {
    const Eigen::MatrixXd xtx = Xd.transpose() * Xd;
    const Eigen::FullPivLU<Eigen::MatrixXd> lu(xtx);
    if (lu.rank() < static_cast<Eigen::Index>(k))
      throw_input(ErrorCode::invalid_value,
                  "the co-agglomeration regression is singular: input, output (and labour) shares do not vary "
                  "independently across pairs",
                  {}, "give a table with flows between more industry pairs");
    const Eigen::MatrixXd inv = lu.inverse();
    b = inv * (Xd.transpose() * yd);
    const Eigen::VectorXd e = yd - Xd * b;
    Eigen::MatrixXd meat = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
    for (Eigen::Index p = 0; p < Xd.rows(); ++p) meat += e(p) * e(p) * Xd.row(p).transpose() * Xd.row(p);
    const Eigen::MatrixXd v = inv * meat * inv * (static_cast<double>(np) / static_cast<double>(np - k));
    se = v.diagonal().cwiseSqrt();
    if (r2) {
      const double ybar = yd.mean();
      *r2 = 1 - e.squaredNorm() / (yd.array() - ybar).square().sum();
    }
    return inv;
  };
  if (np <= k) throw_input(ErrorCode::invalid_value, "too few industry pairs for the co-agglomeration regression");
  Eigen::VectorXd b, se, bs, ses;
  const Eigen::MatrixXd inv = fit(X, y, b, se, &res.r2);
  // Standardised: every variable (and γc) to mean 0, sd 1; the constant is then 0.
  Eigen::MatrixXd Xs = X;
  Eigen::VectorXd ys = y;
  auto standardise = [](Eigen::Ref<Eigen::VectorXd> col) {
    const double mean = col.mean();
    const double sd = std::sqrt((col.array() - mean).square().sum() / static_cast<double>(col.size() - 1));
    col.array() -= mean;
    if (sd > 0) col /= sd;
  };
  for (Eigen::Index c = 1; c < static_cast<Eigen::Index>(k); ++c) standardise(Xs.col(c));
  standardise(ys);
  fit(Xs, ys, bs, ses, nullptr);
  const double dof = static_cast<double>(np - k);
  for (std::size_t c = 0; c < k; ++c) {
    RegressionTerm term;
    term.term = names[c];
    const auto ci = static_cast<Eigen::Index>(c);
    term.coefficient = b(ci);
    term.std_error = se(ci);
    term.t = b(ci) / se(ci);
    term.p_value = stats::f_upper_tail(term.t * term.t, 1, dof);
    term.standardised = c == 0 ? 0.0 : bs(ci);
    term.standardised_se = c == 0 ? 0.0 : ses(ci);
    res.terms.push_back(term);
  }
  // Permutation (QAP) p-value of the input coefficient: shuffle which industry sits where (the
  // rows and columns of Γ together), keep the IO structure; b1 = c'y with c the input row of
  // (X'X)⁻¹X', so each draw is O(pairs).
  res.permutations = permutations;
  res.permutation_p = std::nan("");
  if (permutations > 0) {
    const Eigen::VectorXd c = (inv * X.transpose()).row(1).transpose();
    std::vector<std::size_t> pi(m);
    std::iota(pi.begin(), pi.end(), 0);
    core::Stream rng(seed, kPermutations);
    std::size_t extreme = 0;
    const double observed = std::abs(b(1));
    for (std::size_t d = 0; d < permutations; ++d) {
      for (std::size_t a = m - 1; a > 0; --a) std::swap(pi[a], pi[rng.below(a + 1)]);
      double b1 = 0;
      std::size_t p = 0;
      for (std::size_t a = 0; a < m; ++a)
        for (std::size_t q = a + 1; q < m; ++q, ++p)
          b1 += c(static_cast<Eigen::Index>(p)) * gamma(static_cast<Eigen::Index>(pi[a]), static_cast<Eigen::Index>(pi[q]));
      if (std::abs(b1) >= observed) ++extreme;
    }
    res.permutation_p = (1.0 + static_cast<double>(extreme)) / (1.0 + static_cast<double>(permutations));
  }
  return res;
}

}  // namespace agglo::structure
