// agglo::simulate — the geography the productive-ecosystem model runs on: regions (a synthetic
// grid, or regions of the workspace with their coordinates), the initial firms, firm–firm ties
// and the institutions (universities, research centres, cluster organisations) as agents.
//
// Real geography (`agglo simulate --model ecosystem --regions FILE --focal CODE`):
//  * regions: a regions file of the DESIGN.md schema (code[,name,level,parent,lon,lat,area_km2,
//    population]) read by io::load_regions; lon and lat are required here (distances between
//    regions are great-circle km between their representative points, geo::haversine_km);
//  * focal: the region the policy levers act on (a code of the file);
//  * initial firms, one of: an establishments file (id,industry,lon/lat or x/y,region[,employees];
//    with `industry` only that industry's rows) — one firm per establishment in its region with
//    its employees; or the workspace employment table (region,industry,employment[,
//    establishments]) with `industry` — N_r firms in region r, N_r the establishments of the
//    industry there (or round(E_r / firm_size) when the table has no establishments), sharing
//    E_r equally; then the other industries' employment is each region's background B_r for the
//    location quotient (cluster_detection.hpp). Without either, every region starts with
//    n_other·scale firms and the focal region with n_focal·scale (as on the grid).
//  * institutions (optional CSV id,type,region[,level]): type university, research_centre or
//    cluster_organisation; level ≥ 0 scales what the institution does (default 1);
//  * ties (optional CSV source,target naming establishment ids): firm–firm ties along which
//    innovations spill over (needs the establishments file).
// Every reference is checked: an unknown focal region, region, establishment, institution type,
// or a regions file without lon/lat is an input error naming file, line and column.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agglo/simulate/model.hpp"

namespace agglo::simulate::ecosystem {

enum class InstitutionType : std::uint8_t { university, research_centre, cluster_organisation };
const char* to_string(InstitutionType t);

struct Institution {
  std::string id;
  InstitutionType type = InstitutionType::university;
  std::uint32_t region = 0;
  double level = 1.0;          // what it does scales with the level
  bool founded_by_lever = false;  // created by a lever in the focal region (level 0 + lever)
};

struct World {
  std::vector<std::string> codes, names;
  std::vector<double> x, y;         // lon/lat degrees (geographic) or grid units
  bool geographic = false;          // distances in great-circle km, else Euclidean
  std::vector<double> background;   // per region employment of other industries; empty = parameter
  std::vector<double> initial_firms;  // per region; empty = the model's own start
  // Firms from an establishments file (all empty otherwise).
  std::vector<std::string> firm_ids;
  std::vector<std::uint32_t> firm_region;
  std::vector<double> firm_employees;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ties;  // firm indices, as read
  std::vector<Institution> institutions;
  std::uint32_t focal = 0;
  std::string source;  // the regions file ("" for the grid)
  std::size_t size() const { return codes.size(); }
  // Distance between regions a and b: km (great circle) or grid units.
  double distance(std::size_t a, std::size_t b) const;
};

// The synthetic grid of the model's parameters: `regions` regions on a ⌈√R⌉-wide square grid one
// unit apart, region 0 focal, background = background·scale, `universities`, `research_centres`
// and `cluster_orgs` institutions of level 1 in the focal region.
World grid_world(const Params& p);

struct WorldFiles {
  std::string regions, focal, establishments, employment, industry, institutions, ties;
  double firm_size = 5.5;  // employees per firm when the employment table has no establishments
};
// Loads and checks the files (see above); the parameter-given institutions are added later by
// the model (they belong to the focal region whichever geography is used).
World load_world(const WorldFiles& files);

// The spillover kernel w_rq = e^{−d_rq/ℓ} between regions, kept only for pairs closer than the
// cutoff d_max = ℓ ln(1/ε): a dropped weight is below ε, so a region's spillover sum
// S_r = Σ_q I_q w_rq is truncated by at most ε Σ_q I_q (ε = kernel_eps, 1e-9 by default:
// d_max ≈ 20.7 ℓ). Compressed rows, q ascending in each row (the order of a full loop), the
// self-pair (w = 1) included; weights use World::distance. The pairs come from a
// geo::PairGrid of radius d_max — O(R + pairs), no R×R matrix.
struct SpilloverKernel {
  std::vector<std::size_t> start;
  std::vector<std::uint32_t> source;
  std::vector<double> weight;
  double cutoff = 0;
};
SpilloverKernel spillover_kernel(const World& w, double ell, double eps);
// The same by testing all R² pairs: the reference for tests.
SpilloverKernel spillover_kernel_bruteforce(const World& w, double ell, double eps);

// Regions within `radius` of each region (itself included), indices ascending: where a firm
// searching for a new location looks (ecosystem parameter move_radius; PairGrid-based).
struct RegionNeighbours {
  std::vector<std::size_t> start;
  std::vector<std::uint32_t> index;
};
RegionNeighbours region_neighbours(const World& w, double radius);

// A fingerprint of the geography (regions, coordinates, focal, initial firms, ties and
// institutions), stored in checkpoints so a run cannot resume on other regions.
double world_fingerprint(const World& w);

}  // namespace agglo::simulate::ecosystem
