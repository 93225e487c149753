// The dartboard test (measure/dartboard.hpp): moments and p-values against exact enumeration
// of the multinomial, the eigenvalue-free cumulant generating function against an explicit
// determinant and eigenvalues (Jacobi), the saddlepoint against exact χ² tails and against
// simulation, calibration under the null, γ by hand, and the edge cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <vector>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/measure/dartboard.hpp"

using namespace agglo;
using measure::DartboardNull;
using measure::DartboardOptions;

namespace {

std::vector<double> normalised(std::vector<double> w) {
  double t = 0;
  for (double v : w) t += v;
  for (double& v : w) v /= t;
  return w;
}

double g_of(const std::vector<std::uint64_t>& n, const std::vector<double>& x) {
  double N = 0;
  for (auto c : n) N += static_cast<double>(c);
  double g = 0;
  for (std::size_t r = 0; r < x.size(); ++r) g += (static_cast<double>(n[r]) / N - x[r]) * (static_cast<double>(n[r]) / N - x[r]);
  return g;
}

// Every composition of N into R parts, with its multinomial probability under x.
void enumerate(std::size_t N, const std::vector<double>& x,
               const std::function<void(const std::vector<std::uint64_t>&, double)>& visit) {
  const std::size_t R = x.size();
  std::vector<std::uint64_t> n(R, 0);
  std::function<void(std::size_t, std::size_t)> rec = [&](std::size_t r, std::size_t left) {
    if (r + 1 == R) {
      n[r] = left;
      // multinomial coefficient and probability in logs
      double lp = std::lgamma(static_cast<double>(N) + 1);
      for (std::size_t k = 0; k < R; ++k)
        lp += static_cast<double>(n[k]) * std::log(x[k]) - std::lgamma(static_cast<double>(n[k]) + 1);
      visit(n, std::exp(lp));
      return;
    }
    for (std::size_t c = 0; c <= left; ++c) {
      n[r] = c;
      rec(r + 1, left - c);
    }
  };
  rec(0, N);
}

// C = diag(x) − x xᵀ.
std::vector<std::vector<double>> cov(const std::vector<double>& x) {
  const std::size_t R = x.size();
  std::vector<std::vector<double>> c(R, std::vector<double>(R));
  for (std::size_t i = 0; i < R; ++i)
    for (std::size_t j = 0; j < R; ++j) c[i][j] = (i == j ? x[i] : 0.0) - x[i] * x[j];
  return c;
}

// log det(I − 2sC) by Gaussian elimination with partial pivoting (the brute-force reference).
double log_det(const std::vector<double>& x, double s) {
  auto a = cov(x);
  const std::size_t R = x.size();
  for (std::size_t i = 0; i < R; ++i)
    for (std::size_t j = 0; j < R; ++j) a[i][j] = (i == j ? 1.0 : 0.0) - 2 * s * a[i][j];
  double ld = 0;
  for (std::size_t k = 0; k < R; ++k) {
    std::size_t p = k;
    for (std::size_t i = k + 1; i < R; ++i)
      if (std::abs(a[i][k]) > std::abs(a[p][k])) p = i;
    std::swap(a[k], a[p]);
    ld += std::log(std::abs(a[k][k]));
    for (std::size_t i = k + 1; i < R; ++i) {
      const double f = a[i][k] / a[k][k];
      for (std::size_t j = k; j < R; ++j) a[i][j] -= f * a[k][j];
    }
  }
  return ld;
}

// Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations.
std::vector<double> jacobi_eigenvalues(std::vector<std::vector<double>> a) {
  const std::size_t n = a.size();
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) off += a[i][j] * a[i][j];
    if (off < 1e-30) break;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) {
        if (std::abs(a[p][q]) < 1e-300) continue;
        const double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t k = 0; k < n; ++k) {
          const double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
  }
  std::vector<double> ev(n);
  for (std::size_t i = 0; i < n; ++i) ev[i] = a[i][i];
  return ev;
}

}  // namespace

TEST(Dartboard, GammaAndMomentsByHand) {
  // Two equal regions, four establishments. Counts (3, 1): s = (.75, .25), G = 2 · .0625 =
  // .125, 1 − Σx² = .5, γ = (.125/.5 − 1/4)/(3/4) = 0. Counts (4, 0): G = .5, γ = (1 − .25)/.75 = 1.
  const DartboardNull null({5, 5});
  DartboardOptions o;
  auto t = measure::dartboard_test(null, {3, 1}, o, 0);
  EXPECT_NEAR(t.g, 0.125, 1e-15);
  EXPECT_NEAR(t.gamma, 0.0, 1e-15);
  EXPECT_NEAR(t.expected, 0.5 / 4, 1e-15);  // (1 − Σx²)/N
  t = measure::dartboard_test(null, {4, 0}, o, 0);
  EXPECT_NEAR(t.gamma, 1.0, 1e-15);
  // P(G ≥ .5) = P(all four in one region) = 2 · (1/2)⁴ = 1/8 exactly; Monte Carlo within 4 s.e.
  o.draws = 200000;
  o.stop_after = 0;
  t = measure::dartboard_test(null, {4, 0}, o, 1);
  EXPECT_TRUE(t.monte_carlo);
  EXPECT_NEAR(t.p, 0.125, 4 * std::sqrt(0.125 * 0.875 / 200000));
  // For two regions C = x₁x₂[[1,−1],[−1,1]]: eigenvalues 0 and 2x₁x₂ = .5.
  EXPECT_NEAR(null.largest_eigenvalue(), 0.5, 1e-14);
}

TEST(Dartboard, MomentsAndPValueAgainstExactEnumeration) {
  const auto x = normalised({50, 30, 15, 5});
  const DartboardNull null({50, 30, 15, 5});
  const std::size_t N = 6;
  const std::vector<std::uint64_t> obs = {1, 1, 1, 3};  // three of six in the 5 % region
  const double g_obs = g_of(obs, x);
  double mean = 0, m2 = 0, p_exact = 0, total = 0;
  enumerate(N, x, [&](const std::vector<std::uint64_t>& n, double pr) {
    const double g = g_of(n, x);
    total += pr;
    mean += pr * g;
    m2 += pr * g * g;
    if (g >= g_obs - 1e-12) p_exact += pr;
  });
  ASSERT_NEAR(total, 1.0, 1e-12);
  DartboardOptions o;
  o.draws = 400000;
  o.stop_after = 0;
  const auto t = measure::dartboard_test(null, obs, o, 7);
  EXPECT_NEAR(t.g, g_obs, 1e-15);
  EXPECT_NEAR(t.expected, mean, 1e-14);                      // (1 − Σx²)/N
  EXPECT_NEAR(t.sd, std::sqrt(m2 - mean * mean), 1e-13);    // EG 1997's variance, H = 1/N
  EXPECT_TRUE(t.monte_carlo);
  EXPECT_EQ(t.draws, 400000u);
  std::cout << "[ exact   ] p = " << p_exact << ", Monte Carlo " << t.p << "\n";
  EXPECT_NEAR(t.p, p_exact, 4 * std::sqrt(p_exact * (1 - p_exact) / 400000) + 1e-6);
  // The same key gives the same draws.
  const auto again = measure::dartboard_test(null, obs, o, 7);
  EXPECT_EQ(again.p, t.p);
}

TEST(Dartboard, CumulantGeneratingFunctionAgainstDeterminantAndEigenvalues) {
  for (const auto& w : {std::vector<double>{40, 25, 12, 9, 6, 5, 3}, std::vector<double>{30, 30, 20, 20},
                        std::vector<double>{97, 1, 1, 1}, std::vector<double>{10, 0, 5, 0, 1}}) {
    const auto x = normalised(w);
    const DartboardNull null(w);
    const auto ev = jacobi_eigenvalues(cov(x));
    const double mu = *std::max_element(ev.begin(), ev.end());
    EXPECT_NEAR(null.largest_eigenvalue(), mu, 1e-13);
    const double s_max = 0.5 / mu;
    for (double s : {-5.0, -0.3, 0.0, 0.2 * s_max, 0.7 * s_max, 0.99 * s_max, 0.99999 * s_max}) {
      double d1 = 0, d2 = 0;
      const double k = null.cgf(s, &d1, &d2);
      EXPECT_NEAR(k, -0.5 * log_det(x, s), 1e-9 * std::max(1.0, std::abs(k))) << s;
      // derivatives against the eigenvalue form Σ μ/(1 − 2sμ), Σ 2μ²/(1 − 2sμ)²
      double e1 = 0, e2 = 0;
      for (double m : ev) {
        e1 += m / (1 - 2 * s * m);
        e2 += 2 * m * m / ((1 - 2 * s * m) * (1 - 2 * s * m));
      }
      EXPECT_NEAR(d1, e1, 1e-8 * std::max(1.0, e1)) << s;
      EXPECT_NEAR(d2, e2, 1e-7 * std::max(1.0, e2)) << s;
    }
    // The tail of N·G from the eigenvalue-free form equals the explicit-weights form.
    DartboardOptions o;
    o.exact_up_to = 0;
    std::vector<std::uint64_t> n(x.size());
    for (std::size_t r = 0; r < x.size(); ++r) n[r] = static_cast<std::uint64_t>(std::round(200 * x[r]));
    n[x.size() - 1] += 12;
    const auto t = measure::dartboard_test(null, n, o, 0);
    double N = 0;
    for (auto c : n) N += static_cast<double>(c);
    std::vector<double> pos;
    for (double m : ev)
      if (m > 1e-14) pos.push_back(m);
    EXPECT_NEAR(t.p, measure::weighted_chi_square_tail(N * t.g, pos), 1e-9 + 1e-6 * t.p);
  }
}

TEST(Dartboard, SaddlepointAgainstExactChiSquareTails) {
  // w·χ²_k with k even has the exact tail e^{−y} Σ_{j<k/2} y^j / j!, y = t/(2w); k = 1:
  // erfc(√(t/2w)). The r* saddlepoint's relative error shrinks with the number of terms
  // (Kuonen 1999); the test's N·G has one term per region but one, dozens to thousands.
  auto exact_even = [](std::size_t k, double y) {
    double term = 1, sum = 0;
    for (std::size_t j = 0; j < k / 2; ++j) {
      if (j > 0) term *= y / static_cast<double>(j);
      sum += term;
    }
    return std::exp(-y) * sum;
  };
  const std::vector<std::pair<std::size_t, double>> bound = {{1, 0.13}, {2, 0.07}, {4, 0.03}, {30, 0.005}};
  for (auto [k, tol] : bound) {
    double worst = 0;
    for (double w : {0.3, 1.0, 4.0})
      for (double y : {1.0, 3.0, 8.0, 15.0, 30.0, 60.0}) {
        const double t = 2 * w * y;
        if (k == 1 && y > 30) continue;
        const double e = k == 1 ? std::erfc(std::sqrt(y)) : exact_even(k, y);
        if (!(e < 0.45) || e < 1e-200) continue;  // near the mean r* falls back to the normal
        const double a = measure::weighted_chi_square_tail(t, std::vector<double>(k, w));
        worst = std::max(worst, std::abs(a / e - 1));
      }
    std::cout << "[ spa     ] χ²_" << k << ": largest relative error " << worst << "\n";
    EXPECT_LT(worst, tol) << k;
  }
}

TEST(Dartboard, SaddlepointAgainstSimulationForLargeN) {
  // 30 regions with unequal shares, N = 400 establishments slightly over-represented in two
  // small regions: the saddlepoint p against 100,000 draws from the null.
  std::vector<double> w;
  for (int r = 0; r < 30; ++r) w.push_back(std::exp(0.15 * r));
  const DartboardNull null(w);
  const auto& x = null.shares();
  std::vector<std::uint64_t> n(30);
  std::uint64_t N = 0;
  for (int r = 0; r < 30; ++r) N += n[r] = static_cast<std::uint64_t>(std::round(385 * x[r]));
  n[0] += 20;
  n[3] += 20;
  N += 40;
  DartboardOptions spa;
  spa.exact_up_to = 0;
  const auto a = measure::dartboard_test(null, n, spa, 3);
  DartboardOptions mc;
  mc.exact_up_to = 100000;
  mc.draws = 100000;
  mc.stop_after = 0;
  const auto b = measure::dartboard_test(null, n, mc, 3);
  EXPECT_FALSE(a.monte_carlo);
  EXPECT_TRUE(b.monte_carlo);
  std::cout << "[ spa     ] N = " << N << ": saddlepoint p = " << a.p << ", simulation " << b.p << "\n";
  ASSERT_GT(b.p, 0.002);
  ASSERT_LT(b.p, 0.2);
  EXPECT_NEAR(a.p / b.p, 1.0, 0.15);
}

TEST(Dartboard, CalibratedUnderTheNull) {
  // 2,000 industries located at random (the null), on 40 regions with skewed shares: the share
  // with p ≤ α is α within binomial noise, for the Monte Carlo path (N = 20) and the
  // saddlepoint path (N = 300).
  std::vector<double> w;
  for (int r = 0; r < 40; ++r) w.push_back(std::exp(0.12 * r) * (r % 7 == 0 ? 5 : 1));
  const DartboardNull null(w);
  for (std::uint64_t N : {20u, 300u}) {
    DartboardOptions o;
    o.draws = 999;
    std::size_t below05 = 0, below01 = 0;
    const std::size_t m = 2000;
    for (std::size_t i = 0; i < m; ++i) {
      core::Stream rng(11, core::stream_id("null industry"), i);
      std::vector<std::uint64_t> n(40, 0);
      for (std::uint64_t k = 0; k < N; ++k) ++n[null.draw(rng)];
      const auto t = measure::dartboard_test(null, n, o, i);
      EXPECT_EQ(t.monte_carlo, N <= 100);
      below05 += t.p <= 0.05;
      below01 += t.p <= 0.01;
    }
    const double r05 = static_cast<double>(below05) / m, r01 = static_cast<double>(below01) / m;
    std::cout << "[ null    ] N = " << N << ": P(p ≤ .05) = " << r05 << ", P(p ≤ .01) = " << r01 << "\n";
    EXPECT_NEAR(r05, 0.05, 4 * std::sqrt(0.05 * 0.95 / m));
    EXPECT_NEAR(r01, 0.01, 4 * std::sqrt(0.01 * 0.99 / m));
  }
}

TEST(Dartboard, SequentialStoppingAndEdgeCases) {
  const DartboardNull null({10, 20, 30, 40});
  DartboardOptions o;  // stop after 20 exceedances
  // Spread exactly like the reference: G = 0, every draw exceeds it, stop at 20 of 20.
  auto t = measure::dartboard_test(null, {1, 2, 3, 4}, o, 0);
  EXPECT_EQ(t.draws, 20u);
  EXPECT_DOUBLE_EQ(t.p, 1.0);
  // No establishments: nothing to test.
  t = measure::dartboard_test(null, {0, 0, 0, 0}, o, 0);
  EXPECT_EQ(t.establishments, 0u);
  EXPECT_EQ(t.p, 1.0);
  EXPECT_TRUE(std::isnan(t.gamma));
  // One establishment: γ is undefined (H = 1).
  t = measure::dartboard_test(null, {0, 0, 1, 0}, o, 0);
  EXPECT_TRUE(std::isnan(t.gamma));
  // Establishments where the reference has none are impossible under the null.
  const DartboardNull holes({10, 0, 30, 40});
  t = measure::dartboard_test(holes, {3, 1, 3, 4}, o, 0);
  EXPECT_TRUE(t.impossible);
  EXPECT_EQ(t.p, 0.0);
  // One region holds the whole reference: G = 0 is the only outcome.
  const DartboardNull one({0, 7, 0});
  t = measure::dartboard_test(one, {0, 5, 0}, o, 0);
  EXPECT_EQ(t.p, 1.0);
  // Bad references are usage errors.
  EXPECT_THROW(DartboardNull({0, 0}), Error);
  EXPECT_THROW(DartboardNull({1, -1}), Error);
  EXPECT_THROW(DartboardNull({1, NAN}), Error);
}
