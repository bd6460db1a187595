#include "shutdownsignals.h"

#include <csignal>
#include <pthread.h>
#include <thread>

namespace huntaze::relay {

void watchShutdownSignals(std::function<void(int signal)> onSignal) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::thread([signals, onSignal = std::move(onSignal)] {
        int received = 0;
        if (sigwait(&signals, &received) == 0)
            onSignal(received);
    }).detach();
}

} // namespace huntaze::relay
