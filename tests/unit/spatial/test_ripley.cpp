// Ripley's K/L: agreement to 1e-10 with spatstat's Kest (border, translation, isotropic) on
// the point sets of tests/reference/spatial_distance/kest_reference.R, with edge.Ripley's
// isotropic weights, the grid path against the O(n²) loop, thread-count independence and
// the CSR envelope's MPI-free determinism.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "agglo/core/error.hpp"
#include "agglo/spatial/ripley.hpp"

using namespace agglo;
using namespace agglo::spatial;

namespace {

const std::string ref_dir = std::string(AGGLO_TEST_DATA) + "/reference/spatial_distance/";

std::vector<std::vector<double>> read_csv(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    std::vector<double> row;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ','))
      row.push_back(cell == "NA" || cell == "NaN" ? std::nan("") : std::stod(cell));
    rows.push_back(row);
  }
  return rows;
}

void expect_same(double got, double want, const std::string& what) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": spatstat gives NA, got " << got;
    return;
  }
  EXPECT_NEAR(got, want, 1e-10 * std::max(1.0, std::abs(want))) << what;
}

}  // namespace

TEST(Ripley, MatchesSpatstatKest) {
  for (const std::string name : {"unit40", "thomas", "rect25"}) {
    const auto win = read_csv(ref_dir + "kest_" + name + "_window.csv");
    const auto pts = read_csv(ref_dir + "kest_" + name + "_points.csv");
    const auto ref = read_csv(ref_dir + "kest_" + name + "_k.csv");
    ASSERT_EQ(win.size(), 1u);
    ASSERT_GT(pts.size(), 10u);
    RectWindow w{win[0][0], win[0][1], win[0][2], win[0][3]};
    std::vector<double> x, y;
    for (const auto& p : pts) x.push_back(p[0]), y.push_back(p[1]);
    const double rmax = ref.back()[0];
    const auto k = ripley_k(x, y, w, rmax, ref.size());
    std::size_t finite_iso = 0;
    for (std::size_t g = 0; g < ref.size(); ++g) {
      const std::string at = name + " r=" + std::to_string(ref[g][0]);
      expect_same(k.distance[g], ref[g][0], at + " r");
      expect_same(k.theo[g], ref[g][1], at + " theo");
      expect_same(k.border[g], ref[g][2], at + " border");
      expect_same(k.translation[g], ref[g][3], at + " trans");
      expect_same(k.isotropic[g], ref[g][4], at + " iso");
      finite_iso += std::isfinite(ref[g][4]) && ref[g][4] > 0;
    }
    EXPECT_GT(finite_iso, 5u) << name;  // the comparison is not vacuous
  }
}

TEST(Ripley, IsotropicWeightsMatchEdgeRipley) {
  const RectWindow w{0, 0, 1, 2};
  const auto rows = read_csv(ref_dir + "edge_ripley.csv");
  ASSERT_EQ(rows.size(), 5u);
  for (const auto& r : rows) EXPECT_NEAR(ripley_isotropic_weight(r[0], r[1], r[2], w), r[3], 1e-12);
  // by hand: a point on the middle of a long side, r smaller than every other distance:
  // half the circle is outside → weight 2
  EXPECT_NEAR(ripley_isotropic_weight(0.0, 1.0, 0.3, w), 2.0, 1e-15);
  // at a corner a quarter of the circle is inside → 4
  EXPECT_NEAR(ripley_isotropic_weight(0.0, 0.0, 0.5, w), 4.0, 1e-12);
}

TEST(Ripley, GridMatchesBruteForceAndThreads) {
  std::mt19937_64 g(5);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> x, y;
  for (int i = 0; i < 600; ++i) {
    x.push_back(3 * u(g));
    y.push_back(i % 2 ? 1 + 0.1 * u(g) : 2 * u(g));
  }
  const RectWindow w{0, 0, 3, 2};
  const auto bf = ripley_k_bruteforce(x, y, w, 0.8, 41);
  auto run = [&](int threads) {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, threads);
    return ripley_k(x, y, w, 0.8, 41);
  };
  const auto a = run(1), b = run(2);
  for (std::size_t k = 0; k < 41; ++k) {
    EXPECT_NEAR(a.border[k], bf.border[k], 1e-10 * std::max(1.0, bf.border[k]));
    EXPECT_NEAR(a.translation[k], bf.translation[k], 1e-10 * std::max(1.0, bf.translation[k]));
    EXPECT_NEAR(a.isotropic[k], bf.isotropic[k], 1e-10 * std::max(1.0, bf.isotropic[k]));
  }
  EXPECT_EQ(a.border, b.border);
  EXPECT_EQ(a.translation, b.translation);
  EXPECT_EQ(a.isotropic, b.isotropic);
}

TEST(Ripley, EnvelopeAroundCsrAndBadInput) {
  const RectWindow w{0, 0, 1, 1};
  const auto e = ripley_envelope(100, w, 0.25, 26, RipleyCorrection::isotropic, 99, 0.05, 3);
  ASSERT_TRUE(e.root);
  for (std::size_t k = 1; k < 26; ++k) {
    const double r = 0.01 * static_cast<double>(k);
    // CSR: L(r) = r lies inside the global band
    EXPECT_LE(e.l.global_lower[k], r) << r;
    EXPECT_GE(e.l.global_upper[k], r) << r;
  }
  std::vector<double> x{0.5, 0.6}, y{0.5, 1.5};
  EXPECT_THROW(ripley_k(x, y, w, 0.2, 11), Error);  // outside the window
  x = {0.5};
  y = {0.5};
  EXPECT_THROW(ripley_k(x, y, w, 0.2, 11), Error);  // one point
  x = {0.5, 0.6};
  y = {0.5, 0.6};
  EXPECT_THROW(ripley_k(x, y, w, 0.0, 11), Error);
}
