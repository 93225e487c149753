// agglo::scorecard — cluster scorecards: the 17 criteria of the policy note's "Metrics" table
// (data/reference/cluster_metrics_catalog.csv, 7 categories) measured for every region ×
// cluster from the data at hand, and each region-cluster benchmarked against the same cluster
// in other regions and against peer groups ("Industry Analysis and Benchmarking").
//
// Every criterion the data support is computed with its definition, unit, direction and data
// source (criteria(), docs/methods/scorecard.md); a criterion the data cannot support is listed
// as missing with the input that would supply it, never invented. Measures come from the
// engine: cluster employment, LQs, the US Cluster Mapping Project's strong flag and the
// European Cluster Observatory's stars from clusters::cluster_map; RCA from complexity::rca.
//
// Benchmarking (benchmark()): for criterion k and cell (r, c), the peers are the regions with a
// value of k for cluster c — all of them, and the peer groups of the same size class (terciles
// of regional employment), LQ class (< 1, 1–2, ≥ 2) and region type (level) —
//   percentile  = 100 (rank − 1)/(n − 1), rank the average rank of d·x among the n peers
//   gap_to_median = d (x − median),  gap_to_frontier = d (x − best), best = max of d·x
// strength: percentile ≥ 75; weakness: ≤ 25 (with at least min_peers peers, else neutral);
// robust: the assessment holds in every peer group with at least min_peers peers, and at least
// one group besides "all" has that many.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agglo/clusters/cluster_map.hpp"
#include "agglo/data/economy.hpp"
#include "agglo/data/table.hpp"
#include "agglo/scorecard/composite.hpp"

namespace agglo::scorecard {

struct Criterion {
  std::string name;        // the catalogue's criterion (or a derived indicator)
  std::string category;    // the catalogue's category
  std::string metric;      // the measure used, snake_case
  std::string definition;  // what is computed
  std::string unit;
  int direction = 1;       // 1: higher is better
  std::string source;      // the input it comes from
};

// The 17 catalogue criteria with, for each, the input that supplies it (for missing.csv).
struct CatalogueEntry {
  std::string category, criterion, needs;
};
const std::vector<CatalogueEntry>& catalogue();

struct ScorecardInput {
  measure::RegionIndustryMatrix employment;          // regions × industries, the mapped year
  std::optional<data::DenseMatrix> establishments;   // same shape (employment file's column)
  std::optional<data::DenseMatrix> wages;
  std::optional<data::DenseMatrix> employment_from;  // a base year (growth)
  int growth_years = 0;
  clusters::ClusterDefinitions definitions;
  std::vector<double> area_km2;                      // per region row (NaN unknown; empty: none)
  std::vector<std::string> region_type;              // per region row ("" unknown; empty: none)
  const data::Establishments* plants = nullptr;      // establishments file (rnd, patents, sales, exports)
  const data::ActorNetwork* network = nullptr;       // actor network (node region, cluster, type)
  const data::Panel* exports = nullptr;              // location = region, product = industry
  // Inter-industry flows (an input–output table: from → to, value); when given, supplier
  // network density is the share of the cluster's inputs made by industries present in the
  // region, instead of supply ties.
  struct Flow {
    std::string from, to;
    double value = 0;
  };
  std::vector<Flow> io;
  clusters::ClusterMapParams map_params = clusters::preset_params("us-cmp");
};

// Values of every supported criterion for every region × cluster with employment.
struct ScorecardData {
  std::vector<std::string> regions, clusters;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> cells;  // (region, cluster)
  std::vector<Criterion> criteria;
  std::vector<std::vector<double>> values;                     // [criterion][cell], NaN = none
  std::vector<std::pair<std::string, std::string>> missing;    // criterion, needs
  std::vector<std::string> size_class, lq_class, region_type;  // per cell: peer groups
  bool across_clusters = false;  // peers are all cells (cluster initiatives), not the same cluster
  std::vector<std::string> warnings;
};

ScorecardData compute_metrics(const ScorecardInput& input);

// Cluster initiatives (survey::Initiative: firms, employees, sales) as units of one region:
// the criteria those figures support (employment levels; turnover per employee as a derived
// productivity measure; average firm size).
struct InitiativeRow {
  std::string name;
  double firms = 0, employees = 0, sales = 0;
};
ScorecardData initiative_metrics(const std::vector<InitiativeRow>& initiatives, const std::string& region);

struct BenchmarkParams {
  double strength = 75, weakness = 25;
  std::size_t min_peers = 5;
};

struct Benchmark {
  // region,cluster,criterion,value,percentile,assessment,category,metric,unit,direction,peers,
  // peer_median,gap_to_median,frontier,gap_to_frontier,robust
  data::Table cards;
  // region,cluster,criterion,peer_group,group,peers,percentile,peer_median,frontier,assessment
  data::Table peers;
  std::size_t strengths = 0, weaknesses = 0, robust = 0;
};
Benchmark benchmark(const ScorecardData& data, const BenchmarkParams& params = {});

// The scorecard's criteria as an indicator table and tree for the composite index: units are
// regions, grouped by cluster (IndicatorData::by), criteria → categories → index, each with
// its direction; criteria without variation in a cluster are dropped by the pipeline.
std::pair<IndicatorTree, IndicatorData> index_inputs(const ScorecardData& data);

}  // namespace agglo::scorecard
