#pragma once

#include "base/error.h"
#include "http/httptypes.h"

namespace huntaze::relay {

struct GraphAnswer;
struct InstagramNotice;

// The error answers of the relay's Instagram routes, in the relay's one error shape
// {"error": code, "message": ...} (plus "graph_code" and "permission" when Meta said).
namespace instagramresponses {

// A relay-side failure: broker/devices errors keep their status, the database's are 503.
HttpResponse fromError(const Error &error);
// A failed Graph call: 409 needs_reconnect (190), 403 permission_declined, 429
// rate_limited (with Retry-After, also when the usage governor held the call back), 404
// for an object Meta does not know, 502 when Meta is in trouble, else 400.
HttpResponse fromGraph(const GraphAnswer &answer);
// A discovery problem the creator must fix on Facebook or Instagram.
HttpResponse fromNotice(int status, const InstagramNotice &notice);

} // namespace instagramresponses

} // namespace huntaze::relay
