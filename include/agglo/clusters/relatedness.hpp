// agglo::clusters — how related two industries are: industry × industry similarity matrices
// (Delgado, Porter & Stern 2016, "Defining clusters of related industries", J. Econ. Geogr.
// 16(1), section 3.1).
//
// Industries are related when they locate together, trade with each other or hire the same
// occupations. Each measure below is an n × n symmetric matrix over the same industries (the
// columns of the region × industry matrix, in that order):
//
//   cor_emp          Pearson correlation across regions of the industries' employment
//                    location quotients LQ_ri = (E_ri / E_r) / (E_i / E)
//   cor_est          the same for establishment counts (when the panel has `establishments`)
//   wcor_emp         the same correlation weighted by the regions' shares of employment
//                    (robust to the noisy LQs of small regions)
//   wcor_est         the weighted correlation for establishment counts
//   coagglomeration  Ellison, Glaeser & Kerr (2010) pairwise co-agglomeration
//                    γ^c_ij = Σ_r (s_ri − x_r)(s_rj − x_r) / (1 − Σ_r x_r²),
//                    s_ri = E_ri / E_i, x_r = E_r / E
//   io               input–output links, the largest of the four shares: i's inputs bought
//                    from j, j's inputs bought from i, i's output sold to j, j's output sold
//                    to i (when an IO table from,to,value is given)
//   occupation       Pearson correlation of the industries' occupation-share vectors (when
//                    an industry × occupation employment table is given)
//   combined         every available matrix's off-diagonal entries standardised to z-scores
//                    and averaged
//
// The formulas, with worked examples, are in docs/methods/cluster-definitions.md. Diagonal
// entries are not used by any consumer (they are 1 for correlations, the formula's value for
// co-agglomeration and IO, 0 for standardised and combined matrices).
//
// Correlations and co-agglomeration are one matrix product each (centre, scale, XᵀX):
// O(R·n²) time, O(R·n + n²) memory, on all threads (TBB, column blocks of fixed width, so the
// result is bit-identical for any thread count). For the national economy (3,000 regions ×
// 1,100 industries) a matrix is 9.7 MB and takes well under a second.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "agglo/data/dense_matrix.hpp"

namespace agglo::clusters {

// Pearson correlation between the columns of `x` (rows are observations, e.g. regions).
// Columns with zero variance correlate 0 with every other column (1 with themselves); their
// indices are appended to `constant` when given. Needs at least 2 rows. O(rows · cols²).
data::DenseMatrix column_correlation(const data::DenseMatrix& x,
                                     std::vector<std::size_t>* constant = nullptr);

// The same by explicit pairwise loops (two passes per pair). A reference for tests only.
data::DenseMatrix column_correlation_reference(const data::DenseMatrix& x);

// Location quotients LQ_ri = (E_ri / E_r) / (E_i / E) of a region × industry matrix of
// non-negative counts (employment or establishments). Regions with E_r = 0 are dropped (the
// result has fewer rows); industries with E_i = 0 get a column of zeros.
data::DenseMatrix location_quotients(const data::DenseMatrix& counts);

// Co-location: the correlation across regions of the industries' location quotients,
// column_correlation(location_quotients(counts)).
data::DenseMatrix lq_correlation(const data::DenseMatrix& counts,
                                 std::vector<std::size_t>* constant = nullptr);

// Co-location weighted by region size: the Pearson correlation of LQ_ri across regions with
// weights w_r = E_r / E (the regions' shares of all counts). The weighted mean of LQ_ri is
// Σ_r w_r LQ_ri = 1, so r^w_ij = Σ_r w_r (LQ_ri − 1)(LQ_rj − 1) / √(Σ_r w_r (LQ_ri − 1)² · Σ_r w_r (LQ_rj − 1)²),
// the cosine of the Pearson residuals (E_ri − E_i x_r) / √(E_i x_r). Unlike the unweighted
// correlation it is not dominated by small regions, where one establishment makes a huge LQ:
// each region counts in proportion to its size, as in co-agglomeration (which weights by x_r²
// and is not normalised). O(R · n²) as one matrix product.
data::DenseMatrix weighted_lq_correlation(const data::DenseMatrix& counts,
                                          std::vector<std::size_t>* constant = nullptr);

// Ellison–Glaeser–Kerr (2010, AER 100(3), eq. 2) pairwise co-agglomeration of industries'
// employment across regions: γ^c_ij = Σ_r (s_ri − x_r)(s_rj − x_r) / (1 − Σ_r x_r²). Industries
// with no employment get 0. Needs 1 − Σ x_r² > 0, i.e. employment in at least two regions
// (input error invalid_value otherwise). O(R · n²) as one matrix product.
data::DenseMatrix coagglomeration(const data::DenseMatrix& employment);

// The same by explicit pairwise loops; a reference for tests only.
data::DenseMatrix coagglomeration_reference(const data::DenseMatrix& employment);

// A table of (a, b, value) rows: IO flows from → to, or industry × occupation employment.
struct CodeTable {
  std::vector<std::string> a, b;
  std::vector<double> value;
  std::size_t size() const { return value.size(); }
};

// Input–output links (DPS 2016, "IO-max"): for industries i, j
//   IO_ij = max( f_ji / in_i, f_ij / in_j, f_ij / out_i, f_ji / out_j ),
// with f_ij the value of i's output bought by j (a row from=i, to=j), in_i = Σ_k f_ki the
// total inputs of i and out_i = Σ_k f_ik its total output, both summed over every row of the
// table (so flows to final demand or to industries outside `industries` count in the totals).
// A share with a zero denominator is 0. Repeated (from, to) rows are summed. Rows naming
// industries outside `industries` are counted in `unmatched` (when given) and otherwise only
// enter the totals. O(rows + n²).
data::DenseMatrix io_max_share(const std::vector<std::string>& industries, const CodeTable& flows,
                               std::size_t* unmatched = nullptr);

// Occupation similarity (DPS 2016, "Occ-Pearson"): the Pearson correlation across occupations
// of the industries' occupation shares e_io / Σ_o e_io, from rows (industry, occupation,
// employment). Industries absent from the table correlate 0 with all others; they are
// counted in `missing` when given. O(occupations · n²).
data::DenseMatrix occupation_similarity(const std::vector<std::string>& industries,
                                        const CodeTable& occupations, std::size_t* missing = nullptr);

// z-scores of the off-diagonal entries: (m_ij − μ) / σ with μ, σ the mean and population
// standard deviation over the pairs i ≠ j; the diagonal is set to 0. σ = 0 gives all zeros.
data::DenseMatrix standardise_off_diagonal(const data::DenseMatrix& m);

// The combined measure: the average of standardise_off_diagonal(m) over the given matrices
// (all n × n); diagonal 0.
data::DenseMatrix combine_standardised(const std::vector<const data::DenseMatrix*>& matrices);

// The rows and columns `keep` of a square matrix, in that order.
data::DenseMatrix submatrix(const data::DenseMatrix& m, const std::vector<std::size_t>& keep);

// The measures by name, in the order they are computed and written.
// cor_emp, cor_est, wcor_emp, wcor_est, coagglomeration, io, occupation
std::vector<std::string> relatedness_measure_names();

struct RelatednessInput {
  std::vector<std::string> industries;  // the columns of `employment`
  data::DenseMatrix employment;         // regions × industries, non-negative
  data::DenseMatrix establishments;     // same shape, or empty (0 × 0) when not available
  const CodeTable* io = nullptr;          // from,to,value
  const CodeTable* occupations = nullptr; // industry,occupation,employment
};

struct RelatednessMeasure {
  std::string name;          // one of relatedness_measure_names()
  data::DenseMatrix values;  // n × n, symmetric
};

struct Relatedness {
  std::vector<std::string> industries;
  std::vector<RelatednessMeasure> measures;  // the available (and requested) ones
  data::DenseMatrix combined;                // combine_standardised over `measures`
  std::vector<std::string> warnings;         // constant industries, unmatched IO codes…
  const RelatednessMeasure* find(const std::string& name) const;
};

// Computes the requested measures (`measures` empty = every one the input allows) and the
// combined one. Requesting a measure the input cannot give (io without an IO table) is a
// usage error (missing_option); an input with fewer than 2 regions holding employment is an
// input error (empty_input). O(R · n² + IO rows + occupations · n²).
Relatedness compute_relatedness(const RelatednessInput& input,
                                const std::vector<std::string>& measures = {});

// The same measures restricted to the industries `keep` (indices into r.industries), with the
// combined measure re-standardised over the kept pairs only.
Relatedness restrict_relatedness(const Relatedness& r, const std::vector<std::size_t>& keep);

}  // namespace agglo::clusters
