#pragma once

#include <QByteArray>

namespace huntaze::relay {

// One platform event on its way into webhook_events. A single delivery can carry
// several (Meta batches changes; X's older shape lists events in arrays). Text is kept
// as the UTF-8 the database receives: nothing is converted on the way.
struct InboxEvent {
    QByteArray provider;
    QByteArray externalId; // the dedup key, unique per provider
    QByteArray eventType;
    bool verified = false;
    QByteArray headersJson; // the delivery's headers, minus the signature, as a JSON object
    QByteArray body;        // this event's own JSON
};

} // namespace huntaze::relay
