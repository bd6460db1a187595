#include "xmetricssync.h"

#include "broker/oauthbroker.h"
#include "broker/outboundhttp.h"
#include "databasepool.h"
#include "exclusivepass.h"
#include "log/logger.h"
#include "log/metricsregistry.h"
#include "oauth/providerclient.h"
#include "platforms/x/xanswers.h"
#include "platforms/x/xpacer.h"
#include "store/pgconnection.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QUrlQuery>

#include <limits>

namespace huntaze::relay {

namespace {

const QString kComponent = QStringLiteral("relay.x_sync");
const QString kLookupEndpoint = QStringLiteral("tweets.lookup"); // X's rate-limit group

QString outcomeName(XMetricsSync::Outcome outcome) {
    switch (outcome) {
    case XMetricsSync::Outcome::Complete:
        return QStringLiteral("complete");
    case XMetricsSync::Outcome::RateLimited:
        return QStringLiteral("rate_limited");
    case XMetricsSync::Outcome::NeedsReconnect:
        return QStringLiteral("needs_reconnect");
    case XMetricsSync::Outcome::Failed:
        break;
    }
    return QStringLiteral("failed");
}

void countAccount(const QString &outcome) {
    log::MetricsRegistry::global()
        .counter(QStringLiteral("huntaze_x_sync_accounts_total"),
                 QStringLiteral("X accounts whose post metrics the relay synced, by how the "
                                "account's pass ended (rate_limited: the pacer asked for a long "
                                "wait)."),
                 {{QStringLiteral("outcome"), outcome}})
        .inc();
}

void countCall(int status) {
    log::MetricsRegistry::global()
        .counter(QStringLiteral("huntaze_x_sync_calls_total"),
                 QStringLiteral("X API calls made by the relay's metrics sync, by endpoint and "
                                "HTTP status (0: no answer)."),
                 {{QStringLiteral("endpoint"), kLookupEndpoint},
                  {QStringLiteral("status"), QString::number(status)}})
        .inc();
}

void countWrites(const QString &table, qint64 rows) {
    if (rows > 0)
        log::MetricsRegistry::global()
            .counter(QStringLiteral("huntaze_x_sync_writes_total"),
                     QStringLiteral("Rows the X metrics sync inserted or changed, by table."),
                     {{QStringLiteral("table"), table}})
            .inc(double(rows));
}

// X's own field names, so the stored JSON reads like the API's.
QString publicJson(const x::PublicMetrics &m) {
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("retweet_count"), m.retweets},
                                  {QStringLiteral("reply_count"), m.replies},
                                  {QStringLiteral("like_count"), m.likes},
                                  {QStringLiteral("quote_count"), m.quotes},
                                  {QStringLiteral("bookmark_count"), m.bookmarks},
                                  {QStringLiteral("impression_count"), m.impressions}})
            .toJson(QJsonDocument::Compact));
}

QString nonPublicJson(const x::NonPublicMetrics &m) {
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("impression_count"), m.impressions},
                                  {QStringLiteral("url_link_clicks"), m.urlLinkClicks},
                                  {QStringLiteral("user_profile_clicks"), m.userProfileClicks}})
            .toJson(QJsonDocument::Compact));
}

bool accountIsDead(store::PgConnection &db, qint64 accountId) {
    auto status =
        db.exec(QStringLiteral("SELECT status FROM oauth_accounts WHERE id = $1"), {accountId});
    return status && status->rows() && status->text(0, 0) == QLatin1String("needs_reconnect");
}

} // namespace

struct XMetricsSync::Account {
    qint64 id = 0;
    qint64 userId = 0;
    QString xUserId; // the pacer's key: X counts per user token and endpoint
    QByteArray token;
    bool refreshed = false; // a 401 already got its one forced refresh this pass
};

struct XMetricsSync::Lookup {
    std::optional<Outcome> stop; // set: the account's pass ends with this outcome
    x::LookupAnswer answer;
};

XMetricsSync::XMetricsSync(OAuthBroker &broker, DatabasePool &pool, OutboundHttp &http,
                           QUrl apiBase, int intervalSeconds, QObject *parent)
    : QObject(parent)
    , m_broker(broker)
    , m_pool(pool)
    , m_http(http)
    , m_apiBase(std::move(apiBase))
    , m_pacer(std::make_unique<x::XPacer>()) {
    m_timer.setInterval(qMax(1, intervalSeconds) * 1000);
    connect(&m_timer, &QTimer::timeout, this, &XMetricsSync::runOnce);
}

XMetricsSync::~XMetricsSync() = default;

void XMetricsSync::start() {
    m_timer.start();
}

void XMetricsSync::runOnce() {
    runExclusivePass(this, m_running, m_pool, QStringLiteral("huntaze.x_metrics_sync"),
                     [this](store::PgConnection &db) { pass(db); });
}

void XMetricsSync::pass(store::PgConnection &db) {
    // Only logins with posts to follow; those this process visited longest ago first
    // (AccountRotation), so a pass cut short reaches the others next time.
    auto rows = db.exec(QStringLiteral("SELECT a.id, a.user_id, a.open_id FROM oauth_accounts a "
                                       "WHERE a.provider = 'x' AND a.status = 'active' AND "
                                       "EXISTS (SELECT 1 FROM x_posts p WHERE p.account_id = a.id "
                                       "AND p.user_id = a.user_id AND p.deleted_at IS NULL) "
                                       "ORDER BY a.id LIMIT %1")
                            .arg(kMaxAccountsConsidered));
    if (!rows) {
        log::warning(kComponent, QStringLiteral("pass.no_database"),
                     {{QStringLiteral("detail"), rows.error().code}});
        return;
    }
    QList<qint64> ids;
    for (int row = 0; row < rows->rows(); ++row)
        ids.append(rows->int64(row, 0));
    for (const qsizetype at : m_rotation.order(ids, kMaxAccountsPerPass)) {
        const int row = int(at);
        m_rotation.visited(ids.at(at), QDateTime::currentMSecsSinceEpoch());
        Account account{rows->int64(row, 0), rows->int64(row, 1), rows->text(row, 2), {}, false};
        Outcome outcome = Outcome::Failed;
        if (auto token = m_broker.refreshIfDue(db, account.id, account.userId, 300)) {
            account.token = token->accessToken;
            outcome = syncAccount(db, account);
        } else if (accountIsDead(db, account.id)) {
            outcome = Outcome::NeedsReconnect;
        }
        countAccount(outcomeName(outcome));
        (outcome == Outcome::Complete ? log::debug : log::info)(
            kComponent, QStringLiteral("account.synced"),
            {{QStringLiteral("account_id"), account.id},
             {QStringLiteral("outcome"), outcomeName(outcome)}});
    }
}

XMetricsSync::Outcome XMetricsSync::syncAccount(store::PgConnection &db, Account &account) {
    auto posts = db.exec(
        QStringLiteral("SELECT tweet_id, coalesce(posted_at, created_at) > now() - interval '%1 "
                       "days' FROM x_posts WHERE account_id = $1 AND user_id = $2 AND deleted_at "
                       "IS NULL ORDER BY coalesce(posted_at, created_at) DESC, id DESC LIMIT %2")
            .arg(kNonPublicDays)
            .arg(kMaxPostsPerAccount),
        {account.id, account.userId});
    if (!posts)
        return Outcome::Failed;
    QStringList recent; // non_public_metrics still available
    QStringList older;
    for (int row = 0; row < posts->rows(); ++row)
        (posts->boolean(row, 1) ? recent : older).append(posts->text(row, 0));

    Outcome outcome = Outcome::Complete;
    QStringList deleted;
    const auto read = [&](const QStringList &ids, bool nonPublic) -> std::optional<Outcome> {
        for (qsizetype from = 0; from < ids.size(); from += kBatch) {
            Lookup found = lookup(db, account, ids.mid(from, kBatch), nonPublic);
            if (found.stop)
                return found.stop;
            for (const x::PostMetrics &post : std::as_const(found.answer.posts))
                if (!record(db, account, post))
                    return Outcome::Failed;
            deleted += found.answer.notFound;
            // X would not show these the non-public figures (too old by its clock, or not
            // the author's): their public ones, and the non-public kept as last seen.
            if (!found.answer.nonPublicRefused.isEmpty()) {
                Lookup publicOnly = lookup(db, account, found.answer.nonPublicRefused, false);
                if (publicOnly.stop)
                    return publicOnly.stop;
                for (const x::PostMetrics &post : std::as_const(publicOnly.answer.posts))
                    if (!record(db, account, post))
                        return Outcome::Failed;
                deleted += publicOnly.answer.notFound;
            }
            if (!found.answer.unavailable.isEmpty())
                log::info(kComponent, QStringLiteral("posts.unavailable"),
                          {{QStringLiteral("account_id"), account.id},
                           {QStringLiteral("count"), int(found.answer.unavailable.size())}});
        }
        return std::nullopt;
    };
    if (auto stop = read(recent, true))
        outcome = *stop;
    else if (auto stopOlder = read(older, false))
        outcome = *stopOlder;

    // Gone from X: keep the row and its last figures, stop asking.
    deleted.removeDuplicates();
    for (const QString &tweetId : std::as_const(deleted)) {
        auto marked = db.exec(QStringLiteral("UPDATE x_posts SET deleted_at = now(), updated_at = "
                                             "now() WHERE tweet_id = $1 AND user_id = $2 AND "
                                             "deleted_at IS NULL"),
                              {tweetId, account.userId});
        if (!marked)
            return Outcome::Failed;
        countWrites(QStringLiteral("x_posts"), marked->affectedRows());
    }
    return outcome;
}

XMetricsSync::Lookup XMetricsSync::lookup(store::PgConnection &db, Account &account,
                                          const QStringList &ids, bool nonPublic) {
    for (;;) {
        // Paced from the headers of earlier answers; a long wait is left for next interval.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const x::XPacer::Hold hold = m_pacer->holdFor(kLookupEndpoint, account.xUserId, now);
        if (hold.untilMs - now > kPatienceMs)
            return Lookup{Outcome::RateLimited, {}};
        if (hold.untilMs > now)
            QThread::msleep(ulong(hold.untilMs - now));
        m_pacer->sent(kLookupEndpoint, account.xUserId, QDateTime::currentMSecsSinceEpoch());

        oauth::OutgoingRequest request;
        request.method = "GET";
        QUrl url = oauth::joinUrl(m_apiBase, QStringLiteral("/2/tweets"));
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("ids"), ids.join(QLatin1Char(',')));
        query.addQueryItem(QStringLiteral("tweet.fields"),
                           nonPublic ? QStringLiteral("public_metrics,non_public_metrics")
                                     : QStringLiteral("public_metrics"));
        url.setQuery(query);
        request.request.setUrl(url);
        request.request.setRawHeader("Authorization", "Bearer " + account.token);
        const OutboundHttp::Answer answer = m_http.sendAndWaitWithHeaders(
            request, {QStringLiteral("x"), QStringLiteral("tweets_lookup"), account.refreshed});
        countCall(answer.status);
        const x::HttpAnswer parsed{answer.status, answer.body, x::parseRateLimits(answer.headers),
                                   QDateTime::currentSecsSinceEpoch()};
        m_pacer->answered(kLookupEndpoint, account.xUserId, parsed.limits);
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
            return Lookup{accountIsDead(db, account.id) ? Outcome::NeedsReconnect : Outcome::Failed,
                          {}};
        }
        if (answer.status == 429) {
            if (!parsed.limits.window.reported()) // no reset named: a minute
                m_pacer->holdUntil(kLookupEndpoint, account.xUserId, parsed.nowEpoch + 60);
            return Lookup{Outcome::RateLimited, {}};
        }
        auto lookedUp = x::XAnswers::parseLookup(parsed);
        if (!lookedUp) {
            log::warning(kComponent, QStringLiteral("lookup.failed"),
                         {{QStringLiteral("account_id"), account.id},
                          {QStringLiteral("status"), answer.status},
                          {QStringLiteral("error_code"), lookedUp.error().code}});
            return Lookup{Outcome::Failed, {}};
        }
        return Lookup{std::nullopt, *lookedUp};
    }
}

bool XMetricsSync::record(store::PgConnection &db, const Account &account,
                          const x::PostMetrics &post) {
    if (!post.publicMetrics)
        return true; // nothing to record
    // One statement: the post's figures when they changed, and a history row with them.
    // Non-public figures not asked (or refused) stay as last seen.
    auto written = db.execPrepared(
        QStringLiteral(
            "WITH up AS (UPDATE x_posts SET public_metrics = $3::jsonb, "
            "non_public_metrics = coalesce($4::jsonb, non_public_metrics), "
            "metrics_updated_at = now(), updated_at = now() "
            "WHERE tweet_id = $1 AND user_id = $2 AND (public_metrics IS DISTINCT FROM $3::jsonb "
            "OR ($4::jsonb IS NOT NULL AND non_public_metrics IS DISTINCT FROM $4::jsonb)) "
            "RETURNING user_id, tweet_id, public_metrics, non_public_metrics), "
            "h AS (INSERT INTO x_post_metrics (user_id, tweet_id, public_metrics, "
            "non_public_metrics) SELECT user_id, tweet_id, public_metrics, non_public_metrics "
            "FROM up RETURNING 1) "
            "SELECT count(*) FROM h"),
        {post.id, account.userId, publicJson(*post.publicMetrics),
         post.nonPublicMetrics ? store::PgParam(nonPublicJson(*post.nonPublicMetrics))
                               : store::PgParam(std::nullopt)});
    if (!written) {
        log::warning(kComponent, QStringLiteral("metrics.not_stored"),
                     {{QStringLiteral("tweet_id"), post.id},
                      {QStringLiteral("detail"), written.error().code}});
        return false;
    }
    countWrites(QStringLiteral("x_posts"), written->int64(0, 0));
    countWrites(QStringLiteral("x_post_metrics"), written->int64(0, 0));
    return true;
}

} // namespace huntaze::relay
