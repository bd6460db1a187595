#pragma once

#include "instagramgraph.h"

namespace sandbox {

// Content publishing: containers (image, reel, story, carousel item, carousel), the
// resumable upload target (rupload), container status over time, media_publish and
// content_publishing_limit, with the documented limits and media checks.
class InstagramPublishing {
public:
    InstagramPublishing(InstagramGraph &graph, std::function<void()> changed);
    void registerRoutes(Router &router);
    void containerNode(GraphCall &call, const IgContainer &container);
    // Processing and expiry; true when something changed.
    bool tick();

private:
    struct MediaFacts {
        QString format; // jpeg, png, mp4, mov, ...
        qint64 bytes = 0;
        int width = 0;
        int height = 0;
        double duration = 10;
        QString codec = QStringLiteral("h264");
        double fps = 30;
        QString audio = QStringLiteral("aac");
    };
    MediaFacts factsFor(const QString &url) const;
    std::optional<GraphError> accountGate(GraphCall &call, const QString &igUserId);
    std::optional<GraphError> checkCaption(const QString &caption) const;
    std::optional<GraphError> checkImage(const QString &url, bool feed) const;
    // Problems a video shows while processing (ERROR status), or nullopt.
    std::optional<GraphError> checkVideo(const QString &url, const QString &mediaType) const;
    void create(GraphCall &call);
    void publish(GraphCall &call);
    void publishingLimit(GraphCall &call);
    void upload(const ExchangePtr &e);
    int publishedInWindow(const IgAccount &account) const;

    InstagramGraph &m_graph;
    std::function<void()> m_changed;
};

} // namespace sandbox
