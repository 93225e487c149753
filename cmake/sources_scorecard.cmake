# L2 stats (shared numerics: moments, transforms, PCA, linear programmes, Sobol indices) and
# L3 scorecard (issue 14: composite index, uncertainty, cluster scorecard, recommendations).
set(AGGLO_SCORECARD_SOURCES
  src/stats/descriptive.cpp
  src/stats/transform.cpp
  src/stats/pca.cpp
  src/stats/linear_program.cpp
  src/stats/sensitivity.cpp
  src/scorecard/indicator_tree.cpp
  src/scorecard/composite.cpp
  src/scorecard/uncertainty.cpp
  src/scorecard/scorecard.cpp
  src/api/ops/scorecard.cpp
  src/api/ops/scorecard_index.cpp
  src/api/ops/scorecard_cards.cpp
  src/api/ops/scorecard_recommend.cpp
)
set(AGGLO_SCORECARD_TEST_SOURCES
  tests/unit/stats/test_stats.cpp
  tests/unit/scorecard/test_composite.cpp
  tests/unit/scorecard/test_scorecard.cpp
)
set(AGGLO_SCORECARD_BENCH_SOURCES
)

# The --help examples of index, scorecard and recommend, run on the bundled data
# (tests/cli/run_scorecard_examples.sh); deferred to where the agglo target exists.
function(agglo_add_scorecard_examples_test)
  if(AGGLO_BUILD_TESTS)
    add_test(NAME scorecard_help_examples
             COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/run_scorecard_examples.sh $<TARGET_FILE:agglo> ${CMAKE_SOURCE_DIR})
  endif()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL agglo_add_scorecard_examples_test)
