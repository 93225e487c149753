// agglo serve — the HTTP front end (DESIGN.md, "Front ends → HTTP").
//
// A thin layer over the api registry: the schema endpoint is generated from the operations'
// option descriptions, POST /api/jobs builds the same ParamMap the CLI builds and runs the
// operation through Registry::find(name)->run on a job queue, and the workspace's layers are
// read through io (GDAL) exactly as every command reads them. No algorithm lives here.
//
// Endpoints (JSON unless said otherwise):
//   GET    /api/schema            operations and their options
//   GET    /api/layers            layers of the workspace: name, features, geometry, fields
//   GET    /api/layers/NAME       GeoJSON for a layer with geometry, else an array of rows
//   POST   /api/jobs              {"operation", "options", "seed"?} → 201 {"id"}      (token)
//   GET    /api/jobs              every known job, without results
//   GET    /api/jobs/ID           state, progress, result tables, command line, Python call
//   GET    /api/jobs/ID/events    server-sent events: the job's progress until it ends
//   DELETE /api/jobs/ID           cancel                                                (token)
//   GET    /                      the dashboard (web/dist)
// Errors: {"error": {"code", "kind", "message"}} with 400 usage, 422 invalid input, 401
// missing token, 403 wrong token or a path outside the workspace, 404, 413 request too large,
// 429 too many jobs, 500.
#pragma once

#include <string>

#include "agglo/api/operation.hpp"

namespace agglo::server {

struct ServeOptions {
  std::string workspace;         // the GeoPackage workspace (agglo demo writes agglo-demo/workspace.gpkg)
  std::string host = "127.0.0.1";
  std::int64_t port = 8080;      // 0 = any free port (printed)
  std::string web_dir;           // built dashboard; empty = the build's web/dist
  std::int64_t max_jobs = 4;     // queued + running
  std::int64_t max_body = 1 << 20;  // bytes of a request body
  double job_timeout = 600;      // seconds a job may run
  static void describe(core::OptionSchema<ServeOptions>& s);
  void validate() const;
};

// Serves until SIGINT/SIGTERM. Prints "listening on http://HOST:PORT" and "token: TOKEN" on
// standard output when ready.
void serve(const ServeOptions& options);

// Adds the `serve` operation to the registry (the CLI calls this; it is a front end, so it
// is not one of the engine's built-in operations).
void register_serve_operation(api::Registry& registry);

}  // namespace agglo::server
