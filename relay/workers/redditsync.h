#pragma once

#include "accountrotation.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace huntaze::store {
class PgConnection;
}
namespace huntaze::reddit {
class RateLimitPacer;
struct PostInfo;
} // namespace huntaze::reddit

namespace huntaze::relay {

class DatabasePool;
class OAuthBroker;
class OutboundHttp;

// Reddit has no webhooks (reddit.md): what happens to a creator's posts after publishing
// is learned by polling. Every interval, for every active Reddit login:
//   1. the user's submissions (GET /user/<name>/submitted, newest first, a few pages)
//      upserted into reddit_posts on the fullname, with score, comment count, upvote ratio
//      and removed_by_category;
//   2. the other stored posts of the account (published through Huntaze, or older than
//      the pages read) refreshed through GET /api/info, 100 fullnames a call;
//   3. the comments (GET /comments/<id>, the tree flattened, "more" stubs ignored) of the
//      newest posts whose comment count differs from the comments stored, upserted into
//      reddit_comments on the fullname.
// A reddit_post_stats row is added only when score, comments or ratio changed, and every
// write is guarded by IS DISTINCT FROM: a pass over unchanged posts writes nothing (and so
// NOTIFYs nothing). publication_id and kind, which the desktop sets, are never touched.
//
// Every call carries the descriptive User-Agent and is paced by the X-Ratelimit-* headers
// of earlier answers (reddit::RateLimitPacer): a wait longer than kPatienceMs ends the
// pass, which resumes next interval, so the relay never meets a 429 in normal use. A 401
// gets one forced refresh through the OAuthBroker and one retry; the login turns
// needs_reconnect only when the refresh itself is refused (invalid_grant), as everywhere
// in the relay. Runs on a database pool thread; relays sharing a database take turns (an
// advisory lock), one pass at a time.
class RedditSync : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxSubmissionPages = 3; // of 100: the 300 newest posts
    static constexpr int kMaxInfoPosts = 300;     // other stored posts refreshed per pass
    static constexpr int kMaxCommentedPosts = 25; // posts whose comments are read per pass
    static constexpr int kMaxCommentsPerPost = 500;
    static constexpr int kMaxCommentDepth = 12;
    static constexpr qint64 kPatienceMs = 5000; // longest pacer wait inside a pass
    static constexpr int kMaxAccountsPerPass = 200;
    // Read from the database each pass; kMaxAccountsPerPass of them are visited.
    static constexpr int kMaxAccountsConsidered = 10000;

    // apiBase: https://oauth.reddit.com (or the sandbox's). userAgent: descriptive, as
    // RedditUserAgent::make builds it.
    RedditSync(OAuthBroker &broker, DatabasePool &pool, OutboundHttp &http, QUrl apiBase,
               QByteArray userAgent, int intervalSeconds, QObject *parent = nullptr);
    ~RedditSync() override;
    void start();
    void runOnce();

    // Why one account's pass ended.
    enum class Outcome { Complete, RateLimited, NeedsReconnect, Failed };

    // One comment of a /comments/<id> answer, the tree flattened.
    struct Comment {
        QString fullname;       // t1_...
        QString parentFullname; // t3_ (top level) or t1_
        QString author;
        QString body;
        qint64 score = 0;
        qint64 createdUtc = 0;
    };
    // The comments of a /comments/<id> answer (its second element), depth first, "more"
    // stubs and malformed entries skipped; bounded by kMaxCommentsPerPost and
    // kMaxCommentDepth.
    static QList<Comment> flattenComments(const QJsonArray &answer);

private:
    struct Account;
    struct Answer;

    void pass(store::PgConnection &db);
    Outcome syncAccount(store::PgConnection &db, Account &account, bool *stopPass);
    // One GET, paced, with the forced refresh on 401. status 0 with outcome set: stop.
    Answer get(store::PgConnection &db, Account &account, const QString &endpoint,
               const QString &path, QList<std::pair<QString, QString>> query);
    bool upsertPost(store::PgConnection &db, const Account &account, const reddit::PostInfo &post);
    bool syncComments(store::PgConnection &db, Account &account, const QString &fullname,
                      Outcome *outcome);

    OAuthBroker &m_broker;
    DatabasePool &m_pool;
    OutboundHttp &m_http;
    QUrl m_apiBase;
    QByteArray m_userAgent;
    std::unique_ptr<reddit::RateLimitPacer> m_pacer;
    QTimer m_timer;
    bool m_running = false;
    AccountRotation m_rotation;
    // Reddit's comment count when each post's comments were last read (this process), so
    // a post whose count never matches the rows stored (deleted comments, "more" stubs)
    // is read again only when the count moves. Only touched by the one pass at a time.
    QHash<QString, qint64> m_commentsReadAt;
};

} // namespace huntaze::relay
