// agglo::report — the dashboard's static build as a report (DESIGN.md, "One set of views").
//
// The dashboard (web/, built by Vite into web/dist) is one page whose views fetch the
// workspace's layers from the server. The report is that same page with its script and
// stylesheet inlined and the layers it reads inlined as JSON, so it opens offline from a
// file and shows the same figures; `agglo serve` serves the same files.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace agglo::report {

// The built dashboard: $AGGLO_WEB_DIR when set, else the build tree's web/dist.
std::string default_web_dir();

// The workspace layers the views read (web/dist/layers.json, written by the web build from
// web/src/layers.json). Throws agglo::Error (io) when the dashboard is not built.
std::vector<std::string> dashboard_layers(const std::string& web_dir);

// index.html of `web_dir` with every local <script src> and <link rel=stylesheet> inlined and
// `data_json` ({"layers": {name: GeoJSON or rows}, ...}) placed in
// <script id="agglo-data" type="application/json"> before the page's script. `title` replaces
// the page title. Throws agglo::Error (io) when the build is missing or incomplete.
std::string dashboard_html(const std::string& web_dir, const std::string& data_json, const std::string& title);

}  // namespace agglo::report
