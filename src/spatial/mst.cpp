// Core distances and the minimum spanning tree of mutual reachability distances for HDBSCAN*
// (definitions in include/agglo/spatial/hdbscan.hpp).
//
// The metric space. Projected points are (x, y) with Euclidean distance. Lon/lat points are
// mapped to unit vectors u on the sphere and compared by the chord |u₁ − u₂|, which is a
// monotone function of the great-circle distance (d = 2R asin(chord/2)): nearest neighbours,
// the order of all distances and hence the spanning tree are the same as under great-circle
// km, and hdbscan() converts the tree's weights to km afterwards. Every squared distance is
// summed over the coordinates in the same order as nanoflann's L2_Simple_Adaptor, so a core
// distance and the pair distance it came from are the same double (ties stay ties).
//
// Core distances: a nanoflann kd-tree and one k-nearest-neighbour query per point, k =
// min_samples (the point itself is returned first, at distance 0), in parallel.
//
// Minimum spanning tree: Borůvka's algorithm (1926) on the kd-tree, as in McInnes & Healy
// (2017, §3). Each round, every component finds its lightest edge to another component, and
// these edges join the components; at most ⌈log₂ n⌉ rounds. A point's lightest outgoing edge
// is found by a descent of the kd-tree that skips
//   * a node whose points are all in the point's own component (each node's component, or
//     "mixed", is recomputed bottom-up each round), and
//   * a node whose lower bound max(core(p), min core in node, mindist(p, box)) exceeds the
//     lightest edge found so far for the point or, through a shared atomic, for its whole
//     component — a component needs only its lightest edge;
// and a point whose own core distance exceeds its component's bound is skipped altogether.
// The bounds prune only nodes STRICTLY heavier than an edge already found, so every edge of
// the component's minimum weight is still seen and the choice among them is fixed: the key
// (weight, smaller index, larger index) is minimised. Each component's edge is therefore a
// function of the data alone, whatever the threads' timing, and the tree is identical for any
// thread count. The edges of a round are added in key order through a union–find that skips
// an edge closing a cycle (possible only among equal weights). Memory O(n): the tree's nodes,
// the points' positions, component labels and one candidate edge per point.
//
// Reference: mreach_mst_prim(), Prim's algorithm over all pairs in O(n²) time and O(n) memory.
#include <nanoflann.hpp>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"
#include "detail/point_cloud.hpp"
#include "agglo/spatial/hdbscan.hpp"

namespace agglo::spatial {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Points as rows of 3 doubles (z = 0 for projected points): src/spatial/detail/point_cloud.hpp.
using Cloud = detail::PointCloud;
Cloud make_cloud(const std::vector<double>& x, const std::vector<double>& y, bool geographic) {
  return detail::make_point_cloud(x, y, geographic);
}

// Squared distance in nanoflann's summation order (query minus point, dimension by dimension).
template <int D>
inline double dist2(const std::array<double, 3>& a, const std::array<double, 3>& b) {
  double r = 0;
  for (int d = 0; d < D; ++d) {
    const double diff = a[d] - b[d];
    r += diff * diff;
  }
  return r;
}

template <int D>
using Tree = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, Cloud>, Cloud, D,
                                                 std::uint32_t>;

template <int D>
std::vector<double> core_distances_d(const Cloud& c, std::size_t k) {
  const std::size_t n = c.pt.size();
  std::vector<double> core(n, 0.0);
  if (n == 0) return core;
  k = std::min(k, n);
  Tree<D> tree(D, c, nanoflann::KDTreeSingleIndexAdaptorParams(16));
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 256), [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<std::uint32_t> idx(k);
    std::vector<double> d2(k);
    for (std::size_t i = r.begin(); i < r.end(); ++i) {
      const std::size_t got = tree.knnSearch(c.pt[i].data(), k, idx.data(), d2.data());
      AGGLO_ASSERT(got == k);
      // The k-th distance, recomputed in the pair order used everywhere else.
      core[i] = std::sqrt(dist2<D>(c.pt[i], c.pt[idx[got - 1]]));
    }
  });
  return core;
}

// A candidate edge key: weight, then smaller index, then larger index.
struct Key {
  double w = kInf;
  std::uint32_t a = std::numeric_limits<std::uint32_t>::max(), b = std::numeric_limits<std::uint32_t>::max();
  bool operator<(const Key& o) const {
    if (w != o.w) return w < o.w;
    if (a != o.a) return a < o.a;
    return b < o.b;
  }
};

struct UF {
  std::vector<std::uint32_t> parent;
  explicit UF(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  std::uint32_t find(std::uint32_t a) {
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    return a;
  }
  bool unite(std::uint32_t a, std::uint32_t b) {
    a = find(a), b = find(b);
    if (a == b) return false;
    if (a < b) std::swap(a, b);
    parent[a] = b;  // the root of a component is its smallest member
    return true;
  }
};

void atomic_min(std::atomic<double>& a, double v) {
  double cur = a.load(std::memory_order_relaxed);
  while (v < cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}

// Borůvka over a flattened copy of nanoflann's tree.
template <int D>
class Boruvka {
 public:
  Boruvka(const Cloud& c, const std::vector<double>& core) : n_(c.pt.size()) {
    Tree<D> tree(D, c, nanoflann::KDTreeSingleIndexAdaptorParams(16));
    // Points in tree order, so a node's points are one contiguous range.
    orig_ = tree.vAcc;
    pos_.resize(n_);
    core_.resize(n_);
    for (std::size_t s = 0; s < n_; ++s) pos_[s] = c.pt[orig_[s]], core_[s] = core[orig_[s]];
    flatten(tree.root_node);
  }

  std::vector<MstEdge> run() {
    std::vector<MstEdge> out;
    if (n_ < 2) return out;
    out.reserve(n_ - 1);
    UF uf(n_);  // over tree positions
    comp_.assign(n_, 0);
    node_comp_.assign(nodes_.size(), 0);
    std::vector<Key> cand(n_);
    std::vector<std::atomic<double>> bound(n_);
    std::size_t components = n_;
    while (components > 1) {
      for (std::size_t s = 0; s < n_; ++s) comp_[s] = uf.find(static_cast<std::uint32_t>(s));
      label_nodes();
      for (auto& b : bound) b.store(kInf, std::memory_order_relaxed);
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_, 512), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t s = r.begin(); s < r.end(); ++s) cand[s] = lightest(static_cast<std::uint32_t>(s), bound[comp_[s]]);
      });
      // Each component's lightest edge: the smallest key over its points (sequential, O(n)).
      std::vector<Key> best_of(n_);
      std::vector<std::uint32_t> roots;
      for (std::size_t s = 0; s < n_; ++s) {
        const auto cs = comp_[s];
        if (cs == s) roots.push_back(cs);
        if (cand[s] < best_of[cs]) best_of[cs] = cand[s];
      }
      std::vector<Key> round;
      round.reserve(roots.size());
      for (auto r : roots)
        if (best_of[r].a != std::numeric_limits<std::uint32_t>::max()) round.push_back(best_of[r]);
      std::sort(round.begin(), round.end());
      std::size_t added = 0;
      for (const auto& k : round) {
        // Keys hold input indices; the union–find works on tree positions.
        if (uf.unite(pos_of(k.a), pos_of(k.b))) {
          out.push_back({k.a, k.b, k.w});
          --components;
          ++added;
        }
      }
      AGGLO_ASSERT(added > 0);
    }
    std::sort(out.begin(), out.end(), [](const MstEdge& e, const MstEdge& f) {
      return Key{e.weight, e.a, e.b} < Key{f.weight, f.a, f.b};
    });
    return out;
  }

 private:
  struct Node {
    std::uint32_t begin, end;  // positions [begin, end)
    std::int32_t left = -1, right = -1;
    std::array<double, 3> lo, hi;
    double min_core;
  };

  std::uint32_t pos_of(std::uint32_t orig) {
    if (inv_.empty()) {
      inv_.resize(n_);
      for (std::size_t s = 0; s < n_; ++s) inv_[orig_[s]] = static_cast<std::uint32_t>(s);
    }
    return inv_[orig];
  }

  template <class NodePtr>
  std::int32_t flatten(NodePtr nd) {
    const auto id = static_cast<std::int32_t>(nodes_.size());
    nodes_.emplace_back();
    if (!nd->child1 && !nd->child2) {
      Node& me = nodes_[id];
      me.begin = static_cast<std::uint32_t>(nd->node_type.lr.left);
      me.end = static_cast<std::uint32_t>(nd->node_type.lr.right);
      me.lo.fill(kInf);
      me.hi.fill(-kInf);
      me.min_core = kInf;
      for (auto s = me.begin; s < me.end; ++s) {
        for (int d = 0; d < D; ++d) me.lo[d] = std::min(me.lo[d], pos_[s][d]), me.hi[d] = std::max(me.hi[d], pos_[s][d]);
        me.min_core = std::min(me.min_core, core_[s]);
      }
      return id;
    }
    const auto l = flatten(nd->child1);
    const auto r = flatten(nd->child2);
    Node& me = nodes_[id];
    me.left = l;
    me.right = r;
    me.begin = nodes_[l].begin;
    me.end = nodes_[r].end;
    for (int d = 0; d < 3; ++d) me.lo[d] = std::min(nodes_[l].lo[d], nodes_[r].lo[d]), me.hi[d] = std::max(nodes_[l].hi[d], nodes_[r].hi[d]);
    me.min_core = std::min(nodes_[l].min_core, nodes_[r].min_core);
    return id;
  }

  // Node component: the common component of all its points, or −1 (mixed). Children come
  // after their parent in nodes_, so a reverse sweep is bottom-up.
  void label_nodes() {
    for (std::size_t i = nodes_.size(); i-- > 0;) {
      const Node& nd = nodes_[i];
      std::int64_t c;
      if (nd.left < 0) {
        c = comp_[nd.begin];
        for (auto s = nd.begin + 1; s < nd.end && c >= 0; ++s)
          if (comp_[s] != c) c = -1;
      } else {
        const auto a = node_comp_[nd.left], b = node_comp_[nd.right];
        c = (a == b) ? a : -1;
      }
      node_comp_[i] = c;
    }
  }

  double min_dist(const Node& nd, const std::array<double, 3>& p) const {
    double r = 0;
    for (int d = 0; d < D; ++d) {
      const double e = p[d] < nd.lo[d] ? nd.lo[d] - p[d] : (p[d] > nd.hi[d] ? p[d] - nd.hi[d] : 0.0);
      r += e * e;
    }
    // A lower bound a little below the true one: rounding can never prune an edge that ties.
    return std::sqrt(r) * (1 - 1e-12);
  }

  Key lightest(std::uint32_t s, std::atomic<double>& bound) const {
    Key best;
    const double cp = core_[s];
    if (cp > bound.load(std::memory_order_relaxed)) return best;
    const std::int64_t c = comp_[s];
    const std::uint32_t me = orig_[s];
    // Explicit stack of nodes; nearer child visited first.
    std::vector<std::int32_t> stack;
    stack.reserve(64);
    stack.push_back(0);
    while (!stack.empty()) {
      const Node& nd = nodes_[stack.back()];
      stack.pop_back();
      if (node_comp_[&nd - nodes_.data()] == c) continue;
      const double lim = std::min(best.w, bound.load(std::memory_order_relaxed));
      const double lb = std::max({cp, nd.min_core, min_dist(nd, pos_[s])});
      if (lb > lim) continue;
      if (nd.left < 0) {
        for (auto t = nd.begin; t < nd.end; ++t) {
          if (comp_[t] == c) continue;
          const double w = std::max({cp, core_[t], std::sqrt(dist2<D>(pos_[s], pos_[t]))});
          const std::uint32_t o = orig_[t];
          const Key k{w, std::min(me, o), std::max(me, o)};
          if (k < best) best = k;
        }
        if (best.w < kInf) atomic_min(bound, best.w);
        continue;
      }
      const double dl = min_dist(nodes_[nd.left], pos_[s]);
      const double dr = min_dist(nodes_[nd.right], pos_[s]);
      if (dl <= dr) stack.push_back(nd.right), stack.push_back(nd.left);
      else stack.push_back(nd.left), stack.push_back(nd.right);
    }
    return best;
  }

  std::size_t n_;
  std::vector<std::uint32_t> orig_, inv_;
  std::vector<std::array<double, 3>> pos_;
  std::vector<double> core_;
  std::vector<Node> nodes_;
  std::vector<std::uint32_t> comp_;
  std::vector<std::int64_t> node_comp_;
};

}  // namespace

std::vector<double> core_distances(const std::vector<double>& x, const std::vector<double>& y,
                                   std::size_t min_samples, bool geographic) {
  AGGLO_ASSERT(min_samples >= 1);
  const Cloud c = make_cloud(x, y, geographic);
  return geographic ? core_distances_d<3>(c, min_samples) : core_distances_d<2>(c, min_samples);
}

std::vector<MstEdge> mreach_mst(const std::vector<double>& x, const std::vector<double>& y,
                                const std::vector<double>& core, bool geographic) {
  AGGLO_ASSERT(core.size() == x.size());
  AGGLO_ASSERT(x.size() < std::numeric_limits<std::uint32_t>::max());
  const std::size_t n = x.size();
  Cloud c = make_cloud(x, y, geographic);
  // Coincident points (establishments geocoded to one address are common) share their core
  // distance c, and the edge between two of them weighs max(c, c, 0) = c, the least any edge
  // of theirs can weigh; so by the cut property the star joining each to the first of its
  // location (smallest index) belongs to a minimum spanning tree, and Borůvka runs on one
  // representative per location. Without this, a stack of m coincident points would cost
  // O(m²): their many equal-weight edges cannot be pruned.
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  tbb::parallel_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return c.pt[a] != c.pt[b] ? c.pt[a] < c.pt[b] : a < b;
  });
  std::vector<MstEdge> dup;
  std::vector<std::uint32_t> rep;  // representative (input index) of each distinct location
  for (std::size_t s = 0; s < n; ++s) {
    if (s > 0 && c.pt[order[s]] == c.pt[order[s - 1]]) {
      AGGLO_ASSERT(core[order[s]] == core[rep.back()]);
      dup.push_back({rep.back(), order[s], core[rep.back()]});
    } else {
      rep.push_back(order[s]);
    }
  }
  order = {};
  std::vector<MstEdge> out;
  if (dup.empty()) {
    out = geographic ? Boruvka<3>(c, core).run() : Boruvka<2>(c, core).run();
  } else {
    std::sort(rep.begin(), rep.end());  // keep input order among representatives
    Cloud u;
    u.pt.resize(rep.size());
    std::vector<double> ucore(rep.size());
    for (std::size_t i = 0; i < rep.size(); ++i) u.pt[i] = c.pt[rep[i]], ucore[i] = core[rep[i]];
    c = {};
    out = geographic ? Boruvka<3>(u, ucore).run() : Boruvka<2>(u, ucore).run();
    for (auto& e : out) e.a = rep[e.a], e.b = rep[e.b];  // increasing map: a < b kept
    out.insert(out.end(), dup.begin(), dup.end());
  }
  std::sort(out.begin(), out.end(), [](const MstEdge& e, const MstEdge& f) {
    return Key{e.weight, e.a, e.b} < Key{f.weight, f.a, f.b};
  });
  return out;
}

std::vector<MstEdge> mreach_mst_prim(const std::vector<double>& x, const std::vector<double>& y,
                                     const std::vector<double>& core, bool geographic) {
  const Cloud c = make_cloud(x, y, geographic);
  const std::size_t n = c.pt.size();
  std::vector<MstEdge> out;
  if (n < 2) return out;
  std::vector<double> dist(n, kInf);
  std::vector<std::uint32_t> from(n, 0);
  std::vector<char> in(n, 0);
  std::size_t cur = 0;
  in[0] = 1;
  for (std::size_t step = 1; step < n; ++step) {
    std::size_t next = n;
    for (std::size_t j = 0; j < n; ++j) {
      if (in[j]) continue;
      const double d = geographic ? std::sqrt(dist2<3>(c.pt[cur], c.pt[j])) : std::sqrt(dist2<2>(c.pt[cur], c.pt[j]));
      const double w = std::max({core[cur], core[j], d});
      if (w < dist[j]) dist[j] = w, from[j] = static_cast<std::uint32_t>(cur);
      if (next == n || dist[j] < dist[next]) next = j;
    }
    in[next] = 1;
    const auto a = std::min<std::uint32_t>(from[next], static_cast<std::uint32_t>(next));
    const auto b = std::max<std::uint32_t>(from[next], static_cast<std::uint32_t>(next));
    out.push_back({a, b, dist[next]});
    cur = next;
  }
  std::sort(out.begin(), out.end(), [](const MstEdge& e, const MstEdge& f) {
    return Key{e.weight, e.a, e.b} < Key{f.weight, f.a, f.b};
  });
  return out;
}

}  // namespace agglo::spatial
