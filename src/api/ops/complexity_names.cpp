// Code → name for the complexity commands' summaries and headlines, through the engine's one
// code → name facility (io/code_names.hpp). The output tables get their location_name and
// product_name columns from the api, like every command's.
#include "complexity_settings.hpp"
#include "agglo/io/code_names.hpp"

namespace agglo::api::complexity_ops {

namespace {
Names from(const io::CodeNames& n, const char* source) {
  Names out;
  out.name = n.names;
  for (const auto& s : out.name) out.matched += !s.empty();
  if (!n.system.empty() && out.matched) out.source = source;
  return out;
}
}  // namespace

Names location_names(const std::vector<std::string>& codes) {
  return from(io::name_codes("location", codes),
              "ISO 3166-1 alpha-3 (data/names/iso3166_alpha3.csv, former codes from comtrade_country_codes.csv)");
}

Names product_names(const std::vector<std::string>& codes) {
  const auto n = io::name_codes("product", codes);
  return from(n, n.system == "sitc2" ? "SITC Rev. 2 (data/names/sitc2.csv)" : "HS (data/names/hs1992.csv, hs2012.csv)");
}

}  // namespace agglo::api::complexity_ops
