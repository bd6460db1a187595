#pragma once

namespace sandbox {

// SIGINT and SIGTERM quit the event loop cleanly, through a self-pipe as Qt documents
// ("Calling Qt Functions From Unix Signal Handlers"): a signal handler may only write().
void quitOnTerminationSignals();

} // namespace sandbox
