# L3 survey: firm-level evidence (issue 7; seeds 000 and 002).
set(AGGLO_SURVEY_SOURCES
  src/api/ops/survey.cpp
)
set(AGGLO_SURVEY_TEST_SOURCES
)
set(AGGLO_SURVEY_BENCH_SOURCES
)
