#pragma once

#include <QByteArray>
#include <QString>

namespace huntaze::relay {

// One platform event on its way into webhook_events. A single delivery can carry
// several (Meta batches changes; X's older shape lists events in arrays).
struct InboxEvent {
    QString provider;
    QString externalId; // the dedup key, unique per provider
    QString eventType;
    bool verified = false;
    QByteArray headersJson; // the delivery's headers, minus the signature, as a JSON object
    QByteArray body;        // this event's own JSON
};

} // namespace huntaze::relay
