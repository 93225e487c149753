# L2 spatial: micro-geographic cluster detection (issue 5).
set(AGGLO_SPATIAL_SOURCES
  src/spatial/dbscan.cpp
  src/api/ops/spatial.cpp
)
set(AGGLO_SPATIAL_TEST_SOURCES
  tests/unit/spatial/test_dbscan.cpp
)
set(AGGLO_SPATIAL_BENCH_SOURCES
)
