#include "webhooksender.h"

#include <QNetworkReply>

namespace sandbox {

namespace {
constexpr int kSendTimeoutMs = 10'000; // platforms give up on a slow answer
constexpr qsizetype kKeepDelivered = 5000;
} // namespace

WebhookSender::WebhookSender(SandboxClock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock) {
    m_timer.setInterval(20);
    connect(&m_timer, &QTimer::timeout, this, &WebhookSender::pump);
    m_timer.start();
}

void WebhookSender::registerPlatform(const QString &platform, const QString &path, Signer signer,
                                     Schedule schedule) {
    m_platforms.insert(platform, {path, std::move(signer), std::move(schedule)});
}

qint64 WebhookSender::enqueue(const QString &platform, const QString &event,
                              const QByteArray &body) {
    const qint64 first = m_nextId;
    for (int copy = 0; copy < (m_duplicates ? 2 : 1); ++copy) {
        Delivery delivery;
        delivery.id = m_nextId++;
        delivery.platform = platform;
        delivery.event = event;
        delivery.body = body;
        delivery.nextAttemptMs = m_clock.nowMs();
        delivery.duplicate = copy > 0;
        m_deliveries.append(delivery);
    }
    Q_EMIT changed();
    return first;
}

void WebhookSender::pump() {
    if (!m_relayUrl.isValid() || m_relayUrl.isEmpty())
        return;
    const qint64 now = m_clock.nowMs();
    for (Delivery &delivery : m_deliveries)
        if (delivery.state == QLatin1String("pending") && delivery.nextAttemptMs <= now)
            send(delivery);
}

void WebhookSender::send(Delivery &delivery) {
    const auto hooks = m_platforms.constFind(delivery.platform);
    if (hooks == m_platforms.cend()) {
        delivery.state = QStringLiteral("dropped");
        delivery.lastResult = QStringLiteral("no such platform");
        return;
    }
    QUrl url = m_relayUrl;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + hooks->path);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("User-Agent", "huntaze-sandbox-webhooks");
    request.setTransferTimeout(kSendTimeoutMs);
    for (const auto &[name, value] : hooks->signer(delivery.body, m_clock.nowSecs()))
        request.setRawHeader(name, value);
    delivery.state = QStringLiteral("sending");
    ++delivery.attempts;
    QNetworkReply *reply = m_network.post(request, delivery.body);
    const qint64 id = delivery.id;
    connect(reply, &QNetworkReply::finished, this, [this, reply, id] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        finished(id, status, status ? QStringLiteral("HTTP %1").arg(status) : reply->errorString());
    });
}

void WebhookSender::finished(qint64 id, int status, const QString &result) {
    for (qsizetype i = 0; i < m_deliveries.size(); ++i) {
        Delivery &delivery = m_deliveries[i];
        if (delivery.id != id)
            continue;
        delivery.lastResult = result;
        if (status >= 200 && status < 300) {
            delivery.state = QStringLiteral("delivered");
        } else {
            const qint64 wait =
                m_platforms.value(delivery.platform).schedule(delivery.attempts + 1);
            if (wait < 0) {
                delivery.state = QStringLiteral("dropped");
            } else {
                delivery.state = QStringLiteral("pending");
                delivery.nextAttemptMs =
                    m_clock.nowMs() + qint64(double(wait) * 1000 / m_compression);
            }
        }
        break;
    }
    // Forget the oldest finished deliveries so the list stays bounded.
    qsizetype finishedCount = 0;
    for (const Delivery &d : m_deliveries)
        finishedCount +=
            d.state == QLatin1String("delivered") || d.state == QLatin1String("dropped");
    for (qsizetype i = 0; i < m_deliveries.size() && finishedCount > kKeepDelivered;) {
        if (m_deliveries[i].state == QLatin1String("delivered") ||
            m_deliveries[i].state == QLatin1String("dropped")) {
            m_deliveries.removeAt(i);
            --finishedCount;
        } else {
            ++i;
        }
    }
    Q_EMIT changed();
}

QJsonObject WebhookSender::settingsJson() const {
    return {{QStringLiteral("relay_url"), m_relayUrl.toString()},
            {QStringLiteral("duplicates"), m_duplicates},
            {QStringLiteral("compression"), m_compression}};
}

QJsonArray WebhookSender::deliveriesJson() const {
    QJsonArray array;
    for (const Delivery &d : m_deliveries)
        array.append(QJsonObject{{QStringLiteral("id"), d.id},
                                 {QStringLiteral("platform"), d.platform},
                                 {QStringLiteral("event"), d.event},
                                 {QStringLiteral("body"), QString::fromUtf8(d.body)},
                                 {QStringLiteral("attempts"), d.attempts},
                                 {QStringLiteral("state"), d.state},
                                 {QStringLiteral("duplicate"), d.duplicate},
                                 {QStringLiteral("last_result"), d.lastResult},
                                 {QStringLiteral("next_attempt_ms"), d.nextAttemptMs}});
    return array;
}

QJsonObject WebhookSender::save() const {
    QJsonObject state = settingsJson();
    state.insert(QStringLiteral("deliveries"), deliveriesJson());
    state.insert(QStringLiteral("next_id"), m_nextId);
    return state;
}

void WebhookSender::load(const QJsonObject &state) {
    m_duplicates = state.value(QStringLiteral("duplicates")).toBool();
    m_compression = state.value(QStringLiteral("compression")).toDouble(1000);
    m_nextId = qint64(state.value(QStringLiteral("next_id")).toDouble(1));
    m_deliveries.clear();
    for (const QJsonValue &value : state.value(QStringLiteral("deliveries")).toArray()) {
        const QJsonObject o = value.toObject();
        Delivery d;
        d.id = qint64(o.value(QStringLiteral("id")).toDouble());
        d.platform = o.value(QStringLiteral("platform")).toString();
        d.event = o.value(QStringLiteral("event")).toString();
        d.body = o.value(QStringLiteral("body")).toString().toUtf8();
        d.attempts = o.value(QStringLiteral("attempts")).toInt();
        d.state = o.value(QStringLiteral("state")).toString();
        // A delivery cut off by a restart was not acknowledged: it goes again.
        if (d.state == QLatin1String("sending"))
            d.state = QStringLiteral("pending");
        d.duplicate = o.value(QStringLiteral("duplicate")).toBool();
        d.lastResult = o.value(QStringLiteral("last_result")).toString();
        d.nextAttemptMs = qint64(o.value(QStringLiteral("next_attempt_ms")).toDouble());
        m_deliveries.append(d);
    }
}

} // namespace sandbox
