// agglo::structure — regional resilience to a recession from region × industry × year
// employment (formulas and references in docs/methods/structure.md).
//
// With E_ir(t) employment of industry i in region r, E_r = Σ_i E_ir, E_iN = Σ_r E_ir,
// E_N = Σ_i E_iN, and the years t0 (pre-recession peak, --from), t1 (trough), t2 (--to):
//   sensitivity (Martin 2012, eq. 1)   β_r = (ΔE_r / E_r(t0)) / (ΔE_N / E_N(t0)) over t0 → t1
//                                      (> 1: the region fell more than the nation)
//   expected change (shift share)      (ΔE_r)^e = Σ_i g_iN E_ir(t0),  g_iN = ΔE_iN / E_iN(t0)
//   resistance (Martin, Sunley, Gardiner & Tyler 2016, eq. 3)
//                                      Resis_r = (ΔE_r − (ΔE_r)^e) / |(ΔE_r)^e| over t0 → t1
//   recovery (ibid., eq. 4)            Recov_r = (ΔE_r − (ΔE_r)^e) / |(ΔE_r)^e| over t1 → t2,
//                                      with the national industry rates of the recovery
//   recovery sensitivity (Martin 2012) β_r over t1 → t2
//   diversity                          Shannon entropy −Σ_i s_ir ln s_ir of the t0 structure
//   variety (Frenken, Van Oort & Verburg 2007, Regional Studies 41(5), in bits), with industries
//   grouped into sectors g (e.g. 4-digit codes in 2-digit sectors), P_g = Σ_{i∈g} s_ir:
//     entropy            E  = Σ_i s_i log₂(1/s_i)
//     unrelated variety  UV = Σ_g P_g log₂(1/P_g)                    (spread across sectors)
//     related variety    RV = Σ_g P_g H_g, H_g = Σ_{i∈g} (s_i/P_g) log₂(P_g/s_i)  (within them)
//   and E = UV + RV exactly. An industry without a group is a sector of its own.
// Resistance > 0: the region lost fewer jobs than its industry mix predicts. An expected change of
// zero leaves the index empty (NaN). O(cells).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "agglo/data/economy.hpp"

namespace agglo::structure {

struct RegionResilience {
  std::string region;
  double employment_from = 0, employment_trough = 0, employment_to = 0;
  double sensitivity = 0, resistance = 0, expected_change = 0, actual_change = 0;
  double recovery = 0, recovery_sensitivity = 0, recovery_expected_change = 0, recovery_actual_change = 0;
  double diversity = 0;
  double entropy = 0, unrelated_variety = 0, related_variety = 0;  // NaN without groups
};

struct ResilienceResult {
  std::vector<RegionResilience> regions;
  double national_contraction = 0;  // ΔE_N / E_N over t0 → t1
  double national_recovery = 0;     // over t1 → t2 (NaN without t2)
  std::vector<std::string> warnings;
};

// `panel` must have years; from < trough (< to when given), each present in the panel (usage
// error listing the years otherwise). A national contraction of zero makes the sensitivity
// undefined: invalid input.
// `groups`: the sector of each industry code, for the variety measures (empty: not computed).
ResilienceResult resilience(const data::Panel& panel, int from, int trough, std::optional<int> to,
                            const std::string& source, const std::unordered_map<std::string, std::string>& groups = {});

}  // namespace agglo::structure
