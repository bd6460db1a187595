#pragma once

#include "instagramaccounts.h"
#include "instagramadmin.h"
#include "instagramgraph.h"
#include "instagramoauth.h"
#include "instagrampublishing.h"
#include "instagramreading.h"
#include "instagramstate.h"
#include "instagramwebhooks.h"

namespace sandbox {

// The Instagram side of shared/platforms/instagram.md (Instagram API with Facebook
// Login): every Graph host (www.facebook.com, graph.facebook.com, rupload.facebook.com)
// lives under /instagram/. See README.md in this folder.
class InstagramPlatform : public Platform {
    Q_OBJECT
public:
    explicit InstagramPlatform(SandboxContext &context, QObject *parent = nullptr);
    QString name() const override { return QStringLiteral("instagram"); }
    void registerRoutes(Router &router) override;
    QJsonObject save() const override;
    void load(const QJsonObject &state) override;
    void tick() override;
    QJsonObject endpoints() const override;

private:
    // GET /{id}: user, Page, IG User, container, media or comment.
    void node(GraphCall &call);

    InstagramState m_state;
    InstagramGraph m_graph;
    InstagramWebhooks m_webhooks;
    InstagramOAuth m_oauth;
    InstagramAccounts m_accounts;
    InstagramPublishing m_publishing;
    InstagramReading m_reading;
    InstagramAdmin m_admin;
};

} // namespace sandbox
