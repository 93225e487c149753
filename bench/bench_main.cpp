// agglo_bench: Google Benchmark micro-benchmarks of the CSV layer.
//
// Everything runs on a generated ~50 MB establishments CSV (bench_data.cpp; AGGLO_BENCH_CSV=FILE
// uses another file). Throughput is reported as bytes/s of the CSV file (SetBytesProcessed) and
// wall time (UseRealTime), because read_table runs on TBB worker threads. The /1 and /2
// arguments are the TBB thread limit (like `agglo --threads N`).
//
// The benchmarks peel the reader apart so a slow stage shows up on its own:
//   CsvSource_Blocks      serial input stage only (read + record-boundary search + line count)
//   CsvSource_Tokenize    blocks + RecordCursor field splitting, one thread, no type conversion
//   ReadTable_NoId        read_table with the establishments spec minus the unique `id` column
//   ReadTable_Establishments  read_table with the full establishments spec
//   LoadEstablishments    what `agglo validate --establishments` does (collect mode, duplicate ids)
//   Interner_*            interning unique ids vs. repeated codes (the cost behind `id`)
//   ValidUtf8_*           the UTF-8 check on an ASCII and on a mostly non-ASCII buffer
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "agglo/core/ids.hpp"
#include "agglo/io/csv_reader.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/table_reader.hpp"
#include "bench_data.hpp"

namespace {

using agglo::bench::establishments_csv;
using agglo::bench::file_bytes;

void set_bytes(benchmark::State& state, std::uint64_t per_iteration) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(per_iteration));
}

void BM_CsvSource_Blocks(benchmark::State& state) {
  const auto& path = establishments_csv();
  std::uint64_t blocks = 0;
  for (auto _ : state) {
    agglo::io::CsvSource src(path);
    agglo::io::CsvBlock b;
    while (src.next_block(b)) ++blocks;
    benchmark::DoNotOptimize(b.size);
  }
  state.counters["blocks"] = static_cast<double>(blocks) / static_cast<double>(state.iterations());
  set_bytes(state, file_bytes(path));
}

void BM_CsvSource_Tokenize(benchmark::State& state) {
  const auto& path = establishments_csv();
  std::uint64_t rows = 0, fields = 0;
  for (auto _ : state) {
    rows = fields = 0;
    agglo::io::CsvSource src(path);
    agglo::io::CsvBlock b;
    while (src.next_block(b)) {
      agglo::io::RecordCursor cur(b, src.delimiter(), src.path());
      while (cur.next()) {
        ++rows;
        fields += cur.fields().size();
      }
    }
    benchmark::DoNotOptimize(fields);
  }
  state.counters["rows"] = static_cast<double>(rows);
  set_bytes(state, file_bytes(path));
}

// The establishments spec without the `id` column: every other column is parsed the same way.
const agglo::io::TableSpec& spec_without_id() {
  static const agglo::io::TableSpec s = [] {
    agglo::io::TableSpec t = agglo::io::establishments_spec();
    std::erase_if(t.columns, [](const agglo::io::ColumnSpec& c) { return c.name == "id"; });
    return t;
  }();
  return s;
}

void read_table_bench(benchmark::State& state, const agglo::io::TableSpec& spec) {
  const auto& path = establishments_csv();
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(state.range(0)));
  agglo::io::ReadOptions ro;
  ro.collect = true;
  std::size_t rows = 0;
  for (auto _ : state) {
    auto t = agglo::io::read_table(path, spec, ro);
    rows = t.rows;
    if (!t.errors.empty()) state.SkipWithError("the generated file has input errors");
    benchmark::DoNotOptimize(t.rows);
  }
  state.counters["rows"] = static_cast<double>(rows);
  set_bytes(state, file_bytes(path));
}

void BM_ReadTable_Establishments(benchmark::State& state) {
  read_table_bench(state, agglo::io::establishments_spec());
}

void BM_ReadTable_NoId(benchmark::State& state) { read_table_bench(state, spec_without_id()); }

void BM_LoadEstablishments(benchmark::State& state) {
  const auto& path = establishments_csv();
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(state.range(0)));
  agglo::io::ReadOptions ro;
  ro.collect = true;  // as `agglo validate` does
  std::size_t rows = 0;
  for (auto _ : state) {
    agglo::io::InputReport report;
    auto e = agglo::io::load_establishments(path, "", ro, &report);
    rows = report.rows;
    if (!report.ok()) state.SkipWithError("the generated file has input errors");
    benchmark::DoNotOptimize(e.x.data());
  }
  state.counters["rows"] = static_cast<double>(rows);
  set_bytes(state, file_bytes(path));
}

// Interning N strings: all distinct (like establishment ids) or drawn from 1,099 codes (like
// industries). Items/s is strings interned per second.
void interner_bench(benchmark::State& state, bool unique) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::string> keys;
  keys.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    keys.push_back(unique ? fmt::format("e{}", i + 1) : fmt::format("{}", 311111 + 97 * (i * 7919 % 1099)));
  for (auto _ : state) {
    agglo::core::Interner in;
    for (const auto& k : keys) benchmark::DoNotOptimize(in.intern(k));
    benchmark::DoNotOptimize(in.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

void BM_Interner_UniqueIds(benchmark::State& state) { interner_bench(state, true); }
void BM_Interner_RepeatedCodes(benchmark::State& state) { interner_bench(state, false); }

std::string utf8_buffer(bool ascii) {
  // ~16 MB of CSV-like text; the non-ASCII variant mixes 2-, 3- and 4-byte sequences.
  const std::string row = ascii ? "e123456,336411,06037,-118.243685,34.052234,17\n"
                                : "é,Zürich,Ελλάδα,東京都,𝔘𝔫𝔦𝔠𝔬𝔡𝔢,Łódź\n";
  std::string s;
  s.reserve((16u << 20) + row.size());
  while (s.size() < (16u << 20)) s += row;
  return s;
}

void utf8_bench(benchmark::State& state, bool ascii) {
  const std::string buf = utf8_buffer(ascii);
  for (auto _ : state) {
    std::size_t bad = 0;
    const bool ok = agglo::io::valid_utf8(buf, &bad);
    if (!ok) state.SkipWithError("valid_utf8 rejected a valid buffer");
    benchmark::DoNotOptimize(ok);
  }
  set_bytes(state, buf.size());
}

void BM_ValidUtf8_Ascii(benchmark::State& state) { utf8_bench(state, true); }
void BM_ValidUtf8_Multibyte(benchmark::State& state) { utf8_bench(state, false); }

}  // namespace

BENCHMARK(BM_ValidUtf8_Ascii)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ValidUtf8_Multibyte)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Interner_UniqueIds)->Arg(1 << 20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Interner_RepeatedCodes)->Arg(1 << 20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvSource_Blocks)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CsvSource_Tokenize)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadTable_NoId)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadTable_Establishments)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadEstablishments)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
