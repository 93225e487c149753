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
  tests/unit/spatial/test_spatial_headlines.cpp
)
set(AGGLO_SPATIAL_BENCH_SOURCES
)
foreach(part distance colocation hotspots)
  include(${CMAKE_CURRENT_LIST_DIR}/sources_spatial_${part}.cmake)
endforeach()

# The spatial commands' --help examples, run on a synthetic economy made by the test
# (tests/cli/run_spatial_examples.sh). Deferred to the end of the top-level CMakeLists, where
# the agglo target and enable_testing() exist.
function(agglo_add_spatial_examples_test)
  if(AGGLO_BUILD_TESTS)
    add_test(NAME spatial_help_examples
             COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/run_spatial_examples.sh $<TARGET_FILE:agglo> ${CMAKE_SOURCE_DIR})
  endif()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL agglo_add_spatial_examples_test)
