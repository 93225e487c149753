// Moran's I: local I_i and its conditional moments, and the global I with its moments under
// normality and randomisation, against dense O(n²) formulas on small data and against spdep
// (localmoran, moran.test) on the 3,191 US counties with queen contiguity (to 1e-10).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "agglo/spatial/moran.hpp"
#include "agglo/spatial/weights_contiguity.hpp"
#include "agglo/spatial/weights_distance.hpp"
#include "test_hotspots_reference.hpp"

using namespace agglo;
using namespace agglo::spatial;
using namespace agglo::test_hotspots;

namespace {

void expect_close(double a, double b, double tol, const std::string& what) {
  if (std::isnan(b)) {
    EXPECT_TRUE(std::isnan(a)) << what;
    return;
  }
  EXPECT_NEAR(a, b, tol * std::max(1.0, std::fabs(b))) << what;
}

}  // namespace

TEST(HotspotsMoran, GlobalAndLocalMatchDenseFormulas) {
  std::mt19937_64 g(3);
  std::uniform_real_distribution<double> u(0, 1);
  PointSet p;
  std::vector<double> x;
  const std::size_t n = 40;
  for (std::size_t i = 0; i < n; ++i) p.x.push_back(u(g)), p.y.push_back(u(g)), x.push_back(std::exp(2 * u(g)));
  auto w = knn_weights(p, 5);
  transform(w, WeightsTransform::row);
  std::vector<std::vector<double>> d(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) d[i][w.neighbour[e]] = w.weight[e];
  double mean = 0;
  for (double v : x) mean += v;
  mean /= n;
  double zz = 0, cross = 0, S0 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    zz += (x[i] - mean) * (x[i] - mean);
    for (std::size_t j = 0; j < n; ++j) cross += d[i][j] * (x[i] - mean) * (x[j] - mean), S0 += d[i][j];
  }
  const auto gm = global_moran(x, w);
  EXPECT_NEAR(gm.I, n / S0 * cross / zz, 1e-13);
  EXPECT_DOUBLE_EQ(gm.expected, -1.0 / (n - 1));
  const auto lm = local_moran(x, w);
  const double m2 = zz / n;
  for (std::size_t i = 0; i < n; ++i) {
    double lag = 0, Wi = 0, W2 = 0;
    for (std::size_t j = 0; j < n; ++j) lag += d[i][j] * (x[j] - mean), Wi += d[i][j], W2 += d[i][j] * d[i][j];
    const double zi = x[i] - mean;
    EXPECT_NEAR(lm.I[i], zi / m2 * lag, 1e-12);
    EXPECT_NEAR(lm.expected[i], -zi * zi * Wi / ((n - 1) * m2), 1e-12);
    const double var = (zi / m2) * (zi / m2) * (double(n) / (n - 2)) * (W2 - Wi * Wi / (n - 1)) * (m2 - zi * zi / (n - 1));
    EXPECT_NEAR(lm.variance[i], var, 1e-12);
  }
  // Σ_i I_i = n · I · S0 / n for row weights (Anselin 1995, eq. 7: the LISA sum to the global).
  double sum = 0;
  for (double v : lm.I) sum += v;
  EXPECT_NEAR(sum / S0, gm.I, 1e-12);
}

TEST(HotspotsMoran, LocalMoranEqualsSpdepLocalmoranOnUsCounties) {
  const auto c = counties();
  auto w = contiguity_weights(c.polygons, Contiguity::queen, 1.4901161193847656e-08);
  transform(w, WeightsTransform::row);
  const auto lm = local_moran(c.value, w);
  auto ref = read_csv(reference("local_queen_row.csv"));
  ASSERT_EQ(ref["fips"].size(), c.ids.size());
  for (std::size_t i = 0; i < c.ids.size(); ++i) {
    ASSERT_EQ(ref["fips"][i], c.ids[i]);
    EXPECT_NEAR(c.value[i], num(ref["x"][i]), 1e-9);  // the value file carries 10 decimals
  }
  // The value column of the reference is the exact double R used; recompute with it.
  std::vector<double> x(c.ids.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = num(ref["x"][i]);
  const auto l2 = local_moran(x, w);
  std::size_t checked = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::string id = c.ids[i];
    expect_close(l2.I[i], num(ref["Ii"][i]), 1e-10, "Ii " + id);
    expect_close(l2.expected[i], num(ref["E_Ii"][i]), 1e-10, "E " + id);
    expect_close(l2.variance[i], num(ref["Var_Ii"][i]), 1e-10, "Var " + id);
    if (w.cardinality(i) > 0) {
      expect_close(l2.z[i], num(ref["Z_Ii"][i]), 1e-10, "Z " + id);
      expect_close(l2.p_normal[i], num(ref["P_Ii"][i]), 1e-10, "P " + id);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3191u - 3u);
}

TEST(HotspotsMoran, GlobalMoranEqualsSpdepMoranTestOnUsCounties) {
  const auto c = counties();
  auto ref = read_csv(reference("local_queen_row.csv"));
  std::vector<double> x(c.ids.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = num(ref["x"][i]);
  auto g = read_csv(reference("global_moran.csv"));
  auto q = contiguity_weights(c.polygons, Contiguity::queen, 1.4901161193847656e-08);
  const auto kp = read_hotspot_regions(reference("county_values.csv"), "", "fips", "log_area");
  auto k6 = knn_weights(kp.points, 6);
  // knn weights are on the CSV order (sorted by fips); reorder x to that order.
  std::map<std::string, double> by_id;
  for (std::size_t i = 0; i < x.size(); ++i) by_id[c.ids[i]] = x[i];
  std::vector<double> xk(kp.ids.size());
  for (std::size_t i = 0; i < xk.size(); ++i) xk[i] = by_id.at(kp.ids[i]);
  for (std::size_t r = 0; r < g["weights"].size(); ++r) {
    const std::string name = g["weights"][r];
    SpatialWeights w = name == "knn6_row" ? k6 : q;
    transform(w, name == "queen_binary" ? WeightsTransform::binary : WeightsTransform::row);
    const auto m = global_moran(name == "knn6_row" ? xk : x, w);
    expect_close(m.I, num(g["I"][r]), 1e-10, name + " I");
    expect_close(m.expected, num(g["expected"][r]), 1e-12, name + " E");
    expect_close(m.var_random, num(g["var_randomisation"][r]), 1e-10, name + " VarR");
    expect_close(m.var_normal, num(g["var_normality"][r]), 1e-10, name + " VarN");
    expect_close(m.z_random, num(g["z_randomisation"][r]), 1e-9, name + " z");
    EXPECT_NEAR(m.p_random_greater, num(g["p_greater"][r]), 1e-12) << name;
  }
}
