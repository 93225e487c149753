# L2 stats (survival: Cox, Kaplan–Meier, concordance; classification metrics) and L3 dynamics
# (issue 18: entry prediction, staggered difference in differences, synthetic control).
set(AGGLO_DYNAMICS_SOURCES
  src/stats/cox.cpp
  src/stats/concordance.cpp
  src/stats/kaplan_meier.cpp
  src/stats/classification.cpp
  src/dynamics/staggered_did.cpp
  src/dynamics/synthetic_programme.cpp
  src/dynamics/synthetic_control.cpp
  src/dynamics/synthetic_spells.cpp
  src/api/ops/dynamics_input.cpp
  src/api/ops/survival.cpp
  src/api/ops/evaluate.cpp
  src/api/ops/entry.cpp
  src/api/ops/dynamics.cpp
  src/api/ops/demo_dynamics.cpp
)
set(AGGLO_DYNAMICS_TEST_SOURCES
  tests/unit/dynamics/test_survival.cpp
  tests/unit/dynamics/test_did.cpp
  tests/unit/dynamics/test_entry.cpp
)
set(AGGLO_DYNAMICS_BENCH_SOURCES
)
