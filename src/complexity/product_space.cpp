// The product space backbone; see include/agglo/complexity/product_space.hpp.
#include "agglo/complexity/product_space.hpp"

#include <igraph/igraph.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"

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

std::vector<std::pair<double, double>> backbone_layout(std::size_t products, const std::vector<bool>& active,
                                                       const std::vector<BackboneEdge>& edges, std::uint64_t seed) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::pair<double, double>> xy(products, {nan, nan});
  // igraph wants vertices 0..n−1: number the active products densely.
  std::vector<igraph_integer_t> vertex(products, -1);
  std::vector<std::size_t> product_of;
  for (std::size_t p = 0; p < products; ++p)
    if (active[p]) vertex[p] = static_cast<igraph_integer_t>(product_of.size()), product_of.push_back(p);
  const auto n = static_cast<igraph_integer_t>(product_of.size());
  if (n == 0) return xy;
  // igraph's default error handler aborts the process; report errors as return codes instead.
  igraph_error_handler_t* previous = igraph_set_error_handler(igraph_error_handler_ignore);
  igraph_vector_int_t ends;
  igraph_vector_t weights;
  igraph_vector_int_init(&ends, 0);
  igraph_vector_init(&weights, 0);
  for (const auto& e : edges) {
    igraph_vector_int_push_back(&ends, vertex[e.a]);
    igraph_vector_int_push_back(&ends, vertex[e.b]);
    igraph_vector_push_back(&weights, e.proximity);
  }
  igraph_t g;
  igraph_matrix_t pos;
  igraph_matrix_init(&pos, n, 2);
  // Start positions from our own seeded stream (use_seed = true); igraph's FR still draws from
  // its default RNG while it runs, so that is seeded from the same stream: the layout depends
  // only on `seed`, not on what ran before in the process.
  core::Stream rng(seed, core::stream_id("product-space-layout"), 0);
  igraph_rng_seed(igraph_rng_default(), static_cast<igraph_uint_t>(rng.next() >> 1));
  const double side = std::sqrt(static_cast<double>(n));
  for (igraph_integer_t i = 0; i < n; ++i) {
    MATRIX(pos, i, 0) = (rng.uniform() - 0.5) * side;
    MATRIX(pos, i, 1) = (rng.uniform() - 0.5) * side;
  }
  igraph_error_t rc = igraph_create(&g, &ends, n, IGRAPH_UNDIRECTED);
  if (rc == IGRAPH_SUCCESS) {
    rc = igraph_layout_fruchterman_reingold(&g, &pos, /*use_seed=*/true, /*niter=*/500, /*start_temp=*/side / 10,
                                            IGRAPH_LAYOUT_NOGRID, edges.empty() ? nullptr : &weights, nullptr,
                                            nullptr, nullptr, nullptr);
    igraph_destroy(&g);
  }
  if (rc == IGRAPH_SUCCESS)
    for (igraph_integer_t i = 0; i < n; ++i) xy[product_of[i]] = {MATRIX(pos, i, 0), MATRIX(pos, i, 1)};
  igraph_matrix_destroy(&pos);
  igraph_vector_destroy(&weights);
  igraph_vector_int_destroy(&ends);
  igraph_set_error_handler(previous);
  if (rc != IGRAPH_SUCCESS)
    throw Error(ErrorKind::internal, ErrorCode::internal_error, std::string("igraph layout failed: ") + igraph_strerror(rc));
  return xy;
}

}  // namespace agglo::complexity
