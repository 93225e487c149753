// Monte-Carlo envelopes and Duranton–Overman bands (see include/agglo/spatial/envelope.hpp).
#include "agglo/spatial/envelope.hpp"

#include <fmt/format.h>

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "agglo/core/error.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/parallel/mpi.hpp"
#include "agglo/parallel/progress.hpp"

namespace agglo::spatial {

SimulationMatrix run_simulations(std::size_t sims, std::size_t cols, const std::string& label,
                                 const std::function<void(std::size_t, double*)>& fill) {
  SimulationMatrix m;
  m.sims = sims;
  m.cols = cols;
  m.values.assign(sims * cols, std::numeric_limits<double>::quiet_NaN());
  const int ranks = parallel::mpi::size(), me = parallel::mpi::rank();
  std::vector<std::size_t> mine;
  for (std::size_t s = static_cast<std::size_t>(me); s < sims; s += static_cast<std::size_t>(ranks)) mine.push_back(s);
  try {
    {
      parallel::Progress bar(label, mine.size(), "simulations");
      tbb::parallel_for(std::size_t(0), mine.size(), [&](std::size_t k) {
        parallel::check_cancelled();
        fill(mine[k], m.values.data() + mine[k] * cols);
        bar.advance();
      }, tbb::simple_partitioner());
    }
    if (ranks > 1) {
      // Each record: simulation index (8 bytes) then its row (cols doubles), raw bytes, so the
      // values arrive bit for bit.
      std::vector<std::uint8_t> bytes(mine.size() * (8 + cols * sizeof(double)));
      std::uint8_t* p = bytes.data();
      for (std::size_t s : mine) {
        const std::uint64_t idx = s;
        std::memcpy(p, &idx, 8);
        std::memcpy(p + 8, m.values.data() + s * cols, cols * sizeof(double));
        p += 8 + cols * sizeof(double);
      }
      const auto gathered = parallel::mpi::gather_to_root(bytes);
      if (me != 0) {
        m.root = false;
        m.values = {};
        return m;
      }
      const std::size_t rec = 8 + cols * sizeof(double);
      for (std::size_t from = 1; from < gathered.size(); ++from) {
        const auto& b = gathered[from];
        AGGLO_ASSERT(b.size() % rec == 0);
        for (std::size_t off = 0; off < b.size(); off += rec) {
          std::uint64_t idx;
          std::memcpy(&idx, b.data() + off, 8);
          AGGLO_ASSERT(idx < sims);
          std::memcpy(m.values.data() + idx * cols, b.data() + off + 8, cols * sizeof(double));
        }
      }
    }
  } catch (...) {
    parallel::mpi::abort_job_on_current_exception();  // no rank is left waiting in the gather
    throw;
  }
  return m;
}

double quantile7(const std::vector<double>& v, double p) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

Bands envelope_bands(const SimulationMatrix& m, double alpha, std::size_t first, std::size_t count) {
  if (!(alpha > 0 && alpha < 0.5))
    throw_usage(ErrorCode::invalid_option_value, "--alpha must be in (0, 0.5)");
  if (count == 0) count = m.cols - first;
  AGGLO_ASSERT(first + count <= m.cols);
  const std::size_t S = m.sims, G = count;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Bands b;
  b.local_lower.assign(G, nan);
  b.local_upper.assign(G, nan);
  b.global_lower.assign(G, nan);
  b.global_upper.assign(G, nan);
  if (S == 0) return b;
  // Sorted finite values of each column.
  std::vector<std::vector<double>> col(G);
  for (std::size_t g = 0; g < G; ++g) {
    auto& c = col[g];
    c.reserve(S);
    for (std::size_t s = 0; s < S; ++s) {
      const double v = m.row(s)[first + g];
      if (std::isfinite(v)) c.push_back(v);
    }
    std::sort(c.begin(), c.end());
    b.local_lower[g] = quantile7(c, alpha);
    b.local_upper[g] = quantile7(c, 1 - alpha);
  }
  const auto allowed = static_cast<std::size_t>(std::floor(alpha * static_cast<double>(S) + 1e-9));
  // k-th largest (upper) or k-th smallest (lower) at each distance; k beyond a column's finite
  // count clamps to its last value.
  auto band_value = [&](std::size_t g, std::size_t k, bool upper) {
    const auto& c = col[g];
    if (c.empty()) return nan;
    const std::size_t i = std::min(k, c.size()) - 1;
    return upper ? c[c.size() - 1 - i] : c[i];
  };
  auto crossings = [&](std::size_t k, bool upper) {
    std::size_t n = 0;
    for (std::size_t s = 0; s < S; ++s) {
      const double* r = m.row(s) + first;
      for (std::size_t g = 0; g < G; ++g) {
        const double v = band_value(g, k, upper);
        if (!std::isfinite(r[g]) || !std::isfinite(v)) continue;
        if (upper ? r[g] > v : r[g] < v) {
          ++n;
          break;
        }
      }
    }
    return n;
  };
  for (bool upper : {true, false}) {
    std::size_t lo = 1, hi = S;  // crossings(lo) ≤ allowed always (k = 1 is never crossed)
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo + 1) / 2;
      if (crossings(mid, upper) <= allowed) lo = mid;
      else hi = mid - 1;
    }
    const double share = static_cast<double>(crossings(lo, upper)) / static_cast<double>(S);
    for (std::size_t g = 0; g < G; ++g) (upper ? b.global_upper : b.global_lower)[g] = band_value(g, lo, upper);
    const double pct = 100.0 * static_cast<double>(lo) / static_cast<double>(S);
    if (upper) b.upper_rank = lo, b.upper_crossing = share, b.upper_percentile = 100.0 - pct;
    else b.lower_rank = lo, b.lower_crossing = share, b.lower_percentile = pct;
  }
  return b;
}

std::string envelope_size_warning(std::size_t simulations, double alpha) {
  if (simulations == 0 || simulations >= kMinEnvelopeSimulations) return {};
  const auto allowed = static_cast<std::size_t>(std::floor(alpha * static_cast<double>(simulations) + 1e-9));
  return fmt::format(
      "only {} simulations: a {:g} % global band then lets {} simulated curve{} cross it{}, so its level is not {:g} %; "
      "use --simulations 99 or more (Duranton & Overman 2005 use 1000)",
      simulations, 100 * alpha, allowed, allowed == 1 ? "" : "s",
      allowed == 0 ? " (it is the pointwise extreme of the simulations)" : "", 100 * alpha);
}

std::string small_industry_warning(const std::string& measure, const std::string& role, std::size_t n) {
  if (n >= kMinEstablishments) return {};
  const bool kd = measure == "K-density";
  return fmt::format(
      "{} has only {} establishment{} (fewer than {}): {}, so its counterfactual bands are wide and a localised pattern "
      "is often missed{}",
      role, n, n == 1 ? "" : "s", kMinEstablishments,
      kd ? fmt::format("its K-density rests on {} pair distances among {} locations", n * (n - 1) / 2, n)
         : fmt::format("its {} averages the neighbourhoods of {} establishment{} only", measure, n, n == 1 ? "" : "s"),
      kd ? " (pattern 'neither' means 'too few to tell', not 'random')" : "");
}

}  // namespace agglo::spatial
