// `agglo entry`: how well does relatedness density predict which products (industries) a
// location enters? (Hidalgo, Klinger, Barabási & Hausmann 2007; Neffke, Henning & Boschma
// 2011). The complexity operation computes RCA, density, PCI and ubiquity in the start year;
// a candidate is a cell without the specialisation then (RCA below --max-initial-rca); it
// entered when RCA ≥ --threshold in the end year. A logit (stats::fit_binary_model, the shared
// binary-model estimator) on density and controls gives the entry probability, evaluated out of
// sample — cross-validated by location folds, or on a later pair of years — by ROC AUC,
// average precision (PR AUC) and precision at k, against baselines (density alone, PCI alone,
// random). Formulas in docs/methods/dynamics.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <unordered_map>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/stats/classification.hpp"
#include "agglo/stats/binary_model.hpp"
#include "dynamics_ops.hpp"

namespace agglo::api {

namespace {

using Json = nlohmann::ordered_json;
Json num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

struct EntryOptions {
  std::string exports;
  std::string employment;
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::optional<std::int64_t> test_from, test_to;
  std::vector<std::string> controls{"pci", "ubiquity", "size"};
  double threshold = 1.0;
  double max_initial_rca = 1.0;
  std::int64_t folds = 5;
  std::int64_t k = 0;
  std::string model = "logit";
  std::vector<std::string> fixed_effects;
  std::vector<std::string> pool_from;

  // --from and the --pool-from years: the start years of the training pairs
  std::vector<std::int64_t> starts() const {
    std::vector<std::int64_t> out{from};
    for (const auto& y : pool_from) {
      std::size_t used = 0;
      long long v = 0;
      try {
        v = std::stoll(y, &used);
      } catch (...) {
        used = 0;
      }
      if (used != y.size() || y.empty())
        throw_usage(ErrorCode::invalid_option_value, fmt::format("--pool-from: '{}' is not a year", y));
      if (std::find(out.begin(), out.end(), v) != out.end())
        throw_usage(ErrorCode::invalid_option_value, fmt::format("--pool-from: year {} is listed twice (or is --from)", v));
      out.push_back(v);
    }
    return out;
  }
  bool fe(const char* which) const { return std::find(fixed_effects.begin(), fixed_effects.end(), which) != fixed_effects.end(); }

  static void describe(core::OptionSchema<EntryOptions>& s) {
    s.add("exports", &EntryOptions::exports, "location × product panel CSV (location,product,value,year)").path();
    s.add("employment", &EntryOptions::employment, "region × industry panel CSV (region,industry,employment,year); LQ plays RCA's part").path();
    s.add("from", &EntryOptions::from, "start year: presence, density and controls are measured here").required();
    s.add("to", &EntryOptions::to, "end year: a candidate entered when RCA (LQ) ≥ --threshold here").required();
    s.add("test-from", &EntryOptions::test_from, "evaluate out of period: fit on --from → --to, predict --test-from → --test-to");
    s.add("test-to", &EntryOptions::test_to, "end year of the test period (with --test-from)");
    s.add("controls", &EntryOptions::controls,
          "controls beside density: pci (product complexity), ubiquity, size (log of the location's total), diversity "
          "(the location's number of specialisations), eci")
        .choices({"pci", "ubiquity", "size", "diversity", "eci"});
    s.add("threshold", &EntryOptions::threshold, "RCA (LQ) at or above which a specialisation exists").min(0);
    s.add("max-initial-rca", &EntryOptions::max_initial_rca,
          "candidates have RCA below this in the start year (1 = every non-specialisation; 0.5 = clearly absent, the "
          "stricter rule that keeps 'nascent' cells just below the threshold out)")
        .min(0);
    s.add("folds", &EntryOptions::folds, "cross-validation folds by location (without --test-from); 0 = in-sample (optimistic)").min(0).max(100);
    s.add("k", &EntryOptions::k, "precision at k: the k highest probabilities (0 = as many as there were entries)").min(0);
    s.add("model", &EntryOptions::model,
          "logit, or the linear probability model (least squares on the 0/1 outcome; its fitted values rank the candidates)")
        .choices({"logit", "lpm"});
    s.add("fixed-effects", &EntryOptions::fixed_effects,
          "location: a dummy per location (what is left is within-location variation; cross-validation folds are then "
          "drawn over cells, since a held-out location's effect is unknown); year: a dummy per start year of the pooled "
          "pairs (needs --pool-from)")
        .choices({"location", "year"});
    s.add("pool-from", &EntryOptions::pool_from,
          "more start years pooled into the training data, each paired with the year (--to − --from) later, e.g. "
          "--from 2005 --to 2010 --pool-from 1995,2000");
  }
  void validate() const {
    if (exports.empty() == employment.empty()) throw_usage(ErrorCode::missing_option, "give one of --exports and --employment");
    if (to <= from) throw_usage(ErrorCode::invalid_option_value, "--to must be after --from");
    if (test_from.has_value() != test_to.has_value())
      throw_usage(ErrorCode::missing_option, "--test-from and --test-to go together");
    if (test_from && *test_to <= *test_from) throw_usage(ErrorCode::invalid_option_value, "--test-to must be after --test-from");
    if (folds == 1) throw_usage(ErrorCode::invalid_option_value, "--folds must be 0 (in-sample) or at least 2");
    if (max_initial_rca > threshold)
      throw_usage(ErrorCode::invalid_option_value, "--max-initial-rca cannot exceed --threshold (a candidate lacks the specialisation)");
    (void)starts();
    if (fe("year") && pool_from.empty())
      throw_usage(ErrorCode::missing_option, "--fixed-effects year needs several start years",
                  "pool pairs of years with --pool-from, e.g. --from 2005 --to 2010 --pool-from 1995,2000");
    if (test_from)
      for (auto y : starts())
        if (y + (to - from) > *test_from)
          throw_usage(ErrorCode::invalid_option_value,
                      fmt::format("the training pair {} → {} ends after --test-from {}: the test would see the future", y,
                                  y + (to - from), *test_from));
  }
};

// One year's complexity tables, keyed by codes.
struct YearData {
  std::unordered_map<std::string, double> rca;                 // "loc\tprod"
  std::unordered_map<std::string, double> density;
  std::unordered_map<std::string, double> pci, ubiquity;       // per product
  std::unordered_map<std::string, double> size, diversity, eci;  // per location
  std::vector<std::pair<std::string, std::string>> cells;      // density table order
};

const data::Table& find_table(const Result& r, const std::string& name) {
  for (const auto& [n, t] : r.tables)
    if (n == name) return t;
  AGGLO_ASSERT(false && "complexity table missing");
  return r.tables.front().second;
}
const data::TextColumn& texts(const data::Table& t, const std::string& c) { return std::get<data::TextColumn>(t.at(c).values); }
std::vector<double> reals(const data::Table& t, const std::string& c) {
  const auto& col = t.at(c);
  if (col.is_real()) return std::get<data::RealColumn>(col.values);
  const auto& iv = std::get<data::IntColumn>(col.values);
  return {iv.begin(), iv.end()};
}

YearData year_data(const EntryOptions& o, std::int64_t year, const Context& outer) {
  core::ParamMap p{{"exports", o.exports.empty() ? o.employment : o.exports},
                   {"year", std::to_string(year)},
                   {"tables", "rca,density,pci,eci"},
                   {"all-cells", "true"},
                   {"threshold", fmt::format("{}", o.threshold)}};
  if (!o.employment.empty()) p["columns"] = "location=region,product=industry,value=employment";
  Context ctx;
  ctx.seed = outer.seed;
  ctx.threads = outer.threads;
  ctx.quiet = true;
  ctx.names = false;
  const auto r = Registry::global().find("complexity")->run(p, ctx);
  YearData d;
  const auto key = [](const std::string& a, const std::string& b) { return a + '\t' + b; };
  {
    const auto& t = find_table(r, "rca");
    const auto& l = texts(t, "location");
    const auto& pr = texts(t, "product");
    const auto v = reals(t, "rca");
    for (std::size_t i = 0; i < l.size(); ++i) d.rca[key(l[i], pr[i])] = v[i];
  }
  {
    const auto& t = find_table(r, "density");
    const auto& l = texts(t, "location");
    const auto& pr = texts(t, "product");
    const auto v = reals(t, "density");
    for (std::size_t i = 0; i < l.size(); ++i) d.density[key(l[i], pr[i])] = v[i], d.cells.emplace_back(l[i], pr[i]);
  }
  {
    const auto& t = find_table(r, "pci");
    const auto& pr = texts(t, "product");
    const auto pci = reals(t, "pci"), ub = reals(t, "ubiquity");
    for (std::size_t i = 0; i < pr.size(); ++i) d.pci[pr[i]] = pci[i], d.ubiquity[pr[i]] = ub[i];
  }
  {
    const auto& t = find_table(r, "eci");
    const auto& l = texts(t, "location");
    const auto tot = reals(t, "total"), div = reals(t, "diversity"), eci = reals(t, "eci");
    for (std::size_t i = 0; i < l.size(); ++i)
      d.size[l[i]] = tot[i] > 0 ? std::log(tot[i]) : nan_v, d.diversity[l[i]] = div[i], d.eci[l[i]] = eci[i];
  }
  return d;
}

// The candidates of one pair of years with their features.
struct Candidates {
  std::vector<std::string> location, product;
  std::vector<double> density, rca_from, rca_to;
  std::map<std::string, std::vector<double>> control;
  std::vector<std::uint8_t> entered;
  std::vector<std::int64_t> start;  // the start year of the cell's pair
  std::size_t dropped_missing = 0;

  void append(Candidates&& o) {
    auto cat = [](auto& a, auto& b) { a.insert(a.end(), std::make_move_iterator(b.begin()), std::make_move_iterator(b.end())); };
    cat(location, o.location), cat(product, o.product), cat(density, o.density), cat(rca_from, o.rca_from);
    cat(rca_to, o.rca_to), cat(entered, o.entered), cat(start, o.start);
    for (auto& [k, v] : o.control) cat(control[k], v);
    dropped_missing += o.dropped_missing;
  }
};

Candidates candidates(const EntryOptions& o, std::int64_t y0, std::int64_t y1, const Context& ctx) {
  const auto a = year_data(o, y0, ctx);
  const auto b = year_data(o, y1, ctx);
  Candidates c;
  for (const auto& [loc, prod] : a.cells) {
    const std::string k = loc + '\t' + prod;
    const auto r0 = a.rca.find(k);
    const double rca0 = r0 == a.rca.end() ? 0.0 : r0->second;
    if (!(rca0 < o.max_initial_rca)) continue;
    // the location and product must be observed (in the analysis) in the end year as well
    if (!b.size.count(loc) || !b.pci.count(prod)) continue;
    const auto r1 = b.rca.find(k);
    const double rca1 = r1 == b.rca.end() ? 0.0 : r1->second;
    std::map<std::string, double> ctl;
    bool ok = std::isfinite(a.density.at(k));
    for (const auto& name : o.controls) {
      double v = nan_v;
      if (name == "pci") v = a.pci.count(prod) ? a.pci.at(prod) : nan_v;
      else if (name == "ubiquity") v = a.ubiquity.count(prod) ? a.ubiquity.at(prod) : nan_v;
      else if (name == "size") v = a.size.count(loc) ? a.size.at(loc) : nan_v;
      else if (name == "diversity") v = a.diversity.count(loc) ? a.diversity.at(loc) : nan_v;
      else if (name == "eci") v = a.eci.count(loc) ? a.eci.at(loc) : nan_v;
      ok = ok && std::isfinite(v);
      ctl[name] = v;
    }
    if (!ok) {
      ++c.dropped_missing;
      continue;
    }
    c.location.push_back(loc);
    c.product.push_back(prod);
    c.density.push_back(a.density.at(k));
    c.rca_from.push_back(rca0);
    c.rca_to.push_back(rca1);
    for (const auto& [name, v] : ctl) c.control[name].push_back(v);
    c.entered.push_back(rca1 >= o.threshold ? 1 : 0);
    c.start.push_back(y0);
  }
  if (c.location.empty())
    throw_input(ErrorCode::empty_input,
                fmt::format("no candidate cell: no location lacks a product in {} while both are observed in {}", y0, y1), {},
                "check that the panel has both years (a year column) and more than one location and product");
  return c;
}

// The fixed effects of a fitted model: which dummies the design has, and the locations a logit
// cannot estimate (no entry, or only entries, in the training data: their effect is ±∞, the
// maximum-likelihood answer is their training rate, which is what they are predicted; Stata's
// clogit and R's fixest drop them likewise).
struct FixedEffectsMap {
  bool location = false, year = false;
  std::vector<std::string> locations;           // dummies, after the base level
  std::vector<std::int64_t> years;
  std::map<std::string, double> fixed_rate;     // location → training entry rate (logit, no variation)
  std::string base_location;                    // the levels without a dummy (effect 0)
  std::int64_t base_year = 0;
  std::size_t location_levels = 0, year_levels = 0;
};

struct Fitted {
  stats::BinaryModel model;
  FixedEffectsMap fe;
  std::vector<std::string> vars;
  bool lpm = false;
};

stats::Design design(const Candidates& c, const std::vector<std::string>& vars, const std::vector<std::size_t>& rows,
                      const FixedEffectsMap& fe) {
  stats::Design d;
  d.rows = rows.size();
  d.add("const", std::vector<double>(rows.size(), 1.0));
  for (const auto& v : vars) {
    const auto& src = v == "density" ? c.density : c.control.at(v);
    std::vector<double> col(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) col[i] = src[rows[i]];
    d.add(v, std::move(col));
  }
  for (const auto& l : fe.locations) {
    std::vector<double> col(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) col[i] = c.location[rows[i]] == l;
    d.add("location:" + l, std::move(col), 0);
  }
  for (const auto y : fe.years) {
    std::vector<double> col(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) col[i] = c.start[rows[i]] == y;
    d.add(fmt::format("year:{}", y), std::move(col), 1);
  }
  return d;
}

Fitted fit(const Candidates& c, const std::vector<std::string>& vars, std::vector<std::size_t> rows, bool lpm = false,
           bool location_fe = false, bool year_fe = false) {
  Fitted f;
  f.vars = vars;
  f.lpm = lpm;
  f.fe.location = location_fe;
  f.fe.year = year_fe;
  if (location_fe) {
    std::map<std::string, std::pair<double, double>> by;  // location → (entries, cells)
    for (auto r : rows) by[c.location[r]].first += c.entered[r], by[c.location[r]].second += 1;
    if (!lpm)
      for (const auto& [l, v] : by)
        if (v.first == 0 || v.first == v.second) f.fe.fixed_rate[l] = v.first / v.second;
    std::vector<std::size_t> kept;
    for (auto r : rows)
      if (!f.fe.fixed_rate.count(c.location[r])) kept.push_back(r);
    rows = std::move(kept);
    for (const auto& [l, v] : by)
      if (!f.fe.fixed_rate.count(l)) f.fe.locations.push_back(l);
    f.fe.location_levels = f.fe.locations.size();
    if (!f.fe.locations.empty()) {
      f.fe.base_location = f.fe.locations.front();
      f.fe.locations.erase(f.fe.locations.begin());
    }
  }
  if (year_fe) {
    std::map<std::int64_t, int> ys;
    for (auto r : rows) ys[c.start[r]] = 1;
    for (const auto& [y, _] : ys) f.fe.years.push_back(y);
    f.fe.year_levels = f.fe.years.size();
    if (!f.fe.years.empty()) {
      f.fe.base_year = f.fe.years.front();
      f.fe.years.erase(f.fe.years.begin());
    }
  }
  std::vector<double> y(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) y[i] = c.entered[rows[i]];
  double pos = 0;
  for (double v : y) pos += v;
  if (pos == 0 || pos == static_cast<double>(y.size()))
    throw_input(ErrorCode::invalid_value,
                pos == 0 ? "no candidate entered in the training data: there is nothing to predict"
                         : "every candidate entered in the training data: there is nothing to predict",
                {}, "use a longer gap between --from and --to, or a lower --threshold");
  stats::FitOptions fo;
  fo.family = lpm ? stats::LinkFamily::linear : stats::LinkFamily::logit;
  f.model = stats::fit_binary_model(design(c, vars, rows, f.fe), y, {}, {}, fo);
  return f;
}

// Probabilities (the LPM's fitted values) of `rows`. A location or start year the model has no
// dummy for gets the mean of the fitted effects (base level 0 included): an out-of-period start
// year shifts every test cell alike and leaves the ranking metrics unchanged.
std::vector<double> predict(const Fitted& f, const Candidates& c, const std::vector<std::size_t>& rows) {
  const auto& m = f.model;
  const std::size_t kv = 1 + f.vars.size();
  std::map<std::string, double> loc_effect;
  std::map<std::int64_t, double> year_effect;
  double loc_mean = 0, year_mean = 0;
  for (std::size_t q = 0; q < f.fe.locations.size(); ++q) {
    const double b = std::isfinite(m.estimate[kv + q]) ? m.estimate[kv + q] : 0.0;
    loc_effect[f.fe.locations[q]] = b, loc_mean += b / static_cast<double>(f.fe.locations.size() + 1);
  }
  const std::size_t ky = kv + f.fe.locations.size();
  for (std::size_t q = 0; q < f.fe.years.size(); ++q) {
    const double b = std::isfinite(m.estimate[ky + q]) ? m.estimate[ky + q] : 0.0;
    year_effect[f.fe.years[q]] = b, year_mean += b / static_cast<double>(f.fe.years.size() + 1);
  }
  std::vector<double> p(rows.size());
  FixedEffectsMap none;
  const auto d = design(c, f.vars, rows, none);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& loc = c.location[rows[i]];
    if (f.fe.location) {
      const auto fr = f.fe.fixed_rate.find(loc);
      if (fr != f.fe.fixed_rate.end()) {
        p[i] = fr->second;
        continue;
      }
    }
    double eta = 0;
    for (std::size_t j = 0; j < kv; ++j)
      if (std::isfinite(m.estimate[j])) eta += m.estimate[j] * d.columns[j][i];
    if (f.fe.location && f.fe.location_levels > 0) {
      const auto it = loc_effect.find(loc);
      eta += it != loc_effect.end() ? it->second : loc == f.fe.base_location ? 0.0 : loc_mean;
    }
    if (f.fe.year && f.fe.year_levels > 0) {
      const auto it = year_effect.find(c.start[rows[i]]);
      eta += it != year_effect.end() ? it->second : c.start[rows[i]] == f.fe.base_year ? 0.0 : year_mean;
    }
    p[i] = f.lpm ? eta : 1 / (1 + std::exp(-eta));
  }
  return p;
}

struct Scores {
  double auc = nan_v, pr_auc = nan_v, precision_k = nan_v;
};
Scores score(const std::vector<double>& p, const std::vector<std::uint8_t>& y, std::size_t k) {
  return {stats::roc_auc(p, y), stats::average_precision(p, y), stats::precision_at_k(p, y, k)};
}

Result run_entry(const EntryOptions& o, Context& ctx) {
  Result res;
  Candidates train;
  for (const auto y0 : o.starts()) train.append(candidates(o, y0, y0 + (o.to - o.from), ctx));
  const bool out_of_period = o.test_from.has_value();
  const Candidates test = out_of_period ? candidates(o, *o.test_from, *o.test_to, ctx) : Candidates{};
  const Candidates& ev = out_of_period ? test : train;
  const std::size_t n = ev.location.size();
  std::vector<std::string> vars{"density"};
  std::vector<std::string> absorbed;  // location-level controls are constant within a location
  for (const auto& c : o.controls) {
    const bool location_level = c == "size" || c == "diversity" || c == "eci";
    if (location_level && o.fe("location") && o.pool_from.empty()) absorbed.push_back(c);
    else vars.push_back(c);
  }
  if (!absorbed.empty())
    res.warnings.push_back(fmt::format("the location fixed effects absorb the location-level control(s) {}: left out",
                                       fmt::join(absorbed, ", ")));

  const bool lpm = o.model == "lpm", loc_fe = o.fe("location"), year_fe = o.fe("year");
  // folds by location (seeded): a location's cells are all in one fold, so the model never
  // sees the location it predicts; with location fixed effects, folds of cells (a held-out
  // location's effect could not be known)
  std::vector<std::int64_t> fold(n, -1);
  const std::size_t F = out_of_period ? 0 : static_cast<std::size_t>(o.folds);
  if (F >= 2 && loc_fe) {
    std::vector<std::size_t> perm(n);
    for (std::size_t i = 0; i < n; ++i) perm[i] = i;
    core::Stream rng(ctx.seed, core::stream_id("entry folds"));
    for (std::size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[rng.below(i)]);
    for (std::size_t i = 0; i < n; ++i) fold[perm[i]] = static_cast<std::int64_t>(i % F);
  } else if (F >= 2) {
    std::map<std::string, std::int64_t> of;
    for (const auto& l : ev.location) of.emplace(l, 0);
    // a seeded permutation of the locations dealt round-robin: folds of equal size
    std::vector<std::string> locs;
    for (const auto& [l, _] : of) locs.push_back(l);
    core::Stream rng(ctx.seed, core::stream_id("entry folds"));
    for (std::size_t i = locs.size(); i > 1; --i) std::swap(locs[i - 1], locs[rng.below(i)]);
    for (std::size_t i = 0; i < locs.size(); ++i) of[locs[i]] = static_cast<std::int64_t>(i % F);
    for (std::size_t i = 0; i < n; ++i) fold[i] = of[ev.location[i]];
  }
  auto all_rows = [](std::size_t m) {
    std::vector<std::size_t> r(m);
    for (std::size_t i = 0; i < m; ++i) r[i] = i;
    return r;
  };
  // out-of-sample probabilities of a model on `v` (the baselines: logits without fixed effects)
  auto oos = [&](const std::vector<std::string>& v, bool full_model) {
    const bool l = full_model && lpm, lf = full_model && loc_fe, yf = full_model && year_fe;
    std::vector<double> p(n, nan_v);
    if (out_of_period) return predict(fit(train, v, all_rows(train.location.size()), l, lf, yf), test, all_rows(n));
    if (F < 2) return predict(fit(train, v, all_rows(n), l, lf, yf), train, all_rows(n));
    for (std::size_t f = 0; f < F; ++f) {
      std::vector<std::size_t> tr, te;
      for (std::size_t i = 0; i < n; ++i) (fold[i] == static_cast<std::int64_t>(f) ? te : tr).push_back(i);
      if (te.empty()) continue;
      const auto q = predict(fit(train, v, tr, l, lf, yf), train, te);
      for (std::size_t i = 0; i < te.size(); ++i) p[te[i]] = q[i];
    }
    return p;
  };
  const auto prob = oos(vars, true);
  std::size_t entries = 0;
  for (auto e : ev.entered) entries += e;
  const std::size_t k = o.k > 0 ? static_cast<std::size_t>(o.k) : std::max<std::size_t>(entries, 1);
  const auto full = score(prob, ev.entered, k);
  const auto dens = score(oos({"density"}, false), ev.entered, k);
  Scores pci;
  const bool has_pci = std::find(o.controls.begin(), o.controls.end(), "pci") != o.controls.end();
  if (has_pci) pci = score(oos({"pci"}, false), ev.entered, k);
  std::vector<double> rnd(n);
  {
    core::Stream rng(ctx.seed, core::stream_id("entry random baseline"));
    for (auto& v : rnd) v = rng.uniform();
  }
  const auto random = score(rnd, ev.entered, k);
  // coefficients on the whole training sample
  const auto fitted = fit(train, vars, all_rows(train.location.size()), lpm, loc_fe, year_fe);
  const auto& m = fitted.model;
  const std::size_t shown = 1 + vars.size();  // the fixed effects' dummies are not listed
  auto head = [&](const auto& v) { return std::decay_t<decltype(v)>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(shown)); };

  data::Table t;
  t.add_text("location", ev.location);
  t.add_text("product", ev.product);
  t.add_real("density", ev.density);
  t.add_real("probability", prob);
  t.add_integer("entered", {ev.entered.begin(), ev.entered.end()});
  t.add_integer("start", {ev.start.begin(), ev.start.end()});
  t.add_real("rca_from", ev.rca_from);
  t.add_real("rca_to", ev.rca_to);
  for (const auto& c : o.controls) t.add_real(c, ev.control.at(c));
  if (F >= 2) t.add_integer("fold", fold);
  data::Table coef;
  coef.add_text("term", head(m.terms));
  coef.add_real("estimate", head(m.estimate));
  coef.add_real("std_error", head(m.std_error));
  coef.add_real("z", head(m.z));
  coef.add_real("p", head(m.p));
  coef.add_real("odds_ratio", head(m.odds_ratio));
  coef.add_real("ame", head(m.ame));
  res.tables.emplace_back("predictions", std::move(t));
  res.tables.emplace_back("coefficients", std::move(coef));
  res.warnings.insert(res.warnings.end(), m.warnings.begin(), m.warnings.end());
  if (train.dropped_missing || test.dropped_missing)
    res.warnings.push_back(fmt::format("{} candidate cell(s) without a control value were left out",
                                       train.dropped_missing + test.dropped_missing));
  auto sj = [](const Scores& s) { return Json{{"auc", num(s.auc)}, {"pr_auc", num(s.pr_auc)}, {"precision_at_k", num(s.precision_k)}}; };
  Json base = Json{{"density", sj(dens)}, {"random", sj(random)}};
  if (has_pci) base["pci"] = sj(pci);
  const double rate = n ? static_cast<double>(entries) / static_cast<double>(n) : nan_v;
  const std::string evaluation =
      out_of_period ? fmt::format("out of period: fit on {}→{}, tested on {}→{}", o.from, o.to, *o.test_from, *o.test_to)
      : F >= 2      ? fmt::format("{}-fold cross-validation by {}", F, loc_fe ? "cell" : "location")
                    : std::string("in sample (optimistic)");
  Json coefs = Json::object();
  for (std::size_t j = 0; j < shown; ++j) coefs[m.terms[j]] = {{"estimate", num(m.estimate[j])}, {"std_error", num(m.std_error[j])}};
  if (!fitted.fe.fixed_rate.empty())
    res.warnings.push_back(fmt::format(
        "{} location(s) with no entry (or only entries) in the training data have no estimable fixed effect in the logit: "
        "they are left out of the fit and predicted at their training rate",
        fitted.fe.fixed_rate.size()));
  Json fe_json = Json::object();
  if (loc_fe) fe_json["location"] = {{"levels", fitted.fe.location_levels}, {"without_variation", fitted.fe.fixed_rate.size()}};
  if (year_fe) fe_json["year"] = {{"levels", fitted.fe.year_levels}};
  std::vector<std::int64_t> starts = o.starts();
  res.summary_json = Json{{"model", o.model},
                          {"fixed_effects", fe_json},
                          {"training_starts", starts},
                          {"training_candidates", train.location.size()},
                          {"evaluation", evaluation},
                          {"from", o.from},
                          {"to", o.to},
                          {"test_from", o.test_from ? Json(*o.test_from) : Json(nullptr)},
                          {"test_to", o.test_to ? Json(*o.test_to) : Json(nullptr)},
                          {"candidates", n},
                          {"entries", entries},
                          {"entry_rate", num(rate)},
                          {"auc", num(full.auc)},
                          {"pr_auc", num(full.pr_auc)},
                          {"precision_at_k", num(full.precision_k)},
                          {"k", k},
                          {"baselines", base},
                          {"predictors", vars},
                          {"coefficients", coefs},
                          {"threshold", o.threshold},
                          {"max_initial_rca", o.max_initial_rca}}
                         .dump(1);
  res.headline = fmt::format("entry {}→{}: {} of {} candidates entered ({:.1f} %); AUC {:.3f} (density alone {:.3f}, random {:.3f}), "
                             "PR AUC {:.3f} vs base rate {:.3f} — {}",
                             out_of_period ? *o.test_from : o.from, out_of_period ? *o.test_to : o.to, entries, n, 100 * rate,
                             full.auc, dens.auc, random.auc, full.pr_auc, rate, evaluation);
  return res;
}

}  // namespace

void register_entry(Registry& r) {
  r.add(make_operation<EntryOptions>(
      "entry", "Predict which products (industries) locations enter, from relatedness density; AUC against baselines",
      "A candidate is a location × product (region × industry) cell without the specialisation in --from (RCA, or LQ for "
      "--employment, below --max-initial-rca); it entered when RCA ≥ --threshold in --to. The entry probability is a "
      "logit (or linear probability model, --model lpm) on relatedness density (Hidalgo et al. 2007) and controls (PCI, "
      "ubiquity, log size…) measured in --from, with location and start-year fixed effects as options (--fixed-effects; "
      "several start years pooled with --pool-from); "
      "it is evaluated out of sample — by location folds (--folds) or on a later period (--test-from/--test-to) — by ROC "
      "AUC, average precision (PR AUC) and precision at k, against density alone, PCI alone and a random score. See "
      "docs/methods/dynamics.md.",
      {"agglo entry --employment data/sample/panel_tiny.csv --from 2019 --to 2024 -o entry",
       "agglo entry --exports exports_panel.csv --from 1995 --to 2000 --test-from 2000 --test-to 2005 -o entry",
       "agglo entry --exports exports_panel.csv --from 1990 --to 1995 --pool-from 1985,1980 --fixed-effects location,year "
       "--test-from 2000 --test-to 2005 -o entry_fe"},
      "a directory: predictions.csv (location,product,density,probability,entered,start,rca_from,rca_to, the controls, fold), "
      "coefficients.csv, summary.json (auc, pr_auc, precision_at_k, baselines)",
      &run_entry));
}

}  // namespace agglo::api
