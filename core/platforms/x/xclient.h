#pragma once

#include "base/result.h"
#include "xanswers.h"
#include "xmediarules.h"
#include "xpostrequest.h"

#include <QNetworkRequest>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace huntaze::x {

class XPacer;

// One APPEND: the bytes [offset, offset + length) of the file, as segment `index`.
struct Segment {
    QString mediaId;
    QString filePath;
    int index = 0;
    qint64 offset = 0;
    qint64 length = 0;
};

// X's API v2 for the desktop (shared/platforms/x.md): create a post, the four calls of
// the chunked media upload, and post lookups for metrics. Every call first waits for the
// pacer (x-rate-limit-* and the 24-hour caps from earlier answers, per endpoint and
// account), so normal use never meets a 429; a wait longer than longestWait() is not
// waited but fails at once with the limit's Problem (code "rate_limited" or
// "daily_post_cap_*", detail "not sent"), for the queue to schedule. Errors come back
// as xerrors.h makes them (domain "x"). Creating a post and initializing an upload go
// through net::sendOnce: Qt never resends them on its own. A post whose answer was lost
// fails with "outcome_unknown": the caller must not assume it was not created.
// `account` names the X account the token belongs to (pacing survives a token refresh).
class XClient : public QObject {
    Q_OBJECT
public:
    template <typename T> using Done = std::function<void(Result<T>)>;
    // Bytes of one segment's request sent so far; return false to stop it (code "aborted").
    using SegmentProgress = std::function<bool(qint64 sent, qint64 total)>;

    // Endpoint names, for pacing (and X's rate-limit groups).
    static inline const QString kCreatePost = QStringLiteral("tweets.create");
    static inline const QString kLookup = QStringLiteral("tweets.lookup");
    static inline const QString kInitialize = QStringLiteral("media.initialize");
    static inline const QString kAppend = QStringLiteral("media.append");
    static inline const QString kFinalize = QStringLiteral("media.finalize");
    static inline const QString kStatus = QStringLiteral("media.status");
    static constexpr int kMaxLookupIds = 100;

    // apiBase: https://api.x.com, or the sandbox's <base>/x. The pacer is shared by every
    // client in the process; null means no pacing.
    XClient(QUrl apiBase, QNetworkAccessManager *network, XPacer *pacer, QObject *parent = nullptr);

    std::chrono::milliseconds longestWait() const { return m_longestWait; }
    void setLongestWait(std::chrono::milliseconds wait) { m_longestWait = wait; }

    void createPost(const QString &account, const QByteArray &token, const PostRequest &post,
                    Done<PostAnswer> done);
    void initializeUpload(const QString &account, const QByteArray &token, const MediaFile &file,
                          Done<UploadSession> done);
    // Multipart `media` (streamed from the file) and `segment_index`; done gets expires_at.
    void appendSegment(const QString &account, const QByteArray &token, const Segment &segment,
                       SegmentProgress progress, Done<qint64> done);
    void finalizeUpload(const QString &account, const QByteArray &token, const QString &mediaId,
                        Done<FinalizeAnswer> done);
    void uploadStatus(const QString &account, const QByteArray &token, const QString &mediaId,
                      Done<StatusAnswer> done);
    // One GET /2/tweets for up to 100 ids: public_metrics, and non_public_metrics too
    // when asked (then posts X refuses the field for come back in nonPublicRefused).
    void lookupPosts(const QString &account, const QByteArray &token, const QStringList &ids,
                     bool nonPublic, Done<LookupAnswer> done);
    // Metrics for any number of ids, 100 per call. With nonPublic, posts X refuses
    // non_public_metrics for (another author's, or 30 days old or more) are read again with
    // public_metrics alone, so every post that exists comes back with its public figures.
    void readMetrics(const QString &account, const QByteArray &token, const QStringList &ids,
                     bool nonPublic, Done<LookupAnswer> done);

private:
    struct Call {
        QString endpoint;
        QString account;
        bool lostIsUnknown = false; // a lost answer leaves the outcome unknown
    };
    using Issue = std::function<QNetworkReply *()>;
    using Answered = std::function<void(Result<HttpAnswer>)>;

    void call(const Call &call, Issue issue, Answered answered);
    // Runs `go` when the pacer lets the call leave, or hands it the limit's Error when the
    // wait would be longer than longestWait().
    void whenAllowed(const Call &call, std::function<void(const Error *refused)> go);
    void whenFinished(QNetworkReply *reply, const Call &call, Answered answered);
    void holdAfter429(const Call &call, const HttpAnswer &answer);
    QNetworkRequest jsonRequest(const QString &path, const QByteArray &token) const;
    void readBatches(const QString &account, const QByteArray &token, QStringList ids,
                     bool nonPublic, LookupAnswer gathered, Done<LookupAnswer> done);

    QUrl m_apiBase;
    QNetworkAccessManager *m_network;
    XPacer *m_pacer;
    std::chrono::milliseconds m_longestWait{std::chrono::seconds(90)};
};

} // namespace huntaze::x
