#pragma once

#include "base/result.h"
#include "config/serverconfig.h"

#include <memory>

namespace huntaze::relay {

// Everything `huntaze-relay serve` runs: the HTTP server and its routes, the durable
// inbox writer, the audit writer and the readiness probe, started and stopped in the
// order that loses nothing (HTTP drains before the writers stop).
class RelayServer {
public:
    explicit RelayServer(const config::ServerConfig &config);
    ~RelayServer();

    // Binds and starts; returns the bound port.
    Result<quint16> start();
    void stop();

private:
    struct Parts;
    std::unique_ptr<Parts> d;
};

} // namespace huntaze::relay
