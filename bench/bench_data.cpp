#include "bench_data.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <unistd.h>

#include <fmt/format.h>

namespace agglo::bench {

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() / fmt::format("agglo_bench_{}", ::getpid());
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// Writes rows shaped like `agglo synth` output: ids e1, e2…; ~1,000 six-digit industry codes;
// ~3,000 five-digit county FIPS codes; coordinates with six decimals; small employee counts.
void write_csv(const std::string& file, std::uint64_t target_bytes) {
  std::ofstream out(file, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + file);
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> industry(0, 1098), region(0, 3114), emp(1, 250);
  std::uniform_real_distribution<double> lon(-124.0, -67.0), lat(25.0, 49.0);
  std::string buf = "id,industry,region,lon,lat,employees\n";
  std::uint64_t written = 0;
  for (std::uint64_t i = 1; written < target_bytes; ++i) {
    fmt::format_to(std::back_inserter(buf), "e{},{},{:05d},{:.6f},{:.6f},{}\n", i,
                   311111 + 97 * industry(rng), 1001 + 17 * region(rng), lon(rng), lat(rng), emp(rng));
    if (buf.size() > (1u << 20)) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      written += buf.size();
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  if (!out) throw std::runtime_error("write failed: " + file);
}

}  // namespace

std::uint64_t file_bytes(const std::string& path) {
  return static_cast<std::uint64_t>(std::filesystem::file_size(path));
}

const std::string& establishments_csv(std::size_t target_mb) {
  static TempDir dir;  // destroyed (and removed) at exit
  static const std::string path = [&] {
    if (const char* env = std::getenv("AGGLO_BENCH_CSV"); env && *env) return std::string(env);
    const auto file = (dir.path / "establishments.csv").string();
    write_csv(file, static_cast<std::uint64_t>(target_mb) << 20);
    return file;
  }();
  return path;
}

}  // namespace agglo::bench
