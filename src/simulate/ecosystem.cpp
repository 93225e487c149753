// The productive-ecosystem model; see include/agglo/simulate/ecosystem.hpp for the rules.
#include "agglo/simulate/ecosystem.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/simulate/agents.hpp"
#include "agglo/simulate/cluster_detection.hpp"
#include "agglo/simulate/roots.hpp"

namespace agglo::simulate {

namespace {
Location file_location(const std::string& f) {
  Location l;
  l.file = f;
  return l;
}
}  // namespace
namespace ecosystem {

const std::vector<Lever>& levers() {
  static const std::vector<Lever> v = {
      {"grant", "Grants and Subsidies", 1.0},
      {"tax", "Tax Incentives", 1.0},
      {"venture", "Venture Capital and Investment Funds", 0.8},
      {"rnd", "Research and Development (R&D) Grants; Innovation Vouchers", 1.0},
      {"incubator", "Incubators and Accelerators", 0.7},
      {"skills", "Skills Training Programs", 1.0},
      {"park", "Industrial Parks and Innovation Hubs", 1.5},
      {"export", "Export Promotion Programs", 0.8},
      {"network", "Cluster Associations; B2B Networking Events", 0.5},
      {"anchor", "Attracting an anchor foreign firm", 3.0},
  };
  return v;
}

double FocalRates::drift(double n) const {
  return alpha + gamma * n * n / (h * h + n * n) - delta * n * (1 + congestion * n / capacity);
}

std::vector<Institution> institutions(const Params& p, const World& world) {
  std::vector<Institution> v = world.institutions;
  const auto focal = world.focal;
  auto add = [&](InstitutionType t, double count, const char* name) {
    for (int k = 0; k < static_cast<int>(count); ++k) {
      Institution in;
      in.id = fmt::format("{} {}", name, k + 1);
      in.type = t;
      in.region = focal;
      in.level = 1.0;
      v.push_back(std::move(in));
    }
  };
  add(InstitutionType::university, p.at("universities"), "university");
  add(InstitutionType::research_centre, p.at("research_centres"), "research centre");
  add(InstitutionType::cluster_organisation, p.at("cluster_orgs"), "cluster organisation");
  // Levers run through institutions: skills training by the focal region's university, the
  // cluster-association lever by its cluster organisation; a lever founds one (level 0) where
  // the region has none, so the lever alone has exactly its catalogue effect.
  auto has = [&](InstitutionType t) {
    for (const auto& in : v)
      if (in.type == t && in.region == focal) return true;
    return false;
  };
  auto found = [&](const char* lever, InstitutionType t, const char* id) {
    if (p.at(lever) <= 0 || has(t)) return;
    Institution in;
    in.id = id;
    in.type = t;
    in.region = focal;
    in.level = 0.0;
    in.founded_by_lever = true;
    v.push_back(std::move(in));
  };
  found("skills", InstitutionType::university, "skills training programme");
  found("network", InstitutionType::cluster_organisation, "cluster association");
  return v;
}

namespace {

// What the institutions of one region add, at their steady state (trained stock G = 1):
// spin-offs per year, the product Π(1 + a_u) dividing h, and the brokering level Σ L.
struct InstitutionEffect {
  double spinoffs = 0, h_divisor = 1, broker = 0;
  bool universities = false;
};

// The lever part of an institution: the first university / cluster organisation of the focal
// region carries the skills / network lever.
std::vector<double> lever_levels(const Params& p, const std::vector<Institution>& inst, std::uint32_t focal) {
  std::vector<double> extra(inst.size(), 0.0);
  bool uni = false, org = false;
  for (std::size_t k = 0; k < inst.size(); ++k) {
    if (inst[k].region != focal) continue;
    if (inst[k].type == InstitutionType::university && !uni) { extra[k] = p.at("skills"); uni = true; }
    if (inst[k].type == InstitutionType::cluster_organisation && !org) { extra[k] = p.at("network"); org = true; }
  }
  return extra;
}

// Training strength a_u of a university and brokering level of a cluster organisation.
double training_strength(const Params& p, const Institution& in, double lever) {
  return p.at("univ_training") * in.level + 0.04 * lever;
}
double broker_level(const Institution& in, double lever) { return in.level + lever; }

InstitutionEffect region_effect(const Params& p, const std::vector<Institution>& inst, std::uint32_t region,
                                std::uint32_t focal) {
  InstitutionEffect e;
  const auto extra = lever_levels(p, inst, focal);
  for (std::size_t k = 0; k < inst.size(); ++k) {
    const auto& in = inst[k];
    if (in.region != region) continue;
    if (in.type == InstitutionType::university) {
      e.universities = true;
      e.spinoffs += p.at("univ_spinoff") * in.level;
      e.h_divisor *= 1 + training_strength(p, in, extra[k]);
    } else if (in.type == InstitutionType::cluster_organisation) {
      e.broker += broker_level(in, extra[k]);
    }
  }
  return e;
}

// Institutions of the focal region without building a geography (the grid's focal region
// holds only the parameter- and lever-given ones).
std::vector<Institution> focal_institutions(const Params& p, const World* world) {
  if (world) return institutions(p, *world);
  World none;
  none.focal = 0;
  return institutions(p, none);
}

}  // namespace

FocalRates focal_rates(const Params& p, const World* world) {
  const double s = p.at("scale");
  const auto inst = focal_institutions(p, world);
  const std::uint32_t focal = world ? world->focal : 0;
  const auto e = region_effect(p, inst, focal, focal);
  FocalRates r;
  r.alpha = s * (p.at("alpha") + 1.0 * p.at("grant") + 0.6 * p.at("venture") + 0.5 * p.at("incubator") +
                 0.2 * p.at("park") + 0.3 * p.at("anchor"));
  if (e.universities) r.alpha += e.spinoffs;
  // The network lever (through the cluster organisation) and the organisations' own level:
  // γ (1 + c_B Σ L); with only the lever, c_B = 0.04 per level as in the catalogue table.
  r.gamma = s * p.at("gamma") * (1 + p.at("co_broker") * e.broker) * (1 + 0.02 * p.at("rnd"));
  r.h = e.universities ? s * p.at("h") / e.h_divisor : s * p.at("h");
  r.delta = p.at("delta") / ((1 + 0.05 * p.at("tax")) * (1 + 0.03 * p.at("export")) * (1 + 0.02 * p.at("incubator")));
  r.congestion = p.at("congestion");
  r.capacity = s * p.at("capacity") * (1 + 0.2 * p.at("park"));
  r.anchor_firms = s * 10.0 * p.at("anchor");
  return r;
}

std::vector<double> focal_fixed_points(const Params& p, const World* world) {
  const auto r = focal_rates(p, world);
  const double top = (r.alpha + r.gamma) / r.delta + 1.0;
  return all_roots([&](double n) { return r.drift(n); }, 0.0, top, 20000, 1e-10);
}

namespace {
double initial_focal_firms(const Params& p, const World* world) {
  const double anchor = focal_rates(p, world).anchor_firms;
  if (world && !world->firm_ids.empty()) {
    double n = 0;
    for (auto r : world->firm_region) n += r == world->focal;
    return n + anchor;
  }
  if (world && !world->initial_firms.empty()) return world->initial_firms[world->focal] + anchor;
  return p.at("n_focal") * p.at("scale") + anchor;
}
}  // namespace

bool cluster_forms(const Params& p, const World* world) {
  const auto r = focal_rates(p, world);
  const auto fp = focal_fixed_points(p, world);
  if (fp.empty()) return false;
  const double n0 = initial_focal_firms(p, world);
  // Start above the critical mass (middle root), or only a high state left.
  if (fp.size() >= 3) return n0 > fp[1];
  return fp.front() > r.h;
}

double budget(const Params& p) {
  double b = 0;
  for (const auto& l : levers()) b += p.at(l.name) * l.unit_cost;
  return b;
}

std::vector<Mix> standard_mixes() {
  return {{"grants", {{"grant", 1}}},
          {"tax incentives", {{"tax", 1}}},
          {"venture funds", {{"venture", 1}}},
          {"R&D grants + vouchers", {{"rnd", 1}}},
          {"incubators", {{"incubator", 1}}},
          {"skills training", {{"skills", 1}}},
          {"industrial park", {{"park", 1}}},
          {"export promotion", {{"export", 1}}},
          {"cluster association + networking", {{"network", 1}}},
          {"anchor foreign firm", {{"anchor", 1}}},
          {"networking + skills", {{"network", 1}, {"skills", 1}}},
          {"grants + networking", {{"grant", 1}, {"network", 1}}},
          {"anchor + networking", {{"anchor", 1}, {"network", 2}}},
          {"incubators + venture + networking", {{"incubator", 1}, {"venture", 1}, {"network", 1}}},
          {"balanced (every lever)", {{"grant", 1}, {"tax", 1}, {"venture", 1}, {"rnd", 1}, {"incubator", 1},
                                      {"skills", 1}, {"park", 1}, {"export", 1}, {"network", 1}, {"anchor", 1}}}};
}

Params with_mix(const Params& base, const Mix& mix, double budget_value) {
  Params p = base;
  double unit = 0;  // cost of one unit of the mix
  for (const auto& [name, w] : mix.weights)
    for (const auto& l : levers())
      if (l.name == name) unit += w * l.unit_cost;
  for (const auto& [name, w] : mix.weights) p[name] += w * budget_value / unit;
  return p;
}

double min_budget(const Params& base, const Mix& mix, double max_budget, const World* world) {
  if (cluster_forms(base, world)) return 0.0;
  if (!cluster_forms(with_mix(base, mix, max_budget), world)) return std::numeric_limits<double>::infinity();
  // cluster_forms is monotone in the budget for every lever (each one only raises entry,
  // synergies or initial firms, or lowers exits and h), so bisection finds the threshold.
  return bisect([&](double b) { return cluster_forms(with_mix(base, mix, b), world) ? 1.0 : -1.0; }, 0.0, max_budget, 1e-6);
}

data::Table rank_mixes(const Params& base, const World* world) {
  struct Row { std::string name, levers; double budget; Mix mix; };
  std::vector<Row> rows;
  for (const auto& m : standard_mixes()) {
    std::string lv;
    for (const auto& [n, w] : m.weights) lv += (lv.empty() ? "" : "+") + (w == 1 ? n : fmt::format("{}×{}", w, n));
    rows.push_back({m.name, lv, min_budget(base, m, 200.0, world), m});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.budget < b.budget; });
  data::Table t;
  auto& rk = t.add_integer("rank");
  auto& nm = t.add_text("mix");
  auto& lv = t.add_text("levers");
  auto& bd = t.add_real("min_budget");
  auto& lev = t.add_text("levels");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rk.push_back(static_cast<std::int64_t>(i + 1));
    nm.push_back(rows[i].name);
    lv.push_back(rows[i].levers);
    bd.push_back(rows[i].budget);
    std::string levels;
    if (std::isfinite(rows[i].budget)) {
      const auto p = with_mix(base, rows[i].mix, rows[i].budget);
      for (const auto& l : levers())
        if (p.at(l.name) != base.at(l.name)) levels += fmt::format("{}{}={:.3f}", levels.empty() ? "" : " ", l.name, p.at(l.name));
    }
    lev.push_back(levels);
  }
  return t;
}

// ---- the agent-based simulation ----------------------------------------------------------

namespace {

constexpr std::size_t kChunk = 1 << 15;  // firms per deterministic work chunk

struct Region {
  double x = 0, y = 0;
  double alpha, gamma, h, h_base, delta, capacity, innov, growth;
  double background = 0;
  std::int64_t firms = 0;
  double employment = 0, knowledge = 0;
  std::int64_t innovations = 0;
  double benefit = 0, spill = 0;
};

// An institution while the model runs: the loaded description plus its state.
struct InstitutionState {
  Institution what;
  double lever = 0;      // the lever level it carries (skills, network), focal region only
  double trained = 1.0;  // university: trained-worker stock G ∈ [0, 1] (lever-founded start at 0)
  std::vector<std::uint64_t> partners;  // research centre: partner firm ids (ascending)
  std::int64_t spinoffs = 0, brokered = 0, recruited = 0;
};

class Sim {
 public:
  Sim(const Params& p, std::uint64_t seed, std::shared_ptr<const World> world)
      : p_(p), seed_(seed), world_(world ? std::move(world) : std::make_shared<const World>(grid_world(p))) {
    const auto& w = *world_;
    const std::size_t R = w.size();
    const double s = p.at("scale");
    const auto fr = focal_rates(p, world_.get());
    regions_.resize(R);
    for (std::size_t r = 0; r < R; ++r) {
      auto& g = regions_[r];
      g.x = w.x[r];
      g.y = w.y[r];
      g.background = w.background.empty() ? p.at("background") * s : w.background[r];
      if (r == w.focal) {
        // Entry, synergies and h of the region itself: the institutions' shares are added by
        // them as they act (spin-offs, brokered entry, training), so only the levers are here.
        g.alpha = s * (p.at("alpha") + 1.0 * p.at("grant") + 0.6 * p.at("venture") + 0.5 * p.at("incubator") +
                       0.2 * p.at("park") + 0.3 * p.at("anchor"));
        g.gamma = s * p.at("gamma") * (1 + 0.02 * p.at("rnd"));
        g.h_base = s * p.at("h");
        g.delta = fr.delta; g.capacity = fr.capacity;
        g.innov = p.at("iota") * (1 + 0.25 * p.at("rnd"));
        g.growth = p.at("g") * (1 + 0.1 * p.at("venture"));
      } else {
        g.alpha = s * p.at("alpha_other"); g.gamma = s * p.at("gamma"); g.h_base = s * p.at("h");
        g.delta = p.at("delta"); g.capacity = s * p.at("capacity"); g.innov = p.at("iota"); g.growth = p.at("g");
      }
      g.h = g.h_base;
    }
    const auto inst = institutions(p, w);
    const auto extra = lever_levels(p, inst, w.focal);
    for (std::size_t k = 0; k < inst.size(); ++k) {
      InstitutionState st;
      st.what = inst[k];
      st.lever = extra[k];
      st.trained = inst[k].founded_by_lever ? 0.0 : 1.0;
      institutions_.push_back(std::move(st));
      if (inst[k].type == InstitutionType::cluster_organisation) track_innovations_ = true;
    }
    if (!w.ties.empty()) track_innovations_ = true;
    update_training();
    kernel_ = spillover_kernel(w, p.at("ell"), p.at("kernel_eps"));
    if (p.at("move_radius") > 0) moves_ = region_neighbours(w, p.at("move_radius"));
    if (p.at("rc_radius") > 0) {
      bool any = false;
      for (const auto& st : institutions_) any = any || st.what.type == InstitutionType::research_centre;
      if (any) reach_ = region_neighbours(w, p.at("rc_radius"));
    }
    const auto fp = focal_fixed_points(p, world_.get());
    critical_ = fp.size() >= 3 ? fp[1] : fr.h;
    cf_ = agents_.add_int("region");
    ce_ = agents_.add_real("employees");
    ck_ = agents_.add_real("knowledge");
    ca_ = agents_.add_int("age");
    if (track_innovations_) {
      ci_ = agents_.add_int("innovated");
      cm_ = agents_.add_int("member");
    }
  }

  // Initial firms: counts per region (the model's own start or a continuation state).
  void populate(const std::vector<double>& counts) {
    std::size_t total = 0;
    for (double c : counts) total += static_cast<std::size_t>(std::max(0.0, std::round(c)));
    agents_.reserve(total + total / 4 + 1024);
    const auto& w = *world_;
    for (std::size_t r = 0; r < counts.size() && r < regions_.size(); ++r) {
      const auto n = static_cast<std::size_t>(std::max(0.0, std::round(counts[r])));
      const auto first = agents_.size();
      add_firms(static_cast<int>(r), n, 0);
      // Firms of the workspace employment table share the region's employment equally.
      if (!w.initial_firms.empty() && !w.firm_employees.empty() && w.firm_employees[r] > 0)
        for (std::size_t i = first; i < agents_.size(); ++i) agents_.real(ce_)[i] = std::max(1.0, w.firm_employees[r]);
    }
    ties_ = {};
    aggregate();
  }
  // The establishments of the world, one firm each (ids 0..n−1 in file order), and their ties.
  void populate_establishments() {
    const auto& w = *world_;
    const std::size_t n = w.firm_ids.size();
    agents_.reserve(n + n / 4 + 1024);
    const auto first = agents_.append(n);
    for (std::size_t i = 0; i < n; ++i) {
      agents_.integer(cf_)[first + i] = static_cast<std::int32_t>(w.firm_region[i]);
      agents_.real(ce_)[first + i] = w.firm_employees[i];
    }
    const double anchor = focal_rates(p_, world_.get()).anchor_firms;
    add_firms(static_cast<int>(w.focal), static_cast<std::size_t>(std::max(0.0, std::round(anchor))), 0);
    for (const auto& [a, b] : w.ties) ties_.emplace_back(std::min(a, b), std::max(a, b));
    normalise_ties();
    aggregate();
  }
  bool from_establishments() const { return !world_->firm_ids.empty(); }
  std::vector<double> default_counts() const {
    const auto& w = *world_;
    std::vector<double> c;
    if (!w.initial_firms.empty()) c = w.initial_firms;
    else {
      c.assign(regions_.size(), p_.at("n_other") * p_.at("scale"));
      c[w.focal] = p_.at("n_focal") * p_.at("scale");
    }
    c[w.focal] += focal_rates(p_, world_.get()).anchor_firms;
    return c;
  }

  void add_firms(int r, std::size_t n, std::uint64_t step, std::uint64_t salt = 0) {
    if (!n) return;
    const auto first = agents_.append(n);
    auto& reg = agents_.integer(cf_);
    auto& emp = agents_.real(ce_);
    core::Stream rng(seed_, core::stream_id("ecosystem entry sizes") ^ salt, step * 1000003ULL + static_cast<std::uint64_t>(r));
    for (std::size_t i = first; i < first + n; ++i) {
      reg[i] = r;
      emp[i] = 1.0 + 9.0 * rng.uniform();  // entrants with 1–10 employees
    }
  }

  // One synchronous step: firm updates in parallel chunks, then the institutions, then entry,
  // then aggregates.
  void step() {
    const double dt = p_.at("dt"), m = p_.at("mobility"), c = p_.at("congestion"), mcost = p_.at("move_cost");
    const double sp = p_.at("spillover");
    const auto R = regions_.size();
    const std::size_t n = agents_.size();
    auto& reg = agents_.integer(cf_);
    auto& emp = agents_.real(ce_);
    auto& kno = agents_.real(ck_);
    auto& age = agents_.integer(ca_);
    std::vector<double> p_exit(R), p_innov(R), attract(R), grow(R);
    for (std::size_t r = 0; r < R; ++r) {
      const auto& g = regions_[r];
      const double load = c * static_cast<double>(g.firms) / g.capacity;
      p_exit[r] = std::min(1.0, g.delta * dt * (1 + load));
      p_innov[r] = std::min(1.0, g.innov * dt * (1 + sp * g.spill / (1 + g.spill)));
      attract[r] = g.benefit - load;
      grow[r] = g.growth * dt * (g.benefit - load);
    }
    // Innovations flowing along ties (last step's innovators) and research partnerships.
    const double tau = p_.at("tie_spill"), phi = p_.at("rc_boost");
    std::vector<std::uint16_t> tied_innovators;
    if (tau > 0 && !ties_.empty()) {
      tied_innovators.assign(n, 0);
      const auto& inn = agents_.integer(ci_);
      for (const auto& [a, b] : ties_) {
        const auto ia = index_of(a), ib = index_of(b);
        if (ia == kNone || ib == kNone) continue;
        if (inn[ia] && tied_innovators[ib] < UINT16_MAX) ++tied_innovators[ib];
        if (inn[ib] && tied_innovators[ia] < UINT16_MAX) ++tied_innovators[ia];
      }
    }
    std::vector<std::uint8_t> partner;
    for (const auto& st : institutions_) {
      if (st.what.type != InstitutionType::research_centre || st.partners.empty()) continue;
      if (partner.empty()) partner.assign(n, 0);
      for (auto id : st.partners)
        if (const auto i = index_of(id); i != kNone) partner[i] = 1;
    }
    std::int32_t* innovated = track_innovations_ ? agents_.integer(ci_).data() : nullptr;
    const std::uint64_t what = core::stream_id("ecosystem firm");
    const std::uint64_t t = step_;
    const std::size_t chunks = (n + kChunk - 1) / kChunk;
    std::vector<std::uint8_t> dead(n, 0);
    tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t ch) {
      const std::size_t lo = ch * kChunk, hi = std::min(n, lo + kChunk);
      for (std::size_t i = lo; i < hi; ++i) {
        auto rng = agent_stream(seed_, what, agents_.id(i), t);
        const int r = reg[i];
        // Two 64-bit draws give four 32-bit uniforms (exit, innovation, growth noise,
        // relocation): 2^-32 resolution is ample for these probabilities and halves the cost.
        constexpr double k32 = 0x1.0p-32;
        const std::uint64_t u1 = rng.next(), u2 = rng.next();
        if (static_cast<double>(u1 >> 32) * k32 < p_exit[r]) { dead[i] = 1; continue; }
        double pi = p_innov[r];
        if (!partner.empty() && partner[i]) pi = std::min(1.0, pi * (1 + phi));
        // m tied partners innovated last step: each passes it on with probability τ.
        if (!tied_innovators.empty() && tied_innovators[i]) pi = 1 - (1 - pi) * std::pow(1 - tau, tied_innovators[i]);
        const bool inno = static_cast<double>(u1 & 0xFFFFFFFFULL) * k32 < pi;
        if (inno) { kno[i] += 1.0; emp[i] *= 1.1; }
        if (innovated) innovated[i] = inno;
        emp[i] = std::max(1.0, emp[i] * (1 + grow[r] + 0.05 * (static_cast<double>(u2 >> 32) * k32 - 0.5)));
        ++age[i];
        if (m > 0 && static_cast<double>(u2 & 0xFFFFFFFFULL) * k32 < m * dt) {
          // The firm's choice among regions: a random region (move_radius = 0) or a random
          // region within move_radius of its own (neighbour search), kept if it pays.
          const auto q = moves_.start.empty()
                             ? static_cast<int>(rng.below(R))
                             : static_cast<int>(moves_.index[moves_.start[r] + rng.below(moves_.start[r + 1] - moves_.start[r])]);
          if (attract[q] > attract[r] + mcost) reg[i] = q;
        }
      }
    });
    // Innovations are counted from the knowledge change in aggregate(); deaths applied here.
    bool any_dead = false;
    for (std::size_t i = 0; i < n; ++i)
      if (dead[i]) { agents_.kill(i); any_dead = true; }
    agents_.compact();
    if (any_dead && !ties_.empty()) drop_dead_ties();
    ++step_;
    act_institutions();
    // Entry: Poisson per region from the region's stream at this step.
    for (std::size_t r = 0; r < R; ++r) {
      const auto& g = regions_[r];
      const double nn = static_cast<double>(g.firms);
      const double rate = dt * (g.alpha + g.gamma * nn * nn / (g.h * g.h + nn * nn));
      core::Stream rng(seed_, core::stream_id("ecosystem entry"), step_ * 1000003ULL + r);
      add_firms(static_cast<int>(r), rng.poisson(rate), step_);
    }
    updates_ += n;
    aggregate();
  }

  // Regional aggregates by fixed chunks summed in chunk order: identical for any thread count.
  void aggregate() {
    const auto R = regions_.size();
    const std::size_t n = agents_.size();
    const std::size_t chunks = std::max<std::size_t>(1, (n + kChunk - 1) / kChunk);
    std::vector<std::int64_t> cnt(chunks * R, 0);
    std::vector<double> em(chunks * R, 0.0), kn(chunks * R, 0.0);
    const auto& reg = agents_.integer(cf_);
    const auto& emp = agents_.real(ce_);
    const auto& kno = agents_.real(ck_);
    tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t ch) {
      const std::size_t lo = ch * kChunk, hi = std::min(n, lo + kChunk);
      for (std::size_t i = lo; i < hi; ++i) {
        const auto r = static_cast<std::size_t>(reg[i]);
        ++cnt[ch * R + r];
        em[ch * R + r] += emp[i];
        kn[ch * R + r] += kno[i];
      }
    });
    std::vector<double> innov(R, 0.0);
    for (std::size_t r = 0; r < R; ++r) {
      auto& g = regions_[r];
      std::int64_t f = 0;
      double e = 0, k = 0;
      for (std::size_t ch = 0; ch < chunks; ++ch) { f += cnt[ch * R + r]; e += em[ch * R + r]; k += kn[ch * R + r]; }
      // Innovations this step ≈ growth of the region's knowledge stock (exits remove some).
      innov[r] = std::max(0.0, k - g.knowledge);
      g.firms = f;
      g.employment = e;
      g.knowledge = k;
      const double nn = static_cast<double>(f);
      g.benefit = nn * nn / (g.h * g.h + nn * nn);
    }
    last_innovations_ = 0;
    for (double v : innov) last_innovations_ += v;
    // Universities and research centres emit knowledge too: κ L innovations a year.
    for (const auto& st : institutions_) {
      const double kappa = st.what.type == InstitutionType::university ? p_.at("univ_knowledge")
                           : st.what.type == InstitutionType::research_centre ? p_.at("rc_knowledge") : 0.0;
      if (kappa > 0 && st.what.level > 0) innov[st.what.region] += kappa * st.what.level * p_.at("dt");
    }
    // Spillovers decay with distance: S_r = Σ_q I_q exp(−d_rq/ℓ) / scale (truncated kernel).
    const double s = p_.at("scale");
    for (std::size_t r = 0; r < R; ++r) {
      double sum = 0;
      for (auto k = kernel_.start[r]; k < kernel_.start[r + 1]; ++k) sum += innov[kernel_.source[k]] * kernel_.weight[k];
      regions_[r].spill = sum / s;
    }
  }

  std::vector<double> observe() const {
    double firms = 0, emp = 0, h = 0, largest = 0;
    for (const auto& g : regions_) { firms += g.firms; emp += g.employment; }
    for (const auto& g : regions_) {
      const double sh = emp > 0 ? g.employment / emp : 0;
      h += sh * sh;
      largest = std::max(largest, sh);
    }
    const auto focal = world_->focal;
    const auto& f = regions_[focal];
    const auto det = detect();
    std::int64_t members = 0, partners = 0;
    for (const auto& st : institutions_) partners += static_cast<std::int64_t>(st.partners.size());
    if (track_innovations_)
      for (auto mb : agents_.integer(cm_)) members += mb != 0;
    return {firms, emp, static_cast<double>(f.firms), f.employment,
            firms > 0 ? last_innovations_ / firms / p_.at("dt") : 0.0, h, largest,
            static_cast<double>(det.strong[focal]), det.lq[focal], static_cast<double>(det.strong_regions),
            static_cast<double>(f.firms) > critical_mass() ? 1.0 : 0.0, static_cast<double>(members),
            static_cast<double>(ties_.size()), static_cast<double>(partners)};
  }
  static std::vector<std::string> observed() {
    return {"firms", "employment", "focal_firms", "focal_employment", "innovation_rate", "herfindahl",
            "largest_share", "cluster_detected", "focal_lq", "strong_regions", "cluster_meanfield", "members", "ties", "partners"};
  }
  // Per region at the end: code, name, position, firms, employment, LQ, strong, institutions.
  data::Table region_table() const {
    const auto& w = *world_;
    const auto det = detect();
    data::Table t;
    auto& code = t.add_text("region");
    auto& name = t.add_text("name");
    auto& x = t.add_real(w.geographic ? "lon" : "x");
    auto& y = t.add_real(w.geographic ? "lat" : "y");
    auto& focal = t.add_integer("focal");
    auto& firms = t.add_real("firms");
    auto& emp = t.add_real("employment");
    auto& lq = t.add_real("lq");
    auto& strong = t.add_integer("cluster_detected");
    auto& inst = t.add_integer("institutions");
    for (std::size_t r = 0; r < regions_.size(); ++r) {
      code.push_back(w.codes[r]);
      name.push_back(w.names[r]);
      x.push_back(w.x[r]);
      y.push_back(w.y[r]);
      focal.push_back(r == w.focal);
      firms.push_back(static_cast<double>(regions_[r].firms));
      emp.push_back(regions_[r].employment);
      lq.push_back(det.lq[r]);
      strong.push_back(det.strong[r]);
      std::int64_t k = 0;
      for (const auto& st : institutions_) k += st.what.region == r;
      inst.push_back(k);
    }
    return t;
  }
  std::vector<double> counts() const {
    std::vector<double> c;
    for (const auto& g : regions_) c.push_back(static_cast<double>(g.firms));
    return c;
  }
  std::uint64_t updates() const { return updates_; }
  std::uint64_t step_index() const { return step_; }

  static constexpr const char* kModelVersion = "ecosystem-v2";

  void save(const std::string& path) const {
    AgentStore::Header h;
    h.model = kModelVersion;
    h.step = step_;
    h.seed = seed_;
    for (const auto& [k, v] : checked_params()) h.params.push_back({k, v});
    // extra: regional knowledge (R), then per institution: trained stock, partner count,
    // partner ids; then the tie count and the tie pairs (ids are below 2^53: exact in a double).
    for (const auto& g : regions_) h.extra.push_back(g.knowledge);
    for (const auto& st : institutions_) {
      h.extra.push_back(st.trained);
      h.extra.push_back(static_cast<double>(st.partners.size()));
      for (auto id : st.partners) h.extra.push_back(static_cast<double>(id));
    }
    h.extra.push_back(static_cast<double>(ties_.size()));
    for (const auto& [a, b] : ties_) { h.extra.push_back(static_cast<double>(a)); h.extra.push_back(static_cast<double>(b)); }
    agents_.save(path, h);
  }
  void load(const std::string& path) {
    AgentStore::Header h;
    auto store = AgentStore::load(path, h, kModelVersion);
    const auto params = checked_params();
    for (const auto& [k, v] : h.params)
      if (!params.count(k) || params.at(k) != v) {
        if (k == "world_fingerprint")
          throw_input(ErrorCode::invalid_value, "checkpoint was written on other regions (another geography, focal region, initial firms, ties or institutions)",
                      file_location(path), "resume with the same --regions, --focal and input files");
        throw_input(ErrorCode::invalid_value,
                    fmt::format("checkpoint was written with {}={}, this run has {}={}", k, v, k,
                                params.count(k) ? fmt::format("{}", params.at(k)) : std::string("(unknown)")),
                    file_location(path), "resume with the same --param values");
      }
    if (h.seed != seed_)
      throw_input(ErrorCode::invalid_value, fmt::format("checkpoint was written with --seed {}, this run has {}", h.seed, seed_),
                  file_location(path), "resume with the same --seed");
    agents_ = std::move(store);
    cf_ = agents_.int_column("region"); ce_ = agents_.real_column("employees");
    ck_ = agents_.real_column("knowledge"); ca_ = agents_.int_column("age");
    if (track_innovations_) { ci_ = agents_.int_column("innovated"); cm_ = agents_.int_column("member"); }
    step_ = h.step;
    std::size_t k = 0;
    auto next = [&]() {
      if (k >= h.extra.size()) throw_input(ErrorCode::invalid_value, "checkpoint state is truncated", file_location(path));
      return h.extra[k++];
    };
    // Region knowledge of the previous step restores the spillover state exactly.
    for (auto& g : regions_) g.knowledge = next();
    for (auto& st : institutions_) {
      st.trained = next();
      st.partners.resize(static_cast<std::size_t>(next()));
      for (auto& id : st.partners) id = static_cast<std::uint64_t>(next());
    }
    ties_.resize(static_cast<std::size_t>(next()));
    for (auto& [a, b] : ties_) { a = static_cast<std::uint64_t>(next()); b = static_cast<std::uint64_t>(next()); }
    update_training();
    aggregate();
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  // Parameters a checkpoint must match, with the geography's fingerprint.
  Params checked_params() const {
    Params q = p_;
    q["world_fingerprint"] = world_fingerprint(*world_);
    return q;
  }

  // Index of the firm with id `id` (ids ascend with the index: appended in order, compacted
  // in order), or kNone when it has exited.
  std::size_t index_of(std::uint64_t id) const {
    std::size_t lo = 0, hi = agents_.size();
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (agents_.id(mid) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo < agents_.size() && agents_.id(lo) == id ? lo : kNone;
  }

  void normalise_ties() {
    std::sort(ties_.begin(), ties_.end());
    ties_.erase(std::unique(ties_.begin(), ties_.end()), ties_.end());
  }
  void drop_dead_ties() {
    std::erase_if(ties_, [&](const auto& e) { return index_of(e.first) == kNone || index_of(e.second) == kNone; });
  }

  double critical_mass() const { return critical_; }

  RegionDetection detect() const {
    std::vector<double> firms, emp, bg;
    for (const auto& g : regions_) {
      firms.push_back(static_cast<double>(g.firms));
      emp.push_back(g.employment);
      bg.push_back(g.background);
    }
    return detect_clusters(world_->codes, firms, emp, bg);
  }

  // h of every region from its universities' training: h_base / Π_u (1 + a_u G_u).
  void update_training() {
    for (auto& g : regions_) g.h = g.h_base;
    std::vector<double> divisor(regions_.size(), 1.0);
    std::vector<std::uint8_t> has(regions_.size(), 0);
    for (const auto& st : institutions_) {
      if (st.what.type != InstitutionType::university) continue;
      divisor[st.what.region] *= 1 + training_strength(p_, st.what, st.lever) * st.trained;
      has[st.what.region] = 1;
    }
    for (std::size_t r = 0; r < regions_.size(); ++r)
      if (has[r]) regions_[r].h = regions_[r].h_base / divisor[r];
  }

  // The institutions' step, one after another in list order, each from its own stream
  // (seed, "ecosystem institution", index, step): universities train and spin off firms,
  // research centres renew their partners, cluster organisations recruit, tie and broker.
  void act_institutions() {
    if (institutions_.empty()) return;
    const double dt = p_.at("dt");
    // Firm indices of the regions that hold a research centre or a cluster organisation, in
    // index order, from one scan of the region column (built on first use in this step).
    std::vector<std::vector<std::size_t>> by_region;
    auto firms_of = [&](std::uint32_t r) -> const std::vector<std::size_t>& {
      if (by_region.empty()) {
        by_region.resize(regions_.size());
        std::vector<std::uint8_t> need(regions_.size(), 0);
        for (const auto& st : institutions_) {
          if (st.what.type == InstitutionType::university) continue;
          need[st.what.region] = 1;
          if (st.what.type == InstitutionType::research_centre && !reach_.start.empty())
            for (auto k = reach_.start[st.what.region]; k < reach_.start[st.what.region + 1]; ++k) need[reach_.index[k]] = 1;
        }
        const auto& reg = agents_.integer(cf_);
        for (std::size_t i = 0; i < agents_.size(); ++i)
          if (need[static_cast<std::size_t>(reg[i])]) by_region[static_cast<std::size_t>(reg[i])].push_back(i);
      }
      return by_region[r];
    };
    for (std::size_t k = 0; k < institutions_.size(); ++k) {
      auto& st = institutions_[k];
      core::Stream rng(seed_, core::splitmix64(core::stream_id("ecosystem institution") ^ k), step_);
      const auto r = st.what.region;
      switch (st.what.type) {
        case InstitutionType::university: {
          st.trained += dt / p_.at("univ_years") * (1 - st.trained);
          const auto born = rng.poisson(dt * p_.at("univ_spinoff") * st.what.level);
          if (born) add_firms(static_cast<int>(r), born, step_, core::splitmix64(k + 1));
          st.spinoffs += static_cast<std::int64_t>(born);
          break;
        }
        case InstitutionType::research_centre: {
          const auto want = static_cast<std::size_t>(std::llround(p_.at("rc_partners") * st.what.level));
          const auto& reg = agents_.integer(cf_);
          // The regions it reaches: its own, or every region within rc_radius (neighbour
          // search on the regions' positions), in ascending order.
          std::vector<std::uint32_t> reach{r};
          if (!reach_.start.empty()) reach.assign(reach_.index.begin() + static_cast<std::ptrdiff_t>(reach_.start[r]),
                                                  reach_.index.begin() + static_cast<std::ptrdiff_t>(reach_.start[r + 1]));
          std::erase_if(st.partners, [&](std::uint64_t id) {
            const auto i = index_of(id);
            return i == kNone || !std::binary_search(reach.begin(), reach.end(), static_cast<std::uint32_t>(reg[i]));
          });
          std::vector<std::size_t> merged;
          if (reach.size() > 1)
            for (auto q : reach) merged.insert(merged.end(), firms_of(q).begin(), firms_of(q).end());
          const auto& pool = reach.size() > 1 ? merged : firms_of(r);
          for (std::size_t tries = 0; st.partners.size() < want && tries < 4 * want && !pool.empty(); ++tries) {
            const auto id = agents_.id(pool[rng.below(pool.size())]);
            if (std::find(st.partners.begin(), st.partners.end(), id) == st.partners.end()) st.partners.push_back(id);
          }
          std::sort(st.partners.begin(), st.partners.end());
          break;
        }
        case InstitutionType::cluster_organisation: {
          auto& member = agents_.integer(cm_);
          const auto& pool = firms_of(r);
          std::vector<std::uint64_t> members;
          for (auto i : pool)
            if (member[i] == static_cast<std::int32_t>(k + 1)) members.push_back(agents_.id(i));
          const double join = std::min(1.0, p_.at("co_recruit") * dt);
          const auto ties_per_member = static_cast<std::size_t>(p_.at("co_ties"));
          for (auto i : pool) {
            if (member[i] != 0 || !(rng.uniform() < join)) continue;
            member[i] = static_cast<std::int32_t>(k + 1);
            const auto id = agents_.id(i);
            // Tie the new member to random existing members (the organisation's events).
            for (std::size_t t = 0; t < ties_per_member && !members.empty(); ++t) {
              const auto other = members[rng.below(members.size())];
              ties_.emplace_back(std::min(id, other), std::max(id, other));
            }
            members.push_back(id);
            ++st.recruited;
          }
          normalise_ties();
          // Brokered entry: referrals and attraction, γ c_B L b_r a year.
          const auto& g = regions_[r];
          const double nn = static_cast<double>(g.firms);
          const double rate = dt * g.gamma * p_.at("co_broker") * broker_level(st.what, st.lever) * nn * nn / (g.h * g.h + nn * nn);
          const auto born = rng.poisson(rate);
          if (born) add_firms(static_cast<int>(r), born, step_, core::splitmix64(k + 1));
          st.brokered += static_cast<std::int64_t>(born);
          break;
        }
      }
    }
    update_training();
  }

  Params p_;
  std::uint64_t seed_;
  std::shared_ptr<const World> world_;
  std::vector<Region> regions_;
  std::vector<InstitutionState> institutions_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ties_;  // firm ids, smaller first, sorted
  SpilloverKernel kernel_;
  RegionNeighbours moves_;  // candidate regions of a relocating firm (move_radius > 0)
  RegionNeighbours reach_;  // regions a research centre draws partners from (rc_radius > 0)
  double critical_ = 0;  // the focal region's mean-field critical mass (h without one)
  bool track_innovations_ = false;
  AgentStore agents_;
  std::size_t cf_ = 0, ce_ = 0, ck_ = 0, ca_ = 0, ci_ = 0, cm_ = 0;
  std::uint64_t step_ = 0, updates_ = 0;
  double last_innovations_ = 0;
};

class Ecosystem final : public Model {
 public:
  explicit Ecosystem(std::shared_ptr<const World> world = nullptr) : world_(std::move(world)) {}
  std::string name() const override { return "ecosystem"; }
  std::string summary() const override {
    return "productive ecosystem: firms and institutions on a grid or real regions; firms enter, grow, innovate, "
           "relocate and exit; policy levers on the focal region";
  }
  std::vector<ParamSpec> parameters() const override {
    std::vector<ParamSpec> v = {
        {"regions", 9, 1, 1e6, "number of regions of the synthetic grid (region 0 is the focal region; ignored with --regions)", true},
        {"scale", 1, 0.01, 1e6, "multiplies α, γ, h, capacity, background and initial firms (the size of a region)"},
        {"alpha", 1.5, 0, 1e6, "spontaneous entry into the focal region α (firms/year, before levers)"},
        {"alpha_other", 1.5, 0, 1e6, "spontaneous entry into the other regions"},
        {"gamma", 60, 0, 1e6, "maximal self-augmenting entry γ (spin-offs, attraction)"},
        {"h", 30, 1e-6, 1e6, "firms at which self-augmentation is half of γ"},
        {"delta", 1, 1e-6, 1e3, "exit rate δ per firm and year"},
        {"congestion", 0.05, 0, 100, "congestion and rents c: exits and growth suffer c·n/capacity"},
        {"capacity", 100, 1e-6, 1e9, "congestion scale of a region (firms)"},
        {"iota", 0.2, 0, 100, "innovation rate ι per firm and year"},
        {"spillover", 1.0, 0, 100, "strength s of knowledge spillovers on innovation"},
        {"ell", 1.0, 1e-6, 1e6, "distance decay ℓ of spillovers (grid units; km on real regions)"},
        {"kernel_eps", 1e-9, 1e-300, 0.1, "spillover kernel truncated where e^{−d/ℓ} < ε (d > ℓ ln 1/ε)"},
        {"g", 0.1, 0, 10, "growth rate of employees with the agglomeration benefit"},
        {"mobility", 0.02, 0, 100, "relocation search rate m per firm and year"},
        {"move_cost", 0.1, 0, 10, "benefit gain needed to relocate"},
        {"move_radius", 0, 0, 1e7, "a relocating firm compares a random region within this distance (0 = any region)"},
        {"n_focal", 0, 0, 1e9, "initial firms in the focal region (÷ scale; grid, or regions without initial firms)"},
        {"n_other", 40, 0, 1e9, "initial firms in every other region (÷ scale)"},
        {"dt", 0.1, 1e-4, 1, "years per step"},
        {"background", 2000, 0, 1e12, "employment of all other industries per region (÷ scale) for the location quotient, "
                                      "unless --employment gives it"},
        {"tie_spill", 0.1, 0, 1, "probability τ that a tied partner's innovation of the last step passes to the firm"},
        {"universities", 0, 0, 1000, "universities of level 1 in the focal region", true},
        {"research_centres", 0, 0, 1000, "research centres of level 1 in the focal region", true},
        {"cluster_orgs", 0, 0, 1000, "cluster organisations of level 1 in the focal region", true},
        {"univ_spinoff", 0.5, 0, 1e6, "university spin-offs σ_U (firms/year per level)"},
        {"univ_training", 0.1, 0, 100, "university training θ_U: h ÷ (1 + θ_U L G)"},
        {"univ_years", 2, 0.01, 100, "years τ_U for a university's trained-worker stock to build (G' = (1−G)/τ_U)"},
        {"univ_knowledge", 1, 0, 1e6, "innovations a year a university emits per level (spillover source)"},
        {"rc_partners", 10, 0, 1e6, "collaboration ties of a research centre with firms of its region, per level"},
        {"rc_boost", 1.0, 0, 100, "innovation of a research centre's partners × (1 + φ)"},
        {"rc_radius", 0, 0, 1e7, "a research centre collaborates with firms of the regions within this distance (0 = its own region)"},
        {"rc_knowledge", 1, 0, 1e6, "innovations a year a research centre emits per level (spillover source)"},
        {"co_recruit", 0.5, 0, 100, "rate μ at which a cluster organisation recruits each non-member firm (per year)"},
        {"co_ties", 2, 0, 100, "ties each new member forms with random members", true},
        {"co_broker", 0.04, 0, 10, "brokered entry of a cluster organisation: γ c_B L b(n) a year (the network lever's unit)"}};
    for (const auto& l : levers()) v.push_back({l.name, 0, 0, 1000, "policy lever: " + l.catalog + " (level)"});
    return v;
  }
  std::int64_t default_steps() const override { return 500; }
  std::string order_parameter() const override { return "focal_firms"; }
  Analytic analytic(const Params& p) const override {
    Analytic a;
    const auto* w = world_.get();
    const auto fp = focal_fixed_points(p, w);
    a.add("fixed_points", fp);
    if (fp.size() >= 3) a.add("critical_mass", fp[1]);
    a.add("cluster_forms", cluster_forms(p, w) ? 1.0 : 0.0);
    a.add("budget", budget(p));
    double best = std::numeric_limits<double>::infinity();
    for (const auto& m : standard_mixes()) best = std::min(best, min_budget(p, m, 200.0, w));
    a.add("min_budget_best_mix", best);
    a.notes.push_back("fixed_points: mean field of the focal region, α + γn²/(h²+n²) − δn(1 + c n/cap) = 0, with the levers and "
                      "the focal region's institutions at their steady state applied");
    a.notes.push_back("min_budget_best_mix: least budget over the standard mixes (table policy_mixes) to remove the low state");
    a.notes.push_back("cluster_detected: the US Cluster Mapping strong rule (qualifying, LQ >= 1, top-quartile LQ) on the "
                      "regions' simulated employment against their background employment; cluster_meanfield: focal firms above "
                      "the critical mass");
    return a;
  }
  // Mean-field tips of a sweep of any real parameter: rising, the first value from which the
  // focal region's mean field, started from its initial firms, ends in the high state
  // (cluster_forms); falling with continuation from a value where the high state exists, the
  // first value where it no longer does (the cluster's saddle node); falling without
  // continuation, cluster_forms again. Scan of 200 intervals + bisection.
  std::vector<ReferenceTip> reference_tips(const Params& p, const std::string& param, double lo, double hi,
                                           bool continuation) const override {
    std::vector<ReferenceTip> v;
    const auto* spec = find_param(*this, param);
    if (!spec || spec->integer) return v;
    const auto* w = world_.get();
    auto at = [&](double x) {
      Params q = p;
      q[param] = x;
      return q;
    };
    auto high_exists = [&](double x) {
      const auto q = at(x);
      const auto fp = focal_fixed_points(q, w);
      return fp.size() >= 3 || (fp.size() == 1 && fp.front() > focal_rates(q, w).h);
    };
    const double a = std::min(lo, hi), b = std::max(lo, hi);
    if (!cluster_forms(at(a), w)) {
      const double up = first_switch([&](double x) { return cluster_forms(at(x), w); }, a, b, 200, 1e-6 * (b - a));
      if (std::isfinite(up)) {
        v.push_back({"up", "cluster_forms_from", up, "mean-field"});
        if (!continuation) v.push_back({"down", "cluster_forms_from", up, "mean-field"});
      }
    }
    if (continuation && high_exists(b)) {
      const double down = first_switch(high_exists, b, a, 200, 1e-6 * (b - a));
      if (std::isfinite(down)) v.push_back({"down", "high_state_vanishes_below", down, "mean-field"});
    }
    return v;
  }
  RunResult run(const Params& p, const RunConfig& c) const override {
    const std::uint64_t seed = core::splitmix64(c.seed ^ core::splitmix64(c.replicate + 0x5EC0ULL));
    Sim sim(p, seed, world_);
    if (!c.initial_state.empty()) {
      // Continuation: the previous value's firm counts.
      auto counts = c.initial_state;
      counts.resize(world_ ? world_->size() : static_cast<std::size_t>(p.at("regions")), p.at("n_other") * p.at("scale"));
      sim.populate(counts);
    } else if (sim.from_establishments()) {
      sim.populate_establishments();
    } else {
      sim.populate(sim.default_counts());
    }
    const std::int64_t steps = c.steps > 0 ? c.steps : default_steps();
    Observer obs(Sim::observed());
    if (c.record_steps) obs.observe(0, sim.observe());
    for (std::int64_t t = 1; t <= steps; ++t) {
      parallel::check_cancelled();
      sim.step();
      if (c.record_steps) obs.observe(t, sim.observe());
    }
    const auto last = sim.observe();
    RunResult r;
    if (c.record_steps) {
      r.steps = obs.table();
      r.regions = sim.region_table();
    }
    const auto names = Sim::observed();
    for (std::size_t k = 0; k < names.size(); ++k) r.metrics.push_back({names[k], last[k]});
    r.metrics.push_back({"agent_updates", static_cast<double>(sim.updates())});
    r.final_state = sim.counts();
    return r;
  }

 private:
  std::shared_ptr<const World> world_;
};

}  // namespace

std::unique_ptr<Model> make_model(std::shared_ptr<const World> world) { return std::make_unique<Ecosystem>(std::move(world)); }

CheckpointRun run_with_checkpoint(const Params& p, std::uint64_t seed, std::int64_t steps, const std::string& resume,
                                  const std::string& checkpoint, const World* world) {
  const std::uint64_t s = core::splitmix64(seed ^ core::splitmix64(0 + 0x5EC0ULL));
  std::shared_ptr<const World> w = world ? std::make_shared<const World>(*world) : nullptr;
  Sim sim(p, s, w);
  if (!resume.empty()) sim.load(resume);
  else if (sim.from_establishments()) sim.populate_establishments();
  else sim.populate(sim.default_counts());
  const std::int64_t n = steps > 0 ? steps : 500;
  Observer obs(Sim::observed());
  obs.observe(static_cast<std::int64_t>(sim.step_index()), sim.observe());
  for (std::int64_t t = 0; t < n; ++t) {
    parallel::check_cancelled();
    sim.step();
    obs.observe(static_cast<std::int64_t>(sim.step_index()), sim.observe());
  }
  if (!checkpoint.empty()) sim.save(checkpoint);
  CheckpointRun out;
  out.steps = obs.table();
  out.regions = sim.region_table();
  const auto last = sim.observe();
  const auto names = Sim::observed();
  for (std::size_t k = 0; k < names.size(); ++k) out.metrics.push_back({names[k], last[k]});
  out.metrics.push_back({"agent_updates", static_cast<double>(sim.updates())});
  return out;
}

}  // namespace ecosystem

std::unique_ptr<Model> make_ecosystem() { return ecosystem::make_model(nullptr); }

}  // namespace agglo::simulate
