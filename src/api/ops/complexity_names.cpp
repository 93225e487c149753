// Code → name for the complexity commands, from the bundled tables in data/names
// (data/names/README.md). Deliberately small and separate: the project is getting a generic
// code → name facility, which will replace these two functions.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <unordered_map>

#include "complexity_settings.hpp"
#include "agglo/io/table_reader.hpp"
#include "agglo/synth/synthetic_economy.hpp"

namespace agglo::api::complexity_ops {

namespace {

std::string upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

std::string names_file(const char* file) {
  return (std::filesystem::path(synth::default_data_dir()) / "names" / file).string();
}

// Text columns of a names table; an unreadable or absent table gives no names (names are an
// extra, never a reason to fail a run).
std::optional<io::LoadedTable> read_names(const std::string& path, const std::vector<std::string>& columns) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  io::TableSpec spec{"names", {}, {}};
  for (const auto& c : columns) {
    io::ColumnSpec col;
    col.name = c;
    col.kind = io::ColumnKind::text;
    col.allow_empty = true;
    spec.columns.push_back(col);
  }
  try {
    return io::read_table(path, spec);
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace

Names location_names(const std::vector<std::string>& codes) {
  Names out;
  out.name.assign(codes.size(), "");
  std::unordered_map<std::string, std::string> by_code;  // upper-case code → name
  // CLDR's customary short name (Bolivia, South Korea), except where it is an abbreviation
  // (UK, US): then ISO's official name.
  if (const auto iso = read_names(names_file("iso3166_alpha3.csv"), {"code", "name", "short_name"})) {
    const auto& code = iso->col("code").texts;
    const auto& official = iso->col("name").texts;
    const auto& name = iso->col("short_name").texts;
    for (std::size_t i = 0; i < iso->rows; ++i)
      if (!code[i].empty()) by_code.emplace(upper(code[i]), name[i].size() > 3 ? name[i] : official[i]);
  }
  // Former codes from UN Comtrade's list (ant Netherlands Antilles, rom Romania, scg Serbia and
  // Montenegro…). A code can have several rows: prefer rows without a comment (ANT's
  // "Antarctica, to be created by UNSD" placeholder has one), then the latest start year.
  if (const auto ct = read_names(names_file("comtrade_country_codes.csv"), {"code", "full_name", "start_year", "comment"})) {
    const auto& code = ct->col("code").texts;
    const auto& name = ct->col("full_name").texts;
    const auto& start = ct->col("start_year").texts;
    const auto& comment = ct->col("comment").texts;
    std::map<std::string, std::pair<std::pair<int, int>, std::string>> best;  // code → ((no comment, start), name)
    for (std::size_t i = 0; i < ct->rows; ++i) {
      if (code[i].empty()) continue;
      const std::string c = upper(code[i]);
      if (by_code.count(c)) continue;
      int year = 0;
      try {
        year = std::stoi(start[i]);
      } catch (...) {
      }
      const std::pair<int, int> key{comment[i].empty() ? 1 : 0, year};
      auto it = best.find(c);
      if (it == best.end() || key > it->second.first) best[c] = {key, name[i]};
    }
    for (const auto& [c, v] : best) by_code.emplace(c, v.second);
  }
  for (std::size_t i = 0; i < codes.size(); ++i)
    if (auto it = by_code.find(upper(codes[i])); it != by_code.end()) out.name[i] = it->second, ++out.matched;
  if (out.matched) out.source = "ISO 3166-1 alpha-3 (data/names/iso3166_alpha3.csv, former codes from comtrade_country_codes.csv)";
  return out;
}

Names product_names(const std::vector<std::string>& codes) {
  Names out;
  out.name.assign(codes.size(), "");
  if (codes.empty()) return out;
  const auto t = read_names(names_file("sitc2.csv"), {"code", "name", "level"});
  if (!t) return out;
  const auto& code = t->col("code").texts;
  const auto& name = t->col("name").texts;
  std::unordered_map<std::string, std::string> by_code;
  for (std::size_t i = 0; i < t->rows; ++i) by_code.emplace(code[i], name[i]);
  // One level (every code of the file has the same number of digits) and ≥ 95 % known.
  const std::size_t digits = codes.front().size();
  std::size_t matched = 0;
  for (const auto& c : codes) {
    if (c.size() != digits) return out;
    matched += by_code.count(c) > 0;
  }
  if (matched * 100 < codes.size() * 95) return out;
  for (std::size_t i = 0; i < codes.size(); ++i)
    if (auto it = by_code.find(codes[i]); it != by_code.end()) out.name[i] = it->second, ++out.matched;
  out.source = "SITC Rev. 2 (data/names/sitc2.csv)";
  return out;
}

}  // namespace agglo::api::complexity_ops
