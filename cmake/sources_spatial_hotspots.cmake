# L2 spatial — spatial weights, Getis-Ord Gi*, LISA, Moran's I (issue 5).
list(APPEND AGGLO_SPATIAL_SOURCES
  src/spatial/weights.cpp
  src/spatial/weights_contiguity.cpp
  src/spatial/weights_distance.cpp
  src/spatial/moran.cpp
  src/spatial/getis.cpp
  src/spatial/fdr.cpp
  src/spatial/hotspots.cpp
  src/spatial/hotspots_input.cpp
  src/api/ops/spatial_hotspots.cpp
)
# Polygons and fields through GDAL (built only with AGGLO_WITH_GDAL, like the other GDAL sources).
list(APPEND AGGLO_GDAL_SOURCES
  src/spatial/hotspots_input_gdal.cpp
)
list(APPEND AGGLO_SPATIAL_TEST_SOURCES
  tests/unit/spatial/test_weights.cpp
  tests/unit/spatial/test_moran.cpp
  tests/unit/spatial/test_getis.cpp
  tests/unit/spatial/test_fdr.cpp
  tests/unit/spatial/test_hotspots.cpp
  tests/unit/spatial/test_hotspots_conventions.cpp
)
