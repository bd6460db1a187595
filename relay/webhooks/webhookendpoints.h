#pragma once

#include "http/router.h"

#include <QByteArray>

namespace huntaze::relay {

class AuditWriter;
class InboxWriter;

struct WebhookSecrets {
    QByteArray tiktokSecret; // TIKTOK_WEBHOOK_SECRET; empty: events stored unverified
    qint64 tiktokToleranceSeconds = 300;
    QByteArray instagramAppSecret; // INSTAGRAM_APP_SECRET; empty: endpoint not configured
    QByteArray instagramVerifyToken;
    QByteArray xConsumerSecret; // X_CONSUMER_SECRET; empty: endpoint not configured
};

// POST /webhooks/tiktok, GET+POST /webhooks/instagram (hub.challenge), GET+POST
// /webhooks/x (CRC). Signatures are checked over the raw body; a bad one is 401,
// counted and audited, never stored. Accepted events are answered only once the inbox
// has committed them; a database outage is 503 with Retry-After so the platform retries.
class WebhookEndpoints {
public:
    WebhookEndpoints(WebhookSecrets secrets, InboxWriter &inbox, AuditWriter &audit);
    void registerRoutes(Router &router);

private:
    void receive(const QString &provider, HttpRequest &&request, HttpResponder respond);
    void instagramHandshake(const HttpRequest &request, const HttpResponder &respond);
    void xCrc(const HttpRequest &request, const HttpResponder &respond);

    WebhookSecrets m_secrets;
    InboxWriter &m_inbox;
    AuditWriter &m_audit;
};

} // namespace huntaze::relay
