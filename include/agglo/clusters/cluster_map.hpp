// agglo::clusters — cluster strength and maps: how strong each region is in each cluster of
// related industries, by the rules of the US Cluster Mapping Project (Delgado, Porter & Stern
// 2016; clustermapping.us) and the star ratings of the European Cluster Observatory (ECO 2008;
// Ketels & Protsiv 2014). Formulas and rules are written out in docs/methods/cluster-map.md.
//
// Notation (regions r of one level L, industries i, clusters c with member sets I_c):
//   E_rc = Σ_{i∈I_c} E_ri                cluster employment of region r
//   D_r  = denominator employment of r    all industries (A_r), traded (T_r) or local (L_r)
//   LQ_rc = (E_rc / D_r) / (E_c / D)      with E_c = Σ_{r∈L} E_rc, D = Σ_{r∈L} D_r
//   share_rc = E_rc / E_c                 region's share of the cluster's national employment
//   focus_rc = E_rc / A_r                 cluster's share of the region's employment
// The LQ itself comes from measure::specialisation (one formula in the code base).
//
// Strength rules, per cluster c and level L over U_c = {r ∈ L : E_rc > 0, LQ_rc finite},
// n = |U_c| ≥ min_regions, with Q_p(x) the type-7 (linear) sample quantile over U_c:
//   qualifying   E_rc > Q_size(E) and N_rc > Q_size(N) (establishments, when known),
//                E_rc ≥ min_employment, N_rc ≥ min_establishments
//   significant  qualifying and LQ_rc ≥ strong_lq                      (LQ ≥ 1)
//   strong_cmp   significant and LQ_rc ≥ Q_strong(LQ)                  (top quartile)
//   top_strong   strong_cmp and LQ_rc ≥ Q_top(LQ)                      (top decile)
// ECO stars: size (share_rc ≥ Q_{1−eco_top}(share)), specialisation (LQ_rc ≥ eco_lq),
//   focus (focus_rc ≥ Q_{1−eco_top}(focus)), productivity (wage per employee W_rc/E_rc ≥
//   Q_{1−eco_top}, only when wages are given); stars = their number, 0…4.
// `strong` is strong_cmp (rule cmp) or stars ≥ strong_stars (rule stars).
//
// Change between a base year 0 and the mapped year 1 (when employment_from is given): the base
// year is mapped by the same rules (LQ_rc⁰, strong⁰), CAGR, the shift-share decomposition of
// E_rc¹ − E_rc⁰ (measure::shift_share on the level's regions, clusters as sectors, all
// employment A_r as the region totals: national growth, cluster mix, competitive effects after
// Dunn 1960, the competitive effect split after Esteban-Marquillas 1972), and
//   z_rc = (E_rc¹ − (1 + G) E_rc⁰) / √((1 + G)(E_rc⁰ + E_rc¹))    G = A¹/A⁰ − 1 of the level
// (growth beyond the level's, in units of Poisson counting noise; measure::excess_growth_z).
// An emerging region-cluster is one on the way to becoming strong:
//   emerging  LQ_rc¹ > LQ_rc⁰ (LQ_rc⁰ = 0 for a cluster new to the region), E_rc¹ > E_rc⁰,
//             z_rc ≥ emerging_z (so it also grows faster than the level's total employment),
//             E_rc¹ ≥ emerging_min_employment, and not strong in the base year.
//
// Degenerate input is a documented result: a level with one region gives LQ = 1 everywhere
// and no quantiles, so every flag and star is false (a warning says so); a cluster present in
// fewer than min_regions regions of a level gets no flags (warning).
//
// Complexity: O(R·I) to aggregate industries into clusters, O(R·C log R) for the quantiles
// and ranks; memory O(R·C) besides the input matrix.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "agglo/data/dense_matrix.hpp"
#include "agglo/data/economy.hpp"
#include "agglo/data/table.hpp"
#include "agglo/measure/region_industry_matrix.hpp"

namespace agglo::clusters {

// A cluster's kind follows its industries: traded, local, a mix of both, or unknown.
enum class ClusterKind : std::uint8_t { unknown, traded, local, mixed };
std::string_view to_string(ClusterKind kind);

// An industry → cluster partition: the US benchmark definitions, or define-clusters output.
struct ClusterDefinitions {
  std::vector<std::string> names;   // cluster names, in order of first appearance
  std::vector<ClusterKind> kinds;   // per cluster; unknown when the file gives none
  std::vector<std::string> industries;   // member industry codes
  std::vector<std::uint32_t> cluster_of;  // per member: index into names

  // Adds `industry` to `cluster` (creating the cluster); returns the cluster index.
  // An industry belongs to one cluster only; readers check that before calling add().
  std::uint32_t add(const std::string& industry, const std::string& cluster,
                    ClusterKind kind = ClusterKind::unknown);
  std::size_t size() const { return names.size(); }
};

// Which employment the LQ is relative to (Delgado, Porter & Stern 2016 use traded employment
// for traded clusters). by_cluster_kind: traded clusters on traded employment, local clusters
// on local employment, mixed or unknown ones on all employment.
enum class LqDenominator { by_cluster_kind, total, traded, local };
enum class StrongRule { cmp, stars };

// Every threshold of the rules above. preset_params("us-cmp" | "eco") gives the published
// settings; any field can then be changed.
struct ClusterMapParams {
  LqDenominator denominator = LqDenominator::by_cluster_kind;
  StrongRule strong_rule = StrongRule::cmp;
  // US Cluster Mapping Project
  double size_quantile = 0.25;    // employment and establishments above this quantile
  double strong_lq = 1.0;         // minimum LQ of a significant / strong cluster
  double strong_quantile = 0.75;  // LQ at or above this quantile: strong
  double top_quantile = 0.90;     // LQ at or above this quantile: top-10 % strong
  double min_employment = 0;      // absolute floors (0 = none)
  double min_establishments = 0;
  std::size_t min_regions = 2;    // fewer regions with employment: no flags for the cluster
  // European Cluster Observatory
  double eco_top = 0.10;          // size, focus, productivity stars: the top share of regions
  double eco_lq = 2.0;            // specialisation star: LQ at or above
  int strong_stars = 2;           // rule stars: strong when stars ≥ this
  // Emerging region-clusters (with a base year)
  double emerging_z = 3.0;              // growth beyond the level's, in Poisson standard errors
  double emerging_min_employment = 50;  // jobs in the mapped year
};

// "us-cmp" or "eco"; throws usage error unknown_preset otherwise.
ClusterMapParams preset_params(const std::string& name);
std::vector<std::string> preset_names();

struct ClusterMapInput {
  measure::RegionIndustryMatrix employment;        // regions × industries, one year
  std::optional<data::DenseMatrix> establishments; // same shape, when known
  std::optional<data::DenseMatrix> wages;          // wage bill, same shape, when known
  // Change: employment of an earlier year (same shape) and the years between the two; the
  // base year's establishments and wages (same shape, when known) for its strength flags.
  std::optional<data::DenseMatrix> employment_from;
  std::optional<data::DenseMatrix> establishments_from, wages_from;
  int growth_years = 0;
  // Per region row: its level ("county"…); empty = all regions form one level.
  std::vector<std::string> region_levels;
  // Per industry column: traded/local (empty or unknown entries: not known).
  std::vector<data::IndustryKind> industry_kinds;
};

struct ClusterMap {
  // region,cluster,employment,lq,strong,[level],kind,[establishments],share,rank,percentile,
  // lq_rank,lq_percentile,focus,qualifying,significant,strong_cmp,top_strong,star_size,
  // star_specialisation,star_focus,[wage_per_employee,star_productivity],stars,
  // [employment_from,cagr,lq_from,lq_change,strong_from,employment_change,national_effect,
  // mix_effect,competitive_effect,homothetic_effect,allocation_effect,growth_z,emerging].
  // Rows with employment > 0 in the year or the base year (all cells with `all_cells`), regions
  // in input order, clusters in definition order.
  data::Table cells;
  // Per level × cluster: regions with employment, national employment, the cut-offs used
  // (and with a base year: employment_from, cagr, emerging).
  data::Table clusters;
  // Per region: total, traded, local, clustered and unclustered employment, strong clusters
  // (and with a base year: emerging_clusters, emerging_list).
  data::Table regions;
  // Industries of the employment matrix in no cluster: industry,kind,employment.
  data::Table unclustered;
  std::vector<std::string> unknown_industries;  // in the definitions, not in the matrix
  double unclustered_employment = 0;
  std::vector<std::string> warnings;
  std::size_t strong_cells = 0;
  std::size_t emerging_cells = 0;
  double national_growth = std::numeric_limits<double>::quiet_NaN();  // G of all regions (with a base year)
};

// The cluster map of `input` under `definitions` and `params`. Industries of the definitions
// missing from the matrix are listed in unknown_industries (a warning, not an error);
// industries of the matrix in no cluster are summed as "unclustered" and listed.
// Input errors: a traded/local denominator without any industry of that kind.
ClusterMap cluster_map(const ClusterMapInput& input, const ClusterDefinitions& definitions,
                       const ClusterMapParams& params, bool all_cells = false);

// Industry × industry relatedness links (industry_a, industry_b, value), e.g. the output of
// `agglo relatedness`. Links are read as undirected.
struct IndustryLinks {
  std::vector<std::string> a, b;
  std::vector<double> value;
};

// Related clusters (Delgado, Porter & Stern 2016, "related clusters" of the US Cluster Mapping
// Project): a link is "top" when its value is at or above the `quantile` (0.9: top decile) of
// all link values between distinct industries; for clusters A ≠ B,
//   related_AB = #{i ∈ A : i has a top link to some j ∈ B} / |A|.
// Returns cluster_a,cluster_b,share,industries_linked,industries_a for pairs with share > 0
// and share ≥ min_share, sorted by cluster_a then share descending. Industries of the links
// unknown to the definitions are ignored. O(links + Σ_A |A|·C).
data::Table related_clusters(const ClusterDefinitions& definitions, const IndustryLinks& links,
                             double quantile = 0.9, double min_share = 0.0,
                             double* threshold = nullptr);

// Sums the rows of `m` into `targets` groups: row r goes to group target[r] (rows with a
// negative target are dropped). Used to roll counties up to Economic Areas or states.
data::DenseMatrix roll_up_rows(const data::DenseMatrix& m, const std::vector<std::int64_t>& target,
                               std::size_t targets);

// The type-7 sample quantile (linear interpolation between order statistics; R's default,
// Hyndman & Fan 1996) of `sorted` (ascending, non-empty) at probability p ∈ [0, 1].
double quantile_sorted(const std::vector<double>& sorted, double p);

}  // namespace agglo::clusters
