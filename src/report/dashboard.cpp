// The dashboard's static build as a self-contained page (include/agglo/report/dashboard.hpp).
#include "agglo/report/dashboard.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "agglo/core/error.hpp"
#include "agglo/report/html_report.hpp"

namespace agglo::report {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void not_built(const std::string& web_dir, const std::string& what) {
  throw Error(ErrorKind::io, ErrorCode::file_not_found,
              fmt::format("the dashboard is not built: {} is missing in {}", what, web_dir), {},
              "run scripts/web.sh (npm ci && npm run build in web/), or point --web-dir / AGGLO_WEB_DIR at a build");
}

std::string slurp(const fs::path& p, const std::string& web_dir) {
  std::ifstream in(p, std::ios::binary);
  if (!in) not_built(web_dir, p.filename().string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Text placed inside <script>…</script> must not close the element early: "</script" is
// written "<\/script", which means the same inside JavaScript strings, comments and JSON.
std::string script_safe(std::string s) {
  for (std::size_t at = 0; (at = s.find("</", at)) != std::string::npos; at += 3) s.replace(at, 2, "<\\/");
  return s;
}

// A file of the build named by an attribute ("./assets/index-abc.js", "/assets/…"), kept
// inside the build folder.
fs::path asset(const fs::path& root, std::string ref) {
  while (!ref.empty() && (ref[0] == '/' || ref[0] == '.')) ref.erase(0, 1);
  const fs::path p = fs::weakly_canonical(root / ref);
  const auto rel = p.lexically_relative(root).string();
  if (rel.empty() || rel.rfind("..", 0) == 0) throw Error(ErrorKind::io, ErrorCode::cannot_read, "asset outside the build: " + ref);
  return p;
}

}  // namespace

std::string default_web_dir() {
  if (const char* env = std::getenv("AGGLO_WEB_DIR"); env && *env) return env;
#ifdef AGGLO_WEB_DIST
  return AGGLO_WEB_DIST;
#else
  return "web/dist";
#endif
}

std::vector<std::string> dashboard_layers(const std::string& web_dir) {
  const auto text = slurp(fs::path(web_dir) / "layers.json", web_dir);
  const auto js = nlohmann::json::parse(text, nullptr, false);
  if (js.is_discarded() || !js.is_object() || !js.contains("layers") || !js["layers"].is_array())
    throw Error(ErrorKind::io, ErrorCode::cannot_read, "layers.json of the dashboard build is not {\"layers\": [...]}",
                Location{(fs::path(web_dir) / "layers.json").string(), 0, 0, {}});
  std::vector<std::string> out;
  for (const auto& l : js["layers"])
    if (l.is_string()) out.push_back(l.get<std::string>());
  return out;
}

std::string dashboard_html(const std::string& web_dir, const std::string& data_json, const std::string& title) {
  const fs::path root = fs::weakly_canonical(fs::absolute(web_dir));
  std::string html = slurp(root / "index.html", web_dir);
  // Vite writes <script type="module" crossorigin src="./assets/index-HASH.js"></script> and
  // <link rel="stylesheet" crossorigin href="./assets/index-HASH.css">.
  static const std::regex script_re(R"re(<script([^>]*?)\ssrc="([^"]+)"([^>]*)></script>)re");
  static const std::regex style_re(R"re(<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"[^>]*>)re");
  std::string out;
  std::smatch m;
  std::string rest = html;
  std::string scripts;
  // Scripts go to the end of <body>, after the data, so the page finds its data when it runs.
  while (std::regex_search(rest, m, script_re)) {
    out += m.prefix().str();
    std::string attrs = m[1].str() + m[3].str();
    attrs = std::regex_replace(attrs, std::regex(R"(\s*crossorigin)"), "");
    scripts += "<script" + attrs + ">" + script_safe(slurp(asset(root, m[2].str()), web_dir)) + "</script>\n";
    rest = m.suffix().str();
  }
  out += rest;
  rest = out;
  out.clear();
  while (std::regex_search(rest, m, style_re)) {
    out += m.prefix().str();
    out += "<style>" + script_safe(slurp(asset(root, m[1].str()), web_dir)) + "</style>";
    rest = m.suffix().str();
  }
  out += rest;
  out = std::regex_replace(out, std::regex("<title>[^<]*</title>"), "<title>" + escape_html(title) + "</title>");
  const std::string data = "<script id=\"agglo-data\" type=\"application/json\">" + script_safe(data_json) + "</script>\n";
  const auto body_end = out.rfind("</body>");
  if (body_end == std::string::npos) not_built(web_dir, "a <body> in index.html");
  out.insert(body_end, data + scripts);
  return out;
}

}  // namespace agglo::report
