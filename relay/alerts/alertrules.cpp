#include "alertrules.h"

#include <QRegularExpression>

namespace huntaze::relay::alerts {

namespace {

bool outcomeIn(const LabelSet &labels, std::initializer_list<const char *> outcomes) {
    const QString outcome = labels.value(QStringLiteral("outcome"));
    for (const char *wanted : outcomes)
        if (outcome == QLatin1String(wanted))
            return true;
    return false;
}

QString runbookLine(const char *anchor, const char *what) {
    return QStringLiteral("README.md#operations (%1): %2")
        .arg(QLatin1String(anchor), QLatin1String(what));
}

// Drops the groups whose volume in the window is below kMinimumVolume.
Grouped withVolume(Grouped values, const Grouped &volume) {
    for (auto it = values.begin(); it != values.end();)
        it = volume.value(it.key()) >= kMinimumVolume ? std::next(it) : values.erase(it);
    return values;
}

QString yamlQuoted(const QString &text) {
    QString escaped = text;
    escaped.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

} // namespace

bool AlertRule::breached(double value, double threshold) const {
    switch (compare) {
    case Compare::Above:
        return value > threshold;
    case Compare::AtLeast:
        return value >= threshold;
    case Compare::Below:
        return value < threshold;
    }
    return false;
}

QString AlertRule::expression(qint64 threshold, int windowSeconds) const {
    const QString window = windowSeconds % 60 == 0 ? QStringLiteral("%1m").arg(windowSeconds / 60)
                                                   : QStringLiteral("%1s").arg(windowSeconds);
    const char *op = compare == Compare::Above ? ">" : compare == Compare::AtLeast ? ">=" : "<";
    // A measure guarded by "and <volume> >= N" is bracketed: comparisons bind tighter.
    const QString windowed =
        measureExpr.contains(QLatin1String("%1")) ? measureExpr.arg(window) : measureExpr;
    const QString measured = measureExpr.contains(QLatin1String(" and "))
                                 ? QStringLiteral("(%1)").arg(windowed)
                                 : windowed;
    return QStringLiteral("%1 %2 %3").arg(measured, QLatin1String(op), QString::number(threshold));
}

QList<AlertRule> alertRules() {
    using Compare = AlertRule::Compare;
    const QStringList provider{QStringLiteral("provider")};
    QList<AlertRule> rules;

    AlertRule errors;
    errors.name = QStringLiteral("HuntazePlatformErrorRate");
    errors.setting = QStringLiteral("HUNTAZE_ALERT_PLATFORM_ERROR_PERCENT");
    errors.defaultThreshold = 25;
    errors.by = provider;
    errors.severity = QStringLiteral("warning");
    // 401s are left out: an expired token is refreshed and the call repeated.
    errors.measureExpr =
        QStringLiteral("100 * sum by (provider) (increase(huntaze_platform_calls_total{outcome!~"
                       "\"ok|unauthorized\"}[%1])) / sum by (provider) "
                       "(increase(huntaze_platform_calls_total[%1])) and sum by (provider) "
                       "(increase(huntaze_platform_calls_total[%1])) >= ") +
        QString::number(kMinimumVolume);
    errors.summary = QStringLiteral("{{ $labels.provider }}: {{ $value }}% of platform calls fail");
    errors.description = QStringLiteral(
        "Over 5 minutes, {{ $value }}% of the relay's calls to {{ $labels.provider }} failed "
        "(server errors, no answer, throttling or refused requests).");
    errors.runbook = runbookLine("platform errors",
                                 "check huntaze_platform_calls_total by endpoint and outcome, the "
                                 "platform's status page and the relay's log (component broker).");
    errors.measure = [](const MetricSnapshot &now, const MetricSnapshot &earlier) {
        const QString name = QStringLiteral("huntaze_platform_calls_total");
        const QStringList by{QStringLiteral("provider")};
        const Grouped all = now.increaseSince(earlier, name, by);
        const Grouped failed = now.increaseSince(earlier, name, by, [](const LabelSet &labels) {
            return !outcomeIn(labels, {"ok", "unauthorized"});
        });
        Grouped percent;
        for (auto it = all.cbegin(); it != all.cend(); ++it)
            if (it.value() > 0)
                percent[it.key()] = 100 * failed.value(it.key()) / it.value();
        return withVolume(percent, all);
    };
    rules.append(errors);

    AlertRule signatures;
    signatures.name = QStringLiteral("HuntazeWebhookSignatureFailures");
    signatures.setting = QStringLiteral("HUNTAZE_ALERT_BAD_SIGNATURES");
    signatures.defaultThreshold = 5;
    signatures.by = provider;
    signatures.severity = QStringLiteral("warning");
    signatures.measureExpr = QStringLiteral(
        "sum by (provider) "
        "(increase(huntaze_webhooks_received_total{outcome=\"bad_signature\"}[%1]))");
    signatures.summary =
        QStringLiteral("{{ $labels.provider }}: {{ $value }} webhooks with a bad signature");
    signatures.description = QStringLiteral(
        "{{ $value }} webhooks claiming to come from {{ $labels.provider }} were refused in 5 "
        "minutes because their signature did not match: a wrong secret in the relay's "
        "configuration, or someone forging events.");
    signatures.runbook = runbookLine(
        "signature failures", "compare the webhook secret in the platform's developer console "
                              "with the relay's; the audit log (webhook.bad_signature) has the "
                              "senders' addresses.");
    signatures.measure = [](const MetricSnapshot &now, const MetricSnapshot &earlier) {
        return now.increaseSince(earlier, QStringLiteral("huntaze_webhooks_received_total"),
                                 {QStringLiteral("provider")}, [](const LabelSet &labels) {
                                     return outcomeIn(labels, {"bad_signature"});
                                 });
    };
    rules.append(signatures);

    AlertRule delivery;
    delivery.name = QStringLiteral("HuntazeWebhookDeliveryFailures");
    delivery.setting = QStringLiteral("HUNTAZE_ALERT_WEBHOOK_FAILURES");
    delivery.defaultThreshold = 5;
    delivery.by = provider;
    delivery.severity = QStringLiteral("critical");
    delivery.measureExpr =
        QStringLiteral("sum by (provider) (increase(huntaze_webhooks_received_total{outcome=~"
                       "\"unavailable|malformed|not_configured\"}[%1]))");
    delivery.summary =
        QStringLiteral("{{ $labels.provider }}: {{ $value }} webhook deliveries not accepted");
    delivery.description = QStringLiteral(
        "{{ $value }} webhook deliveries from {{ $labels.provider }} were not accepted in 5 "
        "minutes (the inbox could not commit them, they were malformed, or the provider's "
        "secret is not configured): the platform retries for a while, then drops them.");
    delivery.runbook =
        runbookLine("webhook delivery", "check huntaze_database_up and /readyz, the relay's log "
                                        "(component webhooks) and the provider's secret settings.");
    delivery.measure = [](const MetricSnapshot &now, const MetricSnapshot &earlier) {
        return now.increaseSince(
            earlier, QStringLiteral("huntaze_webhooks_received_total"),
            {QStringLiteral("provider")}, [](const LabelSet &labels) {
                return outcomeIn(labels, {"unavailable", "malformed", "not_configured"});
            });
    };
    rules.append(delivery);

    AlertRule dead;
    dead.name = QStringLiteral("HuntazeDeadEvents");
    dead.setting = QStringLiteral("HUNTAZE_ALERT_DEAD_EVENTS");
    dead.defaultThreshold = 0;
    dead.severity = QStringLiteral("warning");
    dead.measureExpr = QStringLiteral("max(huntaze_inbox_dead)");
    dead.summary = QStringLiteral("{{ $value }} webhook events parked as dead");
    dead.description = QStringLiteral(
        "{{ $value }} inbox events failed every processing attempt and were parked as dead: "
        "what they carried (a publish result, a comment) is not applied.");
    dead.runbook = runbookLine("dead events",
                               "read last_error of webhook_events WHERE state = 'dead', fix the "
                               "cause, then set them back to pending.");
    dead.measure = [](const MetricSnapshot &now, const MetricSnapshot &) {
        return now.max(QStringLiteral("huntaze_inbox_dead"), {});
    };
    rules.append(dead);

    AlertRule lag;
    lag.name = QStringLiteral("HuntazeQueueLag");
    lag.setting = QStringLiteral("HUNTAZE_ALERT_QUEUE_LAG_SECONDS");
    lag.defaultThreshold = 120;
    lag.severity = QStringLiteral("critical");
    lag.measureExpr = QStringLiteral("max(huntaze_inbox_lag_seconds)");
    lag.summary = QStringLiteral("Webhook events wait {{ $value }} s to be processed");
    lag.description = QStringLiteral(
        "The oldest due inbox event has waited {{ $value }} seconds: the workers are stopped, "
        "too few, or failing (HUNTAZE_WORKERS, the database).");
    lag.runbook = runbookLine("queue lag", "check huntaze_inbox_pending, "
                                           "huntaze_events_processed_total{outcome=\"retry\"} and "
                                           "the database; raise HUNTAZE_WORKERS if it keeps up.");
    lag.measure = [](const MetricSnapshot &now, const MetricSnapshot &) {
        return now.max(QStringLiteral("huntaze_inbox_lag_seconds"), {});
    };
    rules.append(lag);

    AlertRule refresh;
    refresh.name = QStringLiteral("HuntazeTokenRefreshFailures");
    refresh.setting = QStringLiteral("HUNTAZE_ALERT_REFRESH_FAILURES");
    refresh.defaultThreshold = 3;
    refresh.by = provider;
    refresh.severity = QStringLiteral("warning");
    refresh.measureExpr = QStringLiteral(
        "sum by (provider) (increase(huntaze_token_refresh_total{outcome!=\"ok\"}[%1]))");
    refresh.summary = QStringLiteral("{{ $labels.provider }}: {{ $value }} token refreshes failed");
    refresh.description = QStringLiteral(
        "{{ $value }} token refreshes for {{ $labels.provider }} failed in 5 minutes: accounts "
        "will need reconnecting (invalid_grant) or the platform or the app's credentials are "
        "wrong (temporary_failure).");
    refresh.runbook = runbookLine(
        "refresh failures", "huntaze_token_refresh_total's outcome says which; check the app's "
                            "client id and secret, and the audit log (token.refresh).");
    refresh.measure = [](const MetricSnapshot &now, const MetricSnapshot &earlier) {
        return now.increaseSince(earlier, QStringLiteral("huntaze_token_refresh_total"),
                                 {QStringLiteral("provider")},
                                 [](const LabelSet &labels) { return !outcomeIn(labels, {"ok"}); });
    };
    rules.append(refresh);

    AlertRule quota;
    quota.name = QStringLiteral("HuntazeQuotaExhaustion");
    quota.setting = QStringLiteral("HUNTAZE_ALERT_QUOTA_PERCENT");
    quota.defaultThreshold = 90;
    quota.compare = Compare::AtLeast;
    quota.by = {QStringLiteral("provider"), QStringLiteral("quota")};
    quota.severity = QStringLiteral("warning");
    quota.measureExpr = QStringLiteral("max by (provider, quota) (100 * huntaze_quota_used / "
                                       "(huntaze_quota_limit > 0))");
    quota.summary =
        QStringLiteral("{{ $labels.provider }} quota {{ $labels.quota }} at {{ $value }}%");
    quota.description = QStringLiteral(
        "The {{ $labels.provider }} quota {{ $labels.quota }} is {{ $value }}% used: calls "
        "will be throttled or refused until it resets.");
    quota.runbook = runbookLine(
        "quota", "the relay paces itself; if it stays high, lengthen the sync intervals "
                 "(HUNTAZE_*_SYNC_INTERVAL_SECONDS) or ask the platform for a higher quota.");
    quota.measure = [](const MetricSnapshot &now, const MetricSnapshot &) {
        const QStringList by{QStringLiteral("provider"), QStringLiteral("quota")};
        const Grouped used = now.max(QStringLiteral("huntaze_quota_used"), by);
        const Grouped limit = now.max(QStringLiteral("huntaze_quota_limit"), by);
        Grouped percent;
        for (auto it = used.cbegin(); it != used.cend(); ++it)
            if (limit.value(it.key()) > 0)
                percent[it.key()] = 100 * it.value() / limit.value(it.key());
        return percent;
    };
    rules.append(quota);

    AlertRule uploads;
    uploads.name = QStringLiteral("HuntazeUploadSuccessLow");
    uploads.setting = QStringLiteral("HUNTAZE_ALERT_UPLOAD_SUCCESS_PERCENT");
    uploads.defaultThreshold = 50;
    uploads.compare = Compare::Below;
    uploads.by = provider;
    uploads.severity = QStringLiteral("warning");
    uploads.measureExpr =
        QStringLiteral("100 * min by (provider) (huntaze_upload_success_ratio_24h) and sum by "
                       "(provider) (huntaze_publications_settled_24h) >= ") +
        QString::number(kMinimumVolume);
    uploads.summary =
        QStringLiteral("{{ $labels.provider }}: only {{ $value }}% of uploads published");
    uploads.description = QStringLiteral(
        "Of the {{ $labels.provider }} publications desktops settled in the last 24 hours, only "
        "{{ $value }}% were published; the rest failed or need the creator's action.");
    uploads.runbook = runbookLine("upload failures",
                                  "group publications by last_error_code for the provider; check "
                                  "huntaze_platform_calls_total and the platform's status.");
    uploads.measure = [](const MetricSnapshot &now, const MetricSnapshot &) {
        const QStringList by{QStringLiteral("provider")};
        Grouped percent = now.max(QStringLiteral("huntaze_upload_success_ratio_24h"), by);
        for (double &value : percent)
            value *= 100;
        return withVolume(percent, now.sum(QStringLiteral("huntaze_publications_settled_24h"), by));
    };
    rules.append(uploads);
    return rules;
}

QByteArray renderPrometheusRules(const QList<AlertRule> &rules) {
    QString out = QStringLiteral(
        "# Huntaze relay alert rules for Prometheus.\n"
        "# Generated from relay/alerts/alertrules.cpp (the relay evaluates the same rules\n"
        "# itself): change the code, then regenerate with\n"
        "#   HUNTAZE_WRITE_ALERT_RULES=1 build/debug/bin/tst_alertrules\n"
        "# Thresholds are the relay's defaults; if you change a HUNTAZE_ALERT_* setting,\n"
        "# change the number in the matching expr too.\n"
        "groups:\n"
        "  - name: huntaze-relay\n"
        "    rules:\n");
    for (const AlertRule &rule : rules) {
        out += QStringLiteral("      # threshold: %1\n").arg(rule.setting);
        out += QStringLiteral("      - alert: %1\n").arg(rule.name);
        out += QStringLiteral("        expr: %1\n")
                   .arg(yamlQuoted(rule.expression(rule.defaultThreshold, kAlertWindowSeconds)));
        out += QStringLiteral("        for: %1m\n").arg(kAlertForSeconds / 60);
        out += QStringLiteral("        labels:\n          severity: %1\n").arg(rule.severity);
        out += QStringLiteral("        annotations:\n");
        out += QStringLiteral("          summary: %1\n").arg(yamlQuoted(rule.summary));
        out += QStringLiteral("          description: %1\n").arg(yamlQuoted(rule.description));
        out += QStringLiteral("          runbook: %1\n").arg(yamlQuoted(rule.runbook));
    }
    return out.toUtf8();
}

QString fillTemplate(const QString &text, const LabelSet &labels, double value) {
    QString out = text;
    out.replace(QStringLiteral("{{ $value }}"), QString::number(value, 'g', 4));
    static const QRegularExpression label(QStringLiteral("\\{\\{ \\$labels\\.([a-z_]+) \\}\\}"));
    for (auto match = label.globalMatch(text); match.hasNext();) {
        const auto found = match.next();
        out.replace(found.captured(0), labels.value(found.captured(1)));
    }
    return out;
}

} // namespace huntaze::relay::alerts
