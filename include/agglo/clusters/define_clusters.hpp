// agglo::clusters — cluster definitions: groups of related industries, following Delgado,
// Porter & Stern (2016), "Defining clusters of related industries", J. Econ. Geogr. 16(1).
//
// The algorithm (DPS 2016, figure 1):
//   1. separate traded from local industries (traded ones concentrate in a few regions);
//   2. build industry × industry similarity matrices (clusters/relatedness.hpp);
//   3. run clustering functions over a grid of parameters — hierarchical agglomerative
//      clustering (average, complete, Ward linkage), k-medoids and spectral clustering, for
//      every number of clusters k in a range and several seeds — each giving a candidate set
//      of cluster definitions;
//   4. score every candidate with validation scores on every similarity matrix (VS-Cluster:
//      share of clusters more related within than to any other cluster; VS-Ind: share of
//      industries more related to their own cluster than to any other) and choose the best by
//      a documented rule;
//   5. report outlier industries (less related to their own cluster than to another one).
// Every formula and rule is written out in docs/methods/cluster-definitions.md.
//
// Conventions: labels are 0-based cluster indices, renumbered in order of first appearance
// (so two label vectors are equal exactly when the partitions are); similarity matrices are
// n × n, symmetric, larger = more related; dissimilarities are ≥ 0 with a zero diagonal.
// Randomised steps draw from core::Stream(seed, stream_id(method), k · 4096 + draw), so the
// result depends on (seed, k, draw) only, never on threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agglo/clusters/relatedness.hpp"
#include "agglo/data/dense_matrix.hpp"

namespace agglo::clusters {

// ---- comparing partitions ------------------------------------------------------------------

// Adjusted Rand index of two labelings of the same items (Hubert & Arabie 1985, J. Classif. 2,
// 193–218): (Σ_ij C(n_ij,2) − E) / (½[Σ_i C(a_i,2) + Σ_j C(b_j,2)] − E) with
// E = Σ_i C(a_i,2) Σ_j C(b_j,2) / C(n,2), n_ij the contingency table and a, b its margins.
// 1 for identical partitions (up to renaming), ≈ 0 for independent ones, can be negative.
// Defined as 1 when both partitions are trivial (all in one cluster, or all singletons, in
// both). Labels are arbitrary integers. O(n log n).
double adjusted_rand_index(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b);

// Renumbers labels 0, 1, 2… in order of first appearance.
std::vector<int> canonical_labels(const std::vector<int>& labels);

// ---- clustering functions (src/clusters/clustering.cpp) -----------------------------------

// Dissimilarity from similarity: d_ij = max_{k≠l} s_kl − s_ij for i ≠ j, d_ii = 0, so the
// most related pair is at distance 0 and every distance is ≥ 0.
data::DenseMatrix dissimilarity_from_similarity(const data::DenseMatrix& s);

enum class Linkage { average, complete, ward };
std::string_view to_string(Linkage l);
std::vector<std::string> linkage_names();  // average, complete, ward
Linkage linkage_from_string(const std::string& name);  // usage error for unknown names

// One merge of the dendrogram. Items 0…n−1 are the leaves; merge m creates node n + m.
struct Merge {
  std::size_t a, b;   // the merged nodes, a < b
  double height;      // the linkage dissimilarity at which they merge
  std::size_t size;   // items in the new node
};

// Hierarchical agglomerative clustering of a dissimilarity matrix by the nearest-neighbour
// chain algorithm (Murtagh 1983; Müllner 2011, arXiv:1109.2378) with Lance–Williams updates
// (Lance & Williams 1967):
//   average   d(k, m) = (n_i d(i, m) + n_j d(j, m)) / (n_i + n_j)        (UPGMA)
//   complete  d(k, m) = max(d(i, m), d(j, m))
//   ward      d(k, m) = ((n_i + n_m) d(i, m) + (n_j + n_m) d(j, m) − n_m d(i, j)) / (n_i + n_j + n_m)
// where k = i ∪ j. For Ward the input is read as squared Euclidean distances (as the
// Lance–Williams form of Ward's criterion assumes); with d = ‖x_i − x_j‖² the height is
// 2 n_i n_j / (n_i + n_j) ‖c_i − c_j‖², twice the increase of the within-cluster sum of squares.
// All three linkages are reducible, so the chain gives the exact dendrogram; the n − 1 merges
// are returned sorted by height (ties keep the order in which they were found, which is
// deterministic: ties between neighbours go to the lowest index). O(n²) time and memory.
std::vector<Merge> agglomerate(const data::DenseMatrix& dissimilarity, Linkage linkage);

// The partition into k clusters given by the first n − k merges (canonical labels).
std::vector<int> cut_tree(const std::vector<Merge>& merges, std::size_t n, std::size_t k);

// k-medoids (Kaufman & Rousseeuw 1990): initialised with k-medoids++ (medoid m+1 drawn with
// probability ∝ d(x, nearest medoid); Arthur & Vassilvitskii 2007) from
// core::Stream(seed, stream_id("k-medoids"), k · 4096 + draw), improved by alternating
// assignment and medoid update (Park & Jun 2009) and then by PAM swaps until no swap of a
// medoid with a non-medoid lowers the cost (FastPAM1 bookkeeping with eager swaps, Schubert &
// Rousseeuw 2021). At most 100 rounds of each. Returns canonical labels; `cost` (when given)
// receives Σ_i d(i, medoid(i)). O(n²) per swap pass plus O(n) per swap made.
std::vector<int> k_medoids(const data::DenseMatrix& dissimilarity, std::size_t k, std::uint64_t seed,
                           std::uint64_t draw, double* cost = nullptr);

// Lloyd's k-means on the rows of `points` (n × dims), k-means++ initialisation from
// core::Stream(seed, stream_id(stream), k · 4096 + draw); an emptied cluster is re-seeded with
// the point farthest from its centre. At most 100 rounds. Canonical labels.
std::vector<int> k_means(const data::DenseMatrix& points, std::size_t k, std::uint64_t seed, std::uint64_t draw,
                         std::string_view stream = "k-means");

// Spectral clustering (Ng, Jordan & Weiss 2002). The affinity is the positive part of the
// standardised similarity, a_ij = max(0, z_ij) (i ≠ j), a_ii = 0: industry pairs more related
// than the average pair are linked, with weight growing with their relatedness. The embedding
// holds the eigenvectors of L = D^{-1/2} A D^{-1/2} (D = diag of row sums; isolated items keep
// a zero row) for the `dims` largest eigenvalues, in decreasing order. O(n³) once (Eigen's
// SelfAdjointEigenSolver); every k then reuses it.
struct SpectralEmbedding {
  data::DenseMatrix vectors;   // n × dims
  std::vector<double> values;  // the eigenvalues, decreasing
};
SpectralEmbedding spectral_embedding(const data::DenseMatrix& similarity, std::size_t dims);

// k clusters from the first k embedding vectors: rows normalised to unit length, then k_means.
std::vector<int> spectral_clusters(const SpectralEmbedding& embedding, std::size_t k, std::uint64_t seed,
                                   std::uint64_t draw);

// ---- validation scores (src/clusters/validation.cpp) --------------------------------------

// How well a partition fits one similarity matrix S (DPS 2016, section 3.3). With rel(i, c) =
// mean_{j ∈ c, j ≠ i} s_ij the relatedness of industry i to cluster c:
//   own(i)        = rel(i, c(i)); for a singleton, 0 (the mean of a standardised matrix)
//                   when `singleton_own_zero`, else NaN (and the industry fails VS-Ind)
//   WCR_c         = mean_{i<j ∈ c} s_ij       (within-cluster relatedness; NaN for singletons)
//   BCR_cc'       = mean_{i ∈ c, j ∈ c'} s_ij (between-cluster relatedness)
//   VS-Cluster    = share of clusters c with WCR_c > max_{c' ≠ c} BCR_cc'
//   VS-Cluster-pairs = share of ordered pairs (c, c'), c ≠ c', with WCR_c > BCR_cc'
//   VS-Ind        = share of industries with own(i) > max_{c ≠ c(i)} rel(i, c)
//   margin        = mean_i [own(i) − max_{c ≠ c(i)} rel(i, c)], on the matrix as given
// Singleton clusters fail VS-Cluster. With one cluster every score is 1 (nothing to compare).
// O(n² + n·k + k²).
struct Validation {
  double vs_cluster = 0, vs_cluster_pairs = 0, vs_ind = 0, margin = 0;
  std::size_t clusters = 0, singletons = 0;
  // Per industry (filled when `detail`):
  std::vector<double> own, best_other;
  std::vector<int> best_other_cluster;  // −1 with a single cluster
  // Per cluster (filled when `detail`):
  std::vector<std::size_t> size;
  std::vector<double> within, between_mean, between_max;  // between_mean: to all other industries
  std::vector<int> closest;  // the cluster c' with the largest BCR_cc' (−1 with one cluster)
};
Validation validate_clusters(const data::DenseMatrix& similarity, const std::vector<int>& labels,
                             bool detail = false, bool singleton_own_zero = true);

// Reassigns industries less related to their own cluster than to another (DPS 2016, step 5:
// outliers) to the cluster they are most related to: for i in order, if
// max_{c ≠ c(i)} rel(i, c) > own(i) (means as in validate_clusters), i moves there and the
// sums are updated; rounds repeat until nothing moves or `max_rounds`. Singletons stay. A
// cluster can empty (k shrinks). Returns the number of moves; labels end canonical. O(n²)
// once plus O(n) per move and O(n·k) per round.
std::size_t reassign_outliers(const data::DenseMatrix& similarity, std::vector<int>& labels,
                              std::size_t max_rounds = 20);

// ---- traded vs local (src/clusters/define_clusters.cpp) -----------------------------------

// Locational Gini coefficient of every industry (Krugman 1991; Audretsch & Feldman 1996):
// regions sorted by LQ_ri = s_ri / x_r ascending give the Lorenz curve of the industry's
// employment shares s_ri = E_ri / E_i against the regions' shares of all employment
// x_r = E_r / E, and G_i = 1 − Σ_k x_(k) (Y_(k−1) + Y_(k)), Y_(k) = Σ_{m ≤ k} s_(m)i: 0 when the
// industry is spread like all employment, towards 1 when it sits in a small region. Industries
// with no employment get 0. O(n · R log R).
std::vector<double> locational_gini(const data::DenseMatrix& employment);

// Otsu's (1979) threshold: the cut between two groups of values that maximises the
// between-group variance w₀ w₁ (μ₀ − μ₁)²; the midpoint between the two values at the cut.
// Needs at least 2 distinct values (else +∞: nothing is above it).
double otsu_threshold(const std::vector<double>& values);

// ---- the whole algorithm ----------------------------------------------------------------

struct DefineClustersOptions {
  std::size_t k_min = 0, k_max = 0;  // 0 = automatic: round(n / 20) … round(n / 6), at least 2
  std::size_t k_step = 1;
  std::vector<std::string> methods = {"hierarchical", "kmedoids", "spectral"};
  std::vector<std::string> linkages = {"average", "complete", "ward"};
  std::size_t seeds = 5;                 // draws of each randomised method per k
  std::uint64_t seed = 20240601;
  // The matrices the clustering functions see: "auto" (wcor_est when available, else
  // wcor_emp, else combined), "combined", measure names, or "all" (the combined one and every
  // measure; DPS 2016 make the matrix one of the grid's parameters).
  std::vector<std::string> cluster_on = {"auto"};
  double tolerance = 0.03;               // selection: candidates within this of the best score
  std::string selection = "finest";      // among those: "finest" (most clusters) or "margin"
  double margin_tolerance = 0.1;         // "finest": margin at least (1 − this) × the best margin
  std::size_t reassign_rounds = 20;      // rounds of reassign_outliers on every candidate (0 = off)
};

std::vector<std::string> clustering_method_names();  // hierarchical, kmedoids, spectral

// One candidate set of cluster definitions with its scores.
struct Candidate {
  std::string on;               // the clustering matrix: "combined" or a measure name
  std::string method, linkage;  // linkage empty for k-medoids and spectral
  std::size_t k = 0;            // requested
  std::size_t clusters = 0;     // obtained (k-means may merge)
  int draw = -1;                // seed index for randomised methods, −1 otherwise
  std::vector<int> labels;
  std::size_t reassigned = 0;      // industries moved by reassign_outliers
  std::vector<Validation> scores;  // one per measure of the Relatedness, then the combined one
  double vs_cluster = 0, vs_ind = 0;  // means over the measures (not the combined)
  double score = 0;                 // (vs_cluster + vs_ind) / 2
  double margin = 0;                // mean over the measures of the margin on the standardised measure
  bool chosen = false;
};

struct ClusterDefinition {
  std::vector<std::string> industries;
  std::vector<std::string> measures;  // names of the scored matrices (then "combined")
  std::vector<Candidate> candidates;
  std::size_t chosen = 0;             // index into candidates
  std::vector<int> labels;            // the chosen partition
  Validation fit;                     // detail of the chosen partition on the combined measure
  std::vector<bool> outlier;          // own(i) ≤ max other rel(i, c) on the combined measure
  std::vector<std::string> warnings;
};

// Steps 3–5 on one group of industries (all traded, or all local). Every candidate of the grid
// (clustering matrix × {hierarchical per linkage, k-medoids, spectral} × k × draw, in that
// order) is reassigned (reassign_outliers) and scored on every measure (standardised) and the
// combined one. Selection ("finest"): among candidates with score ≥ best − `tolerance` and
// margin ≥ best eligible margin − `margin_tolerance` · |best eligible margin|, the one with the
// most clusters, then the higher score, then the larger margin, then the first in grid order;
// ("margin"): the largest margin among candidates within `tolerance`. Outliers and `fit` are
// judged on the combined measure. Groups of fewer than 3 industries are one cluster.
// O(grid · (measures + 1) · n²) plus one O(n³) eigen-decomposition per clustering matrix for
// spectral; the grid runs on all threads, with results independent of their number.
ClusterDefinition define_clusters(const Relatedness& relatedness, const DefineClustersOptions& options);

}  // namespace agglo::clusters
