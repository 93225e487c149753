// Schelling (1971), "Dynamic models of segregation", J. Mathematical Sociology 1: 143–186 —
// here as location choice of firms of two kinds on a grid, following the standard benchmark
// declaration of the ABM framework comparison (JuliaDynamics/ABMFrameworksComparison):
//  * small: 1,000 agents (two groups of 500) on a 40×40 non-periodic grid, happy with at least
//    3 like neighbours within Chebyshev radius 1 (8 cells);
//  * large: 8,000 agents on 100×100, at least 8 like neighbours within radius 2 (24 cells).
// Each step activates agents one by one in random order (random-sequential schedule of the
// engine); an unhappy agent counts its like neighbours and, below the minimum, moves to a
// uniformly random empty cell; as in the declaration a happy agent stays happy (`recheck=1`
// re-evaluates every step, Schelling's original rule). The run stops when everyone is happy.
//
// Known answer used in the tests: at random placement every neighbour is a uniformly random
// other agent, so the expected share of like neighbours is (n_g − 1)/(n − 1) for equal groups.
#include <algorithm>
#include <cmath>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/simulate/agents.hpp"
#include "agglo/simulate/model.hpp"

namespace agglo::simulate {

namespace {

class Schelling final : public Model {
 public:
  std::string name() const override { return "schelling"; }
  std::string summary() const override {
    return "Schelling (1971) location choice; defaults = the standard 'small' benchmark declaration";
  }
  std::vector<ParamSpec> parameters() const override {
    return {{"width", 40.0, 2.0, 100000.0, "grid width (cells)", true},
            {"height", 40.0, 2.0, 100000.0, "grid height (cells)", true},
            {"agents", 1000.0, 2.0, 1e9, "number of agents (split evenly between the groups)", true},
            {"groups", 2.0, 2.0, 16.0, "number of groups", true},
            {"min_happy", 3.0, 0.0, 1000.0, "like neighbours needed to be happy", true},
            {"radius", 1.0, 1.0, 10.0, "Chebyshev radius of the neighbourhood", true},
            {"recheck", 0.0, 0.0, 1.0, "1 = happy agents re-evaluate every step (Schelling 1971); 0 = declaration", true}};
  }
  std::int64_t default_steps() const override { return 20; }
  std::string order_parameter() const override { return "similarity"; }
  void check(const Params& p) const override {
    if (p.at("agents") >= p.at("width") * p.at("height"))
      throw_usage(ErrorCode::invalid_option_value, "schelling: agents must be fewer than width×height cells",
                  "lower agents or enlarge the grid");
  }
  Analytic analytic(const Params& p) const override {
    Analytic a;
    const double n = p.at("agents"), g = p.at("groups");
    a.add("random_similarity", (n / g - 1) / (n - 1));
    a.notes.push_back("expected share of like neighbours at random placement, (n/g − 1)/(n − 1)");
    return a;
  }
  RunResult run(const Params& p, const RunConfig& c) const override {
    const int W = static_cast<int>(p.at("width")), H = static_cast<int>(p.at("height"));
    const auto n = static_cast<std::size_t>(p.at("agents"));
    const int G = static_cast<int>(p.at("groups")), R = static_cast<int>(p.at("radius"));
    const int need = static_cast<int>(p.at("min_happy"));
    const bool recheck = p.at("recheck") > 0.5;
    const std::int64_t steps = c.steps > 0 ? c.steps : default_steps();
    const std::uint64_t seed = core::splitmix64(c.seed ^ core::splitmix64(c.replicate + 1));

    AgentStore agents;
    const auto cx = agents.add_int("x"), cy = agents.add_int("y"), cg = agents.add_int("group"),
               ch = agents.add_int("happy");
    agents.append(n);
    auto& X = agents.integer(cx);
    auto& Y = agents.integer(cy);
    auto& Gr = agents.integer(cg);
    auto& Hp = agents.integer(ch);
    // Occupancy grid: agent index + 1, 0 = empty. Empty cells kept in a vector with each
    // cell's position in it, so a random empty cell is O(1) and so is occupying/freeing one.
    const std::size_t cells = static_cast<std::size_t>(W) * H;
    std::vector<std::uint32_t> grid(cells, 0);
    std::vector<std::uint32_t> empty(cells), where(cells);
    for (std::size_t k = 0; k < cells; ++k) empty[k] = where[k] = static_cast<std::uint32_t>(k);
    core::Stream rng(seed, core::stream_id("schelling placement"), 0);
    // Random placement: a partial Fisher–Yates over the cells.
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t j = i + rng.below(cells - i);
      std::swap(empty[i], empty[j]);
      where[empty[i]] = static_cast<std::uint32_t>(i);
      where[empty[j]] = static_cast<std::uint32_t>(j);
      const auto cell = empty[i];
      X[i] = static_cast<std::int32_t>(cell % W);
      Y[i] = static_cast<std::int32_t>(cell / W);
      Gr[i] = static_cast<std::int32_t>(i % G);
      grid[cell] = static_cast<std::uint32_t>(i + 1);
    }
    // empty[n..cells) are the empty cells; keep them at the front of a separate list.
    std::vector<std::uint32_t> free_cells(empty.begin() + n, empty.end());
    for (std::size_t k = 0; k < free_cells.size(); ++k) where[free_cells[k]] = static_cast<std::uint32_t>(k);

    auto like_and_total = [&](std::size_t i, int& like, int& total) {
      like = total = 0;
      const int x = X[i], y = Y[i];
      for (int yy = std::max(0, y - R); yy <= std::min(H - 1, y + R); ++yy)
        for (int xx = std::max(0, x - R); xx <= std::min(W - 1, x + R); ++xx) {
          if (xx == x && yy == y) continue;
          const auto o = grid[static_cast<std::size_t>(yy) * W + xx];
          if (!o) continue;
          ++total;
          like += Gr[o - 1] == Gr[i];
        }
    };
    auto similarity = [&]() {
      double s = 0;
      std::size_t m = 0;
      for (std::size_t i = 0; i < n; ++i) {
        int like, total;
        like_and_total(i, like, total);
        if (total > 0) { s += static_cast<double>(like) / total; ++m; }
      }
      return m ? s / m : 0.0;
    };
    Observer obs({"happy_share", "similarity", "moves"});
    if (c.record_steps) obs.observe(0, {0.0, similarity(), 0.0});
    const double initial_similarity = c.record_steps ? obs.series(1)[0] : similarity();
    std::int64_t t = 0;
    std::size_t happy = 0;
    for (; t < steps; ++t) {
      const auto order = activation_order(n, seed, static_cast<std::uint64_t>(t));
      core::Stream move_rng(seed, core::stream_id("schelling moves"), static_cast<std::uint64_t>(t));
      std::size_t moves = 0;
      for (const auto i : order) {
        if (Hp[i] && !recheck) continue;
        int like, total;
        like_and_total(i, like, total);
        if (like >= need) { Hp[i] = 1; continue; }
        Hp[i] = 0;
        // Move to a random empty cell: swap it with the vacated one in the free list.
        const std::size_t k = move_rng.below(free_cells.size());
        const auto to = free_cells[k];
        const auto from = static_cast<std::uint32_t>(Y[i]) * W + static_cast<std::uint32_t>(X[i]);
        grid[from] = 0;
        grid[to] = static_cast<std::uint32_t>(i + 1);
        free_cells[k] = from;
        where[from] = static_cast<std::uint32_t>(k);
        X[i] = static_cast<std::int32_t>(to % W);
        Y[i] = static_cast<std::int32_t>(to / W);
        ++moves;
      }
      happy = 0;
      for (std::size_t i = 0; i < n; ++i) happy += Hp[i];
      if (c.record_steps) obs.observe(t + 1, {static_cast<double>(happy) / n, similarity(), static_cast<double>(moves)});
      if (happy == n) { ++t; break; }
    }
    RunResult r;
    if (c.record_steps) r.steps = obs.table();
    r.metrics = {{"similarity", similarity()},
                 {"initial_similarity", initial_similarity},
                 {"happy_share", static_cast<double>(happy) / n},
                 {"all_happy", happy == n ? 1.0 : 0.0},
                 {"steps_run", static_cast<double>(t)}};
    return r;
  }
};

}  // namespace

std::unique_ptr<Model> make_schelling() { return std::make_unique<Schelling>(); }

}  // namespace agglo::simulate
