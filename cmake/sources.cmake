# Every source file is listed explicitly (DESIGN.md conventions): adding a file is a visible
# change in review, and a stray file never joins the build by accident.

set(AGGLO_ENGINE_SOURCES
  # L0 core
  src/core/error.cpp
  src/core/data_dir.cpp
  src/core/ids.cpp
  src/core/options.cpp
  src/core/rng.cpp
  # L0 data
  src/data/table.cpp
  src/data/economy.cpp
  src/data/dense_matrix.cpp
  # L1 parallel
  src/parallel/cancel.cpp
  src/parallel/progress.cpp
  # L2 measure
  src/measure/region_industry_matrix.cpp
  src/measure/specialisation.cpp
  src/measure/concentration.cpp
  src/measure/dartboard.cpp
  src/measure/shift_share.cpp
  # L2 complexity
  src/complexity/rca.cpp
  src/complexity/eigen_complexity.cpp
  src/complexity/reflections.cpp
  src/complexity/fitness.cpp
  src/complexity/proximity.cpp
  src/complexity/density.cpp
  src/complexity/prody.cpp
  src/complexity/product_space.cpp
  src/complexity/panel_dynamics.cpp
  src/complexity/sample.cpp
  # L3 io
  src/io/atomic_file.cpp
  src/io/csv_reader.cpp
  src/io/input_settings.cpp
  src/io/memory_table.cpp
  src/io/source_header.cpp
  src/io/layouts.cpp
  src/io/code_names.cpp
  src/io/plausibility.cpp
  src/io/table_builder.cpp
  src/io/table_reader.cpp
  src/io/inputs.cpp
  src/io/table_writer.cpp
  # L3 synth
  src/synth/presets.cpp
  src/synth/reference_data.cpp
  src/synth/regional_economy.cpp
  src/synth/export_capabilities.cpp
  src/synth/actor_network.cpp
  src/synth/survey_responses.cpp
  src/synth/generate.cpp
  # L3 clusters
  src/clusters/relatedness.cpp
  src/clusters/clustering.cpp
  src/clusters/validation.cpp
  src/clusters/define_clusters.cpp
  src/clusters/cluster_map.cpp
  src/clusters/traded_local.cpp
  src/clusters/cluster_labels.cpp
  # L3 report
  src/report/html_report.cpp
  # L4 api
  src/api/registry.cpp
  src/api/builtin.cpp
  src/api/write_result.cpp
  src/api/ops/validate.cpp
  src/api/ops/synth.cpp
  src/api/ops/demo.cpp
  src/api/ops/panel_years.cpp
  src/api/ops/specialize.cpp
  src/api/ops/concentrate.cpp
  src/api/ops/relatedness.cpp
  src/api/ops/define_clusters.cpp
  src/api/ops/cluster_map.cpp
  src/api/ops/complexity.cpp
  src/api/ops/complexity_setup.cpp
  src/api/ops/complexity_names.cpp
  src/api/ops/opportunities.cpp
)

# The GDAL/OGR back end (geodata in and out, CRS) stays in its own folders.
set(AGGLO_GDAL_SOURCES
  src/io/gdal/gdal_common.cpp
  src/io/gdal/vector_reader.cpp
  src/io/gdal/vector_table.cpp
  src/io/gdal/vector_writer.cpp
  src/geo/gdal/crs.cpp
)

set(AGGLO_CLI_SOURCES
  apps/cli/main.cpp
)

set(AGGLO_TEST_SOURCES
  tests/unit/core/test_rng.cpp
  tests/unit/core/test_options.cpp
  tests/unit/io/test_csv_reader.cpp
  tests/unit/io/test_inputs.cpp
  tests/unit/io/test_atomic_file.cpp
  tests/unit/io/test_gdal.cpp
  tests/unit/geo/test_coordinates.cpp
  tests/unit/synth/test_synth.cpp
  tests/unit/cases/test_golden_cases.cpp
  tests/unit/measure/test_specialisation.cpp
  tests/unit/measure/test_concentration.cpp
  tests/unit/measure/test_dartboard.cpp
  tests/unit/measure/test_shift_share.cpp
  tests/unit/measure/test_specialize_panels.cpp
  tests/unit/clusters/test_relatedness.cpp
  tests/unit/clusters/test_define_clusters.cpp
  tests/unit/clusters/test_traded_local.cpp
  tests/unit/clusters/test_cluster_labels.cpp
  tests/unit/clusters/test_cluster_map.cpp
  tests/unit/clusters/test_cluster_map_panels.cpp
  tests/unit/complexity/test_complexity.cpp
  tests/unit/complexity/test_reference.cpp
  tests/unit/complexity/test_sample.cpp
)

set(AGGLO_BENCH_SOURCES
  bench/bench_main.cpp
  bench/bench_data.cpp
)

# Modules built by separate work streams keep their file lists in their own files, so two
# changes never edit the same list.
include(${CMAKE_CURRENT_LIST_DIR}/sources_survey.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/sources_network.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/sources_simulate.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/sources_spatial.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/sources_spatial_model.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/sources_scorecard.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/sources_dynamics.cmake)
list(APPEND AGGLO_ENGINE_SOURCES ${AGGLO_SURVEY_SOURCES} ${AGGLO_NETWORK_SOURCES} ${AGGLO_SIMULATE_SOURCES}
     ${AGGLO_SPATIAL_SOURCES} ${AGGLO_SCORECARD_SOURCES} ${AGGLO_DYNAMICS_SOURCES})
list(APPEND AGGLO_TEST_SOURCES ${AGGLO_SURVEY_TEST_SOURCES} ${AGGLO_NETWORK_TEST_SOURCES} ${AGGLO_SIMULATE_TEST_SOURCES}
     ${AGGLO_SPATIAL_TEST_SOURCES} ${AGGLO_SCORECARD_TEST_SOURCES} ${AGGLO_DYNAMICS_TEST_SOURCES})
list(APPEND AGGLO_BENCH_SOURCES ${AGGLO_SURVEY_BENCH_SOURCES} ${AGGLO_NETWORK_BENCH_SOURCES} ${AGGLO_SIMULATE_BENCH_SOURCES}
     ${AGGLO_SPATIAL_BENCH_SOURCES} ${AGGLO_SCORECARD_BENCH_SOURCES} ${AGGLO_DYNAMICS_BENCH_SOURCES})
# structure (issue 17): input–output analysis, development blocks, resilience.
include(${CMAKE_CURRENT_LIST_DIR}/sources_structure.cmake)
list(APPEND AGGLO_ENGINE_SOURCES ${AGGLO_STRUCTURE_SOURCES})
list(APPEND AGGLO_TEST_SOURCES ${AGGLO_STRUCTURE_TEST_SOURCES})
list(APPEND AGGLO_BENCH_SOURCES ${AGGLO_STRUCTURE_BENCH_SOURCES})

# The --help examples of define-clusters, relatedness and cluster-map, run on a synthetic economy
# made by the test (tests/cli/run_clusters_examples.sh). Deferred to the end of the top-level
# CMakeLists, where the agglo target and enable_testing() exist.
function(agglo_add_clusters_examples_test)
  if(AGGLO_BUILD_TESTS)
    add_test(NAME clusters_help_examples
             COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/run_clusters_examples.sh $<TARGET_FILE:agglo> ${CMAKE_SOURCE_DIR})
  endif()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL agglo_add_clusters_examples_test)
