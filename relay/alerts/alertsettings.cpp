#include "alertsettings.h"

namespace huntaze::relay::alerts {

AlertSettings AlertSettings::fromConfig(const config::ServerConfig &config) {
    AlertSettings settings;
    settings.intervalSeconds =
        int(config.integer(QStringLiteral("HUNTAZE_ALERT_INTERVAL_SECONDS")));
    settings.forSeconds = int(config.integer(QStringLiteral("HUNTAZE_ALERT_FOR_SECONDS")));
    for (const AlertRule &rule : alertRules())
        if (config.has(rule.setting))
            settings.thresholds.insert(rule.setting, config.integer(rule.setting));
    settings.webhookUrl = QUrl(config.value(QStringLiteral("HUNTAZE_ALERT_WEBHOOK_URL")));
    settings.webhookSecret = config.value(QStringLiteral("HUNTAZE_ALERT_WEBHOOK_SECRET")).toUtf8();
    return settings;
}

} // namespace huntaze::relay::alerts
