# L2 spatial — spatial weights, Getis-Ord Gi*, LISA, Moran's I (issue 5).
list(APPEND AGGLO_SPATIAL_SOURCES
  src/api/ops/spatial_hotspots.cpp
)
list(APPEND AGGLO_SPATIAL_TEST_SOURCES
)
