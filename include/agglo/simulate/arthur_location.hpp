// agglo::simulate — Arthur's (1990) location model ("'Silicon Valley' locational clusters:
// when do increasing returns imply monopoly?", Mathematical Social Sciences 19: 235–251).
//
// Firms arrive one at a time; a firm of type i (drawn uniformly among K types) values region j
// at q_ij + g(y_j), where q_ij = Δ if j = i (its geographic preference) and 0 otherwise, y_j is
// the number of firms already in j and g(y) = g·min(y, cap) the agglomeration benefit. The firm
// picks the best region (ties at random). With unbounded benefits (cap = ∞) and K = 2 the lead
// y_0 − y_1 is a symmetric random walk until it reaches m = ⌊Δ/g⌋ + 1 in absolute value, after
// which every firm picks the leading region: monopoly with probability 1, each region with
// probability ½, after m² firms on average. With bounded benefits and g·cap ≤ Δ the lead can
// never outweigh a preference, so both regions keep receiving firms: no monopoly (Arthur's
// central result — increasing returns imply monopoly only when they are unbounded enough).
#pragma once

namespace agglo::simulate::arthur_location {

// m = ⌊Δ/g⌋ + 1: the lead that locks in (K = 2); 0 when g·cap ≤ Δ (lock-in impossible).
int lock_in_lead(double delta, double g, double cap);

}  // namespace agglo::simulate::arthur_location
