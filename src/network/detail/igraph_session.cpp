#include "igraph_session.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "agglo/core/error.hpp"

namespace agglo::network::detail {

namespace {

std::mutex& igraph_mutex() {
  static std::mutex m;
  return m;
}
std::vector<std::string>* g_warnings = nullptr;  // guarded by igraph_mutex()

void collect_warning(const char* reason, const char*, int) {
  if (g_warnings && g_warnings->size() < 20) g_warnings->push_back(std::string("igraph: ") + reason);
}

}  // namespace

IgraphSession::IgraphSession(std::uint64_t seed) : lock_(igraph_mutex()) {
  static std::vector<std::string> warnings;
  warnings.clear();
  g_warnings = &warnings;
  old_error_ = igraph_set_error_handler(igraph_error_handler_ignore);
  old_warning_ = igraph_set_warning_handler(collect_warning);
  reseed(seed);
}

IgraphSession::~IgraphSession() {
  igraph_set_error_handler(old_error_);
  igraph_set_warning_handler(old_warning_);
  g_warnings = nullptr;
}

void IgraphSession::reseed(std::uint64_t seed) {
  igraph_rng_seed(igraph_rng_default(), static_cast<igraph_uint_t>(seed));
}

void IgraphSession::check(igraph_error_t code, const char* what) const {
  if (code != IGRAPH_SUCCESS)
    throw Error(ErrorKind::internal, ErrorCode::internal_error,
                fmt::format("igraph failed in {}: {}", what, igraph_strerror(code)), {},
                "please report this as a bug with the input that caused it");
}

std::vector<std::string> IgraphSession::take_warnings() {
  std::vector<std::string> out;
  if (g_warnings) out.swap(*g_warnings);
  return out;
}

IgraphGraph::IgraphGraph(const Graph& g, bool undirected) {
  igraph_vector_int_t edges;
  igraph_vector_int_init(&edges, 0);
  std::vector<double> w;
  const bool as_directed = g.directed && !undirected;
  if (g.directed && undirected) {
    // One tie per unordered pair with the mutual weight (nb lists, each pair once: v < j).
    std::size_t count = 0;
    for (std::uint32_t v = 0; v < g.n; ++v)
      for (auto j : g.nb(v)) count += j > v;
    igraph_vector_int_resize(&edges, static_cast<igraph_integer_t>(2 * count));
    std::size_t k = 0;
    for (std::uint32_t v = 0; v < g.n; ++v) {
      const auto nb = g.nb(v);
      const auto nw = g.nb_w(v);
      for (std::size_t a = 0; a < nb.size(); ++a)
        if (nb[a] > v) {
          VECTOR(edges)[2 * k] = v;
          VECTOR(edges)[2 * k + 1] = nb[a];
          w.push_back(nw[a]);
          ++k;
        }
    }
  } else {
    igraph_vector_int_resize(&edges, static_cast<igraph_integer_t>(2 * g.edges()));
    for (std::size_t k = 0; k < g.edges(); ++k) {
      VECTOR(edges)[2 * k] = g.source[k];
      VECTOR(edges)[2 * k + 1] = g.target[k];
    }
    w = g.weight;
  }
  igraph_create(&g_, &edges, static_cast<igraph_integer_t>(g.n), as_directed);
  igraph_vector_int_destroy(&edges);
  igraph_vector_init(&w_, static_cast<igraph_integer_t>(w.size()));
  igraph_vector_init(&iw_, static_cast<igraph_integer_t>(w.size()));
  double largest = 0;
  for (double x : w) largest = std::max(largest, x);
  const double scale = largest > 0 ? 1.0 / largest : 1.0;
  for (std::size_t k = 0; k < w.size(); ++k) {
    VECTOR(w_)[k] = w[k] * scale;
    VECTOR(iw_)[k] = w[k] > 0 ? 1.0 / w[k] : 1e12;
  }
}

IgraphGraph::~IgraphGraph() {
  igraph_vector_destroy(&iw_);
  igraph_vector_destroy(&w_);
  igraph_destroy(&g_);
}

}  // namespace agglo::network::detail
