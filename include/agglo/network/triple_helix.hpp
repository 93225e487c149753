// agglo::network — Triple Helix synergy: mutual information in three dimensions (Leydesdorff
// 2003; Leydesdorff & Fritsch 2006, "Measuring the knowledge base of regional innovation
// systems in Germany in terms of a Triple Helix dynamics", Research Policy 35: 1538–1553).
//
// For three categorical attributes of firms x, y, z (e.g. geography × technology ×
// organisation) with the joint distribution p(x, y, z) of (weighted) firm counts, in bits:
//   H_x   = −Σ p(x) log2 p(x)   and likewise H_y, H_z, H_xy, H_xz, H_yz, H_xyz
//   T_xy  = H_x + H_y − H_xy                                  (two-dimensional, ≥ 0)
//   T_xyz = H_x + H_y + H_z − H_xy − H_xz − H_yz + H_xyz      (McGill 1954; can be negative)
// Sign convention (Leydesdorff): a NEGATIVE T_xyz is synergy — the configuration reduces the
// uncertainty that prevails at the level of the three dimensions. Examples: z = x xor y with
// x, y independent fair bits gives T = −1 bit; three copies of one fair bit give T = +1 bit.
//
// Decomposition by a grouping g (e.g. regions, Leydesdorff & Fritsch 2006, eq. 5):
//   T = Σ_g (n_g / N) T_g + ΔT
// where T_g is the synergy within group g and ΔT the in-between-group synergy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace agglo::network {

struct TripleHelix {
  double n = 0;  // total weight (firms)
  double h_x = 0, h_y = 0, h_z = 0, h_xy = 0, h_xz = 0, h_yz = 0, h_xyz = 0;
  double t_xy = 0, t_xz = 0, t_yz = 0, t_xyz = 0;
};

// x, y, z: category codes per firm; weight: per firm or empty (each firm 1). O(N log N).
TripleHelix triple_helix(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y,
                         const std::vector<std::uint32_t>& z, const std::vector<double>& weight = {});

struct TripleHelixGroup {
  std::uint32_t group = 0;
  TripleHelix t;
};
struct TripleHelixDecomposition {
  TripleHelix total;
  std::vector<TripleHelixGroup> groups;  // by group code
  double within = 0;                     // Σ_g (n_g/N) T_g
  double between = 0;                    // ΔT = T − within
};
TripleHelixDecomposition triple_helix_by(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y,
                                         const std::vector<std::uint32_t>& z, const std::vector<std::uint32_t>& group,
                                         const std::vector<double>& weight = {});

}  // namespace agglo::network
