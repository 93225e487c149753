# L1 network: actor networks, brokerage, communities, governance (issue 6; seeds 000, 001, 004).
set(AGGLO_NETWORK_SOURCES
  src/api/ops/network.cpp
)
set(AGGLO_NETWORK_TEST_SOURCES
)
set(AGGLO_NETWORK_BENCH_SOURCES
)
