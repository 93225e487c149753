// agglo::spatial — false-discovery-rate control by the step-up procedure of Benjamini &
// Hochberg (1995, "Controlling the false discovery rate: a practical and powerful approach to
// multiple testing", Journal of the Royal Statistical Society B 57:289–300).
//
// With the m defined p-values sorted p_(1) ≤ … ≤ p_(m), the adjusted value of p_(i) is
//   p̃_(i) = min_{k ≥ i} min(1, m · p_(k) / k),
// and rejecting every hypothesis with p̃ ≤ q controls the FDR at q (for independent or
// positively dependent tests). This is R's p.adjust(p, "BH"): NaN entries stay NaN and do not
// count in m. O(m log m).
#pragma once

#include <vector>

namespace agglo::spatial {

std::vector<double> benjamini_hochberg(const std::vector<double>& p);

}  // namespace agglo::spatial
