#pragma once

#include "alertevent.h"

#include <memory>

namespace huntaze::relay {
class AuditWriter;
}

namespace huntaze::relay::alerts {

class AlertWebhook;

// Tells about an alert event everywhere it should be seen: a log line, an audit_log row
// (event alert.firing / alert.resolved) and, when configured, the outgoing webhook.
class AlertNotifier {
public:
    AlertNotifier(AuditWriter &audit, AlertWebhook *webhook);
    void raise(const AlertEvent &event);

private:
    AuditWriter &m_audit;
    AlertWebhook *m_webhook;
};

} // namespace huntaze::relay::alerts
