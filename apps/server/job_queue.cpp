// agglo serve — the job queue (job_queue.hpp).
#include "job_queue.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <random>

#include "agglo/api/json_codec.hpp"
#include "agglo/core/error.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/parallel/progress.hpp"

namespace agglo::server {

using json = nlohmann::ordered_json;

namespace {

// Finished jobs kept for GET /api/jobs/ID; older ones are forgotten.
constexpr std::size_t kHistory = 64;

std::string new_id() {
  static std::mt19937_64 gen{std::random_device{}()};
  return fmt::format("{:016x}", gen());
}

bool is_final(JobState s) { return s == JobState::done || s == JobState::failed || s == JobState::cancelled; }

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

const char* state_name(JobState s) {
  switch (s) {
    case JobState::queued: return "queued";
    case JobState::running: return "running";
    case JobState::done: return "done";
    case JobState::failed: return "failed";
    case JobState::cancelled: return "cancelled";
  }
  return "failed";
}

JobQueue::JobQueue(std::size_t max_active, double max_seconds) : max_active_(max_active), max_seconds_(max_seconds) {
  worker_ = std::thread([this] { work(); });
  watcher_ = std::thread([this] { watch(); });
}

JobQueue::~JobQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (running_) parallel::request_cancel();
  }
  wake_.notify_all();
  worker_.join();
  watcher_.join();
}

std::optional<std::string> JobQueue::submit(const std::string& operation, core::ParamMap params, std::uint64_t seed) {
  std::lock_guard lock(mutex_);
  const std::size_t active = queue_.size() + (running_ ? 1 : 0);
  if (active >= max_active_) return std::nullopt;
  auto job = std::make_shared<Job>();
  job->id = new_id();
  job->operation = operation;
  job->params = std::move(params);
  job->seed = seed;
  job->created = std::chrono::steady_clock::now();
  jobs_[job->id] = job;
  queue_.push_back(job);
  wake_.notify_all();
  return job->id;
}

bool JobQueue::cancel(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return false;
  Job& job = *it->second;
  if (is_final(job.state)) return true;
  job.cancel_requested = true;
  if (job.state == JobState::queued) {
    job.state = JobState::cancelled;
    job.finished = std::chrono::steady_clock::now();
    std::erase_if(queue_, [&](const auto& j) { return j->id == id; });
    finished_order_.push_back(id);
  } else if (running_ && running_->id == id) {
    // The engine's loops poll this flag between chunks of work and unwind with
    // Error{cancelled}; AtomicFile destructors remove anything half-written.
    parallel::request_cancel();
  }
  return true;
}

void JobQueue::work() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = queue_.front();
      queue_.pop_front();
      parallel::reset_cancel();
      job->state = JobState::running;
      job->started = std::chrono::steady_clock::now();
      running_ = job;
    }
    const auto* op = api::Registry::global().find(job->operation);
    JobState final_state = JobState::done;
    std::string result, error;
    std::vector<std::string> notes;
    try {
      AGGLO_ASSERT(op != nullptr);
      api::Context ctx;
      ctx.seed = job->seed;
      ctx.quiet = true;
      ctx.output.clear();  // results come back as JSON; nothing is written
      ctx.note = [&](const std::string& msg) { notes.push_back(msg); };
      result = api::result_json(op->run(job->params, ctx));
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::cancelled) {
        std::lock_guard lock(mutex_);
        if (job->timed_out) {
          final_state = JobState::failed;
          error = api::error_json(static_cast<int>(ErrorCode::cancelled), "timeout",
                                  fmt::format("the job ran longer than the server's limit of {} s and was stopped "
                                              "(start the server with a larger --job-timeout)",
                                              max_seconds_));
        } else {
          final_state = JobState::cancelled;
        }
      } else {
        final_state = JobState::failed;
        error = api::error_json(e);
      }
    } catch (const std::exception& e) {
      final_state = JobState::failed;
      error = api::error_json(static_cast<int>(ErrorCode::internal_error), "internal",
                              std::string("internal error: ") + e.what());
    }
    std::lock_guard lock(mutex_);
    // A job asked to stop that finished before it noticed keeps its result.
    job->state = final_state;
    job->result_json = std::move(result);
    job->error_json = std::move(error);
    job->notes = std::move(notes);
    job->finished = std::chrono::steady_clock::now();
    running_.reset();
    parallel::reset_cancel();
    finished_order_.push_back(job->id);
    while (finished_order_.size() > kHistory) {
      jobs_.erase(finished_order_.front());
      finished_order_.pop_front();
    }
  }
}

void JobQueue::watch() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(100));
    if (running_ && !running_->timed_out &&
        seconds(std::chrono::steady_clock::now() - running_->started) > max_seconds_) {
      running_->timed_out = true;
      parallel::request_cancel();
    }
  }
}

std::string JobQueue::describe(const Job& job, bool with_result, std::size_t max_rows) const {
  const auto now = std::chrono::steady_clock::now();
  json j = {{"id", job.id}, {"operation", job.operation}, {"state", state_name(job.state)}};
  json opts = json::object();
  for (const auto& [k, v] : job.params) opts[k] = v;
  j["options"] = std::move(opts);
  j["seed"] = job.seed;
  j["command"] = api::command_line(job.operation, job.params);
  j["python"] = api::python_call(job.operation, job.params);
  double elapsed = 0;
  if (job.state == JobState::running) elapsed = seconds(now - job.started);
  else if (is_final(job.state) && job.started.time_since_epoch().count()) elapsed = seconds(job.finished - job.started);
  j["elapsed_s"] = elapsed;
  json progress = {{"label", ""}, {"done", 0}, {"total", 0}, {"fraction", nullptr}};
  if (job.state == JobState::done) progress["fraction"] = 1.0;
  if (running_ && running_->id == job.id) {
    const auto s = parallel::progress_snapshot();
    progress = {{"label", s.label}, {"unit", s.unit}, {"done", s.done}, {"total", s.total},
                {"fraction", s.total ? json(static_cast<double>(s.done) / static_cast<double>(s.total)) : json(nullptr)}};
  }
  j["progress"] = std::move(progress);
  j["cancel_requested"] = job.cancel_requested;
  if (!job.notes.empty()) j["notes"] = job.notes;
  if (!job.error_json.empty()) j["error"] = json::parse(job.error_json)["error"];
  if (with_result && !job.result_json.empty()) {
    if (max_rows == 0) {
      // Splice the stored text rather than parse and re-serialise a large result.
      std::string s = j.dump();
      s.pop_back();
      return s + ",\"result\":" + job.result_json + "}";
    }
    auto r = json::parse(job.result_json);
    for (auto& [name, t] : r["tables"].items())
      if (t["rows"].size() > max_rows) t["rows"].erase(t["rows"].begin() + static_cast<std::ptrdiff_t>(max_rows), t["rows"].end());
    j["result"] = std::move(r);
  }
  return j.dump();
}

std::optional<std::string> JobQueue::status_json(const std::string& id, std::size_t max_rows) const {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return describe(*it->second, true, max_rows);
}

std::optional<std::string> JobQueue::progress_json(const std::string& id, bool* finished) const {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  *finished = is_final(it->second->state);
  return describe(*it->second, false, 0);
}

std::string JobQueue::list_json() const {
  std::lock_guard lock(mutex_);
  json arr = json::array();
  for (const auto& [id, job] : jobs_) arr.push_back(json::parse(describe(*job, false, 0)));
  return json{{"jobs", std::move(arr)}}.dump();
}

}  // namespace agglo::server
