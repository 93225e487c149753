// Burt's constraint and effective size (formulas in structural_holes.hpp).
#include "agglo/network/structural_holes.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace agglo::network {

StructuralHoles structural_holes(const Graph& g) {
  const std::size_t n = g.n;
  StructuralHoles out;
  out.constraint.assign(n, std::numeric_limits<double>::quiet_NaN());
  out.effective_size.assign(n, std::numeric_limits<double>::quiet_NaN());
  // Per node: total and largest mutual weight.
  std::vector<double> total(n, 0.0), largest(n, 0.0);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, static_cast<std::uint32_t>(n), 4096),
                    [&](const auto& r) {
                      for (auto v = r.begin(); v != r.end(); ++v)
                        for (double w : g.nb_w(v)) {
                          total[v] += w;
                          largest[v] = std::max(largest[v], w);
                        }
                    });
  struct Scratch {
    std::vector<std::int32_t> pos;      // index of a node in N(i), −1 when not a neighbour
    std::vector<double> indirect, redundancy;
  };
  tbb::enumerable_thread_specific<Scratch> scratch([n] {
    Scratch s;
    s.pos.assign(n, -1);
    return s;
  });
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, static_cast<std::uint32_t>(n), 256), [&](const auto& r) {
    auto& s = scratch.local();
    for (auto i = r.begin(); i != r.end(); ++i) {
      const auto ni = g.nb(i);
      const auto wi = g.nb_w(i);
      const std::size_t d = ni.size();
      if (d == 0 || total[i] <= 0) continue;
      for (std::size_t a = 0; a < d; ++a) s.pos[ni[a]] = static_cast<std::int32_t>(a);
      s.indirect.assign(d, 0.0);
      s.redundancy.assign(d, 0.0);
      for (std::size_t a = 0; a < d; ++a) {
        const std::uint32_t q = ni[a];
        const double p_iq = wi[a] / total[i];
        const auto nq = g.nb(q);
        const auto wq = g.nb_w(q);
        if (total[q] <= 0) continue;
        // Every j in N(i) ∩ N(q), j ≠ i: add p_iq·p_qj to j's indirect constraint and
        // p_iq·m̂_jq (= p_iq·m_qj / max_k m_jk) to j's redundancy.
        auto visit = [&](std::size_t jb, double m_qj) {
          const std::uint32_t j = ni[jb];
          s.indirect[jb] += p_iq * (m_qj / total[q]);
          if (largest[j] > 0) s.redundancy[jb] += p_iq * (m_qj / largest[j]);
        };
        if (nq.size() <= d) {
          for (std::size_t k = 0; k < nq.size(); ++k) {
            const auto jb = s.pos[nq[k]];
            if (jb >= 0) visit(static_cast<std::size_t>(jb), wq[k]);
          }
        } else {
          for (std::size_t jb = 0; jb < d; ++jb) {
            const auto it = std::lower_bound(nq.begin(), nq.end(), ni[jb]);
            if (it != nq.end() && *it == ni[jb]) visit(jb, wq[static_cast<std::size_t>(it - nq.begin())]);
          }
        }
      }
      double c = 0, es = 0;
      for (std::size_t jb = 0; jb < d; ++jb) {
        const double direct = wi[jb] / total[i];
        c += (direct + s.indirect[jb]) * (direct + s.indirect[jb]);
        es += 1.0 - s.redundancy[jb];
      }
      out.constraint[i] = c;
      out.effective_size[i] = es;
      for (auto j : ni) s.pos[j] = -1;
    }
  });
  return out;
}

}  // namespace agglo::network
