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

}  // namespace agglo::parallel
