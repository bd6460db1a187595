#pragma once

#include "config/serverconfig.h"

namespace huntaze::relay {

// Every setting huntaze-relay reads, in the config file or the environment.
QList<config::ConfigKey> relayConfigSchema();

} // namespace huntaze::relay
