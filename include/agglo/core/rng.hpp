// agglo::core — deterministic, seeded random streams (DESIGN.md, "Determinism").
//
// Every random draw in agglo comes from a Stream keyed by (seed, stream, step). The stream id
// names *what* is being drawn (e.g. "establishment positions of industry 17") and the step
// *which* repetition (a Monte-Carlo replicate, a simulation tick, a region index). Because the
// key is a pure function of these three numbers, results never depend on how work is split
// over threads or MPI ranks: replicate 412 draws the same numbers whichever worker runs it.
//
// The generator is xoshiro256** (Blackman & Vigna 2018), seeded from the key through
// SplitMix64, which is what its authors recommend. Distributions are written out here rather
// than taken from <random>, whose distributions are implementation-defined and so would give
// different numbers with another standard library.
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

namespace agglo::core {

// SplitMix64 finaliser: a bijective avalanche mix of 64 bits (Steele, Lea & Flood 2014).
constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A stable 64-bit id for a stream name (FNV-1a), so code can say stream_id("survey").
constexpr std::uint64_t stream_id(std::string_view name) noexcept {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

class Stream {
 public:
  // The default seed of every command (`--seed` overrides it).
  static constexpr std::uint64_t default_seed = 20240601;

  Stream(std::uint64_t seed, std::uint64_t stream, std::uint64_t step = 0) noexcept;

  // Raw 64 random bits.
  std::uint64_t next() noexcept;
  // Uniform on [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform on [lo, hi).
  double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
  // Uniform integer on [0, n) without modulo bias (Lemire 2019). n must be > 0.
  std::uint64_t below(std::uint64_t n) noexcept;
  bool bernoulli(double p) noexcept { return uniform() < p; }
  // Standard normal by the Marsaglia polar method.
  double normal() noexcept;
  double normal(double mean, double sd) noexcept { return mean + sd * normal(); }
  double lognormal(double mu, double sigma) noexcept { return std::exp(normal(mu, sigma)); }
  double exponential(double rate) noexcept { return -std::log1p(-uniform()) / rate; }
  // Gamma(shape, 1) by Marsaglia & Tsang (2000); shape > 0.
  double gamma(double shape) noexcept;
  double beta(double a, double b) noexcept;
  // Poisson(mean): multiplication method for small means, PTRS (Hörmann 1993) otherwise.
  std::uint64_t poisson(double mean) noexcept;
  // Pareto type I with minimum xm and tail index alpha.
  double pareto(double xm, double alpha) noexcept { return xm / std::pow(1.0 - uniform(), 1.0 / alpha); }

 private:
  std::uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace agglo::core
