#include "agglo/parallel/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace agglo::parallel {

namespace {
std::atomic<ProgressMode> g_mode{ProgressMode::automatic};
// The most recent phase (the innermost when phases nest), guarded for snapshot readers.
std::mutex g_current_mutex;
std::vector<Progress*> g_stack;  // phases in order of creation; the last is shown
std::uint64_t g_generation = 0;
ProgressSnapshot g_last;  // state of the last phase that ended
}  // namespace

ProgressSnapshot progress_snapshot() {
  std::lock_guard lock(g_current_mutex);
  if (g_stack.empty()) return g_last;
  const Progress* cur = g_stack.back();
  ProgressSnapshot s;
  s.label = cur->label();
  s.unit = cur->unit();
  s.done = cur->done();
  s.total = cur->total();
  s.generation = g_generation;
  s.active = true;
  return s;
}

void set_progress_mode(ProgressMode mode) { g_mode.store(mode); }
ProgressMode progress_mode() { return g_mode.load(); }

Progress::Progress(std::string label, std::uint64_t total, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total) {
  tty_ = ::isatty(STDERR_FILENO) == 1;
  const auto mode = g_mode.load();
  enabled_ = mode == ProgressMode::always || (mode == ProgressMode::automatic && tty_);
  start_ = std::chrono::steady_clock::now();
  std::lock_guard lock(g_current_mutex);
  g_stack.push_back(this);
  generation_ = ++g_generation;
}

Progress::~Progress() {
  // Work that finished before the first redraw never showed a bar; don't print one now.
  if (enabled_ && last_draw_ns_.load() > 0) draw(true);
  std::lock_guard lock(g_current_mutex);
  g_stack.erase(std::remove(g_stack.begin(), g_stack.end(), this), g_stack.end());
  g_last = ProgressSnapshot{label_, unit_, done(), total_, generation_, false};
  ++g_generation;
}

void Progress::advance(std::uint64_t amount) {
  const auto d = done_.fetch_add(amount, std::memory_order_relaxed) + amount;
  (void)d;
  if (!enabled_) return;
  const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::steady_clock::now() - start_)
                       .count();
  // The first bar appears after 0.5 s (short work stays quiet); then it is redrawn at most
  // every 100 ms on a terminal, every 2 s otherwise (to keep logs short).
  const std::int64_t period = tty_ ? 100'000'000 : 2'000'000'000;
  auto last = last_draw_ns_.load(std::memory_order_relaxed);
  if (last == 0 ? now < 500'000'000 : now - last < period) return;
  if (!last_draw_ns_.compare_exchange_strong(last, now)) return;  // another thread draws
  draw(false);
}

void Progress::set(std::uint64_t done) {
  done_.store(done, std::memory_order_relaxed);
  advance(0);
}

void Progress::draw(bool final) {
  std::lock_guard lock(draw_mutex_);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const auto done = done_.load(std::memory_order_relaxed);
  std::string line;
  if (total_ > 0) {
    const double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
    constexpr int width = 28;
    const int filled = static_cast<int>(frac * width);
    line = fmt::format("{:<28} [{}{}] {:5.1f}% {:.1f}s", label_, std::string(filled, '#'),
                       std::string(width - filled, '.'), 100.0 * frac, secs);
    if (frac > 0.02 && !final) line += fmt::format(" (eta {:.0f}s)", secs / frac - secs);
  } else {
    line = fmt::format("{:<28} {} {} {:.1f}s", label_, done, unit_, secs);
  }
  if (tty_)
    std::fprintf(stderr, "\r\033[K%s%s", line.c_str(), final ? "\n" : "");
  else
    std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

}  // namespace agglo::parallel
