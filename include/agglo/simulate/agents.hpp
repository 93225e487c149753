// agglo::simulate — the agent-based engine: structure-of-arrays agents, schedulers, per-agent
// random streams, observers and checkpoints.
//
// Agents are rows of an AgentStore: each state variable is one contiguous column (a vector of
// doubles or 32-bit integers), so an update that reads two variables of a million firms walks
// two arrays instead of a million scattered objects — the layout FLAME GPU and Agents.jl's
// fastest paths use. Agents are addressed by a dense index; removed agents are marked dead and
// compacted between steps by compact(), which keeps ids stable in the `id` column.
//
// Scheduling (Railsback & Grimm 2019, ch. 14):
//  * synchronous: every agent reads the state of the previous step and writes the next one
//    (double buffering); the order is irrelevant, so updates run in parallel on threads;
//  * random-sequential: agents act one at a time in a fresh random order each step and see the
//    changes made before them (Schelling's movers); the order comes from the stream
//    (seed, "schedule", step), so it does not depend on threads.
// Randomness: agent_stream(seed, what, id, step) gives agent `id` its own stream at `step`,
// keyed by numbers only — results are identical with 1 or 2 threads (or MPI ranks).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "agglo/core/rng.hpp"
#include "agglo/data/table.hpp"
#include "agglo/geo/pair_grid.hpp"

namespace agglo::simulate {

enum class Schedule { synchronous, random_sequential };

// The random stream of agent `id` at `step` for the purpose `what` (a stream_id).
inline core::Stream agent_stream(std::uint64_t seed, std::uint64_t what, std::uint64_t id,
                                 std::uint64_t step) {
  return core::Stream(seed, core::splitmix64(what ^ core::splitmix64(id + 0x51ED2701ULL)), step);
}

// A uniformly random permutation of 0..n−1 for `step` (Fisher–Yates on the schedule stream).
std::vector<std::uint32_t> activation_order(std::size_t n, std::uint64_t seed, std::uint64_t step);

class AgentStore {
 public:
  // Adds a column; every column has size() rows.
  std::size_t add_real(const std::string& name);
  std::size_t add_int(const std::string& name);
  std::vector<double>& real(std::size_t c) { return reals_[c]; }
  std::vector<std::int32_t>& integer(std::size_t c) { return ints_[c]; }
  const std::vector<double>& real(std::size_t c) const { return reals_[c]; }
  const std::vector<std::int32_t>& integer(std::size_t c) const { return ints_[c]; }
  std::size_t real_column(const std::string& name) const;  // asserts it exists
  std::size_t int_column(const std::string& name) const;

  std::size_t size() const { return alive_.size(); }
  std::size_t live() const;
  // Appends n agents with zeroed state and fresh ids; returns the index of the first.
  std::size_t append(std::size_t n);
  void kill(std::size_t i) { alive_[i] = 0; }
  bool alive(std::size_t i) const { return alive_[i] != 0; }
  std::uint64_t id(std::size_t i) const { return ids_[i]; }
  // Removes dead agents, keeping the order (and the ids) of the living.
  void compact();
  void reserve(std::size_t n);

  // Checkpoint: a binary file (magic, format version, agglo version, model name, step,
  // parameters, columns) written atomically; load() refuses a file of another format or
  // agglo version with an input error naming both versions.
  struct Header {
    std::string model;
    std::uint64_t step = 0;
    std::uint64_t seed = 0;
    std::vector<std::pair<std::string, double>> params;
    std::vector<double> extra;  // model-level state (region aggregates, counters)
  };
  void save(const std::string& path, const Header& h) const;
  // With `expected_model`, a checkpoint of another model (or model version, e.g. "ecosystem"
  // versus "ecosystem-v2") is refused before the agglo version is compared.
  static AgentStore load(const std::string& path, Header& h, const std::string& expected_model = "");
  static std::uint32_t format_version();

 private:
  std::vector<std::string> real_names_, int_names_;
  std::vector<std::vector<double>> reals_;
  std::vector<std::vector<std::int32_t>> ints_;
  std::vector<std::uint8_t> alive_;
  std::vector<std::uint64_t> ids_;
  std::uint64_t next_id_ = 0;
};

// Spatial neighbour search for agents (or regions) with positions: which agents lie within a
// radius of an agent or of a point. Built once per step (or once, for fixed positions such as
// regions) on geo::PairGrid, the engine's shared uniform-grid index: projected x,y (Euclidean,
// in their unit) or lon/lat degrees (great-circle km). O(n) memory, no n×n matrix; a query
// visits the 3×3 (3×3×3 on the sphere) block of cells around it and confirms every candidate
// with the exact distance, so the grid decides speed, never the result.
class Neighbourhood {
 public:
  // `radius` is the largest radius any query will use (> 0).
  Neighbourhood(std::span<const double> x, std::span<const double> y, bool geographic, double radius)
      : grid_(x, y, geographic, radius) {}
  std::size_t size() const { return grid_.size(); }
  double radius() const { return grid_.radius(); }
  // Every other agent j with d(i, j) ≤ radius(): f(j, d).
  template <class F>
  void for_each_neighbour(std::size_t i, F&& f) const { grid_.for_each_neighbour(i, std::forward<F>(f)); }
  // Every agent j within r ≤ radius() of the point (x, y): f(j, d).
  template <class F>
  void within(double x, double y, double r, F&& f) const { grid_.query(x, y, r, std::forward<F>(f)); }
  // The neighbours of every agent, itself included, as compressed rows with indices ascending
  // (a fixed order, so draws from them do not depend on the grid): row i is
  // index[start[i] .. start[i+1]), distance alongside.
  struct Lists {
    std::vector<std::size_t> start;
    std::vector<std::uint32_t> index;
    std::vector<double> distance;
  };
  Lists lists() const;

 private:
  geo::PairGrid grid_;
};

// An observer records named time series, one row per observe() call.
class Observer {
 public:
  explicit Observer(std::vector<std::string> names);
  void observe(std::int64_t step, const std::vector<double>& values);
  data::Table table() const;
  std::size_t rows() const { return steps_.size(); }
  const std::vector<double>& series(std::size_t k) const { return values_[k]; }

 private:
  std::vector<std::string> names_;
  std::vector<std::int64_t> steps_;
  std::vector<std::vector<double>> values_;
};

}  // namespace agglo::simulate
