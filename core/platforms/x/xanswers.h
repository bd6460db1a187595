#pragma once

#include "base/result.h"
#include "xratelimits.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace huntaze::x {

// One answer as it came off the wire, with the local clock when it arrived.
struct HttpAnswer {
    int status = 0; // 0: no HTTP answer at all
    QByteArray body;
    RateLimits limits;
    qint64 nowEpoch = 0; // epoch seconds
};

// POST /2/tweets: 201 {"data": {"id", "text"}}.
struct PostAnswer {
    QString id;
    QString text;
    RateLimits limits; // what is left of the 15-minute window and the 24-hour caps
};

// POST /2/media/upload/initialize: {"data": {"id", "media_key", "expires_after_secs"}}.
struct UploadSession {
    QString mediaId;
    QString mediaKey;
    qint64 expiresAfterSecs = 0;
};

// processing_info: {"state", "check_after_secs", "progress_percent", "error"?}.
struct Processing {
    // A state X does not document reads as InProgress: keep waiting (within the
    // uploader's deadline) rather than fail a post that may yet succeed.
    enum class State { Pending, InProgress, Succeeded, Failed };
    State state = State::Pending;
    int checkAfterSecs = 0;   // 0: X did not say
    int progressPercent = -1; // -1: X did not say
    QString errorName;        // Failed: processing_info.error.name, when given
    QString errorMessage;     // Failed: processing_info.error.message, when given
};

// POST /2/media/upload/{id}/finalize: {"data": {"id", "media_key", "size",
// "expires_after_secs", "processing_info"?}}. No processing_info: ready to post.
struct FinalizeAnswer {
    QString mediaId;
    QString mediaKey;
    qint64 size = 0;
    qint64 expiresAfterSecs = 0;
    std::optional<Processing> processing;
};

// GET /2/media/upload?command=STATUS: {"data": {"id", "media_key", "processing_info"}}.
struct StatusAnswer {
    QString mediaId;
    std::optional<Processing> processing;
};

// public_metrics (x.md, "Metrics").
struct PublicMetrics {
    qint64 retweets = 0;
    qint64 replies = 0;
    qint64 likes = 0;
    qint64 quotes = 0;
    qint64 bookmarks = 0;
    qint64 impressions = 0;
};

// non_public_metrics: the author's own token, posts under 30 days old.
struct NonPublicMetrics {
    qint64 impressions = 0;
    qint64 urlLinkClicks = 0;
    qint64 userProfileClicks = 0;
};

struct PostMetrics {
    QString id;
    QString text;
    std::optional<PublicMetrics> publicMetrics;
    std::optional<NonPublicMetrics> nonPublicMetrics;
};

// GET /2/tweets?ids=...: the posts X returned, and why the others were left out.
struct LookupAnswer {
    QList<PostMetrics> posts;
    QStringList notFound;         // deleted or never existed
    QStringList nonPublicRefused; // not-authorized-for-field: not the author's, or too old
    QStringList unavailable;      // any other per-post error (protected, suspended, ...)
};

// Pure parsers for every X answer the client reads. A non-2xx answer becomes the Error
// xerrors.h makes of it. A 2xx answer that cannot be used is "invalid_answer"
// (retryable), except for a post: X said it was created, so it is "outcome_unknown"
// (never retried blindly).
class XAnswers {
public:
    static Result<PostAnswer> parsePost(const HttpAnswer &answer);
    static Result<UploadSession> parseInitialize(const HttpAnswer &answer);
    // The segment's expires_at (epoch seconds; 0 when X did not say).
    static Result<qint64> parseAppend(const HttpAnswer &answer);
    static Result<FinalizeAnswer> parseFinalize(const HttpAnswer &answer);
    static Result<StatusAnswer> parseStatus(const HttpAnswer &answer);
    static Result<LookupAnswer> parseLookup(const HttpAnswer &answer);
    // nullopt when the value is not a processing_info object with a state.
    static std::optional<Processing> parseProcessing(const QJsonValue &value);
};

} // namespace huntaze::x
