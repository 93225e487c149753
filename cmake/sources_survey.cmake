# L3 survey: firm-level evidence (issue 7; seeds 000 and 002).
set(AGGLO_SURVEY_SOURCES
  src/stats/binary_model.cpp
  src/survey/diamond.cpp
  src/survey/responses.cpp
  src/survey/model_frame.cpp
  src/survey/share_tables.cpp
  src/survey/likert.cpp
  src/survey/initiatives.cpp
  src/api/ops/survey.cpp
)
set(AGGLO_SURVEY_TEST_SOURCES
  tests/unit/stats/test_binary_model.cpp
  tests/unit/survey/test_survey_analyses.cpp
)
set(AGGLO_SURVEY_BENCH_SOURCES
)
