// The Jacobian's sparse paths against brute force: ln|I − ρW| and the traces tr(B), tr(B²),
// tr(BᵀB) of B = W(I − ρW)^{-1} from a dense Gauss–Jordan inverse, on random graphs with islands,
// for the symmetric (LDLᵀ of the similar matrix, blocked kernel) and asymmetric (LU) relations,
// row-standardised and binary, at ρ on both sides of 0 and near 0 (where the kernel forms S G
// instead of (G − I)/ρ).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "agglo/core/rng.hpp"
#include "agglo/spatial/spatial_jacobian.hpp"
#include "agglo/spatial/weights.hpp"

using namespace agglo;
using namespace agglo::spatial;

namespace {

using Dense = std::vector<std::vector<double>>;

Dense dense(const SpatialWeights& w) {
  Dense a(w.n, std::vector<double>(w.n, 0.0));
  for (std::size_t i = 0; i < w.n; ++i)
    for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) a[i][w.neighbour[e]] = w.weight[e];
  return a;
}

// Inverse by Gauss–Jordan with partial pivoting; also returns ln|det|.
Dense inverse(Dense a, double& log_abs_det) {
  const std::size_t n = a.size();
  Dense inv(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) inv[i][i] = 1;
  log_abs_det = 0;
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t p = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[p][c])) p = r;
    std::swap(a[p], a[c]), std::swap(inv[p], inv[c]);
    const double d = a[c][c];
    log_abs_det += std::log(std::fabs(d));
    for (std::size_t j = 0; j < n; ++j) a[c][j] /= d, inv[c][j] /= d;
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c || a[r][c] == 0) continue;
      const double f = a[r][c];
      for (std::size_t j = 0; j < n; ++j) a[r][j] -= f * a[c][j], inv[r][j] -= f * inv[c][j];
    }
  }
  return inv;
}

// A random graph on n nodes: each node links to `k` random others (made symmetric or not), and
// the last `islands` nodes have no links at all.
SpatialWeights random_weights(std::size_t n, std::size_t k, bool symmetric, std::size_t islands, WeightsTransform t,
                              std::uint64_t seed) {
  core::Stream s(seed, core::stream_id("test/spatial_jacobian"), 0);
  std::vector<std::vector<std::uint32_t>> nb(n);
  const std::size_t m = n - islands;
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t r = 0; r < k; ++r) {
      auto j = static_cast<std::uint32_t>(s.uniform() * static_cast<double>(m));
      if (j >= m) j = static_cast<std::uint32_t>(m - 1);
      if (j == i) continue;
      nb[i].push_back(j);
      if (symmetric) nb[j].push_back(static_cast<std::uint32_t>(i));
    }
  auto w = weights_from_lists(nb);
  transform(w, t);
  return w;
}

struct Truth {
  double log_det, tr_b, tr_bb, tr_btb;
};

Truth brute_force(const SpatialWeights& w, double rho) {
  const std::size_t n = w.n;
  const Dense W = dense(w);
  Dense a(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) a[i][j] = (i == j ? 1.0 : 0.0) - rho * W[i][j];
  Truth t{};
  const Dense ai = inverse(a, t.log_det);
  Dense b(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t l = 0; l < n; ++l)
      if (W[i][l] != 0)
        for (std::size_t j = 0; j < n; ++j) b[i][j] += W[i][l] * ai[l][j];
  t.tr_b = t.tr_bb = t.tr_btb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    t.tr_b += b[i][i];
    for (std::size_t j = 0; j < n; ++j) t.tr_bb += b[i][j] * b[j][i], t.tr_btb += b[i][j] * b[i][j];
  }
  return t;
}

void check(const SpatialWeights& w, double rho, bool expect_cholesky, const std::string& what) {
  SpatialJacobian jac(w, LogDetMethod::sparse);
  EXPECT_EQ(jac.uses_cholesky(), expect_cholesky) << what;
  const Truth t = brute_force(w, rho);
  EXPECT_NEAR(jac.log_det(rho), t.log_det, 1e-10 * std::max(1.0, std::fabs(t.log_det))) << what << " rho " << rho;
  jac.factorise(rho);
  const ExactTraces e = jac.exact_traces();
  EXPECT_NEAR(e.tr_b, t.tr_b, 1e-10 * std::max(1.0, std::fabs(t.tr_b))) << what << " tr(B) rho " << rho;
  EXPECT_NEAR(e.tr_bb, t.tr_bb, 1e-10 * std::max(1.0, std::fabs(t.tr_bb))) << what << " tr(B²) rho " << rho;
  EXPECT_NEAR(e.tr_btb, t.tr_btb, 1e-10 * std::max(1.0, std::fabs(t.tr_btb))) << what << " tr(BᵀB) rho " << rho;
  // Solves: A^{-1} b and A^{-T} b against the dense inverse.
  std::vector<double> b(w.n);
  for (std::size_t i = 0; i < w.n; ++i) b[i] = std::sin(static_cast<double>(i) + 1.0);
  const auto x = jac.solve(b), xt = jac.solve_transpose(b);
  const Dense W = dense(w);
  for (std::size_t i = 0; i < w.n; ++i) {  // (I − ρW)x = b and (I − ρW)ᵀxt = b
    double r = x[i], rt = xt[i];
    for (std::size_t j = 0; j < w.n; ++j) r -= rho * W[i][j] * x[j], rt -= rho * W[j][i] * xt[j];
    EXPECT_NEAR(r, b[i], 1e-10) << what << " solve row " << i;
    EXPECT_NEAR(rt, b[i], 1e-10) << what << " transpose solve row " << i;
  }
}

}  // namespace

// 101 nodes: more than three blocks of the kernel's 32 columns, the last one partial.
TEST(SpatialJacobian, SymmetricRowStandardisedMatchesBruteForce) {
  const auto w = random_weights(101, 3, true, 4, WeightsTransform::row, 1);
  ASSERT_TRUE(w.symmetric);
  ASSERT_EQ(w.islands(), 4u);
  for (double rho : {0.6, -0.7, 0.93, 0.01, -0.03}) check(w, rho, true, "symmetric row");
}

TEST(SpatialJacobian, SymmetricBinaryMatchesBruteForce) {
  const auto w = random_weights(77, 2, true, 2, WeightsTransform::binary, 2);
  const double r = spectral_radius(w);
  for (double f : {0.5, -0.8, 0.02}) check(w, f / r, true, "symmetric binary");
}

TEST(SpatialJacobian, AsymmetricUsesLuAndMatchesBruteForce) {
  const auto w = random_weights(90, 3, false, 3, WeightsTransform::row, 3);
  ASSERT_FALSE(w.symmetric);
  for (double rho : {0.6, -0.5, 0.01}) check(w, rho, false, "asymmetric row");
}

// The traces do not depend on the number of threads (blocks are summed in a fixed order): the
// same weights give bit-identical sums whatever TBB schedules; checked by repetition.
TEST(SpatialJacobian, TracesAreReproducible) {
  const auto w = random_weights(300, 3, true, 0, WeightsTransform::row, 4);
  SpatialJacobian jac(w, LogDetMethod::sparse);
  jac.factorise(0.7);
  const ExactTraces a = jac.exact_traces();
  for (int r = 0; r < 3; ++r) {
    const ExactTraces b = jac.exact_traces();
    EXPECT_EQ(a.tr_b, b.tr_b);
    EXPECT_EQ(a.tr_bb, b.tr_bb);
    EXPECT_EQ(a.tr_btb, b.tr_btb);
  }
}
