// agglo::clusters — names for clusters found by define-clusters.
//
// A found cluster c (its industries S_c) is named after the US benchmark cluster b (Delgado,
// Porter & Stern 2016; data/taxonomy/us_benchmark_clusters_naics2007.csv) it overlaps best,
// when the overlap is a majority of both — the Jaccard index
//
//   J(c, b) = |S_c ∩ B_b| / |S_c ∪ B_b| > `min_jaccard` (default ½),
//
// with B_b restricted to the benchmark industries present in the data (an industry the panel
// does not have cannot be found). J > ½ means the shared industries outnumber those in only
// one of the two, so a found cluster that merges two benchmark clusters of equal size, or holds
// half of one, is not given either name. The benchmark is used only when the codes are NAICS:
// at least `min_coverage` (default ½) of the panel's industries are in it. Otherwise the
// cluster is named by its largest industries by employment: up to `top` names joined by "; ",
// then "(+k more)"; an industry without a name shows its code.
// Complexity: O(n + Σ_c |S_c| · clusters of the benchmark it touches).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace agglo::clusters {

// Benchmark cluster of each industry code: id and name.
struct BenchmarkClusters {
  std::unordered_map<std::string, std::pair<std::int64_t, std::string>> of;
};

struct LabelOptions {
  double min_jaccard = 0.5;
  double min_coverage = 0.5;
  std::size_t top = 2;
};

struct ClusterLabel {
  std::int64_t cluster = 0;
  std::string label;
  std::string source;           // "benchmark" or "industries"
  std::string benchmark;        // best-overlapping benchmark cluster ("" without a benchmark)
  std::int64_t benchmark_id = 0;
  double jaccard = 0;           // J with it (NaN without a benchmark)
};

// Labels of the clusters of `cluster_of` (one id per industry; ids in any order), one per
// distinct id in increasing order. `employment` per industry ranks the industries for names.
// `names` maps code → industry name (may be empty); `benchmark` may be null.
std::vector<ClusterLabel> label_clusters(const std::vector<std::string>& industries,
                                         const std::vector<std::int64_t>& cluster_of,
                                         const std::vector<double>& employment,
                                         const BenchmarkClusters* benchmark,
                                         const std::unordered_map<std::string, std::string>& names,
                                         const LabelOptions& options = {});

// Share of `industries` that the benchmark lists (decides whether the codes are NAICS).
double benchmark_coverage(const std::vector<std::string>& industries, const BenchmarkClusters& benchmark);

}  // namespace agglo::clusters
