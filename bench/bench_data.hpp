// Test data for the agglo_bench micro-benchmarks: a generated establishments CSV in a temp dir.
#pragma once

#include <cstdint>
#include <string>

namespace agglo::bench {

// The path of an establishments CSV (id,industry,region,lon,lat,employees, the columns
// `agglo synth` writes) of about `target_mb` MB, generated once per process into a fresh
// temporary directory that is removed at exit. AGGLO_BENCH_CSV=FILE uses that file instead.
const std::string& establishments_csv(std::size_t target_mb = 50);

// Size of a file in bytes.
std::uint64_t file_bytes(const std::string& path);

}  // namespace agglo::bench
