// agglo::parallel — progress reporting for long work.
//
// A Progress is created per phase ("reading establishments.csv", "generating firms") with a
// total amount of work (bytes, rows, items). Workers call advance() from any thread; the bar
// is redrawn on stderr at most ten times a second, and only when the mode allows it:
// `--progress auto` draws only when stderr is a terminal, `always` draws anyway (one line per
// update when not a terminal), `never` and `--quiet` draw nothing.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace agglo::parallel {

enum class ProgressMode { automatic, always, never };

// Process-wide setting chosen by the front end.
void set_progress_mode(ProgressMode mode);
ProgressMode progress_mode();

// The phase running now, for front ends that draw their own bar (the Python module polls it
// from its own thread; `generation` changes with every new phase).
struct ProgressSnapshot {
  std::string label;
  std::string unit;
  std::uint64_t done = 0, total = 0;
  std::uint64_t generation = 0;  // 0 = nothing has run yet
  bool active = false;           // a phase is running
};
ProgressSnapshot progress_snapshot();

class Progress {
 public:
  // total = 0 means unknown: a counter without percentage is shown.
  Progress(std::string label, std::uint64_t total, std::string unit = "");
  ~Progress();  // draws the final state and ends the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::uint64_t amount = 1);
  void set(std::uint64_t done);
  std::uint64_t done() const { return done_.load(std::memory_order_relaxed); }
  std::uint64_t total() const { return total_; }
  const std::string& label() const { return label_; }
  const std::string& unit() const { return unit_; }

 private:
  void draw(bool final);
  std::string label_;
  std::string unit_;
  std::uint64_t total_;
  std::atomic<std::uint64_t> done_{0};
  bool enabled_;
  bool tty_;
  std::mutex draw_mutex_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<std::int64_t> last_draw_ns_{0};
  std::uint64_t generation_ = 0;
};

}  // namespace agglo::parallel
