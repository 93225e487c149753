// `agglo report --workspace W -o report.html`: the dashboard's views with the workspace's
// data inlined (report/dashboard.hpp) — one self-contained HTML file that opens offline and
// shows the same figures as `agglo serve` (DESIGN.md, "One set of views").
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/io/atomic_file.hpp"
#include "agglo/io/layer_json.hpp"
#include "agglo/io/vector_reader.hpp"
#include "agglo/report/dashboard.hpp"

namespace agglo::api {

namespace {

struct ReportOptions {
  std::string workspace;
  std::string web_dir;
  std::string title = "agglo report";
  static void describe(core::OptionSchema<ReportOptions>& s) {
    s.add("workspace", &ReportOptions::workspace, "GeoPackage workspace (agglo demo writes agglo-demo/workspace.gpkg)")
        .required()
        .path();
    s.add("web-dir", &ReportOptions::web_dir, "folder of the built dashboard (default: the build's web/dist)").path();
    s.add("title", &ReportOptions::title, "title of the page");
  }
  void validate() const {}
};

Result run_report(const ReportOptions& o, Context& ctx) {
  namespace fs = std::filesystem;
  const std::string out = ctx.output.empty() ? "report.html" : ctx.output;
  if (fs::path(out).extension() != ".html")
    throw_usage(ErrorCode::unsupported_format, fmt::format("the report is HTML: '{}' should end in .html", out));
  const std::string web = o.web_dir.empty() ? report::default_web_dir() : o.web_dir;
  const auto wanted = report::dashboard_layers(web);
  // Only the layers the views read are inlined, and only those the workspace has.
  std::vector<std::string> present;
  for (const auto& l : io::list_layers(o.workspace)) present.push_back(l.name);
  std::string data = R"({"static":true,"workspace":)" + nlohmann::json(fs::path(o.workspace).filename().string()).dump();
  data += R"(,"layers":{)";
  std::size_t n = 0;
  std::vector<std::string> missing;
  for (const auto& name : wanted) {
    if (std::find(present.begin(), present.end(), name) == present.end()) {
      missing.push_back(name);
      continue;
    }
    data += fmt::format("{}{}:{}", n++ ? "," : "", nlohmann::json(name).dump(), io::layer_json(o.workspace, name));
  }
  data += "}}";
  const std::string html = report::dashboard_html(web, data, o.title);
  io::AtomicFile f(out);
  f.write(html);
  f.commit();
  Result r;
  r.output_written = true;
  r.files.push_back(out);
  r.headline = fmt::format("{} layers of {} inlined → {} ({:.1f} MB, opens offline)", n, fs::path(o.workspace).filename().string(), out,
                           static_cast<double>(html.size()) / 1e6);
  if (!missing.empty()) {
    std::string m;
    for (const auto& x : missing) m += (m.empty() ? "" : ", ") + x;
    r.warnings.push_back("the workspace has no layer(s) " + m + "; their views are left empty");
  }
  return r;
}

}  // namespace

void register_report(Registry& r) {
  r.add(make_operation<ReportOptions>(
      "report", "write the dashboard's views with the workspace's data as one offline HTML file",
      "The same views as the dashboard (agglo serve): strong-cluster and LQ choropleths of the "
      "regions, cluster and region pages, region comparison, with the workspace's layers "
      "inlined, so the file opens offline and can be mailed as it is.",
      {"agglo report --workspace agglo-demo/workspace.gpkg -o report.html"}, "an .html file", &run_report));
}

}  // namespace agglo::api
