// agglo::simulate — is there a cluster? The ecosystem model asks the engine's own detection
// rule at its observation times instead of comparing a firm count with a threshold.
//
// The simulated industry s is one column of a region × industry employment matrix whose other
// column is each region's employment in every other industry (the background B_r: from the
// workspace employment table, or a parameter). The US Cluster Mapping Project rule (Delgado,
// Porter & Stern 2016; clusters::cluster_map with the "us-cmp" preset, total-employment
// denominator) is then applied to s as a one-industry cluster, over the regions with E_r > 0:
//   LQ_r = (E_r / (E_r + B_r)) / (Σ_q E_q / Σ_q (E_q + B_q))             location quotient
//   qualifying_r  E_r > Q_0.25(E) and N_r > Q_0.25(N)   (N_r firms = establishments)
//   significant_r qualifying_r and LQ_r ≥ 1
//   strong_r      significant_r and LQ_r ≥ Q_0.75(LQ)                    (top quartile)
// with Q_p the type-7 sample quantile over the regions with employment (cluster-map.md).
// `cluster_detected` of a region is `strong_r`. The rule is relative: a region is strong when
// it stands out among the regions that host the industry, so a region whose cluster is as
// large as every other region's is not "strong" — the opposite of the mean-field flag, which
// asks whether the region's own dynamics sit above its critical mass (docs/methods/simulate.md
// compares the two).
//
// Complexity: O(R log R) per call (the quantiles); memory O(R).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace agglo::simulate {

struct RegionDetection {
  std::vector<double> lq;                 // per region; NaN where E_r + B_r = 0
  std::vector<std::uint8_t> significant;  // qualifying and LQ ≥ 1
  std::vector<std::uint8_t> strong;       // the US CMP strong rule: cluster_detected
  std::size_t strong_regions = 0;
};

// `codes` name the regions (for the cluster-map call); firms, employment and background have
// one entry per region. Calls clusters::cluster_map (the engine's cluster-mapping code path).
RegionDetection detect_clusters(const std::vector<std::string>& codes, const std::vector<double>& firms,
                                const std::vector<double>& employment, const std::vector<double>& background);

// The same rule written out directly (sorting and type-7 quantiles, no cluster-map code): the
// reference the tests compare detect_clusters() with.
RegionDetection detect_clusters_reference(const std::vector<double>& firms, const std::vector<double>& employment,
                                          const std::vector<double>& background);

}  // namespace agglo::simulate
