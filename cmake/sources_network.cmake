# L1 network: actor networks, brokerage, communities, governance (issue 6; seeds 000, 001, 004).
set(AGGLO_NETWORK_SOURCES
  src/network/graph.cpp
  src/network/structural_holes.cpp
  src/network/brokerage.cpp
  src/network/detail/igraph_session.cpp
  src/network/centrality.cpp
  src/network/communities.cpp
  src/network/multilevel.cpp
  src/network/governance.cpp
  src/network/triple_helix.cpp
  src/network/network_inputs.cpp
  src/api/ops/network.cpp
)
set(AGGLO_NETWORK_TEST_SOURCES
)
set(AGGLO_NETWORK_BENCH_SOURCES
)
