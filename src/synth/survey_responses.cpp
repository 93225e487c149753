// CIS-style survey responses with a planted cluster effect (the design of Gjelsvik (2014): where a
// firm's most demanding customers, most advanced suppliers, toughest competitors, most
// qualified employees, most relevant research and capital are).
//
// Each firm has a regional propensity ρ ~ Beta(1.2, 1.8). Each of the six diamond items is
// empty (not applicable) with probability 0.06, else regional with probability ρ, national
// with probability 0.6(1−ρ), international otherwise. A firm is in a regional cluster when
// 4–6 items are regional (Gjelsvik's (2014) rule). Controls: log employees, R&D (Bernoulli 0.35),
// foreign ownership (Bernoulli 0.15). Outcomes are logits with planted coefficients:
//   product_innovation:  −1.0 + 0.6·regional_cluster + 0.35·(ln emp − 3) + 1.1·rnd + 0.3·foreign
//   process_innovation:  −1.3 + 0.3·regional_cluster + 0.25·(ln emp − 3) + 0.7·rnd
// so a logit on the responses should recover 0.6 and 0.3 within its confidence intervals.
#include <fmt/format.h>

#include <cmath>

#include "detail/parts.hpp"

namespace agglo::synth::detail {

void generate_survey(const SynthConfig& cfg, std::uint64_t seed, const std::vector<County>& counties,
                     const RegionalTruth& rt, std::vector<std::pair<std::string, data::Table>>& tables,
                     Json& truth) {
  data::Table t;
  auto& id = t.add_text("id");
  std::vector<data::TextColumn*> items;
  for (const char* name : {"customers", "suppliers", "competitors", "employees", "research", "capital"})
    items.push_back(&t.add_text(name));
  auto& region = t.add_text("region");
  auto& sector = t.add_text("sector");
  auto& emp = t.add_real("firm_employees");
  auto& rnd = t.add_integer("rnd");
  auto& foreign = t.add_integer("foreign");
  auto& prod = t.add_integer("product_innovation");
  auto& proc = t.add_integer("process_innovation");
  const double b_prod[] = {-1.0, 0.6, 0.35, 1.1, 0.3};
  const double b_proc[] = {-1.3, 0.3, 0.25, 0.7, 0.0};
  for (std::size_t f = 0; f < cfg.survey_firms; ++f) {
    core::Stream rng(seed, core::stream_id("survey"), f);
    id.push_back(fmt::format("f{}", f + 1));
    const double rho = rng.beta(1.2, 1.8);
    int regional = 0;
    for (auto* col : items) {
      const double u = rng.uniform();
      if (u < 0.06) {
        col->push_back("");
        continue;
      }
      const double v = rng.uniform();
      if (v < rho) {
        col->push_back("regional");
        ++regional;
      } else if (v < rho + 0.6 * (1 - rho)) {
        col->push_back("national");
      } else {
        col->push_back("international");
      }
    }
    const std::size_t c = rt.cluster_ids.empty() ? 0 : rng.below(rt.cluster_ids.size());
    const auto& hubs = rt.hubs.empty() ? std::vector<std::size_t>{} : rt.hubs[c];
    region.push_back(hubs.empty() ? counties[rng.below(counties.size())].fips
                                  : counties[hubs[rng.below(hubs.size())]].fips);
    sector.push_back(rt.cluster_names.empty() ? "" : rt.cluster_names[c]);
    const double e = 1 + std::floor(rng.lognormal(std::log(20.0), 1.1));
    emp.push_back(e);
    const int r = rng.bernoulli(0.35), fo = rng.bernoulli(0.15);
    rnd.push_back(r);
    foreign.push_back(fo);
    const double in_cluster = regional >= 4 ? 1.0 : 0.0;
    const double x[] = {1.0, in_cluster, std::log(e) - 3.0, static_cast<double>(r), static_cast<double>(fo)};
    double eta1 = 0, eta2 = 0;
    for (int k = 0; k < 5; ++k) {
      eta1 += b_prod[k] * x[k];
      eta2 += b_proc[k] * x[k];
    }
    prod.push_back(rng.uniform() < 1 / (1 + std::exp(-eta1)));
    proc.push_back(rng.uniform() < 1 / (1 + std::exp(-eta2)));
  }
  tables.emplace_back("responses", std::move(t));
  truth["survey"] = {
      {"firms", cfg.survey_firms},
      {"regional_cluster_rule", "4-6 of the six diamond items regional"},
      {"covariates", {"intercept", "regional_cluster", "log_employees_minus_3", "rnd", "foreign"}},
      {"product_innovation", Json(std::vector<double>(std::begin(b_prod), std::end(b_prod)))},
      {"process_innovation", Json(std::vector<double>(std::begin(b_proc), std::end(b_proc)))},
  };
}

}  // namespace agglo::synth::detail
