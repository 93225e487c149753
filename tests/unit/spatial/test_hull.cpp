// Cluster hulls (GDAL/GEOS): the area of a known square, every member inside or on its hull
// (convex and concave), degenerate clusters (one location, collinear points), the GeoPackage
// layer written all-or-nothing, and --hulls on both commands.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "../support/temp_dir.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/spatial/hull.hpp"

using namespace agglo;
using namespace agglo::spatial;

namespace {

data::Table attributes(std::size_t rows) {
  data::Table t;
  auto& c = t.add_integer("cluster");
  auto& s = t.add_text("label");
  for (std::size_t i = 0; i < rows; ++i) c.push_back(static_cast<std::int64_t>(i)), s.push_back("c" + std::to_string(i));
  return t;
}

}  // namespace

TEST(SpatialHull, SquareAreaAndMembersCovered) {
  if (!have_hulls()) GTEST_SKIP() << "built without GDAL";
  // A 2 × 3 rectangle given by its corners, edge midpoints and interior points: area 6.
  std::vector<double> x = {0, 2, 2, 0, 1, 2, 1, 0, 1, 0.5, 1.5}, y = {0, 0, 3, 3, 0, 1.5, 3, 1.5, 1.5, 2, 0.7};
  std::vector<std::int32_t> l(x.size(), 0);
  const auto h = cluster_hulls(x, y, l, 1, {HullKind::convex, 1, false});
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].kind, "polygon");
  EXPECT_NEAR(wkt_area(h[0].wkt), 6.0, 1e-12);
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_TRUE(wkt_covers(h[0].wkt, x[i], y[i])) << i;
  EXPECT_FALSE(wkt_covers(h[0].wkt, 2.5, 1));
  // The concave hull of a square's corners and centre can only be the square itself.
  const auto c = cluster_hulls(x, y, l, 1, {HullKind::concave, 0.1, false});
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_TRUE(wkt_covers(c[0].wkt, x[i], y[i])) << i;
  EXPECT_LE(wkt_area(c[0].wkt), 6.0 + 1e-12);
}

TEST(SpatialHull, ConcaveHullsHoldEveryMemberAndAreSmaller) {
  if (!have_hulls()) GTEST_SKIP() << "built without GDAL";
  std::mt19937_64 g(5);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> x, y;
  std::vector<std::int32_t> l;
  // Cluster 0: an L-shaped set (its concave hull is well inside the convex one); cluster 1:
  // a disc in lon/lat degrees; noise points (−1) ignored.
  for (int i = 0; i < 400; ++i) {
    const double a = u(g) * 10, b = u(g) * 2;
    x.push_back(i % 2 ? a : b), y.push_back(i % 2 ? b : a), l.push_back(0);
  }
  for (int i = 0; i < 300; ++i) {
    const double r = std::sqrt(u(g)) * 0.01, t = u(g) * 6.283185307179586;
    x.push_back(8.5 + r * std::cos(t)), y.push_back(47.4 + r * std::sin(t)), l.push_back(1);
  }
  for (int i = 0; i < 50; ++i) x.push_back(u(g) * 100), y.push_back(u(g) * 100), l.push_back(-1);
  const auto cv = cluster_hulls(x, y, l, 2, {HullKind::convex, 1, false});
  const auto cc = cluster_hulls(x, y, l, 2, {HullKind::concave, 0.2, false});
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (l[i] < 0) continue;
    ASSERT_TRUE(wkt_covers(cv[l[i]].wkt, x[i], y[i])) << i;
    ASSERT_TRUE(wkt_covers(cc[l[i]].wkt, x[i], y[i])) << i;
  }
  EXPECT_LT(wkt_area(cc[0].wkt), 0.7 * wkt_area(cv[0].wkt));  // the L: 36, its convex hull 68
  EXPECT_LE(wkt_area(cc[1].wkt), wkt_area(cv[1].wkt) + 1e-15);
}

TEST(SpatialHull, DegenerateClustersAreBufferedPointsAndLines) {
  if (!have_hulls()) GTEST_SKIP() << "built without GDAL";
  std::vector<double> x = {1, 1, 1, 0, 1, 2, 3}, y = {1, 1, 1, 5, 6, 7, 8};
  std::vector<std::int32_t> l = {0, 0, 0, 1, 1, 1, 1};
  const auto h = cluster_hulls(x, y, l, 2, {HullKind::convex, 1, false});
  EXPECT_EQ(h[0].kind, "point");
  EXPECT_EQ(h[1].kind, "line");
  // Buffers of 1 unit: a near-disc of area ≈ π (8 segments per quarter: 3.12), and a
  // stadium around the 3√2 segment: ≈ 2 · 3√2 + π.
  EXPECT_NEAR(wkt_area(h[0].wkt), 3.1214, 1e-3);
  EXPECT_NEAR(wkt_area(h[1].wkt), 6 * std::sqrt(2.0) + 3.1214, 1e-3);
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_TRUE(wkt_covers(h[l[i]].wkt, x[i], y[i]));
  // lon/lat: 1e-5 degree buffer.
  const auto g = cluster_hulls({8.5}, {47.0}, {0}, 1, {HullKind::concave, 0.5, true});
  EXPECT_EQ(g[0].kind, "point");
  EXPECT_NEAR(wkt_area(g[0].wkt), 3.1214e-10, 1e-12);
}

TEST(SpatialHull, GeoPackageLayerIsWrittenWholeOrNotAtAll) {
  if (!have_hulls()) GTEST_SKIP() << "built without GDAL";
  test_support::TempDir d;
  std::vector<double> x = {0, 1, 0, 1, 5, 6, 5}, y = {0, 0, 1, 1, 5, 5, 6};
  std::vector<std::int32_t> l = {0, 0, 0, 0, 1, 1, 1};
  const auto h = cluster_hulls(x, y, l, 2, {});
  const auto f = d.file("h.gpkg");
  write_hulls(f, "dbscan_hulls", h, attributes(2), "EPSG:3857");
  write_hulls(f, "hdbscan_hulls", h, attributes(2), "EPSG:3857");
  write_hulls(f, "dbscan_hulls", {h[0]}, attributes(1), "EPSG:3857");  // replaces that layer only
  EXPECT_EQ(read_layer_wkt(f, "dbscan_hulls").size(), 1u);
  const auto back = read_layer_wkt(f, "hdbscan_hulls");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_NEAR(wkt_area(back[0]), 1.0, 1e-12);
  EXPECT_NEAR(wkt_area(back[1]), 0.5, 1e-12);
  // Unwritable places: under a regular file; over a file that is not a GeoPackage (which is
  // left as it was). I/O errors, and nothing left behind.
  for (const auto& bad : {f + "/x.gpkg", d.write("text.gpkg", "not a geopackage\n")}) {
    try {
      write_hulls(bad, "x", h, attributes(2), "");
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::io) << e.what();
    }
  }
  std::filesystem::remove(d.file("text.gpkg"));
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(d.path())) {
    ++files;
    EXPECT_EQ(e.path().filename(), "h.gpkg");
  }
  EXPECT_EQ(files, 1u);
}

TEST(SpatialHull, CommandsWriteHullLayers) {
  if (!have_hulls()) GTEST_SKIP() << "built without GDAL";
  test_support::TempDir d;
  std::string csv = "id,industry,x,y,employees\n";
  int id = 0;
  for (int c = 0; c < 2; ++c)
    for (int i = 0; i < 5; ++i)
      for (int j = 0; j < 5; ++j)
        csv += "e" + std::to_string(id++) + "," + (i < 3 ? "A" : (j < 2 ? "B" : "C")) + "," + std::to_string(c * 100 + i) +
               "," + std::to_string(j) + ",10\n";
  const auto f = d.write("est.csv", csv);
  api::Context ctx;
  const auto g = d.file("hulls.gpkg");
  api::Registry::global().find("dbscan")->run(
      {{"establishments", f}, {"eps", "1.5"}, {"min-points", "4"}, {"hulls", g}}, ctx);
  api::Registry::global().find("hdbscan")->run(
      {{"establishments", f}, {"min-cluster-size", "10"}, {"hulls", g}, {"hull", "concave"}}, ctx);
  for (const char* layer : {"dbscan_hulls", "hdbscan_hulls"}) {
    const auto w = read_layer_wkt(g, layer);
    ASSERT_EQ(w.size(), 2u) << layer;
    EXPECT_NEAR(wkt_area(w[0]), 16.0, 1e-9) << layer;  // the 5 × 5 lattice spans 4 × 4
  }
  // A hull file that is not a GeoPackage is a usage error before any work.
  try {
    api::Registry::global().find("hdbscan")->run({{"establishments", f}, {"min-cluster-size", "10"}, {"hulls", d.file("h.shp")}}, ctx);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
  }
}
