// The GDAL back end: GeoPackage round trips, reading real polygons, point layers, CRS.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/temp_dir.hpp"
#include "agglo/geo/coordinates.hpp"
#include "agglo/io/table_writer.hpp"
#include "agglo/io/vector_reader.hpp"
#include "agglo/synth/synthetic_economy.hpp"

using namespace agglo;

TEST(Gdal, ReadsRealCountyPolygonsFromTopoJson) {
  const auto src = synth::default_data_dir() + "/geo/us_counties_economic_areas_msas.topojson";
  const auto layers = io::list_layers(src);
  ASSERT_GE(layers.size(), 3u);
  const auto regions = io::read_regions(src, "counties", "fips", "name", data::RegionLevel::county);
  EXPECT_EQ(regions.size(), 3191u);
  const auto la = regions.find("06037");
  ASSERT_TRUE(la.valid());
  EXPECT_EQ(regions[la].name, "Los Angeles County");
  // Los Angeles County: 12,300 km² of land and water; the bundled outline is simplified.
  EXPECT_NEAR(regions[la].area_km2, 12300, 1500);
  // The representative point lies inside the county (lon −118.9…−117.6, lat 32.8…34.9).
  EXPECT_GT(regions[la].lon, -118.95);
  EXPECT_LT(regions[la].lon, -117.6);
  EXPECT_GT(regions[la].lat, 32.7);
  EXPECT_LT(regions[la].lat, 34.9);
}

TEST(Gdal, GeoPackageWorkspaceRoundTripAndUpdate) {
  test_support::TempDir d;
  data::Table points;
  points.add_text("id", {"a", "b", "c"});
  points.add_text("industry", {"X", "X", "Y"});
  points.add_real("lon", {-71.06, -71.1, -70.9});
  points.add_real("lat", {42.36, 42.37, 42.4});
  points.add_real("employees", {5, 10, 20});
  data::Table attrs;
  attrs.add_text("industry", {"X", "Y"});
  attrs.add_real("value", {1.5, std::nan("")});
  const auto ws = d.file("ws.gpkg");
  io::write_vector({{"establishments", &points}, {"scores", &attrs}}, ws);
  auto layers = io::list_layers(ws);
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0].name, "establishments");
  EXPECT_EQ(layers[0].geometry, "Point");
  EXPECT_EQ(layers[0].crs, "EPSG:4326");
  EXPECT_EQ(layers[0].features, 3);
  EXPECT_EQ(layers[1].geometry, "None");

  // Points read back as establishments with the same coordinates.
  io::InputReport rep;
  const auto e = io::read_establishment_points(ws, "establishments", &rep);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_NEAR(e.x[2], -70.9, 1e-12);
  EXPECT_NEAR(e.y[0], 42.36, 1e-12);
  EXPECT_DOUBLE_EQ(e.employees[1], 10);

  // Updating adds a layer and replaces a same-named one; the others stay.
  data::Table more;
  more.add_text("k", {"z"});
  io::write_vector({{"scores", &more}, {"extra", &more}}, ws, /*update=*/true);
  layers = io::list_layers(ws);
  ASSERT_EQ(layers.size(), 3u);
  for (const auto& l : layers)
    if (l.name == "scores") EXPECT_EQ(l.features, 1);
}

TEST(Gdal, ReprojectsPointLayersToLonLat) {
  test_support::TempDir d;
  // A point in Web Mercator (EPSG:3857) at lon 10°, lat 50°.
  const double x = 10.0 * geo::deg_to_rad * 6378137.0;
  const double y = 6378137.0 * std::log(std::tan(3.14159265358979 / 4 + 50.0 * geo::deg_to_rad / 2));
  data::Table t;
  t.add_text("id", {"p"});
  t.add_text("industry", {"X"});
  t.add_real("x", {x});
  t.add_real("y", {y});
  const auto f = d.file("m.gpkg");
  io::write_vector({{"pts", &t}}, f, false, "EPSG:3857");
  const auto e = io::read_establishment_points(f);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NEAR(e.x[0], 10.0, 1e-6);
  EXPECT_NEAR(e.y[0], 50.0, 1e-6);
}

TEST(Gdal, CrsResolution) {
  EXPECT_TRUE(geo::resolve_crs("EPSG:4326").geographic);
  const auto albers = geo::resolve_crs("EPSG:5070");
  EXPECT_FALSE(albers.geographic);
  EXPECT_EQ(albers.linear_unit, "m");
  EXPECT_THROW(geo::resolve_crs("EPSG:999999"), Error);
  EXPECT_THROW(geo::resolve_crs("not a crs"), Error);
}

TEST(Gdal, MissingSourceIsAnIoError) {
  try {
    io::list_layers("/nonexistent/x.gpkg");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::io);
    EXPECT_EQ(e.code(), ErrorCode::file_not_found);
  }
}

TEST(Gdal, ShapefileAndGeoJsonPointsReadBack) {
  test_support::TempDir d;
  data::Table t;
  t.add_text("id", {"a", "b"});
  t.add_text("industry", {"X", "Y"});
  t.add_real("lon", {4.9, 5.1});
  t.add_real("lat", {52.37, 52.09});
  for (const char* name : {"p.shp", "p.geojson"}) {
    const auto f = d.file(name);
    io::write_vector({{"p", &t}}, f);
    const auto e = io::read_establishment_points(f);
    ASSERT_EQ(e.size(), 2u) << name;
    EXPECT_NEAR(e.x[1], 5.1, 1e-9) << name;
    EXPECT_EQ(e.industry_codes.name(e.industry[1]), "Y") << name;
  }
}
