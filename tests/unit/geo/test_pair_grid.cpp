// PairGrid (include/agglo/geo/pair_grid.hpp): every visit is checked against an O(n²) loop over
// the same exact distance — projected and lon/lat points (across the ±180° meridian and near
// both poles), radii from tiny to larger than the data's extent, duplicate points — and the
// parallel visit is checked to give identical states with 1 and 2 threads.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"
#include "agglo/geo/pair_grid.hpp"

using agglo::geo::PairGrid;

namespace {

struct Pts {
  std::vector<double> x, y;
};

// Clumped projected points with some exact duplicates.
Pts projected(std::size_t n, std::uint32_t seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(0, 100);
  std::normal_distribution<double> nd(0, 2);
  Pts p;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 7 == 3 && i > 0) {  // duplicate of an earlier point
      p.x.push_back(p.x[i / 2]);
      p.y.push_back(p.y[i / 2]);
    } else if (i % 3 == 0) {
      p.x.push_back(30 + nd(g));
      p.y.push_back(60 + nd(g));
    } else {
      p.x.push_back(u(g));
      p.y.push_back(u(g));
    }
  }
  return p;
}

// Lon/lat points straddling the antimeridian, near the north and south poles, and spread.
Pts geographic(std::size_t n, std::uint32_t seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  Pts p;
  for (std::size_t i = 0; i < n; ++i) {
    double lon, lat;
    switch (i % 4) {
      case 0: lon = 180 * (u(g) > 0 ? 1 : -1) - 0.3 * u(g); lat = 10 + 0.5 * u(g); break;  // ±180°
      case 1: lon = 180 * u(g); lat = 89.7 + 0.29 * u(g); break;                           // north pole
      case 2: lon = 180 * u(g); lat = -89.8 - 0.19 * std::abs(u(g)); break;                // south pole
      default: lon = 180 * u(g); lat = 60 * u(g); break;
    }
    if (lon > 180) lon -= 360;
    if (lon < -180) lon += 360;
    p.x.push_back(lon);
    p.y.push_back(lat);
  }
  // exact duplicates
  p.x.push_back(p.x[0]);
  p.y.push_back(p.y[0]);
  p.x.push_back(p.x[1]);
  p.y.push_back(p.y[1]);
  return p;
}

using PairSet = std::map<std::pair<std::size_t, std::size_t>, double>;

PairSet brute(const PairGrid& g, double r) {
  PairSet s;
  for (std::size_t i = 0; i < g.size(); ++i)
    for (std::size_t j = i + 1; j < g.size(); ++j) {
      const double d = g.distance(i, j);
      if (d <= r) s[{i, j}] = d;
    }
  return s;
}

void check_against_brute(const Pts& p, bool geo, double r) {
  const PairGrid g(p.x, p.y, geo, r);
  const PairSet want = brute(g, r);
  PairSet got;
  std::size_t visits = 0;
  g.for_each_pair([&](std::size_t i, std::size_t j, double d) {
    ASSERT_LT(i, j);
    got[{i, j}] = d;
    ++visits;
  });
  EXPECT_EQ(visits, want.size()) << "a pair was visited twice, r=" << r;
  EXPECT_EQ(got, want) << "r=" << r << " geo=" << geo;
  // parallel visit: the union of the states is the same pair set
  auto states = g.for_each_pair_parallel<PairSet>([] { return PairSet{}; },
                                                  [](PairSet& s, std::size_t i, std::size_t j, double d) { s[{i, j}] = d; });
  PairSet par;
  std::size_t total = 0;
  for (auto& s : states) {
    total += s.size();
    par.insert(s.begin(), s.end());
  }
  EXPECT_EQ(total, want.size());
  EXPECT_EQ(par, want);
  // neighbours of a few points
  for (std::size_t i = 0; i < g.size(); i += 17) {
    std::map<std::size_t, double> nb, nb_want;
    g.for_each_neighbour(i, [&](std::size_t j, double d) { nb[j] = d; });
    for (std::size_t j = 0; j < g.size(); ++j)
      if (j != i && g.distance(i, j) <= r) nb_want[j] = g.distance(i, j);
    EXPECT_EQ(nb, nb_want) << "point " << i;
  }
}

}  // namespace

TEST(PairGrid, ProjectedMatchesBruteForce) {
  const auto p = projected(400, 1);
  for (double r : {0.05, 0.7, 3.0, 12.5, 60.0, 150.0, 1e9}) check_against_brute(p, false, r);
}

TEST(PairGrid, GeographicMatchesBruteForceAcrossAntimeridianAndPoles) {
  const auto p = geographic(400, 2);
  for (double r : {0.5, 5.0, 40.0, 300.0, 3000.0, 25000.0}) check_against_brute(p, true, r);
}

TEST(PairGrid, GeographicDistanceIsHaversine) {
  const auto p = geographic(60, 3);
  const PairGrid g(p.x, p.y, true, 100);
  for (std::size_t i = 0; i < g.size(); ++i)
    for (std::size_t j = 0; j < g.size(); ++j) {
      const double h = agglo::geo::haversine_km(p.x[i], p.y[i], p.x[j], p.y[j]);
      EXPECT_NEAR(g.distance(i, j), h, 1e-9 * std::max(1.0, h));
    }
  // 0.2° of longitude across the antimeridian at the equator is ~22.24 km, not ~40,000.
  const std::vector<double> lon{179.9, -179.9}, lat{0, 0};
  const PairGrid g2(lon, lat, true, 50);
  EXPECT_NEAR(g2.distance(0, 1), 2 * agglo::geo::earth_radius_km * 0.1 * agglo::geo::deg_to_rad, 1e-9);
  int pairs = 0;
  g2.for_each_pair([&](std::size_t, std::size_t, double) { ++pairs; });
  EXPECT_EQ(pairs, 1);
}

TEST(PairGrid, AllPointsIdenticalAndTinyInputs) {
  const std::vector<double> x(50, 3.0), y(50, -2.0);
  const PairGrid g(x, y, false, 1.0);
  std::size_t pairs = 0;
  g.for_each_pair([&](std::size_t, std::size_t, double d) { EXPECT_EQ(d, 0.0); ++pairs; });
  EXPECT_EQ(pairs, 50u * 49u / 2u);
  const std::vector<double> none;
  const PairGrid e(none, none, false, 1.0);
  e.for_each_pair([&](std::size_t, std::size_t, double) { ADD_FAILURE(); });
  EXPECT_EQ(e.size(), 0u);
  const std::vector<double> one{1.0};
  const PairGrid o(one, one, true, 1.0);
  o.for_each_pair([&](std::size_t, std::size_t, double) { ADD_FAILURE(); });
  EXPECT_THROW(PairGrid(x, y, false, 0.0), agglo::Error);
  EXPECT_THROW(PairGrid(x, y, false, -1.0), agglo::Error);
}

TEST(PairGrid, QueryMatchesBruteForce) {
  const auto p = projected(300, 4);
  const PairGrid g(p.x, p.y, false, 10);
  for (double r : {0.5, 4.0, 10.0})
    for (auto [x0, y0] : {std::pair{30.0, 60.0}, std::pair{0.0, 0.0}, std::pair{-20.0, 50.0}}) {
      std::map<std::size_t, double> got, want;
      g.query(x0, y0, r, [&](std::size_t j, double d) { got[j] = d; });
      for (std::size_t j = 0; j < p.x.size(); ++j) {
        const double d = std::sqrt((p.x[j] - x0) * (p.x[j] - x0) + (p.y[j] - y0) * (p.y[j] - y0));
        if (d <= r) want[j] = d;
      }
      EXPECT_EQ(got, want);
    }
  EXPECT_THROW(g.query(0, 0, 11, [](std::size_t, double) {}), agglo::Error);
  const auto q = geographic(300, 5);
  const PairGrid gg(q.x, q.y, true, 500);
  std::map<std::size_t, double> got, want;
  gg.query(-179.95, 10.0, 200, [&](std::size_t j, double d) { got[j] = d; });
  for (std::size_t j = 0; j < q.x.size(); ++j) {
    const double d = agglo::geo::haversine_km(-179.95, 10.0, q.x[j], q.y[j]);
    if (d <= 200) want[j] = d;
  }
  ASSERT_EQ(got.size(), want.size());
  for (auto& [j, d] : want) EXPECT_NEAR(got[j], d, 1e-9);
}

TEST(PairGrid, ParallelStatesIdenticalForOneAndTwoThreads) {
  const auto p = projected(20000, 6);
  const PairGrid g(p.x, p.y, false, 5.0);
  ASSERT_GT(g.tasks(), 1u);
  struct Acc {
    double sum = 0;
    std::uint64_t n = 0;
    std::vector<double> hist = std::vector<double>(64, 0.0);
  };
  auto run = [&](int threads) {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, threads);
    return g.for_each_pair_parallel<Acc>([] { return Acc{}; }, [](Acc& a, std::size_t i, std::size_t j, double d) {
      a.sum += d * static_cast<double>(i % 5 + j % 3);
      ++a.n;
      a.hist[std::min<std::size_t>(63, static_cast<std::size_t>(d / 5.0 * 64))] += d;
    });
  };
  const auto a = run(1), b = run(2);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].sum, b[k].sum);
    EXPECT_EQ(a[k].n, b[k].n);
    EXPECT_EQ(a[k].hist, b[k].hist);
  }
}
