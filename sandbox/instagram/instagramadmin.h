#pragma once

#include "instagramgraph.h"

namespace sandbox {

class InstagramReading;
class InstagramWebhooks;

// /_admin/instagram/...: token invalidation, deauthorization, quotas and account
// flags, scripted Graph errors, usage limits, app mode and redirect URIs, media facts,
// comments / mentions / story insights (with their webhooks), the webhook verification,
// and listings of what the platform holds.
class InstagramAdmin {
public:
    InstagramAdmin(InstagramGraph &graph, InstagramReading &reading, InstagramWebhooks &webhooks,
                   std::function<void()> changed);
    void registerRoutes(Router &router);

private:
    using Body = QJsonObject;
    void add(Router &router, const QByteArray &method, const QString &path, const QString &name,
             std::function<void(const ExchangePtr &, const Body &)> handler);
    QJsonObject appJson() const;

    InstagramGraph &m_graph;
    InstagramReading &m_reading;
    InstagramWebhooks &m_webhooks;
    std::function<void()> m_changed;
};

} // namespace sandbox
