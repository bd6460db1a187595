#pragma once

#include "instagramgraph.h"

#include <QNetworkAccessManager>

namespace sandbox {

// Meta webhooks for the sandbox app: Page subscriptions (subscribed_apps), the
// hub.challenge verification of the callback, and signed event batches
// (X-Hub-Signature-256) through the WebhookSender; the deauthorize callback
// (signed_request) when a user removes the app.
class InstagramWebhooks {
public:
    InstagramWebhooks(InstagramGraph &graph, std::function<void()> changed);
    void registerRoutes(Router &router);
    static const QStringList &knownFields();

    // Queues a change for the account's next batch when its Page subscribed to `field`.
    void queueChange(const QString &igUserId, const QString &field, const QJsonObject &value);
    // Sends one batch per account for everything queued.
    void flush();
    // GET <relay>/webhooks/instagram?hub.mode=subscribe&hub.verify_token&hub.challenge;
    // `done` gets the recorded outcome.
    void verify(std::function<void(const QJsonObject &)> done);
    void verifyCallback(QUrl url, const QString &verifyToken,
                        std::function<void(const QJsonObject &)> done);
    void sendDeauthorize(const QString &userId);

private:
    void subscribe(GraphCall &call);
    void listSubscriptions(GraphCall &call);
    std::optional<GraphError> appGate(GraphCall &call) const;
    void subscribeApp(GraphCall &call);
    void listAppSubscriptions(GraphCall &call);
    static qint64 retryDelay(int attempt);

    InstagramGraph &m_graph;
    std::function<void()> m_changed;
    QNetworkAccessManager m_network;
    QMap<QString, QJsonArray> m_pending; // account id -> changes
};

} // namespace sandbox
