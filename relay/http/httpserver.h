#pragma once

#include "base/result.h"
#include "httptypes.h"

#include <QString>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace huntaze::relay {

struct HttpLimits {
    std::size_t maxBodyBytes = 1024 * 1024;          // webhook bodies are small; 1 MiB is generous
    std::uint32_t maxHeaderBytes = 16 * 1024;        // request line plus all headers
    std::chrono::milliseconds headerTimeout{10'000}; // a slow sender cannot hold a connection
    std::chrono::milliseconds bodyTimeout{30'000};
    std::chrono::milliseconds idleTimeout{60'000};   // keep-alive between requests
    std::chrono::milliseconds shutdownGrace{10'000}; // in-flight requests may finish
    std::size_t maxConnections = 10'000;             // beyond, new connections are closed at once
    // Routes that take larger bodies (exact path without the query -> limit), so one big
    // upload route does not widen the limit of every other.
    std::vector<std::pair<std::string, std::size_t>> largerBodies;

    // The largest body any route takes: the parser's limit while the header is read
    // (Beast checks Content-Length against it then), narrowed per route once it is known.
    std::size_t largestBodyLimit() const {
        std::size_t largest = maxBodyBytes;
        for (const auto &route : largerBodies)
            largest = std::max(largest, route.second);
        return largest;
    }

    std::size_t bodyLimitFor(std::string_view target) const {
        const std::string_view path = target.substr(0, target.find('?'));
        for (const auto &[route, limit] : largerBodies)
            if (path == route)
                return limit;
        return maxBodyBytes;
    }
};

// The relay's HTTP/1.1 server, on Boost.Beast: limits are enforced while reading (an
// oversized body is refused before it is buffered), every phase has a deadline, a
// client may vanish at any moment without harm, and stop() drains in-flight requests.
// Handlers run on the server's I/O threads and must not block.
class HttpServer {
public:
    HttpServer(HttpLimits limits, HttpHandler handler);
    ~HttpServer();
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    // Binds host:port (port 0 picks a free one) and returns the bound port.
    Result<quint16> listen(const QString &host, quint16 port);
    // Serves HTTPS with this certificate chain and key (PEM). Call before start().
    Result<void> enableTls(const QString &certificateChainFile, const QString &privateKeyFile);
    void start(int threads);
    // Stops accepting, lets in-flight requests finish within the grace period, then
    // closes everything. Safe to call twice.
    void stop();

    struct Impl; // defined in httpserver.cpp, shared with its connection sessions

private:
    std::unique_ptr<Impl> d;
};

} // namespace huntaze::relay
