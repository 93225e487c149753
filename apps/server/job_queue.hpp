// agglo serve — operations run as jobs, one at a time, on a worker thread.
//
// Cancellation and progress in the engine are process-wide (parallel/cancel.hpp,
// parallel/progress.hpp: long loops poll one flag and report one phase), so the queue runs
// one job at a time: cancelling the running job raises that flag, and the progress snapshot
// belongs to it. Queued jobs wait their turn; at most `max_active` jobs may be queued or
// running at once (the server answers 429 beyond that), and a job that runs longer than
// `max_seconds` is cancelled and fails with a time-out.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "agglo/api/operation.hpp"

namespace agglo::server {

enum class JobState { queued, running, done, failed, cancelled };
const char* state_name(JobState s);

struct Job {
  std::string id;
  std::string operation;
  core::ParamMap params;
  std::uint64_t seed = core::Stream::default_seed;
  JobState state = JobState::queued;
  bool cancel_requested = false;
  bool timed_out = false;
  std::string result_json;  // api::result_json of a finished job
  std::string error_json;   // api::error_json of a failed job
  std::vector<std::string> notes;
  std::chrono::steady_clock::time_point created, started, finished;
};

class JobQueue {
 public:
  JobQueue(std::size_t max_active, double max_seconds);
  ~JobQueue();  // cancels the running job and joins the threads
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Queues a run of `operation` (already checked by the caller); the job id, or nothing when
  // `max_active` jobs are already queued or running.
  std::optional<std::string> submit(const std::string& operation, core::ParamMap params, std::uint64_t seed);
  // Cancels a queued job at once, or asks the running one to stop. False for an unknown id.
  bool cancel(const std::string& id);
  // The job as JSON: id, operation, options, state, progress, elapsed seconds, the command
  // and Python call that reproduce it, and its result or error. Nothing for an unknown id.
  std::optional<std::string> status_json(const std::string& id, std::size_t max_rows = 0) const;
  // Short progress event for server-sent events; `finished` tells whether the job is over.
  std::optional<std::string> progress_json(const std::string& id, bool* finished) const;
  std::string list_json() const;

 private:
  void work();
  void watch();
  std::string describe(const Job& job, bool with_result, std::size_t max_rows) const;

  const std::size_t max_active_;
  const double max_seconds_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::deque<std::shared_ptr<Job>> queue_;
  std::deque<std::string> finished_order_;  // the oldest finished jobs are forgotten first
  std::shared_ptr<Job> running_;
  bool stopping_ = false;
  std::thread worker_, watcher_;
};

}  // namespace agglo::server
