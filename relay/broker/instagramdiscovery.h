#pragma once

#include "platforms/instagram/instagramerrors.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace huntaze::relay {

class GraphApi;

// An Instagram professional account the creator may connect: linked to one of their
// Facebook Pages. The Page token stays inside the relay.
struct InstagramCandidate {
    QString igBusinessId;
    QString pageId;
    QString pageName;
    QString username;
    QString name;
    QString profilePictureUrl;
    QString accessLevel; // "publish", or "read_only" without instagram_content_publish
    QByteArray pageToken;
    QJsonObject toJson() const; // without the Page token
};

// Something the creator must know about, with a stable code and a message that says
// exactly what to do: permission_declined, no_facebook_page, no_instagram_account,
// webhooks_not_subscribed, needs_reconnect, account_taken, instagram_unavailable.
struct InstagramNotice {
    QString code;
    QString message;
    QString permission; // the Facebook permission concerned, when one is
    QJsonObject toJson() const;
};

struct InstagramDiscovery {
    QList<InstagramCandidate> candidates;
    std::optional<InstagramNotice> problem; // nothing to connect, and why
    QList<InstagramNotice> warnings;        // connectable, but not everything works
    bool tokenInvalid = false;              // Meta refused the user token (190)

    // {"candidates": [...], "problem"?: {...}, "warnings": [...]}; "selected" is the
    // caller's to add.
    QJsonObject toJson(const QStringList &selected) const;
};

// Finds the Instagram professional accounts a Facebook user token reaches
// (instagram.md, "Finding the Instagram account"): the Pages with their linked account
// in one paged call, then, per account, whether publishing was granted
// (content_publishing_limit). Blocking; runs on a pool thread.
class InstagramAccountFinder {
public:
    static constexpr int kMaxPages = 50; // me/accounts pages followed at most

    explicit InstagramAccountFinder(GraphApi &graph)
        : m_graph(graph) {}
    InstagramDiscovery discover(const QByteArray &userToken);

    // The user-facing notices, exposed for the select route and tests.
    static InstagramNotice permissionDeclined(const QString &permission);
    static InstagramNotice noFacebookPage();
    static InstagramNotice noInstagramAccount(const QStringList &pageNames);
    static InstagramNotice publishingNotGranted(const QString &username);
    static InstagramNotice webhooksNotSubscribed(const QString &username,
                                                 const QString &permission);
    // The permission a Graph refusal (10, 200-299) is about, as Meta named it, else
    // fallback.
    static QString permissionNamed(const instagram::GraphError &error, const QString &fallback);

private:
    GraphApi &m_graph;
};

} // namespace huntaze::relay
