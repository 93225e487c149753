// agglo::parallel — cooperative cancellation.
//
// Ctrl-C (SIGINT) and SIGTERM set one process-wide flag; long loops call check_cancelled()
// between chunks of work, which throws Error{cancelled}. The exception unwinds through the
// AtomicFile destructors, so temporary files are removed and no half-written result remains.
#pragma once

namespace agglo::parallel {

// Install SIGINT/SIGTERM handlers that request cancellation (the CLI calls this once).
void install_signal_handlers();
// Request cancellation (also callable from tests and from the server).
void request_cancel() noexcept;
void reset_cancel() noexcept;
bool cancel_requested() noexcept;
// Throws agglo::Error (ErrorKind::cancelled) when cancellation was requested.
void check_cancelled();

// Call after a parallel loop that may run inside another parallel loop. When the enclosing
// work is cancelled (Ctrl-C, or a sibling task threw), TBB cancels the nested loop *silently*:
// it returns normally with some iterations never run, so its results are incomplete (empty
// per-block buffers, partial sums). This throws the cancellation instead, so nothing reads
// them. (The crash it prevents: mfunction read never-filled block buffers after Ctrl-C.)
void check_loop_completed();

}  // namespace agglo::parallel
