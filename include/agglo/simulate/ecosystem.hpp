// agglo::simulate — the productive-ecosystem model (Osarenkhoe & Fjellström 2017; the cluster policy note).
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
// Institutions are agents too (ecosystem_world.hpp; docs/methods/simulate.md, "institutions"),
// each with a region, a level and its own state and random stream, acting every step after the
// firms: a university (level L) trains workers — its trained stock G follows
// G ← G + dt (1 − G)/τ_U and the region's half-saturation becomes h / Π_u (1 + a_u G_u),
// a_u = θ_U L (+ 0.04·skills for the focal region's first university: the Skills Training lever
// is run by a university, founded by the lever if the region has none) — spins off
// Poisson(σ_U L dt) firms and emits κ_U L innovations a year into the spillover field; a
// research centre keeps collaboration ties with up to round(K_R L) firms of its region (random
// partners, replaced when they exit or leave) whose innovation probability is × (1 + φ), and
// emits κ_R L innovations a year; a cluster organisation (level L, + `network` for the focal
// region's first one: the Cluster Associations lever funds it, founding one if needed)
// recruits each non-member firm of its region with probability μ dt, ties every new member to
// k random members, and brokers Poisson(dt γ_r c_B L b_r) entrants (referrals, attraction).
// Firm–firm ties (membership, or a ties file) carry innovations: a firm whose m partners
// innovated last step innovates with probability 1 − (1 − p)(1 − τ)^m (τ = tie_spill).
//
// Cluster detection: at every observation the regions' employment and firm counts go through
// the engine's own US Cluster Mapping "strong" rule (cluster_detection.hpp); cluster_detected
// is the focal region's flag, cluster_meanfield the old comparison with the critical mass.
//
// Mean field of a region (relocation neglected): dn/dt = α + γ n²/(h²+n²) − δ n (1 + c n/cap),
// with the institutions' expected effect at their steady state (G = 1): α += Σ_univ σ_U L,
// γ ×= (1 + c_B Σ_org L), h ÷= Π_univ (1 + a_u); research centres and ties change innovation,
// which does not enter dn/dt.
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

#include <memory>
#include <string>
#include <vector>

#include "agglo/data/table.hpp"
#include "agglo/simulate/ecosystem_world.hpp"
#include "agglo/simulate/model.hpp"

namespace agglo::simulate::ecosystem {

struct Lever {
  std::string name;      // parameter name (`grant`)
  std::string catalog;   // the tool's name in the policy catalogue
  double unit_cost;
};
const std::vector<Lever>& levers();

// Effective mean-field rates of the focal region under the levers in p, with the institutions
// of the focal region (those of `world`, those the parameters place there, those the levers
// found) at their expected steady-state effect. world = nullptr: the synthetic grid.
struct FocalRates {
  double alpha, gamma, h, delta, congestion, capacity, anchor_firms;
  double drift(double n) const;
};
FocalRates focal_rates(const Params& p, const World* world = nullptr);
// Fixed points of the focal region's mean field (ascending).
std::vector<double> focal_fixed_points(const Params& p, const World* world = nullptr);
// True when the focal region's mean field, started from its initial firms (n_focal + anchor
// firms, or the world's initial firms of the focal region), ends in the high state.
bool cluster_forms(const Params& p, const World* world = nullptr);
// The institutions a run starts with: the world's, `universities`, `research_centres` and
// `cluster_orgs` of level 1 in the focal region, and the ones the skills and network levers
// found in the focal region when it has none of that type.
std::vector<Institution> institutions(const Params& p, const World& world);
// Budget Σ level·unit cost of the levers in p.
double budget(const Params& p);

// A policy mix: relative weights of levers. min_budget scales the mix until cluster_forms()
// (bisection on the scale; +inf when the mix cannot do it within `max_budget`).
struct Mix {
  std::string name;
  std::vector<std::pair<std::string, double>> weights;
};
std::vector<Mix> standard_mixes();
double min_budget(const Params& base, const Mix& mix, double max_budget = 200.0, const World* world = nullptr);
// The parameters with `budget` spent on the mix: lever i gets level w_i·budget / Σ_j w_j·cost_j
// added to its level in `base`.
Params with_mix(const Params& base, const Mix& mix, double budget);
// Every standard mix with its least budget, ranked cheapest first (table: rank, mix, levers,
// min_budget, levels at that budget).
data::Table rank_mixes(const Params& base, const World* world = nullptr);

// The ecosystem model on a given geography (the registered "ecosystem" model uses the grid).
std::unique_ptr<Model> make_model(std::shared_ptr<const World> world);

// A single run that may start from and end in a checkpoint (AgentStore file).
struct CheckpointRun {
  data::Table steps;
  data::Table regions;  // per-region end state (as RunResult::regions)
  std::vector<std::pair<std::string, double>> metrics;
};
// Checkpoints hold model version 2 ("ecosystem-v2": institutions and ties); a file of another
// model version, parameter set, seed or geography is refused with an input error.
CheckpointRun run_with_checkpoint(const Params& p, std::uint64_t seed, std::int64_t steps,
                                  const std::string& resume, const std::string& checkpoint,
                                  const World* world = nullptr);


}  // namespace agglo::simulate::ecosystem
