# L2 spatial — pair-distance kernel, Kd, M, Ripley's K/L (issue 5).
list(APPEND AGGLO_SPATIAL_SOURCES
  src/api/ops/spatial_distance.cpp
)
list(APPEND AGGLO_SPATIAL_TEST_SOURCES
)
