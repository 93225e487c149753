# L3 structure: input–output analysis, development blocks, resilience (issue 17), and the
# time-series estimators they share from L2 stats (ADF, Johansen, VECM, Granger).
set(AGGLO_STRUCTURE_SOURCES
  src/stats/time_series.cpp
  src/stats/johansen.cpp
  src/stats/johansen_critical_values.cpp
  src/structure/input_output.cpp
  src/structure/structure_inputs.cpp
  src/structure/regional_io.cpp
  src/structure/supply_risk.cpp
  src/structure/blocks.cpp
  src/structure/resilience.cpp
  src/structure/synthetic.cpp
  src/api/ops/structure.cpp
  src/api/ops/structure_io.cpp
  src/api/ops/structure_blocks.cpp
  src/api/ops/structure_resilience.cpp
  src/api/ops/demo_structure.cpp
)
set(AGGLO_STRUCTURE_TEST_SOURCES
  tests/unit/stats/test_time_series.cpp
  tests/unit/structure/test_input_output.cpp
  tests/unit/structure/test_regional_io.cpp
  tests/unit/structure/test_blocks.cpp
  tests/unit/structure/test_resilience.cpp
)
set(AGGLO_STRUCTURE_BENCH_SOURCES
)
