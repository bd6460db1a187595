#include "alertnotifier.h"

#include "alertwebhook.h"
#include "audit/auditwriter.h"
#include "log/logger.h"

#include <QJsonDocument>

namespace huntaze::relay::alerts {

AlertNotifier::AlertNotifier(AuditWriter &audit, AlertWebhook *webhook)
    : m_audit(audit)
    , m_webhook(webhook) {}

void AlertNotifier::raise(const AlertEvent &event) {
    const QJsonObject body = event.toJson();
    const QString name = QStringLiteral("alert.") + event.status;
    (event.status == QLatin1String("firing") ? log::warning : log::info)(QStringLiteral("alerts"),
                                                                         name, body);
    AuditEntry entry;
    entry.event = name;
    entry.outcome = event.status;
    entry.actor = QStringLiteral("relay");
    entry.provider = event.labels.value(QStringLiteral("provider"));
    entry.subject = event.rule;
    entry.details = body;
    m_audit.record(std::move(entry));
    if (m_webhook)
        m_webhook->deliver(QJsonDocument(body).toJson(QJsonDocument::Compact));
}

} // namespace huntaze::relay::alerts
