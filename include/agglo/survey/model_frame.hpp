// agglo::survey — from a responses file and a model description to the design matrix, the
// outcome, weights and clusters that fit_binary_model takes.
//
//   predictors   column names; diamond-derived variables (regional_cluster, scope, …);
//                log(COLUMN) and log1p(COLUMN) transforms (log needs values > 0)
//   categorical  predictors expanded to 0/1 dummies, one per level except the baseline; a
//                dummy is named VARIABLE=LEVEL. The baseline is the one given
//                (--baseline scope=regional), else the first level: regional, national,
//                international for `scope`, sorted order otherwise. `scope` is always
//                categorical (Gjelsvik 2014 Table 6: regional cluster as the baseline, national and
//                international cluster dummies).
//   missing      a row with an empty outcome, predictor, weight or cluster is left out
//                (listwise deletion) and counted in a warning.
//   checks       the outcome must be 0 or 1 (logit, probit and LPM alike), weights > 0; each
//                violation is an input error naming file, line and column.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "agglo/stats/binary_model.hpp"
#include "agglo/survey/diamond.hpp"

namespace agglo::survey {

struct ModelSpec {
  std::string outcome;
  std::vector<std::string> predictors;
  std::vector<std::string> categorical;
  std::vector<std::string> baselines;  // "variable=level"
  std::string weight;                  // column of probability weights ("" = none)
  std::string cluster;                 // column of cluster / PSU ids ("" = none)
  bool intercept = true;
  DiamondRules rules;
};

struct ModelFrame {
  stats::Design design;
  std::vector<double> y, weights;
  std::vector<std::uint32_t> cluster;
  std::size_t rows_read = 0, rows_used = 0;
  // Categorical variables: name and levels, baseline first.
  std::vector<std::pair<std::string, std::vector<std::string>>> levels;
  std::vector<std::string> warnings;
};

ModelFrame load_model_frame(const std::string& path, const ModelSpec& spec);

}  // namespace agglo::survey
