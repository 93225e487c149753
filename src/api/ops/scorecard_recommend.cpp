// `agglo recommend`: weaknesses of a scorecard mapped to the policy tools of the catalogue by
// the editable rule table (data/scorecard/rules.csv), ranked, each with its evidence; a
// what-if run of the ecosystem model for tools that are levers of it; a cluster action plan.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/io/table_reader.hpp"
#include "agglo/simulate/ecosystem.hpp"
#include "agglo/simulate/model.hpp"
#include "agglo/synth/synthetic_economy.hpp"
#include "scorecard_ops.hpp"

namespace agglo::api {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct RecommendOptions {
  std::string scorecard, rules, tools;
  std::int64_t max_goals = 3;
  bool what_if = true;

  static void describe(core::OptionSchema<RecommendOptions>& s) {
    using O = RecommendOptions;
    s.add("scorecard", &O::scorecard, "a directory written by `agglo scorecard` (reads its scorecard.csv), or a scorecard.csv").path().required();
    s.add("rules", &O::rules, "rule table (rule,criterion,category,trigger,failure_type,tools,rationale,references,lever); default: data/scorecard/rules.csv").path();
    s.add("tools", &O::tools, "policy tools catalogue (category,tool,description); default: data/reference/cluster_policy_tools_catalog.csv").path();
    s.add("max-goals", &O::max_goals, "action plan: at most this many goals (weak criteria) per region-cluster").min(1);
    s.add("what-if", &O::what_if, "run the ecosystem model's mean field with each recommended lever at level 1 (critical mass before and after)");
  }
  void validate() const {}
};

struct Condition {
  std::string field, op;
  double number = 0;
  std::string text;
};
struct Rule {
  std::string id, criterion, category, trigger, failure, rationale, references, lever;
  std::vector<std::string> tools;
  std::vector<Condition> conditions;
  std::uint64_t line = 0;
};

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(s.begin());
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

// "percentile < 25 and robust" → conditions.
std::vector<Condition> parse_trigger(const std::string& trigger, const Location& where) {
  std::vector<Condition> out;
  std::string rest = trigger;
  std::vector<std::string> parts;
  for (std::size_t p; (p = rest.find(" and ")) != std::string::npos;) {
    parts.push_back(rest.substr(0, p));
    rest = rest.substr(p + 5);
  }
  parts.push_back(rest);
  for (auto part : parts) {
    part = trim(part);
    Condition c;
    if (part == "robust") {
      c.field = "robust";
      out.push_back(c);
      continue;
    }
    std::istringstream ss(part);
    ss >> c.field >> c.op;
    std::string value;
    std::getline(ss, value);
    value = trim(value);
    const bool numeric_field = c.field == "percentile" || c.field == "gap_to_median" || c.field == "value";
    const bool ok_op = c.op == "<" || c.op == "<=" || c.op == ">" || c.op == ">=" || c.op == "=";
    if (!ok_op || value.empty() || (!numeric_field && c.field != "assessment"))
      throw_input(ErrorCode::invalid_value, fmt::format("cannot read the trigger '{}' (at '{}')", trigger, part), where,
                  "write conditions like 'percentile < 25', 'gap_to_median < 0', 'assessment = weakness' or 'robust', joined by 'and'");
    if (numeric_field) {
      try {
        c.number = std::stod(value);
      } catch (...) {
        throw_input(ErrorCode::invalid_value, fmt::format("trigger '{}': '{}' is not a number", trigger, value), where, "");
      }
    } else {
      c.text = value;
    }
    out.push_back(c);
  }
  return out;
}

std::string data_dir() { return synth::default_data_dir(); }

Result run_recommend(const RecommendOptions& o, Context& ctx) {
  // The tools catalogue.
  const std::string tools_path = o.tools.empty() ? data_dir() + "/reference/cluster_policy_tools_catalog.csv" : o.tools;
  std::map<std::string, std::string> tool_category;
  {
    io::TableSpec spec;
    spec.what = "tools";
    for (const char* c : {"category", "tool"}) {
      io::ColumnSpec cs;
      cs.name = c;
      cs.kind = io::ColumnKind::text;
      spec.columns.push_back(cs);
    }
    io::ReadOptions ro;
    ro.plain = o.tools.empty();
    const auto t = io::read_table(tools_path, spec, ro);
    for (std::size_t k = 0; k < t.rows; ++k) tool_category[t.col("tool").texts[k]] = t.col("category").texts[k];
  }
  // The rules.
  const std::string rules_path = o.rules.empty() ? data_dir() + "/scorecard/rules.csv" : o.rules;
  std::vector<Rule> rules;
  {
    io::TableSpec spec;
    spec.what = "rules";
    for (const char* c : {"rule", "criterion", "category", "trigger", "failure_type", "tools", "rationale", "references", "lever"}) {
      io::ColumnSpec cs;
      cs.name = c;
      cs.kind = io::ColumnKind::text;
      cs.allow_empty = true;
      cs.required = std::string(c) != "lever" && std::string(c) != "references" && std::string(c) != "category";
      spec.columns.push_back(cs);
    }
    io::ReadOptions ro;
    ro.plain = o.rules.empty();
    const auto t = io::read_table(rules_path, spec, ro);
    static const std::set<std::string> failures{"infrastructural", "institutional", "network", "capability"};
    std::set<std::string> lever_names;
    for (const auto& l : simulate::ecosystem::levers()) lever_names.insert(l.name);
    for (std::size_t k = 0; k < t.rows; ++k) {
      Rule r;
      r.line = t.lines[k];
      auto get = [&](const char* c) { return t.has(c) ? t.col(c).texts[k] : std::string(); };
      r.id = get("rule");
      r.criterion = get("criterion");
      r.category = get("category");
      r.trigger = get("trigger");
      r.failure = get("failure_type");
      r.rationale = get("rationale");
      r.references = get("references");
      r.lever = get("lever");
      const Location where{rules_path, r.line, 0, "trigger"};
      if (r.criterion.empty() && r.category.empty())
        throw_input(ErrorCode::invalid_value, fmt::format("rule '{}' names neither a criterion nor a category", r.id),
                    {rules_path, r.line, 0, "criterion"}, "say which criterion (or category of criteria) the rule applies to");
      if (!failures.count(r.failure))
        throw_input(ErrorCode::invalid_value, fmt::format("rule '{}': unknown failure type '{}'", r.id, r.failure),
                    {rules_path, r.line, 0, "failure_type"},
                    "use infrastructural, institutional, network or capability (Klein Woolthuis et al. 2005)");
      if (!r.lever.empty() && !lever_names.count(r.lever))
        throw_input(ErrorCode::invalid_value, fmt::format("rule '{}': '{}' is not a lever of the ecosystem model", r.id, r.lever),
                    {rules_path, r.line, 0, "lever"}, "leave it empty, or use one of the levers `agglo simulate --model ecosystem --help` lists");
      r.conditions = parse_trigger(r.trigger, where);
      std::string rest = get("tools");
      for (std::size_t p = 0; p <= rest.size();) {
        const auto q = std::min(rest.find(';', p), rest.size());
        const auto tool = trim(rest.substr(p, q - p));
        if (!tool.empty()) {
          if (!tool_category.count(tool)) {
            // The closest catalogue name by edit distance (Levenshtein 1966), when close.
            std::string close;
            std::size_t best = std::max<std::size_t>(3, tool.size() / 3) + 1;
            for (const auto& [name, cat] : tool_category) {
              std::vector<std::size_t> prev(name.size() + 1), cur(name.size() + 1);
              for (std::size_t j = 0; j <= name.size(); ++j) prev[j] = j;
              for (std::size_t a = 1; a <= tool.size(); ++a) {
                cur[0] = a;
                for (std::size_t j = 1; j <= name.size(); ++j)
                  cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (std::tolower(tool[a - 1]) != std::tolower(name[j - 1]))});
                std::swap(prev, cur);
              }
              if (prev[name.size()] < best) {
                best = prev[name.size()];
                close = name;
              }
            }
            throw_input(ErrorCode::unknown_reference, fmt::format("rule '{}': unknown tool '{}'", r.id, tool), {rules_path, r.line, 0, "tools"},
                        close.empty() ? fmt::format("tools are named as in {}", tools_path)
                                      : fmt::format("did you mean '{}'? Tools are named as in {}", close, tools_path));
          }
          r.tools.push_back(tool);
        }
        p = q + 1;
      }
      if (r.tools.empty())
        throw_input(ErrorCode::invalid_value, fmt::format("rule '{}' lists no tool", r.id), {rules_path, r.line, 0, "tools"}, "");
      rules.push_back(std::move(r));
    }
  }
  // The scorecard.
  std::string card_path = o.scorecard;
  if (card_path.size() < 4 || card_path.substr(card_path.size() - 4) != ".csv") card_path += "/scorecard.csv";
  io::TableSpec spec;
  spec.what = "scorecard";
  auto col = [&](const char* name, io::ColumnKind kind, bool required) {
    io::ColumnSpec c;
    c.name = name;
    c.kind = kind;
    c.required = required;
    c.allow_empty = true;
    spec.columns.push_back(c);
  };
  col("region", io::ColumnKind::text, true);
  col("cluster", io::ColumnKind::text, true);
  col("criterion", io::ColumnKind::text, true);
  col("value", io::ColumnKind::real, true);
  col("percentile", io::ColumnKind::real, true);
  col("assessment", io::ColumnKind::text, true);
  col("category", io::ColumnKind::text, false);
  col("metric", io::ColumnKind::text, false);
  col("unit", io::ColumnKind::text, false);
  col("peer_median", io::ColumnKind::real, false);
  col("gap_to_median", io::ColumnKind::real, false);
  col("robust", io::ColumnKind::real, false);
  col("peers", io::ColumnKind::real, false);
  const auto t = io::read_table(card_path, spec);
  auto text = [&](const char* c, std::size_t k) { return t.has(c) ? t.col(c).texts[k] : std::string(); };
  auto real = [&](const char* c, std::size_t k) { return t.has(c) ? t.col(c).reals[k] : nan; };

  struct Hit {
    std::size_t row;
    const Rule* rule;
  };
  std::vector<Hit> hits;
  std::set<std::string> criteria_seen;
  for (std::size_t k = 0; k < t.rows; ++k) {
    criteria_seen.insert(text("criterion", k));
    for (const auto& r : rules) {
      if (!r.criterion.empty() ? r.criterion != text("criterion", k) : r.category != text("category", k)) continue;
      bool ok = true;
      for (const auto& c : r.conditions) {
        if (c.field == "robust") {
          ok = ok && real("robust", k) == 1;
          continue;
        }
        if (c.field == "assessment") {
          ok = ok && text("assessment", k) == c.text;
          continue;
        }
        const double v = c.field == "percentile" ? real("percentile", k) : c.field == "value" ? real("value", k) : real("gap_to_median", k);
        if (!std::isfinite(v)) {
          ok = false;
          continue;
        }
        ok = ok && (c.op == "<" ? v < c.number : c.op == "<=" ? v <= c.number : c.op == ">" ? v > c.number : c.op == ">=" ? v >= c.number : v == c.number);
      }
      // A rule fires on a weakness only: the scorecard's own assessment must agree.
      if (ok && text("assessment", k) == "weakness") hits.push_back({k, &r});
    }
  }
  // Priority within each region-cluster: robust first, then by increasing percentile.
  std::map<std::pair<std::string, std::string>, std::vector<Hit>> by_cell;
  for (const auto& h : hits) by_cell[{text("region", h.row), text("cluster", h.row)}].push_back(h);

  // What-if: critical mass of the ecosystem model's focal region with each lever at level 1.
  std::map<std::string, std::pair<double, double>> critical;  // lever → (before, after)
  std::map<std::string, std::pair<bool, bool>> forms;
  data::Table what_if;
  if (o.what_if) {
    const auto& model = simulate::find_model("ecosystem");
    const auto base = simulate::resolve_params(model, {});
    auto critical_mass = [](const std::vector<double>& fp) { return fp.size() >= 3 ? fp[1] : nan; };
    const double cm0 = critical_mass(simulate::ecosystem::focal_fixed_points(base));
    const bool f0 = simulate::ecosystem::cluster_forms(base);
    std::set<std::string> levers;
    for (const auto& h : hits)
      if (!h.rule->lever.empty()) levers.insert(h.rule->lever);
    auto& wl = what_if.add_text("lever");
    auto& wt = what_if.add_text("tool");
    auto& wb = what_if.add_real("critical_mass_before");
    auto& wa = what_if.add_real("critical_mass_after");
    auto& wfb = what_if.add_integer("cluster_forms_before");
    auto& wfa = what_if.add_integer("cluster_forms_after");
    for (const auto& l : levers) {
      auto p = base;
      p[l] = p[l] + 1;
      const double cm1 = critical_mass(simulate::ecosystem::focal_fixed_points(p));
      const bool f1 = simulate::ecosystem::cluster_forms(p);
      critical[l] = {cm0, cm1};
      forms[l] = {f0, f1};
      std::string tool;
      for (const auto& lv : simulate::ecosystem::levers())
        if (lv.name == l) tool = lv.catalog;
      wl.push_back(l);
      wt.push_back(tool);
      wb.push_back(cm0);
      wa.push_back(cm1);
      wfb.push_back(f0);
      wfa.push_back(f1);
    }
  }

  data::Table rec;
  auto& rr = rec.add_text("region");
  auto& rc = rec.add_text("cluster");
  auto& rcr = rec.add_text("criterion");
  auto& rt = rec.add_text("tool");
  auto& rca = rec.add_text("category");
  auto& rp = rec.add_integer("priority");
  auto& rra = rec.add_text("rationale");
  auto& rf = rec.add_text("failure_type");
  auto& rid = rec.add_text("rule");
  auto& rev = rec.add_text("evidence");
  auto& rpc = rec.add_real("percentile");
  auto& rv = rec.add_real("value");
  auto& rmed = rec.add_real("peer_median");
  auto& rrob = rec.add_integer("robust");
  auto& rref = rec.add_text("references");
  auto& rlev = rec.add_text("lever");
  auto& rcm0 = rec.add_real("critical_mass_before");
  auto& rcm1 = rec.add_real("critical_mass_after");
  data::Table plan;
  auto& pr = plan.add_text("region");
  auto& pc = plan.add_text("cluster");
  auto& pg = plan.add_integer("goal");
  auto& pgo = plan.add_text("objective");
  auto& pcr = plan.add_text("criterion");
  auto& pin = plan.add_text("indicator");
  auto& pcu = plan.add_real("current");
  auto& pta = plan.add_real("target");
  auto& pun = plan.add_text("unit");
  auto& pto = plan.add_text("tools");
  auto& pfa = plan.add_text("failure_type");
  nlohmann::ordered_json plan_json = nlohmann::ordered_json::array();
  std::size_t cells = 0;
  for (auto& [cell, hs] : by_cell) {
    std::stable_sort(hs.begin(), hs.end(), [&](const Hit& a, const Hit& b) {
      const bool ra = real("robust", a.row) == 1, rb = real("robust", b.row) == 1;
      if (ra != rb) return ra;
      return real("percentile", a.row) < real("percentile", b.row);
    });
    ++cells;
    std::map<std::string, int> priority_of;
    int next = 1;
    nlohmann::ordered_json goals = nlohmann::ordered_json::array();
    for (const auto& h : hs) {
      const auto crit = text("criterion", h.row);
      if (!priority_of.count(crit)) priority_of[crit] = next++;
      const int prio = priority_of[crit];
      const double pct = real("percentile", h.row), v = real("value", h.row), med = real("peer_median", h.row);
      const bool robust = real("robust", h.row) == 1;
      const std::string evidence =
          fmt::format("{} = {:.4g}{}: percentile {:.0f} among {:.0f} peers (median {:.4g}){}", crit, v,
                      text("unit", h.row).empty() ? "" : " " + text("unit", h.row), pct, real("peers", h.row), med,
                      robust ? ", robust across peer groups" : "");
      for (const auto& tool : h.rule->tools) {
        rr.push_back(cell.first);
        rc.push_back(cell.second);
        rcr.push_back(crit);
        rt.push_back(tool);
        rca.push_back(tool_category[tool]);
        rp.push_back(prio);
        rra.push_back(h.rule->rationale);
        rf.push_back(h.rule->failure);
        rid.push_back(h.rule->id);
        rev.push_back(evidence);
        rpc.push_back(pct);
        rv.push_back(v);
        rmed.push_back(med);
        rrob.push_back(robust);
        rref.push_back(h.rule->references);
        // The lever's what-if belongs to the tool it stands for: the rule's tool named in the
        // lever's catalogue entry, else the rule's first tool.
        bool lever_tool = false;
        if (!h.rule->lever.empty()) {
          std::string catalog;
          for (const auto& lv : simulate::ecosystem::levers())
            if (lv.name == h.rule->lever) catalog = lv.catalog;
          const std::string* named = nullptr;
          for (const auto& tl : h.rule->tools)
            if (!named && (catalog.find(tl) != std::string::npos || tl.find(catalog) != std::string::npos)) named = &tl;
          lever_tool = named ? &tool == named : &tool == &h.rule->tools.front();
        }
        rlev.push_back(lever_tool ? h.rule->lever : "");
        const auto cm = lever_tool && critical.count(h.rule->lever) ? critical[h.rule->lever] : std::pair<double, double>{nan, nan};
        rcm0.push_back(cm.first);
        rcm1.push_back(cm.second);
      }
      if (prio <= o.max_goals && static_cast<int>(goals.size()) < prio) {
        std::string tools;
        for (const auto& tl : h.rule->tools) tools += (tools.empty() ? "" : "; ") + tl;
        const std::string objective = fmt::format("raise {} from percentile {:.0f} to the peer median", crit, pct);
        pr.push_back(cell.first);
        pc.push_back(cell.second);
        pg.push_back(prio);
        pgo.push_back(objective);
        pcr.push_back(crit);
        pin.push_back(text("metric", h.row).empty() ? crit : text("metric", h.row));
        pcu.push_back(v);
        pta.push_back(med);
        pun.push_back(text("unit", h.row));
        pto.push_back(tools);
        pfa.push_back(h.rule->failure);
        goals.push_back({{"goal", prio},
                         {"objective", objective},
                         {"criterion", crit},
                         {"indicator", text("metric", h.row)},
                         {"current", v},
                         {"target", med},
                         {"unit", text("unit", h.row)},
                         {"failure_type", h.rule->failure},
                         {"tools", h.rule->tools}});
      }
    }
    if (plan_json.size() < 500) plan_json.push_back({{"region", cell.first}, {"cluster", cell.second}, {"goals", goals}});
  }
  Result res;
  res.tables.emplace_back("recommendations", std::move(rec));
  res.tables.emplace_back("action_plan", std::move(plan));
  if (o.what_if) res.tables.emplace_back("what_if", std::move(what_if));
  std::size_t unknown_criteria = 0;
  for (const auto& c : criteria_seen) {
    bool covered = false;
    for (const auto& r : rules) covered = covered || r.criterion == c;
    unknown_criteria += !covered;
  }
  if (unknown_criteria)
    res.warnings.push_back(fmt::format("{} criterion(s) of the scorecard have no rule in {} (no recommendation for them)", unknown_criteria, rules_path));
  res.summary_json = nlohmann::ordered_json{{"scorecard", card_path},
                                            {"rules", rules_path},
                                            {"rules_read", rules.size()},
                                            {"weaknesses_matched", hits.size()},
                                            {"region_clusters", cells},
                                            {"action_plan", plan_json}}
                         .dump(1);
  res.headline = fmt::format("{} recommendation(s) for {} region-cluster(s) from {} weakness(es) matched by {} rule(s)",
                             res.tables.front().second.rows(), cells, hits.size(), rules.size());
  (void)ctx;
  return res;
}

}  // namespace

void register_scorecard_recommend(Registry& r) {
  r.add(make_operation<RecommendOptions>(
      "recommend", "policy tools for a scorecard's weaknesses, ranked with their evidence, and a cluster action plan",
      "Maps every weakness of an `agglo scorecard` result to the policy tools of the catalogue through a documented, editable rule "
      "table (data/scorecard/rules.csv: criterion, trigger such as 'percentile < 25 and robust', the system failure it signals after "
      "Klein Woolthuis, Lankhuizen & Gilsing (2005) — infrastructural, institutional, network or capability — the tools, rationale "
      "and references). Recommendations are ranked within each region-cluster (robust weaknesses first, then the lowest "
      "percentile), each with its evidence. Tools that are levers of the ecosystem model get a what-if: the critical mass of the "
      "model's focal region (the unstable fixed point of Brenner's 2004 process) without and with the lever. The action plan lists "
      "goals (the weakest criteria), the tools chosen, and the indicators to watch with their current values and targets (the peer "
      "median).",
      {"agglo recommend --scorecard tests/cases/scorecard/kronoberg_scorecard.csv -o recommendations.csv",
       "agglo recommend --scorecard tests/cases/scorecard/kronoberg_scorecard.csv -o plan.json"},
      "region,cluster,criterion,tool,category,priority,rationale,failure_type,rule,evidence,… (+ action_plan and what_if side tables)",
      &run_recommend));
}

}  // namespace agglo::api
