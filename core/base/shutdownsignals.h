#pragma once

#include <functional>

namespace huntaze {

// Turns SIGINT and SIGTERM into one call of onSignal on a dedicated thread (Qt and
// Asio are not async-signal-safe, so no work happens in a signal handler); a second
// signal ends the process at once, for when a graceful stop hangs. Call before
// starting any other thread: the signals are blocked for every thread started after.
void watchShutdownSignals(std::function<void(int signal)> onSignal);

} // namespace huntaze
