#include "agglo/io/code_names.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "agglo/core/data_dir.hpp"
#include "agglo/core/error.hpp"
#include "agglo/io/table_reader.hpp"

namespace agglo::io {

namespace {

using NameMap = std::unordered_map<std::string, std::string>;

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Text columns of a bundled table. Names are an extra: an absent or unreadable table gives
// none, never a failed run.
std::optional<LoadedTable> read_text_columns(const std::string& file, const std::vector<std::string>& columns) {
  const auto path = (std::filesystem::path(core::data_dir()) / file).string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  TableSpec spec{"names", {}, {}};
  for (const auto& c : columns) {
    ColumnSpec col;
    col.name = c;
    col.kind = ColumnKind::text;
    col.allow_empty = true;
    spec.columns.push_back(col);
  }
  ReadOptions ro;
  ro.plain = true;
  try {
    return read_table(path, spec, ro);
  } catch (const Error&) {
    return std::nullopt;
  }
}

NameMap code_name_table(const char* file) {
  NameMap m;
  if (auto t = read_text_columns(file, {"code", "name"}))
    for (std::size_t i = 0; i < t->rows; ++i) m.emplace(t->col("code").texts[i], t->col("name").texts[i]);
  return m;
}

// ISO 3166 alpha-3 (upper case keys): CLDR's customary short name (Bolivia, South Korea),
// except where it is an abbreviation (UK, US), then ISO's official name; plus former codes
// from UN Comtrade's list (ANT Netherlands Antilles, ROM Romania, SCG Serbia and Montenegro),
// preferring rows without a comment (ANT's Antarctica placeholder has one), then the latest.
NameMap country_table() {
  NameMap m;
  if (auto iso = read_text_columns("names/iso3166_alpha3.csv", {"code", "name", "short_name"})) {
    for (std::size_t i = 0; i < iso->rows; ++i) {
      const auto& code = iso->col("code").texts[i];
      const auto& shortn = iso->col("short_name").texts[i];
      if (!code.empty()) m.emplace(upper(code), shortn.size() > 3 ? shortn : iso->col("name").texts[i]);
    }
  }
  if (auto ct = read_text_columns("names/comtrade_country_codes.csv", {"code", "full_name", "start_year", "comment"})) {
    std::map<std::string, std::pair<std::pair<int, int>, std::string>> best;
    for (std::size_t i = 0; i < ct->rows; ++i) {
      const auto code = upper(ct->col("code").texts[i]);
      if (code.empty() || m.count(code)) continue;
      int year = 0;
      try {
        year = std::stoi(ct->col("start_year").texts[i]);
      } catch (...) {
      }
      const std::pair<int, int> key{ct->col("comment").texts[i].empty() ? 1 : 0, year};
      auto it = best.find(code);
      if (it == best.end() || key > it->second.first) best[code] = {key, ct->col("full_name").texts[i]};
    }
    for (auto& [code, v] : best) m.emplace(code, v.second);
  }
  return m;
}

// US counties by five-digit FIPS: "Los Angeles County, CA".
NameMap county_table() {
  NameMap m;
  if (auto t = read_text_columns("geo/us_counties.csv", {"fips", "name", "state"}))
    for (std::size_t i = 0; i < t->rows; ++i)
      m.emplace(t->col("fips").texts[i], t->col("name").texts[i] + ", " + t->col("state").texts[i]);
  return m;
}

struct System {
  const char* name;
  const char* kind;
  bool upper_keys;
  NameMap (*load)();
};

const System systems[] = {
    {"naics2007", "industry", false, [] { return code_name_table("names/naics2007.csv"); }},
    {"naics2002", "industry", false, [] { return code_name_table("names/naics2002.csv"); }},
    {"sitc2", "product", false, [] { return code_name_table("names/sitc2.csv"); }},
    {"hs1992", "product", false, [] { return code_name_table("names/hs1992.csv"); }},
    {"hs2012", "product", false, [] { return code_name_table("names/hs2012.csv"); }},
    {"iso3166", "location", true, country_table},
    {"us_county", "region", false, county_table},
};

// Tables are loaded once, on first use, under a lock.
const NameMap& table_of(const System& s) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<NameMap>> cache;
  std::lock_guard lock(mutex);
  auto& slot = cache[s.name];
  if (!slot) slot = std::make_unique<NameMap>(s.load());
  return *slot;
}

const NameMap* lookup_map(const System& s) {
  const auto& m = table_of(s);
  return m.empty() ? nullptr : &m;
}

}  // namespace

std::string code_kind(std::string_view column) {
  std::string c(column);
  for (const char* suffix : {"_a", "_b", "_from", "_to"})
    if (c.size() > std::string_view(suffix).size() && c.ends_with(suffix)) c.resize(c.size() - std::string_view(suffix).size());
  if (c == "industry" || c == "naics") return "industry";
  if (c == "product") return "product";
  if (c == "location" || c == "country") return "location";
  if (c == "region" || c == "fips" || c == "county") return "region";
  return "";
}

CodeNames name_codes(const std::string& kind, const std::vector<std::string>& codes) {
  CodeNames out;
  out.names.assign(codes.size(), "");
  std::unordered_set<std::string_view> distinct;
  for (const auto& c : codes)
    if (!c.empty()) distinct.insert(c);
  if (distinct.empty()) return out;
  // The system that names the most distinct codes (NAICS 2007 before 2002, SITC before HS
  // on a tie, by the order of `systems`).
  const System* best = nullptr;
  std::size_t best_hits = 0;
  for (const auto& s : systems) {
    if (kind != s.kind) continue;
    const auto* m = lookup_map(s);
    if (!m) continue;
    std::size_t hits = 0;
    for (auto c : distinct) hits += m->count(s.upper_keys ? upper(c) : std::string(c));
    if (hits > best_hits) {
      best = &s;
      best_hits = hits;
    }
  }
  out.coverage = static_cast<double>(best_hits) / static_cast<double>(distinct.size());
  if (!best || 2 * best_hits < distinct.size()) return out;
  out.system = best->name;
  const auto& m = *lookup_map(*best);
  // Industries: a code NAICS 2007 lacks may be a 2002 code (the US cluster taxonomy uses 11).
  const NameMap* fallback = nullptr;
  if (out.system == "naics2007")
    for (const auto& s : systems)
      if (std::string_view(s.name) == "naics2002") fallback = lookup_map(s);
  std::unordered_map<std::string_view, std::string> memo;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (codes[i].empty()) continue;
    auto [it, fresh] = memo.try_emplace(codes[i]);
    if (fresh) {
      const std::string key = best->upper_keys ? upper(codes[i]) : codes[i];
      if (auto f = m.find(key); f != m.end()) it->second = f->second;
      else if (fallback)
        if (auto g = fallback->find(key); g != fallback->end()) it->second = g->second;
    }
    out.names[i] = it->second;
  }
  return out;
}

std::string code_name(const std::string& system, std::string_view code) {
  for (const auto& s : systems)
    if (system == s.name)
      if (const auto* m = lookup_map(s)) {
        if (auto f = m->find(s.upper_keys ? upper(code) : std::string(code)); f != m->end()) return f->second;
      }
  return {};
}

int add_code_names(data::Table& t) {
  // Name columns go after all others: the contract's leading columns keep their order
  // (region,industry,employment,lq…), so scripts that read columns by position still work.
  int added = 0;
  auto& cols = t.columns();
  const std::size_t original = cols.size();
  for (std::size_t k = 0; k < original; ++k) {
    const auto kind = code_kind(cols[k].name);
    if (kind.empty() || !cols[k].is_text()) continue;
    const std::string name = cols[k].name + "_name";
    if (t.find(name) || (k == 0 && t.find("name")) || t.find(cols[k].name + "_title")) continue;
    auto named = name_codes(kind, std::get<data::TextColumn>(cols[k].values));
    if (named.system.empty()) continue;
    data::Column c;
    c.name = name;
    c.values = std::move(named.names);
    cols.push_back(std::move(c));
    ++added;
  }
  return added;
}

}  // namespace agglo::io
