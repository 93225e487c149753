// The product space backbone; see include/agglo/complexity/product_space.hpp.
#include "agglo/complexity/product_space.hpp"

#include <algorithm>
#include <limits>

namespace agglo::complexity {

std::vector<BackboneEdge> backbone(const data::DenseMatrix& phi, const std::vector<bool>& active,
                                   double strong_min) {
  const std::size_t P = phi.rows();
  std::vector<BackboneEdge> edges;
  // Prim's algorithm for a maximum spanning forest: best[q] is q's strongest link to the tree.
  std::vector<double> best(P, -std::numeric_limits<double>::infinity());
  std::vector<std::uint32_t> parent(P, 0);
  std::vector<bool> done(P, false);
  constexpr double none = -std::numeric_limits<double>::infinity();
  for (std::size_t root = 0; root < P; ++root) {
    if (!active[root] || done[root]) continue;
    best[root] = std::numeric_limits<double>::infinity();  // picked first: a new component
    parent[root] = static_cast<std::uint32_t>(root);
    while (true) {
      std::size_t u = P;
      double bu = 0;
      for (std::size_t q = 0; q < P; ++q)
        if (!done[q] && best[q] > bu) bu = best[q], u = q;
      if (u == P) break;  // nothing left linked (φ > 0) to this component
      done[u] = true;
      if (u != root) {
        const auto a = std::min<std::uint32_t>(parent[u], static_cast<std::uint32_t>(u));
        const auto b = std::max<std::uint32_t>(parent[u], static_cast<std::uint32_t>(u));
        edges.push_back({a, b, phi(a, b), true});
      }
      const double* row = phi.row(u);
      for (std::size_t q = 0; q < P; ++q)
        if (active[q] && !done[q] && row[q] > best[q] && row[q] > 0) best[q] = row[q], parent[q] = static_cast<std::uint32_t>(u);
    }
    for (std::size_t q = 0; q < P; ++q)
      if (!done[q]) best[q] = none;
  }
  // Strong links not already in the tree.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> tree;
  for (const auto& e : edges) tree.emplace_back(e.a, e.b);
  std::sort(tree.begin(), tree.end());
  for (std::size_t a = 0; a < P; ++a) {
    if (!active[a]) continue;
    const double* row = phi.row(a);
    for (std::size_t b = a + 1; b < P; ++b)
      if (active[b] && row[b] >= strong_min && row[b] > 0 &&
          !std::binary_search(tree.begin(), tree.end(), std::pair<std::uint32_t, std::uint32_t>(a, b)))
        edges.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b), row[b], false});
  }
  std::sort(edges.begin(), edges.end(), [](const auto& x, const auto& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  return edges;
}

}  // namespace agglo::complexity
