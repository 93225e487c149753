# L2 spatial econometrics (issue 19): OLS + LM diagnostics, SLX, SAR, SEM, SDM, SDEM by maximum
# likelihood, impacts; `agglo spatial-model`. Appended to the spatial lists (sources_spatial.cmake
# sets them first).
list(APPEND AGGLO_SPATIAL_SOURCES
  src/stats/ols.cpp
  src/spatial/spatial_jacobian.cpp
  src/spatial/spatial_diagnostics.cpp
  src/spatial/spatial_model.cpp
  src/spatial/spatial_gmm.cpp
  src/api/ops/spatial_model.cpp
  src/api/ops/demo_proximity.cpp
)
list(APPEND AGGLO_SPATIAL_TEST_SOURCES
  tests/unit/spatial/test_spatial_model.cpp
  tests/unit/spatial/test_spatial_jacobian.cpp
)
