// DBSCAN (Ester et al. 1996): the issue's 13-point example worked by hand, the grid index
// against the O(n²) textbook algorithm on random data (projected and lon/lat, with and without
// weights), thread-count independence, degenerate and bad input, and the `agglo dbscan`
// operation on files.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <numeric>
#include <random>
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "../support/temp_dir.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"
#include "agglo/spatial/dbscan.hpp"

using namespace agglo;
using namespace agglo::spatial;

namespace {

// (x, y, industry, employees) of the issue's example.
struct P { double x, y; const char* ind; double emp; };
const std::vector<P> thirteen = {{0, 0, "A", 10}, {1, 0, "A", 5},   {0, 1, "A", 8},  {1, 1, "A", 2},
                                 {0.5, 0.5, "A", 1}, {10, 10, "B", 3}, {11, 10, "B", 4}, {10, 11, "B", 6},
                                 {20, 0, "B", 1},  {0, 20, "B", 2},  {20, 20, "B", 7}, {5, 15, "B", 3},
                                 {15, 5, "B", 9}};

std::string thirteen_csv() {
  std::string s = "id,industry,x,y,employees\n";
  for (std::size_t i = 0; i < thirteen.size(); ++i)
    s += "e" + std::to_string(i) + "," + thirteen[i].ind + "," + std::to_string(thirteen[i].x) + "," +
         std::to_string(thirteen[i].y) + "," + std::to_string(thirteen[i].emp) + "\n";
  return s;
}

const data::Table& table(const api::Result& r, const std::string& name) {
  for (const auto& [n, t] : r.tables)
    if (n == name) return t;
  throw std::runtime_error("no table " + name);
}

// Random clustered points: a few blobs plus uniform background.
void random_points(unsigned seed, bool geographic, std::size_t n, std::vector<double>& x,
                   std::vector<double>& y, std::vector<double>& w) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> nd(0, 1);
  x.clear(), y.clear(), w.clear();
  const double span = geographic ? 2.0 : 100.0;  // degrees or units
  const double cx0 = geographic ? 170.0 : 0, cy0 = geographic ? 60.0 : 0;  // near the antimeridian
  std::vector<std::pair<double, double>> centres(5);
  for (auto& c : centres) c = {u(g) * span, u(g) * span};
  for (std::size_t i = 0; i < n; ++i) {
    double a, b;
    if (u(g) < 0.3) {
      a = u(g) * span, b = u(g) * span;
    } else {
      const auto& c = centres[g() % centres.size()];
      a = c.first + nd(g) * span * 0.03, b = c.second + nd(g) * span * 0.03;
    }
    if (geographic) {
      a = cx0 + a * 10;  // spans 170..190 → wrapped into −180..180
      if (a > 180) a -= 360;
      b = std::clamp(cy0 + b, -90.0, 90.0);
    }
    x.push_back(a), y.push_back(b);
    w.push_back(std::floor(u(g) * 4));  // 0..3, zero weights included
  }
}


// Inputs built to hit the small-cell grid's edge cases: dense blobs (cells whose mass alone
// makes their points core), duplicated points, points on a lattice whose spacing divides eps
// (so many pairs sit at exactly eps, the inclusive boundary, and on cell boundaries), a far
// offset from the origin, and sparse background noise.
void edge_case_points(unsigned seed, bool geographic, std::vector<double>& x, std::vector<double>& y,
                      std::vector<double>& w) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> nd(0, 1);
  x.clear(), y.clear(), w.clear();
  const double off = geographic ? 0 : 1e5 * (seed % 2);  // far from the origin on odd seeds
  auto add = [&](double a, double b) {
    if (geographic) a = std::remainder(a, 360.0), b = std::clamp(b, -90.0, 90.0);
    x.push_back(a + off), y.push_back(b + off), w.push_back(std::floor(u(g) * 4) * 0.5);
  };
  const double s = geographic ? 0.01 : 1.0;  // degrees (≈ 1.1 km) or units
  for (int b = 0; b < 3; ++b) {  // tight blobs
    const double cx = (geographic ? 179.9 : 0) + u(g) * 20 * s, cy = (geographic ? 60 : 0) + u(g) * 20 * s;
    for (int i = 0; i < 120; ++i) add(cx + nd(g) * 0.6 * s, cy + nd(g) * 0.6 * s);
  }
  for (int i = 0; i < 40; ++i)  // a lattice of spacing 0.5: pairs at exactly eps = 1 or 1.5
    add((geographic ? 179.9 : 0) + (i % 8) * 0.5 * s, (geographic ? 60 : 0) + 25 * s + (i / 8) * 0.5 * s);
  for (int i = 0; i < 60; ++i) add((geographic ? 179.9 : 0) + u(g) * 30 * s, (geographic ? 60 : 0) + u(g) * 30 * s);
  const std::size_t m = x.size();
  for (int i = 0; i < 30; ++i) {  // duplicates of random points
    const std::size_t j = g() % m;
    x.push_back(x[j]), y.push_back(y[j]), w.push_back(w[j]);
  }
  std::vector<std::size_t> perm(x.size());  // shuffle, so input order ≠ spatial order
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), g);
  std::vector<double> x2, y2, w2;
  for (auto i : perm) x2.push_back(x[i]), y2.push_back(y[i]), w2.push_back(w[i]);
  x.swap(x2), y.swap(y2), w.swap(w2);
}
}  // namespace

TEST(SpatialDbscan, IssueThirteenPoints) {
  std::vector<double> x, y, none;
  for (const auto& p : thirteen) x.push_back(p.x), y.push_back(p.y);
  const auto r = dbscan(x, y, none, {1.2, 3, false});
  const std::vector<std::int32_t> expect = {0, 0, 0, 0, 0, 1, 1, 1, -1, -1, -1, -1, -1};
  EXPECT_EQ(r.label, expect);
  EXPECT_EQ(r.clusters, 2u);
  EXPECT_EQ(r.noise, 5u);
  // Every point of the square is within 1.2 of ≥ 2 others: all five are core. In the L-shape
  // (10,10) reaches both others (core); (11,10) and (10,11) are √2 > 1.2 apart, so each sees
  // only itself and (10,10): mass 2 < 3, border points of cluster 1.
  const std::vector<std::uint8_t> core = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(r.core, core);
  EXPECT_EQ(dbscan_bruteforce(x, y, none, {1.2, 3, false}).label, expect);
}

TEST(SpatialDbscan, WeightsAreNeighbourhoodMass) {
  std::vector<double> x, y, w;
  for (const auto& p : thirteen) x.push_back(p.x), y.push_back(p.y), w.push_back(p.emp);
  // Mass ≥ 10: (15,5) alone has 9 (noise); (10,10) has 3+4+6 = 13 (core); (11,10) has 7, (10,11)
  // 9 (border); (0,0) has 10+5+8+1 = 24 (core); (20,20) has 7 (noise).
  const auto r = dbscan(x, y, w, {1.2, 10, false});
  const std::vector<std::int32_t> expect = {0, 0, 0, 0, 0, 1, 1, 1, -1, -1, -1, -1, -1};
  EXPECT_EQ(r.label, expect);
  EXPECT_EQ(r.core[6], 0);
  // Mass ≥ 14: (10,10) has 13 → no core in the L, whose points become noise.
  const auto r2 = dbscan(x, y, w, {1.2, 14, false});
  EXPECT_EQ(r2.clusters, 1u);
  EXPECT_EQ(r2.label[5], -1);
  EXPECT_EQ(r2.label, dbscan_bruteforce(x, y, w, {1.2, 14, false}).label);
}

TEST(SpatialDbscan, BorderPointJoinsFirstCorePointInInputOrder) {
  // Two clusters on a line (eps = 1.5, minPts = 4): A = {2, 2.5, 3, 3.5} and B = {6.5, 7, 7.5,
  // 8}, both reaching b = 5 (mass 3: itself, 3.5 and 6.5, so a border point). A is cluster 0
  // (its core point 2 comes first), but b's first core neighbour in input order is 6.5 (row 1),
  // so b joins B = cluster 1. (Sequential expansion as in sklearn would give it to A.)
  std::vector<double> x = {2.0, 6.5, 2.5, 3.0, 7.0, 7.5, 8.0, 3.5, 5.0}, y(9, 0.0), none;
  const auto r = dbscan(x, y, none, {1.5, 4, false});
  EXPECT_EQ(r.label, (std::vector<std::int32_t>{0, 1, 0, 0, 1, 1, 1, 0, 1}));
  EXPECT_EQ(r.core[8], 0);
  EXPECT_EQ(dbscan_bruteforce(x, y, none, {1.5, 4, false}).label, r.label);
}

TEST(SpatialDbscan, GridEqualsBruteForceOnRandomInputs) {
  for (unsigned seed : {1u, 2u, 3u, 4u})
    for (bool geographic : {false, true})
      for (bool weighted : {false, true}) {
        std::vector<double> x, y, w;
        random_points(seed, geographic, 700, x, y, w);
        if (!weighted) w.clear();
        for (double eps : geographic ? std::vector<double>{5, 20} : std::vector<double>{1, 3})
          for (double mp : {1.0, 4.0, 9.0}) {
            const DbscanParams p{eps, mp, geographic};
            const auto a = dbscan(x, y, w, p), b = dbscan_bruteforce(x, y, w, p);
            SCOPED_TRACE(testing::Message() << "seed " << seed << " geo " << geographic << " w "
                                            << weighted << " eps " << eps << " mp " << mp);
            EXPECT_EQ(a.label, b.label);
            EXPECT_EQ(a.core, b.core);
            EXPECT_EQ(a.clusters, b.clusters);
            EXPECT_GT(a.clusters + (mp > 1 ? 1 : 0), 0u);
          }
      }
}

TEST(SpatialDbscan, SmallCellGridEqualsBruteForceOnEdgeCases) {
  // The grid (cells of side eps/√2, or chord/√3 on the sphere; dense cells core without
  // distances; bichromatic closest pairs between cells) against the O(n²) reference.
  for (unsigned seed : {1u, 2u, 3u, 4u, 5u, 6u})
    for (bool geographic : {false, true})
      for (bool weighted : {false, true}) {
        std::vector<double> x, y, w;
        edge_case_points(seed, geographic, x, y, w);
        if (!weighted) w.clear();
        const std::vector<double> epss = geographic ? std::vector<double>{0.3, 0.556, 1.2, 3}
                                                    : std::vector<double>{0.5, 1, 1.5, 2.2};
        for (double eps : epss)
          for (double mp : {1.0, 3.0, 10.0, 25.0}) {
            const DbscanParams p{eps, mp, geographic};
            const auto a = dbscan(x, y, w, p), b = dbscan_bruteforce(x, y, w, p);
            SCOPED_TRACE(testing::Message() << "seed " << seed << " geo " << geographic << " w "
                                            << weighted << " eps " << eps << " mp " << mp);
            ASSERT_EQ(a.core, b.core);
            ASSERT_EQ(a.label, b.label);
            EXPECT_EQ(a.clusters, b.clusters);
            EXPECT_EQ(a.noise, b.noise);
          }
      }
}

TEST(SpatialDbscan, WidenedCellsEqualBruteForce) {
  // Coordinates near 1e9 with eps ≤ 2.2: the cells are widened to 10 units (1e-8 of the
  // coordinates' magnitude, far above their rounding), so a cell is no longer a clique and the
  // per-pair path decides; the result must not change.
  for (unsigned seed : {1u, 2u}) {
    std::vector<double> x, y, w;
    edge_case_points(seed, false, x, y, w);
    for (auto& v : x) v += 1e9;
    for (auto& v : y) v -= 1e9;
    for (double eps : {0.5, 2.2})
      for (double mp : {3.0, 10.0}) {
        const DbscanParams p{eps, mp, false};
        const auto a = dbscan(x, y, w, p), b = dbscan_bruteforce(x, y, w, p);
        SCOPED_TRACE(testing::Message() << "seed " << seed << " eps " << eps << " mp " << mp);
        EXPECT_EQ(a.core, b.core);
        EXPECT_EQ(a.label, b.label);
        EXPECT_GT(a.clusters, 0u);
      }
  }
}

TEST(SpatialDbscan, ExactlyEpsApartIsANeighbour) {
  // Distances of exactly eps on both sides of cell boundaries (eps = 1: cells of side 0.7071…):
  // a chain 0, 1, 2, 3 and a square of side 1; minPts 3 makes every inner point core.
  std::vector<double> x = {0, 1, 2, 3, 10, 11, 10, 11}, y = {0, 0, 0, 0, 0, 0, 1, 1}, none;
  const auto r = dbscan(x, y, none, {1, 3, false});
  EXPECT_EQ(r.label, (std::vector<std::int32_t>{0, 0, 0, 0, 1, 1, 1, 1}));
  EXPECT_EQ(r.core, (std::vector<std::uint8_t>{0, 1, 1, 0, 1, 1, 1, 1}));
  EXPECT_EQ(dbscan_bruteforce(x, y, none, {1, 3, false}).label, r.label);
}

TEST(SpatialDbscan, NegativeWeightsAreRejected) {
  std::vector<double> x = {0, 1}, y = {0, 0};
  EXPECT_THROW(dbscan(x, y, {1, -1}, {1, 2, false}), Error);
  EXPECT_THROW(dbscan(x, y, {1, std::nan("")}, {1, 2, false}), Error);
}

TEST(SpatialDbscan, AntimeridianAndPole) {
  // 179.99°E and 179.99°W are 2.2 km apart at the equator; the pole points all meet at lat 90.
  std::vector<double> lon = {179.99, -179.99, 179.995, 0, 120, -120, 45},
                      lat = {0, 0, 0, 89.999, 89.999, 89.999, 10}, none;
  const auto r = dbscan(lon, lat, none, {3, 3, true});
  const std::vector<std::int32_t> expect = {0, 0, 0, 1, 1, 1, -1};
  EXPECT_EQ(r.label, expect);
  EXPECT_EQ(dbscan_bruteforce(lon, lat, none, {3, 3, true}).label, expect);
}

TEST(SpatialDbscan, SameResultOnOneAndTwoThreads) {
  std::vector<double> x, y, w;
  random_points(11, false, 20000, x, y, w);
  DbscanResult a, b;
  tbb::task_arena(1).execute([&] { a = dbscan(x, y, w, {0.5, 6, false}); });
  tbb::task_arena(2).execute([&] { b = dbscan(x, y, w, {0.5, 6, false}); });
  EXPECT_EQ(a.label, b.label);
  EXPECT_EQ(a.core, b.core);
  EXPECT_GT(a.clusters, 1u);
  random_points(12, true, 20000, x, y, w);
  tbb::task_arena(1).execute([&] { a = dbscan(x, y, {}, {3, 6, true}); });
  tbb::task_arena(2).execute([&] { b = dbscan(x, y, {}, {3, 6, true}); });
  EXPECT_EQ(a.label, b.label);
  EXPECT_GT(a.clusters, 1u);
}

TEST(SpatialDbscan, DegenerateInputs) {
  std::vector<double> none;
  // All points identical: every point is within eps of all n, so one cluster when n ≥ minPts,
  // all noise otherwise.
  std::vector<double> x(6, 3.0), y(6, -2.0);
  auto r = dbscan(x, y, none, {0.001, 6, false});
  EXPECT_EQ(r.clusters, 1u);
  EXPECT_EQ(r.label, std::vector<std::int32_t>(6, 0));
  r = dbscan(x, y, none, {0.001, 7, false});
  EXPECT_EQ(r.clusters, 0u);
  EXPECT_EQ(r.noise, 6u);
  // Empty input and min_points = 1 (every point its own core).
  EXPECT_EQ(dbscan(none, none, none, {1, 3, false}).clusters, 0u);
  std::vector<double> a = {0, 10, 20}, b = {0, 0, 0};
  EXPECT_EQ(dbscan(a, b, none, {1, 1, false}).label, (std::vector<std::int32_t>{0, 1, 2}));
  // Huge coordinate range with a tiny eps: cells are widened, the result stays exact.
  std::vector<double> hx = {-1e12, 1e12, 1e12 + 1e-3, 0}, hy = {0, 0, 0, 0};
  EXPECT_EQ(dbscan(hx, hy, none, {0.01, 2, false}).label, (std::vector<std::int32_t>{-1, 0, 0, -1}));
}

TEST(SpatialDbscan, BadParametersAreUsageErrors) {
  std::vector<double> x = {0, 1}, y = {0, 0}, none;
  for (double eps : {0.0, -1.0, std::nan("")}) {
    try {
      dbscan(x, y, none, {eps, 2, false});
      ADD_FAILURE() << "eps " << eps << " accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::usage);
      EXPECT_EQ(e.code(), ErrorCode::invalid_option_value);
    }
  }
  EXPECT_THROW(dbscan(x, y, none, {1, 0.5, false}), Error);
}

TEST(SpatialDbscan, OperationOnFile) {
  test_support::TempDir d;
  const auto f = d.write("est.csv", thirteen_csv());
  api::Context ctx;
  const auto* op = api::Registry::global().find("dbscan");
  ASSERT_NE(op, nullptr);
  auto r = op->run({{"establishments", f}, {"eps", "1.2"}, {"min-points", "3"}}, ctx);
  const auto& t = table(r, "dbscan");
  const auto& cl = std::get<data::IntColumn>(t.at("cluster").values);
  EXPECT_EQ(cl, (std::vector<std::int64_t>{0, 0, 0, 0, 0, 1, 1, 1, -1, -1, -1, -1, -1}));
  const auto& c = table(r, "clusters");
  ASSERT_EQ(c.rows(), 2u);
  EXPECT_EQ(std::get<data::IntColumn>(c.at("establishments").values), (std::vector<std::int64_t>{5, 3}));
  EXPECT_EQ(std::get<data::RealColumn>(c.at("employment").values), (std::vector<double>{26, 13}));
  EXPECT_EQ(std::get<data::TextColumn>(c.at("dominant_industry").values), (std::vector<std::string>{"A", "B"}));
  EXPECT_DOUBLE_EQ(std::get<data::RealColumn>(c.at("x").values)[0], 0.5);
  EXPECT_NEAR(std::get<data::RealColumn>(c.at("y").values)[1], 31.0 / 3, 1e-12);
  EXPECT_NE(r.summary_json.find("\"noise\": 5"), std::string::npos);
  // --industry B keeps the 8 B establishments; only the L-shape is a cluster.
  r = op->run({{"establishments", f}, {"eps", "1.2"}, {"min-points", "3"}, {"industry", "B"}}, ctx);
  EXPECT_EQ(table(r, "dbscan").rows(), 8u);
  EXPECT_EQ(table(r, "clusters").rows(), 1u);
  // Bad options are usage errors; a missing employees column with --weight is an input error.
  try {
    op->run({{"establishments", f}, {"eps", "0"}, {"min-points", "3"}}, ctx);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
  }
  EXPECT_THROW(op->run({{"establishments", f}, {"eps", "1"}, {"min-points", "0"}}, ctx), Error);
  const auto g = d.write("noemp.csv", "id,industry,x,y\na,A,0,0\nb,A,1,0\n");
  try {
    op->run({{"establishments", g}, {"eps", "1"}, {"min-points", "2"}, {"weight", "employees"}}, ctx);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::missing_column);
  }
}

TEST(SpatialDbscan, BadCoordinatesAreInputErrorsFromTheLoader) {
  test_support::TempDir d;
  api::Context ctx;
  const auto* op = api::Registry::global().find("dbscan");
  ASSERT_NE(op, nullptr);
  const auto missing = d.write("missing.csv", "id,industry,lon,lat\na,A,-71.06,42.36\nb,A,,42.37\n");
  const auto range = d.write("range.csv", "id,industry,lon,lat\na,A,-71.06,42.36\nb,A,-71.07,95\n");
  for (const auto& [f, line] : {std::pair{missing, 3u}, {range, 3u}}) {
    try {
      op->run({{"establishments", f}, {"eps", "1"}, {"min-points", "2"}}, ctx);
      ADD_FAILURE() << f << " accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::input);
      EXPECT_EQ(e.where().line, line);
    }
  }
  try {
    op->run({{"establishments", range}, {"eps", "1"}, {"min-points", "2"}}, ctx);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::coordinate_out_of_range);
  }
}

// scikit-learn's DBSCAN (python3-sklearn 1.2.1) on seven stored cases
// (tests/reference/spatial_density/dbscan_sklearn.py): the same eps and min-points (the point
// itself counted), sample weights as --weight employees, lon/lat by the haversine metric. Core
// points and noise must be identical and the partition of the core points the same up to
// renumbering; a border point may differ only where it lies within eps of core points of two
// clusters (sklearn gives it to the cluster its expansion reached first, agglo to the cluster of
// its first core neighbour in input order: docs/methods/spatial.md).
TEST(SpatialDbscanSklearn, AgreesWithScikitLearn) {
  struct Case {
    std::string file;
    double eps, min_points;
    bool lonlat, weighted;
  };
  const std::vector<Case> cases{{"dbscan_blobs_eps0.3_min5.csv", 0.3, 5, false, false},
                                {"dbscan_blobs_eps0.6_min12.csv", 0.6, 12, false, false},
                                {"dbscan_blobs_weighted_eps0.3_min12.csv", 0.3, 12, false, true},
                                {"dbscan_medium_eps2_min10.csv", 2.0, 10, false, false},
                                {"dbscan_ties_eps1_min4.csv", 1.0, 4, false, false},
                                {"dbscan_ties_eps1.5_min6.csv", 1.5, 6, false, false},
                                {"dbscan_lonlat_eps1_min8.csv", 1.0, 8, true, false}};
  std::size_t border_ties = 0, points = 0;
  for (const auto& c : cases) {
    std::ifstream in(std::string(AGGLO_TEST_DATA) + "/reference/spatial_density/" + c.file);
    ASSERT_TRUE(in) << c.file;
    std::string line;
    std::getline(in, line);
    std::vector<double> x, y, w;
    std::vector<int> label, core;
    while (std::getline(in, line)) {
      std::stringstream ss(line);
      std::string f[5];
      for (auto& s : f) std::getline(ss, s, ',');
      x.push_back(std::stod(f[0])), y.push_back(std::stod(f[1])), w.push_back(std::stod(f[2]));
      label.push_back(std::stoi(f[3])), core.push_back(std::stoi(f[4]));
    }
    DbscanParams p;
    p.eps = c.eps;
    p.min_points = c.min_points;
    p.geographic = c.lonlat;
    const auto r = dbscan(x, y, c.weighted ? w : std::vector<double>{}, p);
    const std::size_t n = x.size();
    points += n;
    std::map<int, int> to_agglo, to_sk;  // core-point cluster correspondence, both ways
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_EQ(r.core[i], core[i]) << c.file << " point " << i;
      EXPECT_EQ(r.label[i] == -1, label[i] == -1) << c.file << " noise at point " << i;
      if (!core[i] || !r.core[i]) continue;
      const auto a = to_agglo.emplace(label[i], r.label[i]).first->second;
      const auto b = to_sk.emplace(r.label[i], label[i]).first->second;
      EXPECT_EQ(a, r.label[i]) << c.file << ": sklearn cluster " << label[i] << " split at point " << i;
      EXPECT_EQ(b, label[i]) << c.file << ": agglo cluster " << r.label[i] << " merges sklearn clusters at point " << i;
    }
    EXPECT_EQ(to_agglo.size(), r.clusters) << c.file;
    for (std::size_t i = 0; i < n; ++i) {
      if (core[i] || label[i] == -1 || to_agglo[label[i]] == r.label[i]) continue;
      // A border point in another cluster: it must have core neighbours in both clusters.
      bool in_agglo = false, in_sklearn = false;
      for (std::size_t j = 0; j < n; ++j) {
        if (!core[j]) continue;
        const double d = c.lonlat ? geo::haversine_km(x[i], y[i], x[j], y[j]) : std::hypot(x[i] - x[j], y[i] - y[j]);
        if (d > c.eps) continue;
        in_agglo |= r.label[j] == r.label[i];
        in_sklearn |= label[j] == label[i];
      }
      EXPECT_TRUE(in_agglo && in_sklearn) << c.file << " border point " << i;
      ++border_ties;
    }
  }
  EXPECT_EQ(points, 300u * 3 + 1100 + 84 * 2 + 390);
  EXPECT_EQ(border_ties, 0u);  // on these cases no border point lies within eps of two clusters: labels identical
}
