#pragma once

#include "base/result.h"
#include "inboxevent.h"

#include <QList>

namespace huntaze::relay {

// Turns one webhook delivery into the events it carries, each with its dedup key:
// - TikTok has no event id: SHA-256 over client_key, event, create_time, user_openid
//   and content (length-prefixed) identifies it.
// - Meta batches changes: each change is its own event, keyed by the account, field,
//   the object ids it carries (comment, media) and time.
// - X: data.event_uuid (Activity API), or kind + id + user for each event of the older
//   Account Activity shape.
// A body that is not what the platform sends is an error (answered 400).
class EventSplitter {
public:
    static constexpr int kMaxEventsPerDelivery = 1000;
    static Result<QList<InboxEvent>> split(const QString &provider, const QByteArray &body);
};

} // namespace huntaze::relay
