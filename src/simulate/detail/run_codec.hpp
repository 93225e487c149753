// Serialising simulation runs to bytes and back, so MPI ranks can send their runs to rank 0.
//
// A buffer is a sequence of (task index, RunResult) records. Numbers are copied as their raw
// bytes (doubles bit for bit, so the gathered tables print exactly as if computed locally);
// every rank of one job runs the same binary on the same kind of machine, so the byte order
// and the double format agree. Strings are a length followed by their bytes.
//
// Format of one record: u64 index · u32 metric count · (string name, f64 value)… · the steps
// table · the regions table · u64 final-state length · f64 values, where a table is u32 column
// count · (string name, u8 kind 0 real / 1 integer / 2 text, u64 rows, values)….
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "agglo/simulate/model.hpp"

namespace agglo::simulate::detail {

// Appends one record to `out`.
void encode_run(std::vector<std::uint8_t>& out, std::uint64_t index, const RunResult& run);

// Decodes every record of a buffer written by encode_run; an internal error if it is truncated.
std::vector<std::pair<std::uint64_t, RunResult>> decode_runs(const std::vector<std::uint8_t>& bytes);

}  // namespace agglo::simulate::detail
