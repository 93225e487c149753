// A sum over sources whose value does not depend on the thread count. Private to src/network/.
//
// Brandes-type accumulations add one vector per source (its dependencies δ_s). Adding them in
// whatever order threads finish would change the last bits of the sum from run to run, so
// sources are cut into fixed blocks of `block`; each block of a round of `per_round` blocks
// runs on any thread into its own accumulator, and the round's accumulators are added to the
// total in block order. The result is byte-identical for any number of threads, at the cost
// of per_round accumulators of `width` doubles.
#pragma once

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace agglo::network::detail {

// Calls run(source, scratch, acc) for every source (scratch: the calling thread's, from
// `scratch`; acc: `width` doubles to add the source's contribution to) and returns the sum.
template <class Scratch, class Run>
std::vector<double> sum_over_sources(const std::vector<std::uint32_t>& sources, std::size_t width,
                                     tbb::enumerable_thread_specific<Scratch>& scratch, std::size_t block,
                                     std::size_t per_round, Run run) {
  std::vector<double> total(width, 0.0);
  std::vector<std::vector<double>> acc(per_round, std::vector<double>(width, 0.0));
  const std::size_t blocks = (sources.size() + block - 1) / block;
  for (std::size_t round = 0; round * per_round < blocks; ++round) {
    const std::size_t b0 = round * per_round, b1 = std::min(blocks, b0 + per_round);
    tbb::parallel_for(b0, b1, [&](std::size_t b) {
      auto& s = scratch.local();
      auto& a = acc[b - b0];
      std::fill(a.begin(), a.end(), 0.0);
      for (std::size_t si = b * block; si < std::min(sources.size(), (b + 1) * block); ++si) run(sources[si], s, a);
    });
    for (std::size_t b = b0; b < b1; ++b)
      for (std::size_t v = 0; v < width; ++v) total[v] += acc[b - b0][v];
  }
  return total;
}

}  // namespace agglo::network::detail
