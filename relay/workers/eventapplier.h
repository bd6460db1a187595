#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QString>

namespace huntaze::store {
class PgConnection;
}

namespace huntaze::relay {

// What applying one inbox event did: whose data it touched (for webhook_events.user_id
// and the live NOTIFY to desktops), or that it must wait (the post it mentions is not
// recorded yet) and be retried.
struct Applied {
    qint64 userId = 0;
    QString note; // e.g. "ignored: unknown event type"
};

// Applies platform events to the CRM tables, inside the caller's transaction. Every
// write is an upsert or a guarded update on a natural key, so applying the same event
// twice, or events out of order, leaves the same rows. A post status never moves back
// (a late inbox_delivered cannot undo PUBLISH_COMPLETE).
class EventApplier {
public:
    static Result<Applied> apply(store::PgConnection &connection, const QString &provider,
                                 const QString &eventType, const QByteArray &body);
};

} // namespace huntaze::relay
