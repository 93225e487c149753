// `agglo blocks`: development blocks — IO communities tested for cointegration
// (include/agglo/structure/blocks.hpp), optionally compared with a cluster partition.
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "agglo/api/operation.hpp"
#include "agglo/clusters/define_clusters.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/table_reader.hpp"
#include "agglo/structure/blocks.hpp"
#include "agglo/structure/coagglomeration.hpp"
#include "agglo/structure/regional_io.hpp"
#include "agglo/structure/structure_inputs.hpp"
#include "structure_ops.hpp"

namespace agglo::api {

namespace {

struct BlocksOptions {
  std::string io, totals, series, clusters, employment, occupations;
  std::int64_t horizon = 10, tension_window = 5, permutations = 999;
  double colocated = 0.3;
  std::string transform = "log";
  std::string detrend = "aggregate";
  std::int64_t lags = 0;
  std::int64_t max_size = 8;
  double resolution = 1.0;
  std::string level = "95";
  bool raw_trace = false;

  static void describe(core::OptionSchema<BlocksOptions>& s) {
    s.add("io", &BlocksOptions::io, "inter-industry flows from,to,value").path().required();
    s.add("totals", &BlocksOptions::totals, "industry,output[,final_demand,value_added]").path().required();
    s.add("series", &BlocksOptions::series, "industry,year,value: output, value added or employment per industry and year")
        .path()
        .required();
    s.add("clusters", &BlocksOptions::clusters,
          "industry,cluster: a cluster partition to compare the blocks with (adjusted Rand index, NMI)")
        .path();
    s.add("employment", &BlocksOptions::employment,
          "region,industry,employment[,year]: where each block is (LQ by region, Hoover localisation; latest year)")
        .path();
    s.add("occupations", &BlocksOptions::occupations,
          "industry,occupation,share: adds labour-pool similarity (correlation of occupation shares) to the "
          "co-agglomeration regression")
        .path();
    s.add("permutations", &BlocksOptions::permutations,
          "draws of the permutation p-value of the IO coefficient in the co-agglomeration regression (0: none)")
        .min(0)
        .max(100000);
    s.add("horizon", &BlocksOptions::horizon, "years of impulse responses of each block's VECM (irf.csv)").min(1).max(100);
    s.add("tension-window", &BlocksOptions::tension_window,
          "h of the structural-tension index: the growth gap between linked industries over h years")
        .min(1)
        .max(50);
    s.add("colocated", &BlocksOptions::colocated, "a block with Hoover localisation ≥ this is a cluster block, else national")
        .min(0)
        .max(1);
    s.add("transform", &BlocksOptions::transform, "log: test the logarithms of the values; none: the values").choices({"log", "none"});
    s.add("detrend", &BlocksOptions::detrend, "aggregate: subtract the cross-industry mean each year; none").choices({"aggregate", "none"});
    s.add("lags", &BlocksOptions::lags, "lagged differences in the VECM (k_ar_diff); the Granger VAR uses lags + 1").min(0).max(8);
    s.add("max-size", &BlocksOptions::max_size, "split IO communities larger than this (Leiden on their subgraph)").min(2).max(12);
    s.add("resolution", &BlocksOptions::resolution, "Leiden resolution γ of the IO communities").min(0);
    s.add("level", &BlocksOptions::level, "confidence level of the trace test").choices({"90", "95", "99"});
    s.add("raw-trace", &BlocksOptions::raw_trace,
          "compare the raw trace statistic with the critical values (default: scaled by (n − k·p)/n, Reinsel & Ahn 1992)");
  }
  void validate() const {
    if (!occupations.empty() && employment.empty())
      throw_usage(ErrorCode::missing_option, "--occupations needs --employment (the co-agglomeration regression)");
  }
};

// Normalised mutual information, NMI = 2 I(a;b) / (H(a) + H(b)) (Danon et al. 2005); 1 for equal
// partitions (and for two trivial ones).
double nmi(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  const double n = static_cast<double>(a.size());
  std::map<std::int64_t, double> ca, cb;
  std::map<std::pair<std::int64_t, std::int64_t>, double> cab;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ca[a[i]] += 1;
    cb[b[i]] += 1;
    cab[{a[i], b[i]}] += 1;
  }
  double ha = 0, hb = 0, mi = 0;
  for (const auto& [k, v] : ca) ha -= v / n * std::log(v / n);
  for (const auto& [k, v] : cb) hb -= v / n * std::log(v / n);
  for (const auto& [k, v] : cab) mi += v / n * std::log(v * n / (ca[k.first] * cb[k.second]));
  return ha + hb > 0 ? 2 * mi / (ha + hb) : 1.0;
}

// Industries outside any block (block −1) become singletons, so they agree only with singletons.
std::vector<std::int64_t> with_singletons(const std::vector<std::int64_t>& labels) {
  std::vector<std::int64_t> out(labels);
  std::int64_t next = 1000000;
  for (auto& v : out)
    if (v < 0) v = next++;
  return out;
}

Result run_blocks(const BlocksOptions& o, Context& ctx) {
  const auto table = structure::load_io_table(o.io, o.totals);
  const auto series = structure::load_industry_series(o.series, o.transform == "log");
  structure::BlockOptions bo;
  bo.k_ar_diff = static_cast<std::size_t>(o.lags);
  bo.max_size = static_cast<std::size_t>(o.max_size);
  bo.resolution = o.resolution;
  bo.level = o.level == "90" ? 0 : o.level == "95" ? 1 : 2;
  bo.small_sample = !o.raw_trace;
  bo.detrend_aggregate = o.detrend == "aggregate";
  bo.seed = ctx.seed;
  bo.horizon = static_cast<std::size_t>(o.horizon);
  bo.tension_window = static_cast<std::size_t>(o.tension_window);
  const auto r = structure::find_blocks(table, series, bo);

  Result res;
  const double nan = std::nan("");
  {
    data::Table t;
    auto& ind = t.add_text("industry");
    auto& blk = t.add_integer("block");
    auto& cand = t.add_integer("candidate");
    auto& lvl = t.add_integer("level");
    auto& st = t.add_text("status");
    auto& adj = t.add_real("adjustment");
    auto& gf = t.add_real("granger_f");
    auto& gp = t.add_real("granger_p");
    auto& lead = t.add_integer("leader");
    std::vector<std::size_t> pos(r.industries.size());
    std::vector<const structure::CandidateTest*> of(r.industries.size(), nullptr);
    for (const auto& c : r.candidates)
      for (std::size_t m = 0; m < c.members.size(); ++m) {
        of[c.members[m]] = &c;
        pos[c.members[m]] = m;
      }
    for (std::size_t i = 0; i < r.industries.size(); ++i) {
      const auto* c = of[i];
      ind.push_back(r.industries[i]);
      blk.push_back(r.block[i]);
      cand.push_back(r.candidate[i]);
      lvl.push_back(c->level);
      st.push_back(c->status);
      const bool b = c->status == "block";
      adj.push_back(b ? c->adjustment[pos[i]] : nan);
      gf.push_back(b ? c->granger_f[pos[i]] : nan);
      gp.push_back(b ? c->granger_p[pos[i]] : nan);
      lead.push_back(b && c->granger_p[pos[i]] < bo.granger_alpha ? 1 : 0);
    }
    res.tables.emplace_back("blocks", std::move(t));
  }
  {
    data::Table t;
    auto& blk = t.add_integer("block");
    auto& rank = t.add_integer("rank");
    auto& cand = t.add_integer("candidate");
    auto& k = t.add_integer("members");
    auto& r0 = t.add_integer("r");
    auto& tr = t.add_real("trace_stat");
    auto& tra = t.add_real("trace_stat_adjusted");
    auto& tcv = t.add_real("trace_cv");
    auto& me = t.add_real("max_eig_stat");
    auto& mcv = t.add_real("max_eig_cv");
    auto& eig = t.add_real("eigenvalue");
    auto& obs = t.add_integer("observations");
    auto& st = t.add_text("status");
    const auto lv = static_cast<std::size_t>(bo.level);
    for (const auto& c : r.candidates) {
      const std::int64_t b = c.status == "block" ? r.block[c.members.front()] : -1;
      const auto& j = c.johansen;
      const std::size_t rows = j.trace_stat.empty() ? 1 : j.trace_stat.size();
      for (std::size_t q = 0; q < rows; ++q) {
        blk.push_back(b);
        rank.push_back(static_cast<std::int64_t>(c.rank));
        cand.push_back(static_cast<std::int64_t>(c.candidate));
        k.push_back(static_cast<std::int64_t>(c.members.size()));
        st.push_back(c.status);
        if (j.trace_stat.empty()) {
          r0.push_back(0);
          for (auto* col : {&tr, &tra, &tcv, &me, &mcv, &eig}) col->push_back(nan);
          obs.push_back(0);
          continue;
        }
        r0.push_back(static_cast<std::int64_t>(q));
        tr.push_back(j.trace_stat[q]);
        tra.push_back(c.scale * j.trace_stat[q]);
        tcv.push_back(j.trace_cv[q][lv]);
        me.push_back(j.max_eig_stat[q]);
        mcv.push_back(j.max_eig_cv[q][lv]);
        eig.push_back(j.eigenvalues[q]);
        obs.push_back(static_cast<std::int64_t>(j.observations));
      }
    }
    res.tables.emplace_back("tests", std::move(t));
  }
  {
    // Impulse responses of each block's VECM: the response of every member to a one-sd
    // (orthogonalised, in file order) and a unit shock in every member.
    data::Table t;
    auto& blk = t.add_integer("block");
    auto& imp = t.add_text("impulse");
    auto& rsp = t.add_text("response");
    auto& hor = t.add_integer("horizon");
    auto& irf = t.add_real("irf");
    auto& orth = t.add_real("orth_irf");
    for (const auto& c : r.candidates) {
      if (c.status != "block") continue;
      const std::int64_t b = r.block[c.members.front()];
      const std::size_t k = c.members.size();
      for (std::size_t j = 0; j < k; ++j)
        for (std::size_t i = 0; i < k; ++i)
          for (std::size_t h = 0; h < c.irf.irf.size(); ++h) {
            blk.push_back(b);
            imp.push_back(r.industries[c.members[j]]);
            rsp.push_back(r.industries[c.members[i]]);
            hor.push_back(static_cast<std::int64_t>(h));
            irf.push_back(c.irf.irf[h][i][j]);
            orth.push_back(c.irf.orth[h][i][j]);
          }
    }
    res.tables.emplace_back("irf", std::move(t));
  }
  std::size_t unresolved = 0, tension_pairs = 0;
  {
    // Structural tensions: the index per candidate and year, and every linked pair.
    data::Table t, pt;
    auto& cand = t.add_integer("candidate");
    auto& blk = t.add_integer("block");
    auto& yr = t.add_integer("year");
    auto& ti = t.add_real("tension");
    auto& pc = pt.add_integer("candidate");
    auto& pb = pt.add_integer("block");
    auto& pa = pt.add_text("industry_a");
    auto& pbb = pt.add_text("industry_b");
    auto& pl = pt.add_real("link");
    auto& pg = pt.add_real("peak_gap");
    auto& py = pt.add_integer("peak_year");
    auto& pld = pt.add_text("leader");
    auto& pcs = pt.add_real("closed_share");
    auto& prv = pt.add_real("reversion");
    auto& phl = pt.add_real("half_life");
    auto& pp = pt.add_real("adf_p");
    for (const auto& c : r.candidates) {
      const std::int64_t b = c.status == "block" ? r.block[c.members.front()] : -1;
      for (std::size_t y = 0; y < c.tension.years.size(); ++y) {
        cand.push_back(static_cast<std::int64_t>(c.candidate));
        blk.push_back(b);
        yr.push_back(c.tension.years[y]);
        ti.push_back(c.tension.index[y]);
      }
      for (const auto& x : c.tension.pairs) {
        pc.push_back(static_cast<std::int64_t>(c.candidate));
        pb.push_back(b);
        pa.push_back(r.industries[c.members[x.a]]);
        pbb.push_back(r.industries[c.members[x.b]]);
        pl.push_back(x.link);
        pg.push_back(x.peak_gap);
        py.push_back(x.peak_year);
        pld.push_back(r.industries[c.members[x.leader]]);
        pcs.push_back(x.closed_share);
        prv.push_back(x.reversion);
        phl.push_back(x.half_life);
        pp.push_back(x.adf_p);
        ++tension_pairs;
        unresolved += !(x.adf_p < 0.05);
      }
    }
    res.tables.emplace_back("tension", std::move(t));
    res.tables.emplace_back("tension_pairs", std::move(pt));
  }
  nlohmann::ordered_json summary{{"industries", r.industries.size()},
                                 {"years", r.years},
                                 {"candidates", r.candidates.size()},
                                 {"blocks", r.blocks},
                                 {"io_modularity", r.modularity},
                                 {"lags", o.lags},
                                 {"level", o.level},
                                 {"small_sample", !o.raw_trace}};
  std::map<std::string, std::size_t> status;
  for (const auto& c : r.candidates) ++status[c.status];
  summary["candidate_status"] = status;
  summary["tension"] = {{"window", o.tension_window},
                        {"linked_pairs", tension_pairs},
                        {"pairs_gap_not_stationary", unresolved}};
  if (!o.clusters.empty()) {
    std::unordered_map<std::string, std::string> cl;
    for (auto& [ind, label] : structure::load_industry_labels(o.clusters, "clusters", "cluster")) cl[ind] = label;
    std::vector<std::int64_t> bl, cv;
    std::map<std::string, std::int64_t> ids;
    std::size_t missing = 0;
    for (std::size_t i = 0; i < r.industries.size(); ++i) {
      const auto it = cl.find(r.industries[i]);
      if (it == cl.end()) {
        ++missing;
        cv.push_back(-1);
      } else {
        cv.push_back(ids.emplace(it->second, static_cast<std::int64_t>(ids.size())).first->second);
      }
      bl.push_back(r.block[i]);
    }
    const auto sb = with_singletons(bl), sc = with_singletons(cv);
    summary["clusters"] = {{"file", o.clusters},
                           {"adjusted_rand", clusters::adjusted_rand_index(sb, sc)},
                           {"nmi", nmi(sb, sc)},
                           {"industries_without_cluster", missing}};
  }
  if (!o.employment.empty()) {
    io::ReadOptions ro;
    ro.allow_duplicate_rows = true;
    const auto panel = io::load_employment(o.employment, ro);
    const auto locs = structure::block_locations(panel, r.industries, r.block, o.colocated);
    data::Table t, lq;
    auto& b = t.add_integer("block");
    auto& e = t.add_real("employment");
    auto& h = t.add_real("hoover");
    auto& tr = t.add_text("top_region");
    auto& tl = t.add_real("top_lq");
    auto& lc = t.add_text("location_class");
    auto& lb = lq.add_integer("block");
    auto& lr = lq.add_text("region");
    auto& lv = lq.add_real("lq");
    std::size_t cluster_blocks = 0;
    for (const auto& x : locs) {
      b.push_back(x.block);
      e.push_back(x.employment);
      h.push_back(x.hoover);
      tr.push_back(x.top_region);
      tl.push_back(x.top_lq);
      lc.push_back(x.location_class);
      cluster_blocks += x.location_class == "cluster";
      for (const auto& [reg, v] : x.lq) {
        lb.push_back(x.block);
        lr.push_back(reg);
        lv.push_back(v);
      }
    }
    res.tables.emplace_back("locations", std::move(t));
    res.tables.emplace_back("block_lq", std::move(lq));
    summary["cluster_blocks"] = cluster_blocks;
    summary["national_blocks"] = locs.size() - cluster_blocks;

    // Ellison, Glaeser & Kerr (2010): co-agglomeration of every pair on IO dependence.
    const auto em = structure::employment_matrix(panel, table.industries);
    std::vector<std::vector<double>> occ;
    if (!o.occupations.empty()) occ = structure::load_occupations(o.occupations, table.industries);
    const auto egk = structure::coagglomeration(table, em, occ, static_cast<std::size_t>(o.permutations), ctx.seed);
    data::Table pairs, terms;
    auto& ia = pairs.add_text("industry_a");
    auto& ib = pairs.add_text("industry_b");
    auto& gc = pairs.add_real("coagglomeration");
    auto& in = pairs.add_real("input");
    auto& ou = pairs.add_real("output");
    auto& la = pairs.add_real("labour");
    for (const auto& p : egk.pairs) {
      ia.push_back(table.industries[p.i]);
      ib.push_back(table.industries[p.j]);
      gc.push_back(p.coagglomeration);
      in.push_back(p.input);
      ou.push_back(p.output);
      la.push_back(p.labour);
    }
    auto& tt = terms.add_text("term");
    auto& tc = terms.add_real("coefficient");
    auto& ts = terms.add_real("std_error");
    auto& tv = terms.add_real("t");
    auto& tp = terms.add_real("p_value");
    auto& tz = terms.add_real("standardised");
    auto& tzs = terms.add_real("standardised_se");
    nlohmann::ordered_json coef = nlohmann::ordered_json::object();
    for (const auto& x : egk.terms) {
      tt.push_back(x.term);
      tc.push_back(x.coefficient);
      ts.push_back(x.std_error);
      tv.push_back(x.t);
      tp.push_back(x.p_value);
      tz.push_back(x.standardised);
      tzs.push_back(x.standardised_se);
      if (x.term != "const") coef[x.term] = {{"standardised", x.standardised}, {"p_value", x.p_value}};
    }
    res.tables.emplace_back("coagglomeration", std::move(pairs));
    res.tables.emplace_back("egk", std::move(terms));
    summary["egk"] = {{"pairs", egk.pairs.size()},
                      {"r2", egk.r2},
                      {"terms", coef},
                      {"input_permutation_p", std::isfinite(egk.permutation_p) ? nlohmann::ordered_json(egk.permutation_p)
                                                                                 : nlohmann::ordered_json(nullptr)},
                      {"permutations", egk.permutations}};
    for (const auto& w : egk.warnings) res.warnings.push_back(w);
  }
  res.warnings.insert(res.warnings.begin(), r.warnings.begin(), r.warnings.end());
  summary["warnings"] = res.warnings;
  res.summary_json = summary.dump(1);
  res.headline = fmt::format("{} development blocks among {} IO candidates of {} industries ({} years)", r.blocks,
                             r.candidates.size(), r.industries.size(), r.years);
  return res;
}

}  // namespace

void register_structure_blocks(Registry& r) {
  r.add(make_operation<BlocksOptions>(
      "blocks", "development blocks: IO communities whose industries are cointegrated",
      "Dahmén's (1950, 1988) development blocks in two steps. Candidates: Leiden communities of the IO "
      "network on w_ij = a_ij + a_ji, split again while larger than --max-size. Test: inside each "
      "candidate, Johansen's (1988, 1991) trace test of the cointegration rank (constant, --lags lagged "
      "differences) on the (log) series net of the cross-industry mean; rank ≥ 1 (and < members) makes a "
      "block. Per block member: the VECM loading Σ|α| (who adjusts) and the Granger F test of the member "
      "on the rest in the levels VAR (who leads). A candidate of one industry is reported with status "
      "single; one too short for the lag order with status too_short. --clusters compares the blocks with "
      "a cluster partition (adjusted Rand, NMI); --employment says where each block is (regional LQs, Hoover "
      "localisation; a cluster block when ≥ --colocated, else a national block) and regresses the pairwise "
      "co-agglomeration γc_ij of Ellison & Glaeser (1997) on IO dependence (and --occupations labour similarity), "
      "as Ellison, Glaeser & Kerr (2010), with HC1 and permutation p-values. Each block's VECM impulse responses "
      "(--horizon) and the structural-tension index of linked pairs (growth gaps over --tension-window years, "
      "peak, closing share, half-life) complete the evidence. See docs/methods/structure.md.",
      {"agglo blocks --io flows.csv --totals totals.csv --series output.csv -o blocks/",
       "agglo blocks --io flows.csv --totals totals.csv --series output.csv --clusters clusters.csv --lags 2 -o blocks/"},
      "a directory: blocks.csv (industry,block,candidate,level,status,adjustment,granger_f,granger_p,leader), "
      "tests.csv (block,rank,candidate,members,r,trace_stat,…), irf.csv, tension.csv, tension_pairs.csv, "
      "summary.json; with --employment also locations.csv, block_lq.csv, coagglomeration.csv, egk.csv",
      &run_blocks));
}

}  // namespace agglo::api
