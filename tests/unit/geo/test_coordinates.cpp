#include <gtest/gtest.h>

#include "agglo/geo/coordinates.hpp"

using namespace agglo::geo;

TEST(Coordinates, HaversineAgainstKnownDistances) {
  // One degree of latitude on the mean sphere: 2πR/360 = 111.195 km.
  EXPECT_NEAR(haversine_km(0, 0, 0, 1), 2 * 3.141592653589793 * earth_radius_km / 360, 1e-9);
  // Antipodes: half the circumference.
  EXPECT_NEAR(haversine_km(0, 0, 180, 0), 3.141592653589793 * earth_radius_km, 1e-6);
  // Paris (2.3522, 48.8566) – London (−0.1276, 51.5072): 343.6 km on the sphere.
  EXPECT_NEAR(haversine_km(2.3522, 48.8566, -0.1276, 51.5072), 343.6, 0.5);
  EXPECT_DOUBLE_EQ(haversine_km(10, 20, 10, 20), 0.0);
  EXPECT_DOUBLE_EQ(euclidean(0, 0, 3, 4), 5.0);
}

TEST(Coordinates, OffsetMovesByTheRequestedKilometres) {
  for (double lat : {0.0, 40.0, 65.0}) {
    double lon = -100, la = lat;
    offset_km(lon, la, 3.0, 4.0);
    EXPECT_NEAR(haversine_km(-100, lat, lon, la), 5.0, 0.01) << lat;
  }
}
