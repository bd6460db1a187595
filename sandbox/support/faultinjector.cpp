#include "faultinjector.h"

namespace sandbox {

std::optional<FaultRule> FaultRule::fromJson(const QJsonObject &object, QString *error) {
    static const QStringList kinds{QStringLiteral("status"), QStringLiteral("malformed"),
                                   QStringLiteral("hang"), QStringLiteral("drop"),
                                   QStringLiteral("drop_after")};
    FaultRule rule;
    rule.platform = object.value(QStringLiteral("platform")).toString();
    rule.endpoint = object.value(QStringLiteral("endpoint")).toString(QStringLiteral("*"));
    rule.kind = object.value(QStringLiteral("kind")).toString(QStringLiteral("status"));
    rule.status = object.value(QStringLiteral("status")).toInt(500);
    rule.body = object.value(QStringLiteral("body")).toString().toUtf8();
    rule.contentType = object.value(QStringLiteral("content_type"))
                           .toString(QStringLiteral("application/json"))
                           .toUtf8();
    rule.retryAfter = object.value(QStringLiteral("retry_after")).toInt(-1);
    rule.remaining = object.value(QStringLiteral("times")).toInt(1);
    if (rule.platform.isEmpty()) {
        *error = QStringLiteral("platform is required");
        return std::nullopt;
    }
    if (!kinds.contains(rule.kind)) {
        *error = QStringLiteral("kind must be one of ") + kinds.join(QStringLiteral(", "));
        return std::nullopt;
    }
    if (rule.status < 100 || rule.status > 599 || rule.remaining == 0) {
        *error = QStringLiteral("status must be 100-599 and times non-zero");
        return std::nullopt;
    }
    return rule;
}

QJsonObject FaultRule::toJson() const {
    return {{QStringLiteral("id"), id},
            {QStringLiteral("platform"), platform},
            {QStringLiteral("endpoint"), endpoint},
            {QStringLiteral("kind"), kind},
            {QStringLiteral("status"), status},
            {QStringLiteral("body"), QString::fromUtf8(body)},
            {QStringLiteral("retry_after"), retryAfter},
            {QStringLiteral("times"), remaining}};
}

int FaultInjector::add(FaultRule rule) {
    rule.id = m_nextId++;
    m_rules.append(rule);
    return rule.id;
}

std::optional<FaultRule> FaultInjector::take(const QString &platform, const QString &endpoint) {
    for (qsizetype i = 0; i < m_rules.size(); ++i) {
        FaultRule &rule = m_rules[i];
        if (rule.platform != platform ||
            (rule.endpoint != QLatin1String("*") && rule.endpoint != endpoint))
            continue;
        FaultRule taken = rule;
        if (rule.remaining > 0 && --rule.remaining == 0)
            m_rules.removeAt(i);
        return taken;
    }
    return std::nullopt;
}

QJsonArray FaultInjector::toJson() const {
    QJsonArray array;
    for (const FaultRule &rule : m_rules)
        array.append(rule.toJson());
    return array;
}

} // namespace sandbox
