#include "agglo/parallel/cancel.hpp"

#include <tbb/task_group.h>

#include <atomic>
#include <csignal>

#include "agglo/core/error.hpp"

namespace agglo::parallel {

namespace {
// sig_atomic_t-compatible lock-free flag: the only thing a signal handler may touch.
std::atomic<bool> g_cancel{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_signal(int) { g_cancel.store(true, std::memory_order_relaxed); }
}  // namespace

void install_signal_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}
void request_cancel() noexcept { g_cancel.store(true, std::memory_order_relaxed); }
void reset_cancel() noexcept { g_cancel.store(false, std::memory_order_relaxed); }
bool cancel_requested() noexcept { return g_cancel.load(std::memory_order_relaxed); }
void check_cancelled() {
  if (cancel_requested())
    throw Error(ErrorKind::cancelled, ErrorCode::cancelled, "cancelled by signal", {},
                "nothing partial was written");
}

void check_loop_completed() {
  if (tbb::is_current_task_group_canceling() || cancel_requested())
    throw Error(ErrorKind::cancelled, ErrorCode::cancelled, "cancelled", {}, "nothing partial was written");
}

}  // namespace agglo::parallel
