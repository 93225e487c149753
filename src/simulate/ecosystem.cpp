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

FocalRates focal_rates(const Params& p) {
  const double s = p.at("scale");
  FocalRates r;
  r.alpha = s * (p.at("alpha") + 1.0 * p.at("grant") + 0.6 * p.at("venture") + 0.5 * p.at("incubator") +
                 0.2 * p.at("park") + 0.3 * p.at("anchor"));
  r.gamma = s * p.at("gamma") * (1 + 0.04 * p.at("network")) * (1 + 0.02 * p.at("rnd"));
  r.h = s * p.at("h") / (1 + 0.04 * p.at("skills"));
  r.delta = p.at("delta") / ((1 + 0.05 * p.at("tax")) * (1 + 0.03 * p.at("export")) * (1 + 0.02 * p.at("incubator")));
  r.congestion = p.at("congestion");
  r.capacity = s * p.at("capacity") * (1 + 0.2 * p.at("park"));
  r.anchor_firms = s * 10.0 * p.at("anchor");
  return r;
}

std::vector<double> focal_fixed_points(const Params& p) {
  const auto r = focal_rates(p);
  const double top = (r.alpha + r.gamma) / r.delta + 1.0;
  return all_roots([&](double n) { return r.drift(n); }, 0.0, top, 20000, 1e-10);
}

bool cluster_forms(const Params& p) {
  const auto r = focal_rates(p);
  const auto fp = focal_fixed_points(p);
  if (fp.empty()) return false;
  const double n0 = p.at("n_focal") * p.at("scale") + r.anchor_firms;
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

double min_budget(const Params& base, const Mix& mix, double max_budget) {
  if (cluster_forms(base)) return 0.0;
  if (!cluster_forms(with_mix(base, mix, max_budget))) return std::numeric_limits<double>::infinity();
  // cluster_forms is monotone in the budget for every lever (each one only raises entry,
  // synergies or initial firms, or lowers exits and h), so bisection finds the threshold.
  return bisect([&](double b) { return cluster_forms(with_mix(base, mix, b)) ? 1.0 : -1.0; }, 0.0, max_budget, 1e-6);
}

data::Table rank_mixes(const Params& base) {
  struct Row { std::string name, levers; double budget; Mix mix; };
  std::vector<Row> rows;
  for (const auto& m : standard_mixes()) {
    std::string lv;
    for (const auto& [n, w] : m.weights) lv += (lv.empty() ? "" : "+") + (w == 1 ? n : fmt::format("{}×{}", w, n));
    rows.push_back({m.name, lv, min_budget(base, m), m});
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
  double alpha, gamma, h, delta, capacity, innov, growth;
  std::int64_t firms = 0;
  double employment = 0, knowledge = 0;
  std::int64_t innovations = 0;
  double benefit = 0, spill = 0;
};

class Sim {
 public:
  Sim(const Params& p, std::uint64_t seed) : p_(p), seed_(seed) {
    const int R = static_cast<int>(p.at("regions"));
    const double s = p.at("scale");
    const auto fr = focal_rates(p);
    const int side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(R))));
    regions_.resize(R);
    for (int r = 0; r < R; ++r) {
      auto& g = regions_[r];
      g.x = r % side;
      g.y = r / side;
      if (r == 0) {
        g.alpha = fr.alpha; g.gamma = fr.gamma; g.h = fr.h; g.delta = fr.delta; g.capacity = fr.capacity;
        g.innov = p.at("iota") * (1 + 0.25 * p.at("rnd"));
        g.growth = p.at("g") * (1 + 0.1 * p.at("venture"));
      } else {
        g.alpha = s * p.at("alpha_other"); g.gamma = s * p.at("gamma"); g.h = s * p.at("h");
        g.delta = p.at("delta"); g.capacity = s * p.at("capacity"); g.innov = p.at("iota"); g.growth = p.at("g");
      }
    }
    cf_ = agents_.add_int("region");
    ce_ = agents_.add_real("employees");
    ck_ = agents_.add_real("knowledge");
    ca_ = agents_.add_int("age");
  }

  // Initial firms: counts per region (the model's own start or a continuation state).
  void populate(const std::vector<double>& counts) {
    std::size_t total = 0;
    for (double c : counts) total += static_cast<std::size_t>(std::max(0.0, std::round(c)));
    agents_.reserve(total + total / 4 + 1024);
    for (std::size_t r = 0; r < counts.size() && r < regions_.size(); ++r) add_firms(static_cast<int>(r), static_cast<std::size_t>(std::max(0.0, std::round(counts[r]))), 0);
    aggregate();
  }
  std::vector<double> default_counts() const {
    std::vector<double> c(regions_.size(), p_.at("n_other") * p_.at("scale"));
    c[0] = p_.at("n_focal") * p_.at("scale") + focal_rates(p_).anchor_firms;
    return c;
  }

  void add_firms(int r, std::size_t n, std::uint64_t step) {
    if (!n) return;
    const auto first = agents_.append(n);
    auto& reg = agents_.integer(cf_);
    auto& emp = agents_.real(ce_);
    core::Stream rng(seed_, core::stream_id("ecosystem entry sizes"), step * 1000003ULL + static_cast<std::uint64_t>(r));
    for (std::size_t i = first; i < first + n; ++i) {
      reg[i] = r;
      emp[i] = 1.0 + 9.0 * rng.uniform();  // entrants with 1–10 employees
    }
  }

  // One synchronous step: firm updates in parallel chunks, then entry, then aggregates.
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
        if (static_cast<double>(u1 & 0xFFFFFFFFULL) * k32 < p_innov[r]) { kno[i] += 1.0; emp[i] *= 1.1; }
        emp[i] = std::max(1.0, emp[i] * (1 + grow[r] + 0.05 * (static_cast<double>(u2 >> 32) * k32 - 0.5)));
        ++age[i];
        if (m > 0 && static_cast<double>(u2 & 0xFFFFFFFFULL) * k32 < m * dt) {
          const auto q = static_cast<int>(rng.below(R));
          if (attract[q] > attract[r] + mcost) reg[i] = q;
        }
      }
    });
    // Innovations are counted from the knowledge change in aggregate(); deaths applied here.
    for (std::size_t i = 0; i < n; ++i)
      if (dead[i]) agents_.kill(i);
    agents_.compact();
    ++step_;
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
    // Spillovers decay with distance: S_r = Σ_q I_q exp(−d_rq/ℓ) / scale.
    const double ell = p_.at("ell"), s = p_.at("scale");
    for (std::size_t r = 0; r < R; ++r) {
      double sum = 0;
      for (std::size_t q = 0; q < R; ++q) {
        const double d = std::hypot(regions_[r].x - regions_[q].x, regions_[r].y - regions_[q].y);
        sum += innov[q] * std::exp(-d / ell);
      }
      regions_[r].spill = sum / s;
    }
    last_innovations_ = 0;
    for (double v : innov) last_innovations_ += v;
  }

  std::vector<double> observe() const {
    double firms = 0, emp = 0, h = 0, largest = 0;
    for (const auto& g : regions_) { firms += g.firms; emp += g.employment; }
    for (const auto& g : regions_) {
      const double sh = emp > 0 ? g.employment / emp : 0;
      h += sh * sh;
      largest = std::max(largest, sh);
    }
    const auto& f = regions_[0];
    const auto fp = focal_fixed_points(p_);
    const double critical = fp.size() >= 3 ? fp[1] : focal_rates(p_).h;
    return {firms, emp, static_cast<double>(f.firms), f.employment,
            firms > 0 ? last_innovations_ / firms / p_.at("dt") : 0.0, h, largest,
            static_cast<double>(f.firms) > critical ? 1.0 : 0.0};
  }
  static std::vector<std::string> observed() {
    return {"firms", "employment", "focal_firms", "focal_employment", "innovation_rate", "herfindahl",
            "largest_share", "cluster_detected"};
  }
  std::vector<double> counts() const {
    std::vector<double> c;
    for (const auto& g : regions_) c.push_back(static_cast<double>(g.firms));
    return c;
  }
  std::uint64_t updates() const { return updates_; }
  std::uint64_t step_index() const { return step_; }

  void save(const std::string& path) const {
    AgentStore::Header h;
    h.model = "ecosystem";
    h.step = step_;
    h.seed = seed_;
    for (const auto& [k, v] : p_) h.params.push_back({k, v});
    for (const auto& g : regions_) h.extra.push_back(g.knowledge);
    agents_.save(path, h);
  }
  void load(const std::string& path) {
    AgentStore::Header h;
    auto store = AgentStore::load(path, h);
    if (h.model != "ecosystem")
      throw_input(ErrorCode::invalid_value, fmt::format("checkpoint is of model '{}', not ecosystem", h.model), file_location(path));
    for (const auto& [k, v] : h.params)
      if (!p_.count(k) || p_.at(k) != v)
        throw_input(ErrorCode::invalid_value,
                    fmt::format("checkpoint was written with {}={}, this run has {}={}", k, v, k,
                                p_.count(k) ? fmt::format("{}", p_.at(k)) : std::string("(unknown)")),
                    file_location(path), "resume with the same --param values");
    if (h.seed != seed_)
      throw_input(ErrorCode::invalid_value, fmt::format("checkpoint was written with --seed {}, this run has {}", h.seed, seed_),
                  file_location(path), "resume with the same --seed");
    agents_ = std::move(store);
    cf_ = agents_.int_column("region"); ce_ = agents_.real_column("employees");
    ck_ = agents_.real_column("knowledge"); ca_ = agents_.int_column("age");
    step_ = h.step;
    // Region knowledge of the previous step restores the spillover state exactly.
    for (std::size_t r = 0; r < regions_.size() && r < h.extra.size(); ++r) regions_[r].knowledge = h.extra[r];
    const auto saved = h.extra;
    aggregate_after_load(saved);
  }

 private:
  void aggregate_after_load(const std::vector<double>&) { aggregate(); }

  Params p_;
  std::uint64_t seed_;
  std::vector<Region> regions_;
  AgentStore agents_;
  std::size_t cf_ = 0, ce_ = 0, ck_ = 0, ca_ = 0;
  std::uint64_t step_ = 0, updates_ = 0;
  double last_innovations_ = 0;
};

class Ecosystem final : public Model {
 public:
  std::string name() const override { return "ecosystem"; }
  std::string summary() const override {
    return "productive ecosystem: firms enter, grow, innovate, relocate and exit; policy levers on the focal region";
  }
  std::vector<ParamSpec> parameters() const override {
    std::vector<ParamSpec> v = {
        {"regions", 9, 1, 1e6, "number of regions (square grid, region 0 is the focal region)", true},
        {"scale", 1, 0.01, 1e6, "multiplies α, γ, h, capacity and initial firms (the size of a region)"},
        {"alpha", 1.5, 0, 1e6, "spontaneous entry into the focal region α (firms/year, before levers)"},
        {"alpha_other", 1.5, 0, 1e6, "spontaneous entry into the other regions"},
        {"gamma", 60, 0, 1e6, "maximal self-augmenting entry γ (spin-offs, attraction)"},
        {"h", 30, 1e-6, 1e6, "firms at which self-augmentation is half of γ"},
        {"delta", 1, 1e-6, 1e3, "exit rate δ per firm and year"},
        {"congestion", 0.05, 0, 100, "congestion and rents c: exits and growth suffer c·n/capacity"},
        {"capacity", 100, 1e-6, 1e9, "congestion scale of a region (firms)"},
        {"iota", 0.2, 0, 100, "innovation rate ι per firm and year"},
        {"spillover", 1.0, 0, 100, "strength s of knowledge spillovers on innovation"},
        {"ell", 1.0, 1e-6, 1e6, "distance decay ℓ of spillovers (grid units)"},
        {"g", 0.1, 0, 10, "growth rate of employees with the agglomeration benefit"},
        {"mobility", 0.02, 0, 100, "relocation search rate m per firm and year"},
        {"move_cost", 0.1, 0, 10, "benefit gain needed to relocate"},
        {"n_focal", 0, 0, 1e9, "initial firms in the focal region (÷ scale)"},
        {"n_other", 40, 0, 1e9, "initial firms in every other region (÷ scale)"},
        {"dt", 0.1, 1e-4, 1, "years per step"}};
    for (const auto& l : levers()) v.push_back({l.name, 0, 0, 1000, "policy lever: " + l.catalog + " (level)"});
    return v;
  }
  std::int64_t default_steps() const override { return 500; }
  std::string order_parameter() const override { return "focal_firms"; }
  Analytic analytic(const Params& p) const override {
    Analytic a;
    const auto fp = focal_fixed_points(p);
    a.add("fixed_points", fp);
    if (fp.size() >= 3) a.add("critical_mass", fp[1]);
    a.add("cluster_forms", cluster_forms(p) ? 1.0 : 0.0);
    a.add("budget", budget(p));
    double best = std::numeric_limits<double>::infinity();
    for (const auto& m : standard_mixes()) best = std::min(best, min_budget(p, m));
    a.add("min_budget_best_mix", best);
    a.notes.push_back("fixed_points: mean field of the focal region, α + γn²/(h²+n²) − δn(1 + c n/cap) = 0, with the levers applied");
    a.notes.push_back("min_budget_best_mix: least budget over the standard mixes (table policy_mixes) to remove the low state");
    return a;
  }
  RunResult run(const Params& p, const RunConfig& c) const override {
    const std::uint64_t seed = core::splitmix64(c.seed ^ core::splitmix64(c.replicate + 0x5EC0ULL));
    Sim sim(p, seed);
    if (c.initial_state.empty()) {
      sim.populate(sim.default_counts());
    } else {
      // Continuation: the previous value's firm counts, plus the anchor firms of this value.
      auto counts = c.initial_state;
      counts.resize(static_cast<std::size_t>(p.at("regions")), p.at("n_other") * p.at("scale"));
      sim.populate(counts);
    }
    const std::int64_t steps = c.steps > 0 ? c.steps : default_steps();
    Observer obs(Sim::observed());
    obs.observe(0, sim.observe());
    for (std::int64_t t = 1; t <= steps; ++t) {
      parallel::check_cancelled();
      sim.step();
      if (c.record_steps) obs.observe(t, sim.observe());
    }
    const auto last = sim.observe();
    RunResult r;
    if (c.record_steps) r.steps = obs.table();
    const auto names = Sim::observed();
    for (std::size_t k = 0; k < names.size(); ++k) r.metrics.push_back({names[k], last[k]});
    r.metrics.push_back({"agent_updates", static_cast<double>(sim.updates())});
    r.final_state = sim.counts();
    return r;
  }
};

}  // namespace

CheckpointRun run_with_checkpoint(const Params& p, std::uint64_t seed, std::int64_t steps, const std::string& resume,
                                  const std::string& checkpoint) {
  const std::uint64_t s = core::splitmix64(seed ^ core::splitmix64(0 + 0x5EC0ULL));
  Sim sim(p, s);
  if (resume.empty()) sim.populate(sim.default_counts());
  else sim.load(resume);
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
  const auto last = sim.observe();
  const auto names = Sim::observed();
  for (std::size_t k = 0; k < names.size(); ++k) out.metrics.push_back({names[k], last[k]});
  out.metrics.push_back({"agent_updates", static_cast<double>(sim.updates())});
  return out;
}

}  // namespace ecosystem

std::unique_ptr<Model> make_ecosystem() { return std::make_unique<ecosystem::Ecosystem>(); }

}  // namespace agglo::simulate
