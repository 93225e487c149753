# L2 spatial — co-location patterns (issue 5).
list(APPEND AGGLO_SPATIAL_SOURCES
  src/spatial/colocation.cpp
  src/api/ops/spatial_colocation.cpp
)
list(APPEND AGGLO_SPATIAL_TEST_SOURCES
  tests/unit/spatial/test_colocation.cpp
)
