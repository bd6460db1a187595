#pragma once

#include "instagramgraph.h"

namespace sandbox {

// Finding the Instagram account: /me, /me/accounts (Pages with Page tokens), a Page's
// instagram_business_account and the IG User node.
class InstagramAccounts {
public:
    InstagramAccounts(InstagramGraph &graph, std::function<void()> changed);
    void registerRoutes(Router &router);
    // GET /{id} for a Facebook user, a Page or an IG User (after authentication).
    void userNode(GraphCall &call, const IgFacebookUser &user);
    void pageNode(GraphCall &call, const IgPage &page);
    void accountNode(GraphCall &call, const IgAccount &account);
    QJsonObject accountFields(const IgAccount &account, const QString &fields) const;

private:
    void me(GraphCall &call);
    void accounts(GraphCall &call);
    QJsonObject pageFields(GraphCall &call, const IgPage &page, const QString &fields,
                           std::optional<GraphError> *error);
    QString pageToken(const IgToken &userToken, const QString &pageId);

    InstagramGraph &m_graph;
    std::function<void()> m_changed;
};

} // namespace sandbox
