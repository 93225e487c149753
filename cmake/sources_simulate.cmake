# L3 simulate: agent-based and analytical models of cluster emergence (issue 8; seeds 000, 003).
set(AGGLO_SIMULATE_SOURCES
  src/api/ops/simulate.cpp
)
set(AGGLO_SIMULATE_TEST_SOURCES
)
set(AGGLO_SIMULATE_BENCH_SOURCES
)
