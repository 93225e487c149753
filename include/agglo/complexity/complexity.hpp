// agglo::complexity — every complexity measure of one year in one call: what `agglo
// complexity` and `agglo opportunities` run for each year (docs/methods/complexity.md).
//   RCA, M → diversity, ubiquity → ECI/PCI (eigenvector, reflections, fitness) →
//   proximity φ → density, COG, COI → (with GDP per capita) PRODY, EXPY.
// All vectors are indexed like the ExportMatrix (all locations/products of the panel);
// excluded ones (zero totals, or left out of the sample) hold NaN and are flagged in `rca`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agglo/complexity/density.hpp"
#include "agglo/complexity/eigen_complexity.hpp"
#include "agglo/complexity/fitness.hpp"
#include "agglo/complexity/prody.hpp"
#include "agglo/complexity/proximity.hpp"
#include "agglo/complexity/rca.hpp"
#include "agglo/complexity/reflections.hpp"

namespace agglo::complexity {

enum class Method { eigenvector, reflections, fitness };

// How density, COG and COI are scaled (docs/methods/complexity.md, "COI and COG conventions").
//   ecomplexity  py-ecomplexity's numbers (the Growth Lab's package; its Mata original is
//                Stata ecomplexity): φ_pp = 1 in density and COG; COI and COG are computed from
//                the raw eigenvector kp (sign fixed, not normalised), then COG is divided by
//                sd(kc) and COI is z-scored (population sd, over the locations kept).
//                Equivalently COG = COG(PCI + mean kc / sd kc) with the Atlas-normalised PCI.
//   agglo        agglo's earlier convention: φ_pp = 0 unless density_self_term; COI and COG
//                from the reported (normalised) PCI, unscaled.
enum class OutlookConvention { ecomplexity, agglo };

struct AnalysisOptions {
  RcaOptions rca;
  Method method = Method::eigenvector;  // which measure fills eci/pci and drives COI/COG
  Normalisation normalisation = Normalisation::atlas;
  ProximityMeasure proximity = ProximityMeasure::min_conditional;
  OutlookConvention convention = OutlookConvention::ecomplexity;
  bool density_self_term = false;  // agglo convention only (ecomplexity always has φ_pp = 1)
  int reflections_iterations = 20;
  int fitness_iterations = 200;
  double fitness_tolerance = 1e-9;
  bool keep_proximity = true;  // keep φ in the result (P² doubles)
};

struct Analysis {
  Rca rca;
  EigenComplexity eigen;
  Reflections refl;
  Fitness fit;
  std::vector<double> eci, pci;  // the chosen method's (fitness: z-scored ln F and ln Q)
  data::DenseMatrix phi;         // empty unless keep_proximity
  Outlook outlook;
  std::optional<Prody> prody;
  std::vector<std::string> warnings;
};

// `gdp` (per location, NaN unknown) enables PRODY/EXPY. O(P²·L/64 + nnz·P) dominated by
// proximity and density. `phi_buffer`, when given, is the storage φ is built in (a panel
// passes the same buffer every year instead of allocating P² doubles again).
Analysis analyse(const ExportMatrix& x, const AnalysisOptions& options,
                 const std::vector<double>* gdp = nullptr, data::DenseMatrix* phi_buffer = nullptr);

}  // namespace agglo::complexity
