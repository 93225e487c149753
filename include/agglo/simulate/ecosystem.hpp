// agglo::simulate — the productive-ecosystem model (issue 8, seeds 000 and 003).
//
// Firms are agents (structure-of-arrays: region, employees, knowledge, age) in R regions laid
// out on a square grid one distance unit apart; region 0 is the focal region a policy targets.
// One step is dt years. Each step, synchronously (every firm reads last step's regional
// aggregates, so firm updates are independent and run on threads):
//   exit        with probability δ_eff dt (1 + c n_r/cap_r)          congestion and rents
//   innovate    with probability ι dt (1 + s S_r/(1+S_r))            S_r: spillovers,
//               S_r = Σ_q I_q e^{−d_rq/ℓ} / scale, I_q = last step's innovations in q
//               an innovation adds one unit of knowledge and 10 % employees
//   grow        employees × (1 + g dt (b_r − c n_r/cap_r) + noise)    b_r = n_r²/(h²+n_r²): labour
//                                                                     pooling, input sharing
//   relocate    with probability m dt: compare a random region q; move if its benefit
//               b_q − c n_q/cap_q exceeds the own by more than the moving cost
// then regions draw entrants: Poisson(dt (α_r + γ_r n_r²/(h_r²+n_r²))) — spontaneous entry
// plus spin-offs and attraction that saturate with the region's size (Brenner 2004).
// Institutions (universities, research centres, cluster organisations) are region-level
// agents whose presence is expressed through the levers below (they raise γ, lower h, add
// spillovers); they are not individual agents in this version.
//
// Mean field of a region (relocation neglected): dn/dt = α + γ n²/(h²+n²) − δ n (1 + c n/cap),
// Brenner's process with congestion; its fixed points give the critical mass, and the least
// budget of a policy mix is the smallest scale of the mix at which the focal region's low
// state disappears (or the anchor firms it brings already exceed the critical mass).
//
// Policy levers (catalogue ../shared/data/cluster_policy_tools_catalog.csv), per unit of level,
// on the focal region — illustrative effect sizes and unit costs, not calibrated estimates:
//   grant    Grants and Subsidies                       α += 1.0                 cost 1.0
//   tax      Tax Incentives                             δ /= (1 + 0.05 level)    cost 1.0
//   venture  Venture Capital and Investment Funds       α += 0.6, g += 10 %      cost 0.8
//   rnd      R&D Grants and Innovation Vouchers         ι ×(1+0.25), γ ×(1+0.02) cost 1.0
//   incubator Incubators and Accelerators               α += 0.5, δ /= (1+0.02)  cost 0.7
//   skills   Skills Training Programs                   h /= (1 + 0.04 level)    cost 1.0
//   park     Industrial Parks and Innovation Hubs       cap ×(1+0.2), α += 0.2   cost 1.5
//   export   Export Promotion Programs                  δ /= (1 + 0.03 level)    cost 0.8
//   network  Cluster Associations, B2B Networking       γ ×(1 + 0.04 level)      cost 0.5
//   anchor   Attracting an anchor foreign firm          +10 firms at start, α += 0.3   cost 3.0
#pragma once

#include <string>
#include <vector>

#include "agglo/data/table.hpp"
#include "agglo/simulate/model.hpp"

namespace agglo::simulate::ecosystem {

struct Lever {
  std::string name;      // parameter name (`grant`)
  std::string catalog;   // the tool's name in the policy catalogue
  double unit_cost;
};
const std::vector<Lever>& levers();

// Effective mean-field rates of the focal region under the levers in p.
struct FocalRates {
  double alpha, gamma, h, delta, congestion, capacity, anchor_firms;
  double drift(double n) const;
};
FocalRates focal_rates(const Params& p);
// Fixed points of the focal region's mean field (ascending).
std::vector<double> focal_fixed_points(const Params& p);
// True when the focal region's mean field, started from its initial firms (n_focal + anchor
// firms), ends in the high state.
bool cluster_forms(const Params& p);
// Budget Σ level·unit cost of the levers in p.
double budget(const Params& p);

// A policy mix: relative weights of levers. min_budget scales the mix until cluster_forms()
// (bisection on the scale; +inf when the mix cannot do it within `max_budget`).
struct Mix {
  std::string name;
  std::vector<std::pair<std::string, double>> weights;
};
std::vector<Mix> standard_mixes();
double min_budget(const Params& base, const Mix& mix, double max_budget = 200.0);
// The parameters with `budget` spent on the mix: lever i gets level w_i·budget / Σ_j w_j·cost_j
// added to its level in `base`.
Params with_mix(const Params& base, const Mix& mix, double budget);
// Every standard mix with its least budget, ranked cheapest first (table: rank, mix, levers,
// min_budget, levels at that budget).
data::Table rank_mixes(const Params& base);

// A single run that may start from and end in a checkpoint (AgentStore file).
struct CheckpointRun {
  data::Table steps;
  std::vector<std::pair<std::string, double>> metrics;
};
CheckpointRun run_with_checkpoint(const Params& p, std::uint64_t seed, std::int64_t steps,
                                  const std::string& resume, const std::string& checkpoint);

}  // namespace agglo::simulate::ecosystem
