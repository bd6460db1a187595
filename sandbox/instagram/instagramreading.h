#pragma once

#include "instagramgraph.h"

namespace sandbox {

class InstagramWebhooks;

// Reading what was published: the account's media, comments (reply, hide) and
// insights. Over time comments arrive on published media and metrics grow.
class InstagramReading {
public:
    InstagramReading(InstagramGraph &graph, InstagramWebhooks &webhooks,
                     std::function<void()> changed);
    void registerRoutes(Router &router);
    void mediaNode(GraphCall &call, const IgMedia &media);
    void commentNode(GraphCall &call, const IgComment &comment);
    // New comments over time; true when something changed.
    bool tick();
    // A comment from someone (admin or tick); sends the comments webhook.
    QString addComment(const QString &mediaId, const QString &username, const QString &text,
                       const QString &parentId, qint64 atMs);
    // Metric values of a media now (lifetime totals).
    QJsonObject metrics(const IgMedia &media) const;

private:
    void list(GraphCall &call);
    void comments(GraphCall &call);
    void reply(GraphCall &call);
    void hide(GraphCall &call);
    void insights(GraphCall &call);
    std::optional<QJsonObject> mediaFields(GraphCall &call, const IgMedia &media,
                                           const QString &fields, std::optional<GraphError> *error);
    QJsonObject commentFields(const IgComment &comment, const QString &fields,
                              std::optional<GraphError> *error) const;

    InstagramGraph &m_graph;
    InstagramWebhooks &m_webhooks;
    std::function<void()> m_changed;
};

} // namespace sandbox
