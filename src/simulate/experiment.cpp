// Replicates, sweeps, phase tables and tipping points; see include/agglo/simulate/experiment.hpp.
#include "agglo/simulate/experiment.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "agglo/core/error.hpp"
#include "agglo/core/options.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/parallel/mpi.hpp"
#include "detail/run_codec.hpp"

namespace agglo::simulate {

Sweep parse_sweep(const Model& m, const std::string& text) {
  const auto eq = text.find('=');
  const auto hint = fmt::format("write --sweep name=lo:hi:n, e.g. --sweep {}=1:2:11", m.parameters().front().name);
  if (eq == std::string::npos || eq == 0)
    throw_usage(ErrorCode::invalid_option_value, fmt::format("--sweep '{}' is not name=lo:hi:n", text), hint);
  Sweep s;
  s.param = text.substr(0, eq);
  if (!find_param(m, s.param)) check_param(m, s.param, 0.0);  // names the valid parameters
  const auto rest = text.substr(eq + 1);
  const auto c1 = rest.find(':'), c2 = rest.find(':', c1 == std::string::npos ? c1 : c1 + 1);
  if (c1 == std::string::npos || c2 == std::string::npos)
    throw_usage(ErrorCode::invalid_option_value, fmt::format("--sweep '{}' is not name=lo:hi:n", text), hint);
  s.lo = core::parse_real("sweep", rest.substr(0, c1));
  s.hi = core::parse_real("sweep", rest.substr(c1 + 1, c2 - c1 - 1));
  const auto n = core::parse_integer("sweep", rest.substr(c2 + 1));
  if (n < 1)
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("--sweep '{}' has {} points; a sweep needs at least one", text, n), hint);
  if (n > 1000000)
    throw_usage(ErrorCode::invalid_option_value, fmt::format("--sweep '{}': at most 1,000,000 points", text), hint);
  s.points = static_cast<int>(n);
  check_param(m, s.param, s.lo);
  check_param(m, s.param, s.hi);
  if (const auto* spec = find_param(m, s.param); spec && spec->integer)
    for (int i = 0; i < s.points; ++i) check_param(m, s.param, std::round(s.value(i)));
  return s;
}

ExperimentResult run_experiment(const Model& m, const Params& base, const std::optional<Sweep>& sweep,
                                const ExperimentConfig& cfg) {
  const auto R = static_cast<std::size_t>(std::max<std::int64_t>(1, cfg.replicates));
  ExperimentResult out;
  const bool integer_param = sweep && find_param(m, sweep->param)->integer;

  // The (direction, point) sequence: up only, or up then down for hysteresis.
  struct Point { int dir; double value; };
  std::vector<Point> points;
  if (sweep) {
    for (int i = 0; i < sweep->points; ++i) {
      double v = sweep->value(i);
      if (integer_param) v = std::round(v);
      points.push_back({0, v});
    }
    if (cfg.hysteresis)
      for (int i = sweep->points - 1; i >= 0; --i) points.push_back({1, points[i].value});
  } else {
    points.push_back({0, 0.0});
  }
  std::vector<RunResult> results(points.size() * R);
  auto run_one = [&](std::size_t pi, std::size_t r, const std::vector<double>& state) {
    parallel::check_cancelled();
    Params p = base;
    if (sweep) p[sweep->param] = points[pi].value;
    RunConfig rc;
    rc.seed = cfg.seed;
    rc.replicate = r;
    rc.steps = cfg.steps;
    rc.record_steps = !sweep && cfg.record_steps;
    rc.initial_state = state;
    results[pi * R + r] = m.run(p, rc);
  };
  // ---- who runs what. A task is one run (a sweep point × replicate, in the order of
  // `results`), or, with hysteresis, one replicate's whole chain along the sweep (up then down):
  // continuation makes each point start from the previous point's final state, so a chain
  // cannot be split. Task k goes to MPI rank k mod size; each rank runs its tasks on its TBB
  // threads. A run's random streams are keyed by (seed, replicate) only, never by rank or
  // thread, so every run is the same wherever it executes, and rank 0, which gathers all runs
  // into `results` by index, builds exactly the tables one process would.
  const int ranks = parallel::mpi::size(), me = parallel::mpi::rank();
  const std::size_t tasks = sweep && cfg.hysteresis ? R : points.size() * R;
  std::vector<std::size_t> mine;
  for (std::size_t k = static_cast<std::size_t>(me); k < tasks; k += static_cast<std::size_t>(ranks)) mine.push_back(k);
  try {
    if (sweep && cfg.hysteresis) {
      tbb::parallel_for(std::size_t{0}, mine.size(), [&](std::size_t i) {
        const std::size_t r = mine[i];
        std::vector<double> state;
        for (std::size_t pi = 0; pi < points.size(); ++pi) {
          run_one(pi, r, state);
          state = results[pi * R + r].final_state;
        }
      });
    } else {
      tbb::parallel_for(std::size_t{0}, mine.size(), [&](std::size_t i) { run_one(mine[i] / R, mine[i] % R, {}); });
    }
    if (ranks > 1) {
      // Send every run this rank computed, keyed by its index in `results`, to rank 0.
      std::vector<std::uint8_t> bytes;
      auto send = [&](std::size_t idx) { detail::encode_run(bytes, idx, results[idx]); };
      for (std::size_t k : mine) {
        if (sweep && cfg.hysteresis)
          for (std::size_t pi = 0; pi < points.size(); ++pi) send(pi * R + k);
        else
          send(k);
      }
      const auto gathered = parallel::mpi::gather_to_root(bytes);
      if (me != 0) {
        out.root = false;  // rank 0 writes the outputs; the other ranks are done
        return out;
      }
      for (std::size_t from = 1; from < gathered.size(); ++from)
        for (auto& [idx, run] : detail::decode_runs(gathered[from])) {
          AGGLO_ASSERT(idx < results.size());
          results[idx] = std::move(run);
        }
    }
  } catch (...) {
    // An error on one rank would leave the others waiting in the gather forever: end the job.
    parallel::mpi::abort_job_on_current_exception();
    throw;  // one process: the caller reports it as usual
  }

  // ---- runs table
  {
    auto& t = out.runs;
    data::RealColumn* pc = sweep ? &t.add_real(sweep->param) : nullptr;
    data::TextColumn* dc = sweep && cfg.hysteresis ? &t.add_text("direction") : nullptr;
    auto& rc = t.add_integer("replicate");
    std::vector<data::RealColumn*> mc;
    for (const auto& [name, v] : results.front().metrics) mc.push_back(&t.add_real(name));
    for (std::size_t pi = 0; pi < points.size(); ++pi)
      for (std::size_t r = 0; r < R; ++r) {
        const auto& res = results[pi * R + r];
        if (pc) pc->push_back(points[pi].value);
        if (dc) dc->push_back(points[pi].dir ? "down" : "up");
        rc.push_back(static_cast<std::int64_t>(r));
        for (std::size_t k = 0; k < mc.size() && k < res.metrics.size(); ++k) mc[k]->push_back(res.metrics[k].second);
      }
  }
  // ---- steps and regions tables (no sweep): every replicate's recorded steps, and its per-region
  // end state on a geography, stacked in replicate order with a replicate column in front
  auto stack = [&](data::Table& t, data::Table RunResult::*part) {
    auto& rc = t.add_integer("replicate");
    for (const auto& col : (results.front().*part).columns()) {
      if (col.is_integer()) t.add_integer(col.name);
      else if (col.is_real()) t.add_real(col.name);
      else t.add_text(col.name);
    }
    for (std::size_t r = 0; r < R; ++r) {
      const auto& s = results[r].*part;
      for (std::size_t i = 0; i < s.rows(); ++i) rc.push_back(static_cast<std::int64_t>(r));
      std::size_t c = 1;
      for (const auto& col : s.columns()) {
        auto& dst = t.columns()[c++].values;
        std::visit([&](const auto& src) {
          using V = std::decay_t<decltype(src)>;
          auto& d = std::get<V>(dst);
          d.insert(d.end(), src.begin(), src.end());
        }, col.values);
      }
    }
  };
  if (!sweep && cfg.record_steps && results.front().steps.cols() > 0) stack(out.steps, &RunResult::steps);
  if (!sweep && results.front().regions.cols() > 0) stack(out.regions, &RunResult::regions);
  // ---- phase table and tipping points
  if (sweep) {
    const auto order = m.order_parameter();
    auto& t = out.phase;
    auto& pc = t.add_real(sweep->param);
    auto& dc = t.add_text("direction");
    auto& nc = t.add_integer("replicates");
    auto& mean = t.add_real("mean");
    auto& sd = t.add_real("sd");
    auto& se = t.add_real("se");
    auto& lo = t.add_real("ci_low");
    auto& hi = t.add_real("ci_high");
    // Per direction: the swept values in run order and every replicate's outcome (for the
    // tip test, which needs the spread, not only the mean).
    SweepSeries series[2];
    series[0].direction = "up";
    series[1].direction = "down";
    double range_lo = INFINITY, range_hi = -INFINITY;
    for (std::size_t pi = 0; pi < points.size(); ++pi) {
      double s = 0, s2 = 0;
      std::vector<double> y(R);
      for (std::size_t r = 0; r < R; ++r) s += (y[r] = results[pi * R + r].metric(order));
      const double mu = s / R;
      for (std::size_t r = 0; r < R; ++r) {
        const double d = y[r] - mu;
        s2 += d * d;
      }
      const double v = R > 1 ? s2 / (R - 1) : 0.0, e = std::sqrt(v / R);
      pc.push_back(points[pi].value);
      dc.push_back(points[pi].dir ? "down" : "up");
      nc.push_back(static_cast<std::int64_t>(R));
      mean.push_back(mu);
      sd.push_back(std::sqrt(v));
      se.push_back(e);
      lo.push_back(mu - 1.96 * e);
      hi.push_back(mu + 1.96 * e);
      if (std::isfinite(mu)) {
        range_lo = std::min(range_lo, mu);
        range_hi = std::max(range_hi, mu);
      }
      series[points[pi].dir].control.push_back(points[pi].value);
      series[points[pi].dir].y.push_back(std::move(y));
    }
    if (!(range_lo <= range_hi)) range_lo = range_hi = 0;
    // The effect size is judged against the range over both directions: a down sweep that
    // stays on the upper branch must not call its own small wobbles a tip.
    out.tip_rule = cfg.tip_rule;
    out.tip_rule.seed = cfg.seed;
    out.tipping.push_back(detect_tip(series[0], range_lo, range_hi, out.tip_rule));
    if (cfg.hysteresis) {
      out.tipping.push_back(detect_tip(series[1], range_lo, range_hi, out.tip_rule));
      out.hysteresis = hysteresis_band(series[0], out.tipping[0], series[1], out.tipping[1], out.tip_rule);
    }
  }
  return out;
}

}  // namespace agglo::simulate
