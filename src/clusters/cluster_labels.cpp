// Cluster labels: best-overlapping benchmark cluster, else the largest industries (see
// cluster_labels.hpp).
#include "agglo/clusters/cluster_labels.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace agglo::clusters {

double benchmark_coverage(const std::vector<std::string>& industries, const BenchmarkClusters& b) {
  if (industries.empty()) return 0;
  std::size_t in = 0;
  for (const auto& code : industries) in += b.of.count(code);
  return static_cast<double>(in) / static_cast<double>(industries.size());
}

std::vector<ClusterLabel> label_clusters(const std::vector<std::string>& industries,
                                         const std::vector<std::int64_t>& cluster_of,
                                         const std::vector<double>& employment, const BenchmarkClusters* benchmark,
                                         const std::unordered_map<std::string, std::string>& names,
                                         const LabelOptions& o) {
  const std::size_t n = industries.size();
  const bool use_benchmark = benchmark && benchmark_coverage(industries, *benchmark) >= o.min_coverage;
  // |B_b| over the industries present in the data.
  std::map<std::int64_t, std::size_t> bench_size;
  std::map<std::int64_t, std::string> bench_name;
  if (use_benchmark)
    for (const auto& code : industries) {
      const auto it = benchmark->of.find(code);
      if (it == benchmark->of.end()) continue;
      ++bench_size[it->second.first];
      bench_name[it->second.first] = it->second.second;
    }
  std::map<std::int64_t, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < n; ++i) members[cluster_of[i]].push_back(i);
  std::vector<ClusterLabel> out;
  for (const auto& [c, m] : members) {
    ClusterLabel l;
    l.cluster = c;
    l.jaccard = std::numeric_limits<double>::quiet_NaN();
    if (use_benchmark) {
      std::map<std::int64_t, std::size_t> shared;
      for (std::size_t i : m) {
        const auto it = benchmark->of.find(industries[i]);
        if (it != benchmark->of.end()) ++shared[it->second.first];
      }
      double best = -1;
      std::size_t best_shared = 0;
      for (const auto& [b, k] : shared) {
        const double j = static_cast<double>(k) / static_cast<double>(m.size() + bench_size[b] - k);
        // larger J, then more shared industries, then the smaller id (map order)
        if (j > best || (j == best && k > best_shared)) {
          best = j;
          best_shared = k;
          l.benchmark_id = b;
          l.benchmark = bench_name[b];
        }
      }
      l.jaccard = best < 0 ? 0.0 : best;
      if (best > o.min_jaccard) {
        l.label = l.benchmark;
        l.source = "benchmark";
      }
    }
    if (l.label.empty()) {
      std::vector<std::size_t> order = m;
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return employment[a] > employment[b]; });
      const std::size_t k = std::min(o.top, order.size());
      for (std::size_t t = 0; t < k; ++t) {
        const auto it = names.find(industries[order[t]]);
        l.label += (t ? "; " : "") + (it == names.end() ? industries[order[t]] : it->second);
      }
      if (order.size() > k) l.label += fmt::format(" (+{} more)", order.size() - k);
      l.source = "industries";
    }
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace agglo::clusters
