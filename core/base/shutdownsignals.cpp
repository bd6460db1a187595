#include "shutdownsignals.h"

#include <csignal>
#include <cstdlib>
#include <pthread.h>
#include <thread>

namespace huntaze {

void watchShutdownSignals(std::function<void(int signal)> onSignal) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::thread([signals, onSignal = std::move(onSignal)] {
        int received = 0;
        if (sigwait(&signals, &received) != 0)
            return;
        onSignal(received);
        if (sigwait(&signals, &received) == 0)
            std::_Exit(128 + received); // asked twice: stop now
    }).detach();
}

} // namespace huntaze
