#pragma once

#include <functional>

namespace huntaze::relay {

// Turns SIGINT and SIGTERM into one call of onSignal on a dedicated thread (Qt and
// Asio are not async-signal-safe, so no work happens in a signal handler). Call before
// starting any other thread: the signals are blocked for every thread started after.
void watchShutdownSignals(std::function<void(int signal)> onSignal);

} // namespace huntaze::relay
