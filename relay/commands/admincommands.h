#pragma once

#include "config/serverconfig.h"

#include <QCommandLineParser>

namespace huntaze::relay {

// The operator's commands beside `serve`: user add, device pair, device revoke,
// keys rotate. Each prints its result (JSON for scripts) and returns the exit code.
int runUserAdd(const config::ServerConfig &config, const QCommandLineParser &parser);
int runDevicePair(const config::ServerConfig &config, const QCommandLineParser &parser);
int runDeviceRevoke(const config::ServerConfig &config, const QCommandLineParser &parser);
int runKeysRotate(const config::ServerConfig &config);

} // namespace huntaze::relay
