// agglo::structure — input–output analysis of an inter-industry table (Leontief 1936; Miller &
// Blair 2009, "Input–Output Analysis", 2nd ed.). Formulas in docs/methods/structure.md.
//
// Notation: z_ij the flow from industry i (seller, row) to industry j (buyer, column), x_j gross
// output, f_i final demand, v_j value added.
//   technical coefficients   a_ij = z_ij / x_j                      (Leontief, demand side)
//   allocation coefficients  b_ij = z_ij / x_i                      (Ghosh 1958, supply side)
//   Leontief inverse         L = (I − A)⁻¹,  x = L f
//   Ghosh inverse            G = (I − B)⁻¹,  x' = v' G
//   backward linkage         BL_j = Σ_i L_ij       (Rasmussen 1956 "power of dispersion"; the
//                                                   simple output multiplier)
//   forward linkage          FL_i = Σ_j G_ij       (supply-side, as Miller & Blair 2009 §12.2
//                                                   recommend; Σ_j L_ij is kept as
//                                                   forward_leontief, Rasmussen's "sensitivity")
//   normalised               BL_j / mean(BL), FL_i / mean(FL)   (Rasmussen–Hirschman indices)
//   key sector               both normalised indices > 1 (Hirschman 1958; Miller & Blair §12.2)
//   influence vector         Acemoglu, Carvalho, Ozdaglar & Tahbaz-Salehi (2012, Econometrica
//                            80(5), eq. 6): v = (α/n) [I − (1 − α) W']⁻¹ 1 with W_ij = z_ji / Σ_k z_ki
//                            the share of j in i's intermediate purchases and α = Σ v / Σ x; v sums
//                            to 1 and v_j is how much a productivity shock to j moves aggregate
//                            output. With the observed final demand shares β = f / Σ f the same
//                            object is L β (= x / Σ f, Hulten's theorem), reported as `influence`.
//
// Hypothetical extraction (Dietzenbacher & Lahr 2013; Miller & Blair §12.2.5, after
// Dietzenbacher & van der Linden 1997), each in closed form from L and G (O(n) per sector by
// the Sherman–Morrison identity, checked against brute-force re-inversion in the tests):
//   backward  column j of A set to 0 (j buys nothing from the others):
//             loss = x_j (Σ_i L_ij − 1) / L_jj
//   forward   row j of B set to 0 (j sells nothing to the others):
//             loss = x_j (Σ_k G_jk − 1) / G_jj
//   total     row and column j removed; the rest keep their final demand:
//             x̄_{−j} = x_{−j} − L_{−j,j} x_j / L_jj, loss = Σ x − Σ x̄_{−j} = x_j Σ_i L_ij / L_jj
// A set S of sectors is extracted by re-solving the reduced systems exactly (O(n³)).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace agglo::structure {

// A square inter-industry table, dense, with its totals. flows[i * n + j] = z_ij.
struct IoTable {
  std::vector<std::string> industries;
  std::vector<double> flows;         // n × n, row-major
  std::vector<double> output;        // x
  std::vector<double> final_demand;  // f (x − Σ_j z_ij when the totals file does not give it)
  std::vector<double> value_added;   // v (x − Σ_i z_ij when not given)
  std::size_t size() const { return industries.size(); }
  double z(std::size_t i, std::size_t j) const { return flows[i * size() + j]; }
};

struct IoOptions {
  // Refuse a table whose I − A has a reciprocal condition number below this (LU estimate).
  double min_rcond = 1e-12;
  // Industries to extract together (empty: none); each single sector is always extracted.
  std::vector<std::string> extract_set;
  bool keep_matrices = false;  // keep A, L, G in the result (tests; small tables)
};

struct Linkage {
  double backward = 0, forward = 0;            // Σ_i L_ij, Σ_j G_ij
  double backward_norm = 0, forward_norm = 0;  // divided by the mean over industries
  double forward_leontief = 0;                 // Σ_j L_ij
  double forward_leontief_norm = 0;
  bool key_sector = false;                     // both normalised > 1
  std::string linkage_class;                   // key, backward, forward, weak
};

struct Multiplier {
  double output = 0;       // Σ_i L_ij (type I output multiplier)
  double value_added = 0;  // Σ_i v_i/x_i L_ij (value added per unit of final demand for j)
  double domar_weight = 0; // x_j / Σ v: the Acemoglu et al. (2012) influence vector under
                           // Hulten's theorem (a 1 % shock to j moves aggregate output by this %)
  double influence = 0;    // (L β)_j, β = f / Σ f: the influence vector of the observed economy
                           // (equals x_j / Σ f, the Domar weight when Σ f = Σ v)
  double influence_network = 0;  // Acemoglu et al. (2012) eq. (6): v = (α/n)[I − (1−α)W']⁻¹ 1,
                                 // from the network alone (equal final shares, one α)
  double own_share = 0;    // L_jj / Σ_i L_ij: share of the multiplier staying in j
};

struct Extraction {
  double backward_loss = 0, forward_loss = 0, total_loss = 0;  // in units of output
  double backward_share = 0, forward_share = 0, total_share = 0;  // loss / Σ x
};

struct SetExtraction {
  std::vector<std::string> members;
  double backward_loss = 0, forward_loss = 0, total_loss = 0;
  double backward_share = 0, forward_share = 0, total_share = 0;
  std::vector<double> forward_output;  // x̄ of every industry after the forward extraction
};

struct IoAnalysis {
  std::vector<std::string> industries;
  std::vector<Linkage> linkages;
  std::vector<Multiplier> multipliers;
  std::vector<Extraction> extraction;
  std::vector<SetExtraction> set_extraction;  // at most one: IoOptions::extract_set
  double total_output = 0;
  double rcond = 0;           // reciprocal condition estimate of I − A
  double max_column_sum = 0;  // max_j Σ_i a_ij (< 1 for a productive table)
  double alpha = 0;           // Σ v / Σ x: the primary-input share of the influence network
  double influence_l2 = 0;    // ‖v_network‖₂: aggregate volatility scales with it (Acemoglu et al.
                              // 2012, Theorem 2); 1/√n when every industry is equally central
  std::vector<std::string> warnings;
  std::vector<double> a, l, g;  // n × n row-major, only with keep_matrices
};

// Technical coefficients, inverses, linkages, multipliers and every single-sector extraction.
// Throws invalid input (exit 3) for a negative flow, a non-positive output, or an I − A that is
// singular, ill-conditioned (rcond < min_rcond) or not productive (L with a negative entry).
// O(n³) time (two dense LU factorisations and inversions), O(n²) memory.
IoAnalysis analyse_io(const IoTable& table, const IoOptions& options = {});

// Output lost when the sectors in `members` (indices) are extracted: backward (their columns
// of A zeroed), forward (their rows of B zeroed), total (their rows and columns removed). Exact
// re-solution, O(n³). Used for sets and, in tests, to check the closed forms.
SetExtraction extract_sectors(const IoTable& table, const std::vector<std::size_t>& members);

}  // namespace agglo::structure
