#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace sandbox {

// Scripted failures, set through POST /_admin/faults:
//   {"platform": "tiktok", "endpoint": "video.init", "kind": "status", "status": 503,
//    "body": "...", "retry_after": 30, "times": 2}
// kinds: status (answer status/body instead), malformed (200 with a broken body),
// hang (never answer), drop (close the connection before handling), drop_after
// (handle the request, then close instead of answering: the outcome is unknown to the
// client). "endpoint": "*" matches every endpoint of the platform; times -1 is forever.
struct FaultRule {
    int id = 0;
    QString platform;
    QString endpoint;
    QString kind;
    int status = 500;
    QByteArray body;
    QByteArray contentType = "application/json";
    int retryAfter = -1;
    int remaining = 1;

    static std::optional<FaultRule> fromJson(const QJsonObject &object, QString *error);
    QJsonObject toJson() const;
};

class FaultInjector {
public:
    int add(FaultRule rule);
    void clear() { m_rules.clear(); }
    // The first rule for this endpoint, consuming one of its uses.
    std::optional<FaultRule> take(const QString &platform, const QString &endpoint);
    QJsonArray toJson() const;

private:
    QList<FaultRule> m_rules;
    int m_nextId = 1;
};

} // namespace sandbox
