#pragma once

#include "base/result.h"
#include "redditlisting.h"
#include "redditmedialease.h"
#include "redditmediawatch.h"
#include "redditsubmission.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace huntaze::reddit {

class RateLimitPacer;

// The Reddit API calls the desktop makes to publish and follow posts (reddit.md):
// submit, the native media lease and upload, flairs, reading submissions. Every API call
// carries the descriptive User-Agent and `raw_json=1`, waits for the rate-limit pacer
// first (per account: `limitKey`) and records the X-Ratelimit-* headers of its answer, so
// normal use slows down before Reddit refuses. Failures come back as Errors made from
// redditerrors.h's Problems (domain "reddit"). The submit is sent once (net::sendOnce): Qt
// never resends it, and a lost answer (or a 5xx, after which Reddit is known to have
// posted anyway) fails with code "outcome_unknown" - look on the profile, never resubmit.
class RedditClient : public QObject {
    Q_OBJECT
public:
    template <typename T> using Done = std::function<void(Result<T>)>;

    // apiBase: https://oauth.reddit.com (or the sandbox's <base>/reddit). userAgent:
    // RedditUserAgent::make(...). pacer: shared by every client of the process; may be
    // null (no pacing, for tests of the client alone).
    RedditClient(QUrl apiBase, QByteArray userAgent, QNetworkAccessManager *network,
                 RateLimitPacer *pacer, QObject *parent = nullptr);

    QByteArray userAgent() const { return m_userAgent; }
    void setUserAgent(const QByteArray &userAgent) { m_userAgent = userAgent; }
    QUrl apiBase() const { return m_apiBase; }

    // POST /api/submit. Checked first (RedditSubmission::check): a post Reddit would
    // refuse is refused without sending. Self/link answers carry the post's fullname;
    // image/video answers awaitingMedia(): follow them with watchMediaPost().
    void submit(const QString &limitKey, const QByteArray &token, const Submission &submission,
                Done<SubmitAnswer> done);

    // POST /api/media/asset.json for a local file (its name and type, never its path).
    void leaseMedia(const QString &limitKey, const QByteArray &token, const QString &filePath,
                    Done<MediaLease> done);
    // The multipart POST of the file to the lease's bucket, streamed from disk. Not a
    // Reddit API call: no token, no pacing. The returned reply can be aborted; done then
    // gets "aborted". An upload that sends nothing for two minutes fails "upload_stalled".
    QPointer<QNetworkReply> uploadMedia(const MediaLease &lease, const QString &filePath,
                                        std::function<void(UploadProgress)> progress,
                                        Done<UploadedMedia> done);
    // Lease, then upload: the file ready to be named by a submit (UploadedMedia::url).
    void uploadFile(const QString &limitKey, const QByteArray &token, const QString &filePath,
                    std::function<void(UploadProgress)> progress, Done<UploadedMedia> done);

    // After an image/video submit: the post, from the answer's websocket, or by polling
    // the user's submissions when the websocket fails or stays silent. The watch ends
    // itself (and deletes itself) after calling done once.
    void watchMediaPost(const QString &limitKey, const QByteArray &token,
                        const SubmitAnswer &answer, const MediaPostMatch &match,
                        Done<MediaPost> done, MediaWatchTimings timings = {});

    // GET /r/<subreddit>/api/link_flair_v2 (scope flair): the link flairs offered there.
    void flairs(const QString &limitKey, const QByteArray &token, const QString &subreddit,
                Done<QList<Flair>> done);
    // GET /api/info?id=t3_a,t3_b (scope read, 1 to 100 fullnames). Posts Reddit does not
    // know are simply absent.
    void info(const QString &limitKey, const QByteArray &token, const QStringList &fullnames,
              Done<QList<PostInfo>> done);
    // One submission by fullname; "not_found" when Reddit does not know it.
    void submission(const QString &limitKey, const QByteArray &token, const QString &fullname,
                    Done<PostInfo> done);
    // GET /user/<name>/submitted?limit=&after= (scope history), newest first.
    void submitted(const QString &limitKey, const QByteArray &token, const QString &username,
                   int limit, const QString &after, Done<Listing> done);

private:
    using Fields = QList<std::pair<QString, QString>>;
    using Answer = std::function<void(Result<QByteArray>)>;
    enum class Kind { Read, Create, Submit };
    struct Call {
        QString limitKey;
        QByteArray token;
        QByteArray method; // GET or POST
        QString path;
        Fields query;
        Fields form;
        Kind kind = Kind::Read;
        QString subreddit; // named in messages about this call's failures
    };
    void whenAllowed(const QString &limitKey, std::function<void()> send);
    void send(Call call, Answer answer);
    void finished(QNetworkReply *reply, const Call &call, const Answer &answer);
    QUrl apiUrl(const QString &path, const Fields &query) const;
    QUrl m_apiBase;
    QByteArray m_userAgent;
    QNetworkAccessManager *m_network;
    RateLimitPacer *m_pacer;
};

} // namespace huntaze::reddit
