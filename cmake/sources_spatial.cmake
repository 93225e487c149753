# L2 spatial: micro-geographic cluster detection (issue 5). One list per concept, each owned by
# one part of the module:
#   sources_spatial.cmake             DBSCAN, HDBSCAN, cluster hulls (density clustering)
#   sources_spatial_distance.cmake    pair-distance kernel, Kd, M, Ripley's K/L
#   sources_spatial_colocation.cmake  co-location patterns
#   sources_spatial_hotspots.cmake    spatial weights, Gi*, LISA, Moran's I
set(AGGLO_SPATIAL_SOURCES
  src/spatial/dbscan.cpp
  src/spatial/mst.cpp
  src/spatial/hdbscan.cpp
  src/spatial/hull.cpp
  src/api/ops/spatial.cpp
)
set(AGGLO_SPATIAL_TEST_SOURCES
  tests/unit/spatial/test_dbscan.cpp
  tests/unit/spatial/test_hdbscan.cpp
  tests/unit/spatial/test_hull.cpp
)
set(AGGLO_SPATIAL_BENCH_SOURCES
)
foreach(part distance colocation hotspots)
  include(${CMAKE_CURRENT_LIST_DIR}/sources_spatial_${part}.cmake)
endforeach()
