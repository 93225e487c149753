# L2 spatial — pair-distance kernel, Kd, M, Ripley's K/L (issue 5).
# The pair-distance kernel (L1 geo) is header-only: include/agglo/geo/pair_grid.hpp.
list(APPEND AGGLO_SPATIAL_SOURCES
  src/spatial/envelope.cpp
  src/spatial/kdensity.cpp
  src/spatial/ripley.cpp
  src/spatial/mfunction.cpp
  src/api/ops/spatial_distance.cpp
)
list(APPEND AGGLO_SPATIAL_TEST_SOURCES
  tests/unit/geo/test_pair_grid.cpp
  tests/unit/spatial/test_kdensity.cpp
  tests/unit/spatial/test_ripley.cpp
  tests/unit/spatial/test_mfunction.cpp
)
