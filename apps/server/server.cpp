// agglo serve — routes, limits and the token (server.hpp).
#include "server.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "agglo/api/json_codec.hpp"
#include "agglo/core/error.hpp"
#include "agglo/io/layer_json.hpp"
#include "agglo/io/vector_reader.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/parallel/progress.hpp"
#include "agglo/report/dashboard.hpp"
#include "job_queue.hpp"

namespace agglo::server {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

// Operations a browser may not start: front ends and whole pipelines that write folders.
const std::vector<std::string> kHidden = {"serve", "demo", "report"};
// Path options that name files an operation writes; the server only reads.
const std::vector<std::string> kWriteOptions = {"graph", "hulls", "checkpoint", "resume"};

std::atomic<bool> g_stop{false};
void on_serve_signal(int) {
  g_stop.store(true);
  parallel::request_cancel();
}

std::string random_token() {
  std::random_device rd;
  std::string t;
  for (int i = 0; i < 4; ++i) t += fmt::format("{:08x}", rd());
  return t;
}

// Compares in time independent of where the strings differ.
bool same_token(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

void send_error(httplib::Response& res, int status, int code, const std::string& kind, const std::string& message) {
  res.status = status;
  res.set_content(api::error_json(code, kind, message), "application/json");
}

// The HTTP status of an engine error (DESIGN.md: 400 usage, 422 invalid input, 500 else).
int status_of(const Error& e) {
  switch (e.kind()) {
    case ErrorKind::usage: return 400;
    case ErrorKind::input: return 422;
    case ErrorKind::io: return e.code() == ErrorCode::file_not_found ? 404 : 500;
    default: return 500;
  }
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// True when `p` (absolute, normalised) lies inside `root` (absolute, normalised).
bool inside(const fs::path& root, const fs::path& p) {
  auto r = root.begin(), q = p.begin();
  for (; r != root.end(); ++r, ++q)
    if (q == p.end() || *r != *q) return false;
  return true;
}

// A value that names a file: a path separator, a home or parent reference, or the extension
// of a format the loaders read.
bool looks_like_file(const std::string& v) {
  if (v.find('/') != std::string::npos || v.find('\\') != std::string::npos || v.rfind("~", 0) == 0 || v.rfind("PG:", 0) == 0)
    return true;
  static const std::vector<std::string> exts = {".csv", ".gz", ".tsv", ".txt", ".json", ".geojson", ".topojson", ".gpkg",
                                                ".shp", ".fgb", ".sqlite", ".db", ".xlsx", ".parquet", ".zip"};
  const auto ext = fs::path(v).extension().string();
  return std::find(exts.begin(), exts.end(), ext) != exts.end();
}

const char* mime_of(const fs::path& p) {
  const auto ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".pbf") return "application/x-protobuf";
  return "application/octet-stream";
}

class App {
 public:
  App(const ServeOptions& o)
      : o_(o),
        workspace_(fs::weakly_canonical(fs::absolute(o.workspace))),
        root_(workspace_.parent_path()),
        web_(fs::weakly_canonical(fs::absolute(o.web_dir.empty() ? report::default_web_dir() : o.web_dir))),
        token_(random_token()),
        schema_(api::schema_json(api::Registry::global(), kHidden)),
        jobs_(static_cast<std::size_t>(o.max_jobs), o.job_timeout) {}

  void routes(httplib::Server& svr) {
    svr.set_payload_max_length(static_cast<std::size_t>(o_.max_body));
    // Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm
    // holds a small body back until the client's delayed ACK (~40 ms per request).
    svr.set_tcp_nodelay(true);
    svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      switch (res.status) {
        case 413: return send_error(res, 413, 0, "limit", "the request body is larger than the server's limit (--max-body)");
        case 404: return send_error(res, 404, 0, "not_found", "no such resource: " + req.path);
        case 405: return send_error(res, 405, 0, "usage", "method not allowed on " + req.path);
        default: return send_error(res, res.status, 0, "http", fmt::format("HTTP status {}", res.status));
      }
    });
    svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      try {
        std::rethrow_exception(ep);
      } catch (const Error& e) {
        res.status = status_of(e);
        res.set_content(api::error_json(e), "application/json");
      } catch (const std::exception& e) {
        send_error(res, 500, static_cast<int>(ErrorCode::internal_error), "internal", std::string("internal error: ") + e.what());
      } catch (...) {
        send_error(res, 500, static_cast<int>(ErrorCode::internal_error), "internal", "internal error");
      }
    });
    svr.Get("/api/schema", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(schema_, "application/json");  // the registry is fixed while serving
    });
    svr.Get("/api/layers", [this](const httplib::Request&, httplib::Response& res) { list_layers(res); });
    svr.Get(R"(/api/layers/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      get_layer(req.matches[1], res);
    });
    svr.Get("/api/jobs", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(jobs_.list_json(), "application/json");
    });
    svr.Post("/api/jobs", [this](const httplib::Request& req, httplib::Response& res) {
      if (authorised(req, res)) submit(req, res);
    });
    svr.Get(R"(/api/jobs/([0-9a-f]+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::size_t max_rows = 0;
      if (req.has_param("max_rows")) max_rows = static_cast<std::size_t>(std::max(0LL, std::atoll(req.get_param_value("max_rows").c_str())));
      if (auto s = jobs_.status_json(req.matches[1], max_rows)) res.set_content(*s, "application/json");
      else send_error(res, 404, 0, "not_found", "no job " + std::string(req.matches[1]));
    });
    svr.Get(R"(/api/jobs/([0-9a-f]+)/events)", [this](const httplib::Request& req, httplib::Response& res) {
      events(req.matches[1], res);
    });
    svr.Delete(R"(/api/jobs/([0-9a-f]+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorised(req, res)) return;
      if (!jobs_.cancel(req.matches[1])) return send_error(res, 404, 0, "not_found", "no job " + std::string(req.matches[1]));
      res.set_content(*jobs_.status_json(req.matches[1], 1), "application/json");
    });
    svr.Get(R"(/api/.*)", [](const httplib::Request& req, httplib::Response& res) {
      send_error(res, 404, 0, "not_found", "no such endpoint: " + req.path);
    });
    svr.Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) { static_file(req, res); });
  }

  const std::string& token() const { return token_; }

 private:
  // Mutating endpoints need "Authorization: Bearer TOKEN": 401 without it, 403 when wrong.
  bool authorised(const httplib::Request& req, httplib::Response& res) const {
    const auto h = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    if (h.empty()) {
      send_error(res, 401, 0, "auth", "this endpoint needs the header 'Authorization: Bearer TOKEN' with the token agglo serve printed");
      res.set_header("WWW-Authenticate", "Bearer");
      return false;
    }
    if (h.rfind(prefix, 0) != 0 || !same_token(h.substr(prefix.size()), token_)) {
      send_error(res, 403, 0, "auth", "wrong token: use the one agglo serve printed at start");
      return false;
    }
    return true;
  }

  void list_layers(httplib::Response& res) {
    json arr = json::array();
    for (const auto& l : io::list_layers(workspace_.string()))
      arr.push_back({{"name", l.name}, {"features", l.features}, {"geometry", l.geometry}, {"crs", l.crs}, {"fields", l.fields}});
    res.set_content(json{{"workspace", workspace_.filename().string()}, {"layers", std::move(arr)}}.dump(), "application/json");
  }

  // Layers are looked up by name among the workspace's own (never opened as a path), and
  // their JSON is cached until the workspace file changes.
  void get_layer(const std::string& name, httplib::Response& res) {
    const auto stamp = fs::last_write_time(workspace_);
    std::shared_ptr<const std::string> body;
    {
      std::lock_guard lock(cache_mutex_);
      if (stamp != cache_stamp_) {
        cache_.clear();
        layers_ = io::list_layers(workspace_.string());
        cache_stamp_ = stamp;
      }
      const io::VectorLayerInfo* info = nullptr;
      for (const auto& l : layers_)
        if (l.name == name) info = &l;
      if (!info) return send_error(res, 404, static_cast<int>(ErrorCode::missing_column), "not_found", "the workspace has no layer '" + name + "' (see GET /api/layers)");
      if (auto it = cache_.find(name); it != cache_.end()) body = it->second;
    }
    if (!body) {
      auto text = std::make_shared<const std::string>(io::layer_json(workspace_.string(), name));
      std::lock_guard lock(cache_mutex_);
      cache_[name] = text;
      body = text;
    }
    const bool geometry = !body->empty() && body->front() == '{';  // a FeatureCollection, not rows
    res.set_content(*body, geometry ? "application/geo+json" : "application/json");
  }

  void submit(const httplib::Request& req, httplib::Response& res) {
    const auto body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return send_error(res, 400, static_cast<int>(ErrorCode::invalid_option_value), "usage",
                        R"(the request body must be a JSON object {"operation": NAME, "options": {...}})");
    if (!body.contains("operation") || !body["operation"].is_string())
      return send_error(res, 400, static_cast<int>(ErrorCode::missing_option), "usage", "the request names no \"operation\"");
    const std::string name = body["operation"];
    const auto* op = api::Registry::global().find(name);
    if (!op || std::find(kHidden.begin(), kHidden.end(), name) != kHidden.end()) {
      std::string known;
      for (const auto& o : api::Registry::global().all())
        if (std::find(kHidden.begin(), kHidden.end(), o.name) == kHidden.end()) known += (known.empty() ? "" : ", ") + o.name;
      return send_error(res, 400, static_cast<int>(ErrorCode::unknown_operation), "usage",
                        fmt::format("unknown operation '{}'{} (operations: {})", name,
                                    op ? " over HTTP (run it from the command line)" : "", known));
    }
    std::uint64_t seed = core::Stream::default_seed;
    if (body.contains("seed")) {
      if (!body["seed"].is_number_unsigned())
        return send_error(res, 400, static_cast<int>(ErrorCode::invalid_option_value), "usage", "\"seed\" must be a non-negative integer");
      seed = body["seed"].get<std::uint64_t>();
    }
    const std::string options = body.contains("options") ? body["options"].dump() : "{}";
    core::ParamMap params = api::params_from_json(*op, options);  // usage errors → 400 by the handler
    for (auto& [key, value] : params) {
      const core::OptionSpec* spec = nullptr;
      for (const auto& s : op->options)
        if (s.name == key) spec = &s;
      if (std::find(kWriteOptions.begin(), kWriteOptions.end(), key) != kWriteOptions.end())
        return send_error(res, 403, static_cast<int>(ErrorCode::cannot_write), "forbidden",
                          fmt::format("option '{}' writes a file; the server does not write outside its job results", key));
      if (!spec || spec->type == core::OptionType::path) {
        if (!resolve_in_workspace(key, value, res)) return;
        continue;
      }
      // A text option that names a file (an operation may not mark every file option as a
      // path) is held to the same rule: every item that looks like a file reference.
      if (spec->type != core::OptionType::text && spec->type != core::OptionType::list) continue;
      std::string joined;
      bool changed = false;
      for (auto item : core::parse_list(value)) {
        if (looks_like_file(item)) {
          if (!resolve_in_workspace(key, item, res)) return;
          changed = true;
        }
        joined += (joined.empty() ? "" : ",") + item;
      }
      if (changed) value = joined;
    }
    const auto id = jobs_.submit(name, std::move(params), seed);
    if (!id)
      return send_error(res, 429, 0, "limit",
                        fmt::format("{} jobs are already queued or running (the server's --max-jobs); wait for one to end or cancel one", o_.max_jobs));
    res.status = 201;
    res.set_header("Location", "/api/jobs/" + *id);
    res.set_content(json{{"id", *id}, {"state", "queued"}, {"url", "/api/jobs/" + *id}}.dump(), "application/json");
  }

  // A path option names a file of the workspace's folder, relative to it (or absolute but
  // inside it); anything that leaves the folder (.., symlinks out, /etc/passwd) is refused.
  bool resolve_in_workspace(const std::string& key, std::string& value, httplib::Response& res) const {
    fs::path p(value);
    if (value.rfind("PG:", 0) == 0 || value.find("://") != std::string::npos || value.find('\0') != std::string::npos) {
      send_error(res, 403, static_cast<int>(ErrorCode::cannot_read), "forbidden", fmt::format("option '{}': only files of the workspace folder can be read", key));
      return false;
    }
    if (p.is_relative()) p = root_ / p;
    std::error_code ec;
    const fs::path real = fs::weakly_canonical(p, ec);
    if (ec || !inside(root_, real)) {
      send_error(res, 403, static_cast<int>(ErrorCode::cannot_read), "forbidden",
                 fmt::format("option '{}': '{}' is outside the workspace folder; name files relative to it", key, value));
      return false;
    }
    value = real.string();
    return true;
  }

  void events(const std::string& id, httplib::Response& res) {
    bool finished = false;
    if (!jobs_.progress_json(id, &finished)) return send_error(res, 404, 0, "not_found", "no job " + id);
    res.set_header("Cache-Control", "no-cache");
    res.set_chunked_content_provider("text/event-stream", [this, id](std::size_t, httplib::DataSink& sink) {
      bool done = false;
      const auto s = jobs_.progress_json(id, &done);
      if (!s) {
        sink.done();
        return true;
      }
      const std::string event = fmt::format("event: {}\ndata: {}\n\n", done ? "end" : "progress", *s);
      if (!sink.write(event.data(), event.size())) return false;
      if (done || g_stop.load()) {
        sink.done();
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      return true;
    });
  }

  void static_file(const httplib::Request& req, httplib::Response& res) const {
    std::string rel = req.path;
    if (rel.empty() || rel.back() == '/') rel += "index.html";
    // The decoded path must not climb out of the dashboard folder.
    const fs::path candidate = fs::weakly_canonical(web_ / fs::path(rel).relative_path());
    if (rel.find("..") != std::string::npos || !inside(web_, candidate))
      return send_error(res, 403, 0, "forbidden", "path outside the dashboard folder");
    std::error_code ec;
    if (!fs::is_regular_file(candidate, ec)) {
      if (rel == "/index.html")
        return send_error(res, 404, static_cast<int>(ErrorCode::file_not_found), "not_found",
                          "the dashboard is not built: run scripts/web.sh (npm ci && npm run build in web/), or pass --web-dir");
      return send_error(res, 404, 0, "not_found", "no such file: " + req.path);
    }
    std::ifstream in(candidate, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    res.set_content(std::move(data), mime_of(candidate));
  }

  const ServeOptions o_;
  const fs::path workspace_, root_, web_;
  const std::string token_;
  const std::string schema_;
  JobQueue jobs_;
  std::mutex cache_mutex_;
  fs::file_time_type cache_stamp_{};
  std::vector<io::VectorLayerInfo> layers_;
  std::map<std::string, std::shared_ptr<const std::string>> cache_;
};

}  // namespace

void ServeOptions::describe(core::OptionSchema<ServeOptions>& s) {
  s.add("workspace", &ServeOptions::workspace, "GeoPackage workspace to serve (agglo demo writes agglo-demo/workspace.gpkg)").required().path();
  s.add("host", &ServeOptions::host, "address to listen on; loopback only (127.0.0.1, ::1, localhost)");
  s.add("port", &ServeOptions::port, "TCP port; 0 picks a free one").min(0).max(65535);
  s.add("web-dir", &ServeOptions::web_dir, "folder of the built dashboard (default: the build's web/dist)").path();
  s.add("max-jobs", &ServeOptions::max_jobs, "jobs that may be queued or running at once (429 beyond)").min(1).max(1000);
  s.add("max-body", &ServeOptions::max_body, "largest request body in bytes (413 beyond)").min(64);
  s.add("job-timeout", &ServeOptions::job_timeout, "seconds a job may run before it is cancelled").min(0.1);
}

void ServeOptions::validate() const {
  if (!is_loopback(host))
    throw_usage(ErrorCode::invalid_option_value, fmt::format("--host {} is not a loopback address", host),
                "agglo serve listens on this machine only: use 127.0.0.1, ::1 or localhost");
  std::error_code ec;
  if (!fs::is_regular_file(workspace, ec))
    throw Error(ErrorKind::io, ErrorCode::file_not_found, fmt::format("workspace '{}' not found", workspace), {},
                "run agglo demo first (it writes agglo-demo/workspace.gpkg) or name a GeoPackage");
}

void serve(const ServeOptions& o) {
  parallel::set_progress_mode(parallel::ProgressMode::never);
  io::list_layers(o.workspace);  // fails now, with GDAL's message, when it is no vector source
  App app(o);
  httplib::Server svr;
  app.routes(svr);
  int port = static_cast<int>(o.port);
  if (port == 0) port = svr.bind_to_any_port(o.host);
  else if (!svr.bind_to_port(o.host, port)) port = -1;
  if (port < 0)
    throw Error(ErrorKind::io, ErrorCode::cannot_write, fmt::format("cannot listen on {}:{}", o.host, o.port), {},
                "the port may be in use: choose another with --port, or --port 0 for any free one");
  const std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  std::printf("listening on http://%s:%d\ntoken: %s\ndashboard: http://%s:%d/?token=%s\n", host.c_str(), port,
              app.token().c_str(), host.c_str(), port, app.token().c_str());
  std::fflush(stdout);
  g_stop.store(false);
  auto old_int = std::signal(SIGINT, on_serve_signal);
  auto old_term = std::signal(SIGTERM, on_serve_signal);
  std::thread stopper([&] {
    while (!g_stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    svr.stop();
  });
  svr.listen_after_bind();
  g_stop.store(true);
  stopper.join();
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  parallel::reset_cancel();
}

namespace {
api::Result run_serve(const ServeOptions& o, api::Context&) {
  serve(o);
  api::Result r;
  r.headline = "server stopped";
  r.output_written = true;
  return r;
}
}  // namespace

void register_serve_operation(api::Registry& registry) {
  registry.add(api::make_operation<ServeOptions>(
      "serve", "serve the dashboard and the api over HTTP on this machine",
      "Serves the workspace's layers, the operations of the registry as jobs (the same options "
      "as the commands, as JSON) and the dashboard, on a loopback address. Starting jobs and "
      "cancelling them need the token printed at start (header 'Authorization: Bearer TOKEN'). "
      "Stop with Ctrl-C. Endpoints: GET /api/schema, /api/layers, /api/layers/NAME, "
      "POST /api/jobs, GET/DELETE /api/jobs/ID, GET /api/jobs/ID/events.",
      {"agglo serve --workspace agglo-demo/workspace.gpkg", "agglo serve --workspace w.gpkg --port 0"},
      "nothing: the server prints its address and token", &run_serve));
}

}  // namespace agglo::server
