// agglo::structure — how exposed industries and clusters are to their suppliers (issue 17 §4):
// the concentration of each industry's inputs, and the output lost when a cluster's supplier
// block fails. Formulas in docs/methods/structure.md §4b.
//
// Supplier concentration of buyer j, from the flows z_ij (seller i):
//   input shares         s_ij = z_ij / Σ_k z_kj
//   Herfindahl           H_j = Σ_i s_ij²  (Herfindahl 1950; 1/H_j the effective number of suppliers)
//   supplier regions     with regional employment E_ir and no inter-regional flow data, industry i's
//                        sales are assumed to come from its regions in proportion to employment
//                        (the national-pool assumption of non-survey IO): q_rj = Σ_i z_ij E_ir / E_iN,
//                        H^reg_j = Σ_r (q_rj / Σ_r q_rj)². A value near 1 says the inputs come from
//                        one place whatever the industry mix.
// A cluster's supplier block (for clusters C given as sets of industries): the industries outside
// C ranked by their sales to C, Σ_{j∈C} z_ij, taken in that order until they cover `cover` of C's
// purchases from outside C. Its failure is the forward (supply-side, Ghosh) hypothetical
// extraction of the block (Dietzenbacher & van der Linden 1997): the block stops selling to
// everyone, and the output of the others falls by what their supply-constrained production loses:
//   x̄' = v'(I − B̄)⁻¹ with the block's rows of B = X̂⁻¹Z set to zero;
//   cluster loss = Σ_{j∈C} (x_j − x̄_j), economy loss = Σ_j (x_j − x̄_j).
// O(n²) for the concentrations, O(n³) per cluster for the extraction.
#pragma once

#include <string>
#include <vector>

#include "agglo/structure/input_output.hpp"
#include "agglo/structure/regional_io.hpp"

namespace agglo::structure {

struct SupplierConcentration {
  std::string industry;
  double intermediate_share = 0;  // Σ_i z_ij / x_j
  double hhi = 0;                 // NaN without intermediate inputs
  double effective_suppliers = 0; // 1 / hhi
  std::string top_supplier;
  double top_share = 0;
  double region_hhi = 0;          // NaN without employment
  std::string top_region;
  double top_region_share = 0;
};

// `where` (optional) gives regional employment of the table's industries (employment_matrix with
// the table's industry list).
std::vector<SupplierConcentration> supplier_concentration(const IoTable& table, const EmploymentMatrix* where);

struct ClusterSupplyRisk {
  std::string cluster;
  std::vector<std::string> members, suppliers;
  double outside_input = 0;       // Σ_{i∉C} Σ_{j∈C} z_ij
  double covered = 0;             // the block's share of it
  double cluster_output = 0;      // Σ_{j∈C} x_j
  double cluster_loss = 0, cluster_loss_share = 0;  // forward extraction of the block
  double economy_loss = 0, economy_loss_share = 0;  // Σ_j (x_j − x̄_j) / Σ x
};

// `clusters`: (name, member indices). A cluster covering every industry, or buying nothing from
// outside, has no supplier block (empty suppliers, zero losses).
std::vector<ClusterSupplyRisk> cluster_supply_risk(const IoTable& table,
                                                   const std::vector<std::pair<std::string, std::vector<std::size_t>>>& clusters,
                                                   double cover);

}  // namespace agglo::structure
