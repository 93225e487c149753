// agglo::network — Burt's structural holes: constraint and effective size.
//
// Burt (1992, Structural Holes, ch. 2), in the form networkx implements (the reference values
// in the tests are networkx's). With mutual weights m_ij = a_ij + a_ji over the neighbourhood
// N(i) of every node tied to i in either direction (graph.hpp, nb()):
//
//   p_ij  = m_ij / Σ_{k∈N(i)} m_ik                       proportional tie strength
//   c_i   = Σ_{j∈N(i)} ( p_ij + Σ_{q∈N(i), q≠j} p_iq p_qj )²      constraint
//   m̂_jq  = m_jq / max_{k∈N(j)} m_jk                      j's tie to q relative to j's strongest
//   ES_i  = Σ_{j∈N(i)} ( 1 − Σ_{q∈N(i)} p_iq m̂_jq )        effective size
//
// p_qj is normalised by q's own neighbourhood (all of it, not only inside i's ego network). For
// an unweighted undirected graph ES_i reduces to Borgatti's (1997) n − 2t/n (n alters, t ties
// among them). Isolated nodes have neither measure (NaN).
//
// Complexity: the indirect terms need, for every tie i–q, the common neighbours of i and q.
// They are found by scanning the shorter of the two sorted lists and probing the other (a
// marker array for N(i), a binary search in N(q)), so the work is Σ_{i–q} min(d_i, d_q)·log and
// the extra memory one marker array per thread. Parallel over nodes (TBB); every node's sum is
// computed by one thread in a fixed order, so results do not depend on the thread count.
#pragma once

#include <vector>

#include "agglo/network/graph.hpp"

namespace agglo::network {

struct StructuralHoles {
  std::vector<double> constraint;      // per node; NaN for isolates
  std::vector<double> effective_size;  // per node; NaN for isolates
};

StructuralHoles structural_holes(const Graph& g);

}  // namespace agglo::network
