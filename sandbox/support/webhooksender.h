#pragma once

#include "sandboxclock.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <functional>

namespace sandbox {

// Delivers webhooks the way each platform does: POST to <relay>/<path>, signed by the
// platform's signer at send time, retried on anything but a 2xx following the
// platform's schedule (time-compressed: a nominal minute is compression-times
// shorter), at least once. With duplicates on, every event is delivered twice.
class WebhookSender : public QObject {
    Q_OBJECT
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;
    using Signer = std::function<Headers(const QByteArray &body, qint64 nowSecs)>;
    // Nominal seconds to wait before attempt number `attempt` (2, 3, ...); -1 gives up.
    using Schedule = std::function<qint64(int attempt)>;

    WebhookSender(SandboxClock &clock, QObject *parent = nullptr);

    void registerPlatform(const QString &platform, const QString &path, Signer signer,
                          Schedule schedule);
    void setRelayUrl(const QUrl &url) { m_relayUrl = url; }
    QUrl relayUrl() const { return m_relayUrl; }
    void setDuplicates(bool on) { m_duplicates = on; }
    void setCompression(double factor) { m_compression = factor > 0 ? factor : 1; }

    // Queues an event; returns its delivery id (the first, with duplicates on).
    qint64 enqueue(const QString &platform, const QString &event, const QByteArray &body);

    QJsonObject settingsJson() const;
    QJsonArray deliveriesJson() const;
    QJsonObject save() const;
    void load(const QJsonObject &state);

Q_SIGNALS:
    void changed();

private:
    struct Delivery {
        qint64 id = 0;
        QString platform;
        QString event;
        QByteArray body;
        int attempts = 0;
        qint64 nextAttemptMs = 0; // sandbox clock
        QString lastResult;
        QString state = QStringLiteral("pending"); // pending, sending, delivered, dropped
        bool duplicate = false;
    };
    struct PlatformHooks {
        QString path;
        Signer signer;
        Schedule schedule;
    };
    void pump();
    void send(Delivery &delivery);
    void finished(qint64 id, int status, const QString &result);

    SandboxClock &m_clock;
    QNetworkAccessManager m_network;
    QHash<QString, PlatformHooks> m_platforms;
    QList<Delivery> m_deliveries;
    QUrl m_relayUrl;
    QTimer m_timer;
    qint64 m_nextId = 1;
    bool m_duplicates = false;
    double m_compression = 1000;
};

} // namespace sandbox
