// Co-occurrence and proximity; see include/agglo/complexity/proximity.hpp.
#include "agglo/complexity/proximity.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <cstdint>

#include "agglo/core/error.hpp"

namespace agglo::complexity {

namespace {

// |a ∧ b| over `words` 64-bit words, for one product p against every product: a full row, so
// no transposed mirror pass is needed afterwards (the popcounts are cheap; strided writes are not). The popcnt clone is picked at load time where the CPU
// has the instruction (the build is portable x86-64 without -march).
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
void count_row(const std::uint64_t* bits, std::size_t words, std::size_t p, std::size_t products,
               double* out) {
  const std::uint64_t* a = bits + p * words;
  for (std::size_t q = 0; q < products; ++q) {
    const std::uint64_t* b = bits + q * words;
    std::uint64_t n = 0;
    for (std::size_t w = 0; w < words; ++w) n += static_cast<std::uint64_t>(__builtin_popcountll(a[w] & b[w]));
    out[q] = static_cast<double>(n);
  }
}

}  // namespace

ProximityMeasure proximity_measure_from(const std::string& name) {
  if (name == "min-conditional") return ProximityMeasure::min_conditional;
  if (name == "association") return ProximityMeasure::association;
  if (name == "cosine") return ProximityMeasure::cosine;
  if (name == "jaccard") return ProximityMeasure::jaccard;
  throw_usage(ErrorCode::invalid_option_value, "unknown proximity measure '" + name + "'",
              "use min-conditional, association, cosine or jaccard");
}

data::DenseMatrix cooccurrence(const Presence& m) {
  data::DenseMatrix cm;
  cooccurrence_into(m, cm);
  return cm;
}

void cooccurrence_into(const Presence& m, data::DenseMatrix& cm) {
  const std::size_t P = m.products, words = (m.locations + 63) / 64;
  // One bitset over locations per product: C_pq = popcount(b_p ∧ b_q).
  std::vector<std::uint64_t> bits(P * words, 0);
  for (std::size_t p = 0; p < P; ++p)
    for (auto k = m.prod_ptr[p]; k < m.prod_ptr[p + 1]; ++k) {
      const auto c = m.prod_locations[k];
      bits[p * words + c / 64] |= std::uint64_t{1} << (c % 64);
    }
  cm.reshape(P, P);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, P, 16), [&](const auto& range) {
    for (std::size_t p = range.begin(); p < range.end(); ++p) count_row(bits.data(), words, p, P, cm.row(p));
  });
}

data::DenseMatrix proximity(const Presence& m, ProximityMeasure measure, bool self_term) {
  data::DenseMatrix phi;
  proximity_into(m, measure, self_term, phi);
  return phi;
}

void proximity_into(const Presence& m, ProximityMeasure measure, bool self_term, data::DenseMatrix& phi) {
  const std::size_t P = m.products;
  cooccurrence_into(m, phi);
  std::vector<double> k(P), s(P, 0.0);
  for (std::size_t p = 0; p < P; ++p) k[p] = m.ubiquity[p];
  double total = 0;
  if (measure == ProximityMeasure::association) {
    for (std::size_t p = 0; p < P; ++p) {
      for (std::size_t q = 0; q < P; ++q)
        if (q != p) s[p] += phi(p, q);
      total += s[p];
    }
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, P, 16), [&](const auto& range) {
    for (std::size_t p = range.begin(); p < range.end(); ++p) {
      double* row = phi.row(p);
      for (std::size_t q = 0; q < P; ++q) {
        const double c = row[q];
        double v = 0;
        if (q == p) {
          v = self_term && k[p] > 0 ? 1.0 : 0.0;
        } else if (c > 0) {
          switch (measure) {
            case ProximityMeasure::min_conditional: v = c / std::max(k[p], k[q]); break;
            case ProximityMeasure::cosine: v = c / std::sqrt(k[p] * k[q]); break;
            case ProximityMeasure::jaccard: v = c / (k[p] + k[q] - c); break;
            case ProximityMeasure::association: v = c * total / (s[p] * s[q]); break;
          }
        }
        row[q] = v;
      }
    }
  });
}

}  // namespace agglo::complexity
