#pragma once

#include "httptypes.h"

#include <string>

namespace huntaze::relay {

// A response as the bytes sent on the wire: status line, headers, body, in one buffer
// for one write. Content-Length always comes from the body; Connection says what the
// server will do with the connection after this answer (HTTP/1.1 keeps it by default,
// HTTP/1.0 closes it by default). A header whose name or value could split the
// response (CR, LF, NUL, or a name that is not a token) is left out, and so is a
// handler's own Server, Content-Type, Content-Length, Connection or Transfer-Encoding.
std::string responseBytes(const HttpResponse &response, unsigned httpVersion, bool keepAlive);

} // namespace huntaze::relay
