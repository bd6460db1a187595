#pragma once

#include "alertrules.h"
#include "config/serverconfig.h"

#include <QHash>
#include <QUrl>

namespace huntaze::relay::alerts {

// The relay's own alerting, from HUNTAZE_ALERT_* settings (relay/relayconfig.cpp).
struct AlertSettings {
    int intervalSeconds = 15;
    int forSeconds = kAlertForSeconds;
    QHash<QString, qint64> thresholds; // by the rule's setting name
    QUrl webhookUrl;                   // empty: no outgoing webhook
    QByteArray webhookSecret;          // empty: unsigned

    qint64 thresholdOf(const AlertRule &rule) const {
        return thresholds.value(rule.setting, rule.defaultThreshold);
    }
    static AlertSettings fromConfig(const config::ServerConfig &config);
};

} // namespace huntaze::relay::alerts
