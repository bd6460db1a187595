#include "redditsync.h"

#include "broker/oauthbroker.h"
#include "broker/outboundhttp.h"
#include "databasepool.h"
#include "exclusivepass.h"
#include "log/logger.h"
#include "log/metricsregistry.h"
#include "oauth/providerclient.h"
#include "platforms/reddit/redditlisting.h"
#include "platforms/reddit/redditratelimit.h"
#include "store/pgconnection.h"

#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QThread>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace huntaze::relay {

namespace {

const QString kComponent = QStringLiteral("relay.reddit_sync");
// Reddit counts calls per OAuth client (reddit.md): one pacing window for the relay.
const QString kPacerKey = QStringLiteral("relay");
const QString kWebBase = QStringLiteral("https://www.reddit.com");

QString outcomeName(RedditSync::Outcome outcome) {
    switch (outcome) {
    case RedditSync::Outcome::Complete:
        return QStringLiteral("complete");
    case RedditSync::Outcome::RateLimited:
        return QStringLiteral("rate_limited");
    case RedditSync::Outcome::NeedsReconnect:
        return QStringLiteral("needs_reconnect");
    case RedditSync::Outcome::Failed:
        break;
    }
    return QStringLiteral("failed");
}

void countAccount(const QString &outcome) {
    log::MetricsRegistry::global()
        .counter(QStringLiteral("huntaze_reddit_sync_accounts_total"),
                 QStringLiteral("Reddit accounts synced by the relay, by how the account's pass "
                                "ended (rate_limited: the pacer asked for a long wait)."),
                 {{QStringLiteral("outcome"), outcome}})
        .inc();
}

void countCall(const QString &endpoint, int status) {
    log::MetricsRegistry::global()
        .counter(QStringLiteral("huntaze_reddit_sync_calls_total"),
                 QStringLiteral("Reddit API calls made by the relay's sync, by endpoint and HTTP "
                                "status (0: no answer)."),
                 {{QStringLiteral("endpoint"), endpoint},
                  {QStringLiteral("status"), QString::number(status)}})
        .inc();
}

void countWrites(const QString &table, qint64 rows) {
    if (rows > 0)
        log::MetricsRegistry::global()
            .counter(QStringLiteral("huntaze_reddit_sync_writes_total"),
                     QStringLiteral("Rows the Reddit sync inserted or changed, by table."),
                     {{QStringLiteral("table"), table}})
            .inc(double(rows));
}

bool matches(const char *pattern, const QString &text) {
    return QRegularExpression(QLatin1String(pattern)).match(text).hasMatch();
}

// The kind of a post first seen here (the desktop records the kind it published; the
// sync never changes it): Reddit's own hosts tell media from links, a self post links to
// itself.
QString guessKind(const reddit::PostInfo &post) {
    const QString host = QUrl(post.url).host();
    if (host == QLatin1String("i.redd.it"))
        return QStringLiteral("image");
    if (host == QLatin1String("v.redd.it"))
        return QStringLiteral("video");
    if (post.url.contains(QStringLiteral("/comments/") + post.id))
        return QStringLiteral("self");
    return QStringLiteral("link");
}

QString absolutePermalink(const QString &permalink) {
    return permalink.startsWith(QLatin1Char('/')) ? kWebBase + permalink : permalink;
}

qint64 wholeNumber(const QJsonValue &value) {
    const double number = value.toDouble();
    if (!value.isDouble() || !std::isfinite(number))
        return 0;
    return qint64(std::clamp(number, -1e15, 1e15));
}

} // namespace

struct RedditSync::Account {
    qint64 id = 0;
    qint64 userId = 0;
    QString username;
    QByteArray token;
    bool refreshed = false; // a 401 already got its one forced refresh this pass
};

struct RedditSync::Answer {
    int status = 0;
    QByteArray body;
    std::optional<Outcome> stop; // set: the account's pass ends with this outcome
    bool ok() const { return !stop && status >= 200 && status < 300; }
};

RedditSync::RedditSync(OAuthBroker &broker, DatabasePool &pool, OutboundHttp &http, QUrl apiBase,
                       QByteArray userAgent, int intervalSeconds, QObject *parent)
    : QObject(parent)
    , m_broker(broker)
    , m_pool(pool)
    , m_http(http)
    , m_apiBase(std::move(apiBase))
    , m_userAgent(std::move(userAgent))
    , m_pacer(std::make_unique<reddit::RateLimitPacer>()) {
    m_timer.setInterval(qMax(1, intervalSeconds) * 1000);
    connect(&m_timer, &QTimer::timeout, this, &RedditSync::runOnce);
}

RedditSync::~RedditSync() = default;

void RedditSync::start() {
    m_timer.start();
}

void RedditSync::runOnce() {
    runExclusivePass(this, m_running, m_pool, QStringLiteral("huntaze.reddit_sync"),
                     [this](store::PgConnection &db) { pass(db); });
}

void RedditSync::pass(store::PgConnection &db) {
    // The logins this process visited longest ago first (AccountRotation), so a pass cut
    // short by the rate limit reaches the others next time.
    auto rows = db.exec(QStringLiteral("SELECT id, user_id, coalesce(username, '') FROM "
                                       "oauth_accounts WHERE provider = 'reddit' AND status = "
                                       "'active' ORDER BY id LIMIT %1")
                            .arg(kMaxAccountsConsidered));
    if (!rows) {
        log::warning(kComponent, QStringLiteral("pass.no_database"),
                     {{QStringLiteral("detail"), rows.error().code}});
        return;
    }
    bool stopPass = false;
    QList<qint64> ids;
    for (int row = 0; row < rows->rows(); ++row)
        ids.append(rows->int64(row, 0));
    for (const qsizetype at : m_rotation.order(ids, kMaxAccountsPerPass)) {
        if (stopPass)
            break;
        const int row = int(at);
        m_rotation.visited(ids.at(at), QDateTime::currentMSecsSinceEpoch());
        Account account{rows->int64(row, 0), rows->int64(row, 1), rows->text(row, 2), {}, false};
        Outcome outcome = Outcome::Failed;
        if (!matches("^[A-Za-z0-9_-]{1,32}$", account.username)) {
            outcome = Outcome::Failed; // no name to list submissions under
        } else if (auto token = m_broker.refreshIfDue(db, account.id, account.userId, 300)) {
            account.token = token->accessToken;
            outcome = syncAccount(db, account, &stopPass);
        } else {
            auto status = db.exec(QStringLiteral("SELECT status FROM oauth_accounts WHERE id = $1"),
                                  {account.id});
            outcome =
                status && status->rows() && status->text(0, 0) == QLatin1String("needs_reconnect")
                    ? Outcome::NeedsReconnect
                    : Outcome::Failed;
        }
        countAccount(outcomeName(outcome));
        (outcome == Outcome::Complete ? log::debug : log::info)(
            kComponent, QStringLiteral("account.synced"),
            {{QStringLiteral("account_id"), account.id},
             {QStringLiteral("outcome"), outcomeName(outcome)}});
    }
}

RedditSync::Answer RedditSync::get(store::PgConnection &db, Account &account,
                                   const QString &endpoint, const QString &path,
                                   QList<std::pair<QString, QString>> query) {
    query.append({QStringLiteral("raw_json"), QStringLiteral("1")});
    for (;;) {
        // Paced from the headers of earlier answers; a long wait is left for next interval.
        qint64 waited = 0;
        for (;;) {
            const qint64 wait = m_pacer->acquire(kPacerKey).count();
            if (wait == 0)
                break;
            if (waited + wait > kPatienceMs)
                return Answer{0, {}, Outcome::RateLimited};
            QThread::msleep(ulong(wait));
            waited += wait;
        }
        oauth::OutgoingRequest request;
        request.method = "GET";
        QUrl url = oauth::joinUrl(m_apiBase, path);
        QUrlQuery items;
        for (const auto &[name, value] : std::as_const(query))
            items.addQueryItem(name, value);
        url.setQuery(items);
        request.request.setUrl(url);
        request.request.setRawHeader("Authorization", "bearer " + account.token);
        request.request.setRawHeader("User-Agent", m_userAgent);
        const OutboundHttp::Answer answer = m_http.sendAndWaitWithHeaders(
            request, {QStringLiteral("reddit"), endpoint, account.refreshed});
        m_pacer->record(kPacerKey, answer.status,
                        reddit::parseRateLimitHeaders(answer.header("x-ratelimit-used"),
                                                      answer.header("x-ratelimit-remaining"),
                                                      answer.header("x-ratelimit-reset")));
        countCall(endpoint, answer.status);
        if (answer.status == 401 && !account.refreshed) {
            // The token may have died early: one forced refresh. Only a refused refresh
            // (invalid_grant) is a dead login; the broker marks it so.
            account.refreshed = true;
            auto fresh = m_broker.refreshIfDue(db, account.id, account.userId,
                                               std::numeric_limits<qint64>::max());
            if (fresh) {
                account.token = fresh->accessToken;
                continue;
            }
            auto status = db.exec(QStringLiteral("SELECT status FROM oauth_accounts WHERE id = $1"),
                                  {account.id});
            const bool dead =
                status && status->rows() && status->text(0, 0) == QLatin1String("needs_reconnect");
            return Answer{answer.status, {}, dead ? Outcome::NeedsReconnect : Outcome::Failed};
        }
        if (answer.status == 401)
            return Answer{answer.status, {}, Outcome::Failed}; // a fresh token refused: later
        if (answer.status == 429)
            return Answer{answer.status, {}, Outcome::RateLimited};
        return Answer{answer.status, answer.body, std::nullopt};
    }
}

RedditSync::Outcome RedditSync::syncAccount(store::PgConnection &db, Account &account,
                                            bool *stopPass) {
    auto stopWith = [stopPass](Outcome outcome) {
        // The window is the whole client's: one account's 429 holds every account.
        if (outcome == Outcome::RateLimited)
            *stopPass = true;
        return outcome;
    };
    Outcome outcome = Outcome::Complete;

    // 1. The newest submissions.
    QSet<QString> seen;
    QString after;
    for (int page = 0; page < kMaxSubmissionPages; ++page) {
        QList<std::pair<QString, QString>> query{{QStringLiteral("limit"), QStringLiteral("100")}};
        if (!after.isEmpty())
            query.append({QStringLiteral("after"), after});
        const Answer answer =
            get(db, account, QStringLiteral("listing.submitted"),
                QStringLiteral("/user/%1/submitted").arg(account.username), query);
        if (answer.stop)
            return stopWith(*answer.stop);
        auto listing = reddit::RedditListing::parseListing(answer.status, answer.body);
        if (!listing) {
            log::warning(kComponent, QStringLiteral("submitted.failed"),
                         {{QStringLiteral("account_id"), account.id},
                          {QStringLiteral("status"), answer.status},
                          {QStringLiteral("error_code"), listing.error().code}});
            return Outcome::Failed;
        }
        for (const reddit::PostInfo &post : std::as_const(listing->posts)) {
            if (!upsertPost(db, account, post))
                return Outcome::Failed;
            seen.insert(post.fullname);
        }
        after = listing->after;
        if (after.isEmpty())
            break;
    }

    // 2. The other stored posts of the account: published through Huntaze but not (yet)
    // listed, or older than the pages read.
    auto stored = db.exec(
        QStringLiteral("SELECT fullname FROM reddit_posts WHERE account_id = $1 AND user_id = $2 "
                       "ORDER BY posted_at DESC NULLS FIRST, id DESC LIMIT %1")
            .arg(kMaxInfoPosts + kMaxSubmissionPages * 100),
        {account.id, account.userId});
    if (!stored)
        return Outcome::Failed;
    QStringList others;
    for (int row = 0; row < stored->rows() && others.size() < kMaxInfoPosts; ++row)
        if (const QString fullname = stored->text(row, 0); !seen.contains(fullname))
            others.append(fullname);
    for (qsizetype from = 0; from < others.size(); from += 100) {
        const QStringList batch = others.mid(from, 100);
        const Answer answer =
            get(db, account, QStringLiteral("listing.info"), QStringLiteral("/api/info"),
                {{QStringLiteral("id"), batch.join(QLatin1Char(','))}});
        if (answer.stop)
            return stopWith(*answer.stop);
        auto listing = reddit::RedditListing::parseListing(answer.status, answer.body);
        if (!listing) {
            outcome = Outcome::Failed; // the posts already read still count
            break;
        }
        // A post Reddit no longer knows is absent: its row keeps what was last known.
        for (const reddit::PostInfo &post : std::as_const(listing->posts))
            if (batch.contains(post.fullname) && !upsertPost(db, account, post))
                return Outcome::Failed;
    }

    // 3. Comments, where Reddit counts other than what is stored and the count moved since
    // they were last read here.
    auto due = db.exec(
        QStringLiteral("SELECT p.fullname, p.num_comments FROM reddit_posts p WHERE "
                       "p.account_id = $1 AND p.user_id = $2 AND p.num_comments IS NOT NULL AND "
                       "p.num_comments <> (SELECT count(*) FROM reddit_comments c WHERE "
                       "c.user_id = p.user_id AND c.post_fullname = p.fullname) "
                       "ORDER BY p.posted_at DESC NULLS FIRST, p.id DESC LIMIT 500"),
        {account.id, account.userId});
    if (!due)
        return Outcome::Failed;
    QHash<QString, qint64> &readAt = m_commentsReadAt;
    if (readAt.size() > 100'000)
        readAt.clear(); // long-gone posts: start afresh
    int read = 0;
    for (int row = 0; row < due->rows() && read < kMaxCommentedPosts; ++row) {
        const QString fullname = due->text(row, 0);
        const qint64 counted = due->int64(row, 1);
        if (readAt.value(fullname, -1) == counted)
            continue;
        ++read;
        Outcome commentsOutcome = Outcome::Complete;
        if (!syncComments(db, account, fullname, &commentsOutcome))
            return stopWith(commentsOutcome);
        readAt.insert(fullname, counted);
    }
    return outcome;
}

bool RedditSync::upsertPost(store::PgConnection &db, const Account &account,
                            const reddit::PostInfo &post) {
    // One statement: the post (only what changed; never publication_id nor kind, which
    // the desktop owns), and a stats row when the numbers moved.
    auto written = db.execPrepared(
        QStringLiteral(
            "WITH old AS (SELECT score, num_comments, upvote_ratio FROM reddit_posts "
            "WHERE fullname = $3 AND user_id = $1), "
            "up AS (INSERT INTO reddit_posts AS p (user_id, account_id, fullname, subreddit, "
            "kind, title, url, permalink, score, num_comments, upvote_ratio, "
            "removed_by_category, posted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
            "$11, nullif($12, ''), CASE WHEN $13::bigint > 0 THEN to_timestamp($13::bigint) "
            "END) "
            "ON CONFLICT (fullname) DO UPDATE SET subreddit = EXCLUDED.subreddit, "
            "title = EXCLUDED.title, url = EXCLUDED.url, permalink = EXCLUDED.permalink, "
            "score = EXCLUDED.score, num_comments = EXCLUDED.num_comments, "
            "upvote_ratio = EXCLUDED.upvote_ratio, "
            "removed_by_category = EXCLUDED.removed_by_category, "
            "posted_at = coalesce(p.posted_at, EXCLUDED.posted_at), updated_at = now() "
            "WHERE p.user_id = EXCLUDED.user_id AND (p.subreddit, p.title, p.url, p.permalink, "
            "p.score, p.num_comments, p.upvote_ratio, p.removed_by_category, "
            "p.posted_at IS NULL AND EXCLUDED.posted_at IS NOT NULL) IS DISTINCT FROM "
            "(EXCLUDED.subreddit, EXCLUDED.title, EXCLUDED.url, EXCLUDED.permalink, "
            "EXCLUDED.score, EXCLUDED.num_comments, EXCLUDED.upvote_ratio, "
            "EXCLUDED.removed_by_category, false) "
            "RETURNING p.user_id, p.fullname, p.score, p.num_comments, p.upvote_ratio), "
            "st AS (INSERT INTO reddit_post_stats (user_id, fullname, score, num_comments, "
            "upvote_ratio) SELECT up.user_id, up.fullname, up.score, up.num_comments, "
            "up.upvote_ratio FROM up WHERE NOT EXISTS (SELECT 1 FROM old WHERE (old.score, "
            "old.num_comments, old.upvote_ratio) IS NOT DISTINCT FROM (up.score, "
            "up.num_comments, up.upvote_ratio)) RETURNING 1) "
            "SELECT (SELECT count(*) FROM up), (SELECT count(*) FROM st)"),
        {account.userId, account.id, post.fullname, post.subreddit, guessKind(post),
         post.title.left(300), post.url, absolutePermalink(post.permalink), qint64(post.score),
         qint64(post.numComments), post.upvoteRatio, post.removedByCategory, post.createdUtc});
    if (!written) {
        log::warning(kComponent, QStringLiteral("post.not_stored"),
                     {{QStringLiteral("fullname"), post.fullname},
                      {QStringLiteral("detail"), written.error().code}});
        return false;
    }
    countWrites(QStringLiteral("reddit_posts"), written->int64(0, 0));
    countWrites(QStringLiteral("reddit_post_stats"), written->int64(0, 1));
    return true;
}

bool RedditSync::syncComments(store::PgConnection &db, Account &account, const QString &fullname,
                              Outcome *outcome) {
    const Answer answer = get(db, account, QStringLiteral("listing.comments"),
                              QStringLiteral("/comments/%1").arg(fullname.mid(3)),
                              {{QStringLiteral("limit"), QString::number(kMaxCommentsPerPost)}});
    if (answer.stop) {
        *outcome = *answer.stop;
        return false;
    }
    if (!answer.ok())
        return true; // this post's trouble (removed, private subreddit): the others go on
    const QJsonDocument document = QJsonDocument::fromJson(answer.body);
    for (const Comment &comment : flattenComments(document.array())) {
        auto written = db.execPrepared(
            QStringLiteral(
                "INSERT INTO reddit_comments AS c (user_id, account_id, fullname, post_fullname, "
                "parent_fullname, author, body, score, posted_at) VALUES ($1, $2, $3, $4, $5, "
                "$6, $7, $8, CASE WHEN $9::bigint > 0 THEN to_timestamp($9::bigint) END) "
                "ON CONFLICT (fullname) DO UPDATE SET parent_fullname = EXCLUDED.parent_fullname, "
                "author = EXCLUDED.author, body = EXCLUDED.body, score = EXCLUDED.score, "
                "updated_at = now() WHERE c.user_id = EXCLUDED.user_id AND (c.parent_fullname, "
                "c.author, c.body, c.score) IS DISTINCT FROM (EXCLUDED.parent_fullname, "
                "EXCLUDED.author, EXCLUDED.body, EXCLUDED.score) RETURNING 1"),
            {account.userId, account.id, comment.fullname, fullname, comment.parentFullname,
             comment.author, comment.body, comment.score, comment.createdUtc});
        if (!written) {
            log::warning(kComponent, QStringLiteral("comment.not_stored"),
                         {{QStringLiteral("fullname"), comment.fullname},
                          {QStringLiteral("detail"), written.error().code}});
            *outcome = Outcome::Failed;
            return false;
        }
        countWrites(QStringLiteral("reddit_comments"), written->rows());
    }
    return true;
}

QList<RedditSync::Comment> RedditSync::flattenComments(const QJsonArray &answer) {
    QList<Comment> out;
    const QString postFullname = [&] {
        const QJsonArray posts = answer.at(0)
                                     .toObject()
                                     .value(QLatin1String("data"))
                                     .toObject()
                                     .value(QLatin1String("children"))
                                     .toArray();
        return posts.at(0)
            .toObject()
            .value(QLatin1String("data"))
            .toObject()
            .value(QLatin1String("name"))
            .toString();
    }();
    // Depth first, so replies follow the comment they answer.
    std::function<void(const QJsonValue &, int)> walk = [&](const QJsonValue &listing, int depth) {
        if (depth > kMaxCommentDepth || !listing.isObject())
            return; // "replies": "" when there are none
        const QJsonArray children = listing.toObject()
                                        .value(QLatin1String("data"))
                                        .toObject()
                                        .value(QLatin1String("children"))
                                        .toArray();
        for (const QJsonValue &child : children) {
            if (out.size() >= kMaxCommentsPerPost)
                return;
            const QJsonObject thing = child.toObject();
            if (thing.value(QLatin1String("kind")).toString() != QLatin1String("t1"))
                continue; // "more": the rest of a long thread, not fetched
            const QJsonObject data = thing.value(QLatin1String("data")).toObject();
            Comment comment;
            comment.fullname = data.value(QLatin1String("name")).toString();
            if (!matches("^t1_[a-z0-9]{1,16}$", comment.fullname))
                continue;
            comment.parentFullname = data.value(QLatin1String("parent_id")).toString();
            if (!matches("^t[13]_[a-z0-9]{1,16}$", comment.parentFullname))
                comment.parentFullname = postFullname;
            comment.author = data.value(QLatin1String("author")).toString().left(64);
            comment.body = data.value(QLatin1String("body")).toString().left(40'000);
            comment.score = wholeNumber(data.value(QLatin1String("score")));
            const qint64 created = wholeNumber(data.value(QLatin1String("created_utc")));
            comment.createdUtc = created > 0 && created < 100'000'000'000 ? created : 0;
            out.append(comment);
            walk(data.value(QLatin1String("replies")), depth + 1);
        }
    };
    walk(answer.at(1), 0);
    return out;
}

} // namespace huntaze::relay
