// Getis–Ord G*_i against the dense definition (Ord & Getis 1995, eq. 14) with binary and
// row-standardised weights including self, and against spdep::localG(include.self) on the US
// counties (to 1e-10).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "agglo/spatial/getis.hpp"
#include "agglo/spatial/weights_contiguity.hpp"
#include "agglo/spatial/weights_distance.hpp"
#include "test_hotspots_reference.hpp"

using namespace agglo;
using namespace agglo::spatial;
using namespace agglo::test_hotspots;

TEST(HotspotsGetis, GiStarMatchesDenseDefinitionForBinaryAndRowWeights) {
  std::mt19937_64 g(7);
  std::uniform_real_distribution<double> u(0, 1);
  PointSet p;
  std::vector<double> x;
  const std::size_t n = 50;
  for (std::size_t i = 0; i < n; ++i) p.x.push_back(u(g)), p.y.push_back(u(g)), x.push_back(10 * u(g));
  const auto w = distance_band_weights(p, 0.2);
  const auto gs = getis_ord_star(x, w);
  double mean = 0, s2 = 0;
  for (double v : x) mean += v;
  mean /= n;
  for (double v : x) s2 += (v - mean) * (v - mean);
  s2 /= n;
  for (bool row : {false, true}) {
    for (std::size_t i = 0; i < n; ++i) {
      // w*_ij with self, either 1 or 1/(k_i + 1).
      const double k = static_cast<double>(w.cardinality(i));
      const double wij = row ? 1.0 / (k + 1) : 1.0;
      double lag = wij * x[i], W = wij, S1 = wij * wij;
      for (std::size_t e = w.offset[i]; e < w.offset[i + 1]; ++e) lag += wij * x[w.neighbour[e]], W += wij, S1 += wij * wij;
      const double G = (lag - mean * W) / std::sqrt(s2 * (n * S1 - W * W) / (n - 1));
      EXPECT_NEAR(gs.z[i], G, 1e-12) << i << (row ? " row" : " binary");
    }
  }
}

TEST(HotspotsGetis, GiStarEqualsSpdepLocalGOnUsCounties) {
  const auto c = counties();
  auto ref = read_csv(reference("local_queen_row.csv"));
  std::vector<double> x(c.ids.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = num(ref["x"][i]);
  const auto w = contiguity_weights(c.polygons, Contiguity::queen, 1.4901161193847656e-08);
  const auto gs = getis_ord_star(x, w);
  double worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double r = num(ref["gstar"][i]);
    EXPECT_NEAR(gs.z[i], r, 1e-10 * std::max(1.0, std::fabs(r))) << c.ids[i];
    worst = std::max(worst, std::fabs(gs.z[i] - r));
  }
  RecordProperty("max_abs_diff", std::to_string(worst));
}
