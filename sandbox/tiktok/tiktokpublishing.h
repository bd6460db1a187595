#pragma once

#include "tiktokcore.h"

namespace sandbox::tiktok {

// Content Posting API: creator_info, the three init calls, status, cancel, and the
// caps (pending inbox shares, daily direct posts). Also moves posts along over time.
class TikTokPublishing {
public:
    explicit TikTokPublishing(TikTokCore &core)
        : m_core(core) {}
    void registerRoutes(Router &router);
    // Moves processing posts to their outcome and sends the webhooks.
    void tick();
    // Ends a post as FAILED with `reason` (admin, cancel, authorization removal).
    void fail(Post &post, const QString &reason);
    QJsonObject statusJson(const Post &post) const;

    struct Error {
        int status;
        QString code;
        QString message;
    };
    // The chunk rules of FILE_UPLOAD (exposed for the README's table and tests).
    static std::optional<Error> checkChunkPlan(qint64 videoSize, qint64 chunkSize,
                                               qint64 totalChunkCount);

private:
    void creatorInfo(const ExchangePtr &e);
    void init(const ExchangePtr &e, const QString &kind);
    void status(const ExchangePtr &e);
    void cancel(const ExchangePtr &e);

    std::optional<Error> videoSource(const QJsonObject &sourceInfo, Post &post) const;
    std::optional<Error> videoPostInfo(const QJsonObject &body, const User &user, Post &post) const;
    std::optional<Error> photoInit(const QJsonObject &body, const User &user, Post &post) const;
    std::optional<Error> privacy(const QJsonValue &value, const User &user, bool required,
                                 Post &post) const;
    bool urlVerified(const QString &url) const;
    int pendingShares(const QString &userId) const;
    int directPosts(const QString &userId) const;
    Post *ownedPost(const ExchangePtr &e, const Token &token);
    void finishProcessing(Post &post);

    TikTokCore &m_core;
};

} // namespace sandbox::tiktok
