#include "instagramsync.h"

#include "broker/graphapi.h"
#include "broker/instagramaccountstore.h"
#include "broker/oauthbroker.h"
#include "databasepool.h"
#include "exclusivepass.h"
#include "instagraminsights.h"
#include "instagrammediastore.h"
#include "log/logger.h"
#include "log/metricsregistry.h"
#include "store/pgconnection.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace huntaze::relay {

namespace {

const QString kComponent = QStringLiteral("relay.instagram_sync");
const QString kMediaFields =
    QStringLiteral("id,caption,media_type,media_product_type,permalink,timestamp,like_count,"
                   "comments_count,thumbnail_url,media_url");
const QString kCommentFields = QStringLiteral(
    "id,text,username,timestamp,like_count,replies{id,text,username,timestamp,like_count}");

QString outcomeName(InstagramSync::Outcome outcome) {
    switch (outcome) {
    case InstagramSync::Outcome::Complete:
        return QStringLiteral("complete");
    case InstagramSync::Outcome::Deferred:
        return QStringLiteral("deferred");
    case InstagramSync::Outcome::RateLimited:
        return QStringLiteral("rate_limited");
    case InstagramSync::Outcome::NeedsReconnect:
        return QStringLiteral("needs_reconnect");
    case InstagramSync::Outcome::Failed:
        break;
    }
    return QStringLiteral("failed");
}

void countAccount(const QString &outcome) {
    log::MetricsRegistry::global()
        .counter(QStringLiteral("huntaze_instagram_sync_accounts_total"),
                 QStringLiteral("Instagram accounts synced by the relay, by how the account's "
                                "pass ended (deferred: the usage governor asked to wait)."),
                 {{QStringLiteral("outcome"), outcome}})
        .inc();
}

void countWrite(const QString &table) {
    log::MetricsRegistry::global()
        .counter(QStringLiteral("huntaze_instagram_sync_writes_total"),
                 QStringLiteral("Rows the Instagram sync inserted or changed, by table."),
                 {{QStringLiteral("table"), table}})
        .inc();
}

QString idText(const QJsonValue &value) {
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

bool isRateLimit(int code) {
    return code == 4 || code == 17 || code == 32 || code == 613 || code == 80002;
}

} // namespace

InstagramSync::InstagramSync(OAuthBroker &broker, DatabasePool &pool, GraphApi &graph,
                             int intervalSeconds, QObject *parent)
    : QObject(parent)
    , m_broker(broker)
    , m_pool(pool)
    , m_graph(graph) {
    m_timer.setInterval(qMax(1, intervalSeconds) * 1000);
    connect(&m_timer, &QTimer::timeout, this, &InstagramSync::runOnce);
}

void InstagramSync::start() {
    m_timer.start();
}

void InstagramSync::runOnce() {
    runExclusivePass(this, m_running, m_pool, QStringLiteral("huntaze.instagram_sync"),
                     [this](store::PgConnection &db) { pass(db); });
}

void InstagramSync::pass(store::PgConnection &db) {
    // The least recently synced first, so a pass cut short moves on to others next time.
    auto rows = db.exec(
        QStringLiteral("SELECT i.ig_business_id, i.user_id, i.account_id FROM instagram_accounts "
                       "i JOIN oauth_accounts a ON a.id = i.account_id AND a.user_id = i.user_id "
                       "WHERE a.status = 'active' AND a.provider = 'instagram' "
                       "ORDER BY i.synced_at NULLS FIRST, i.id LIMIT %1")
            .arg(kMaxAccountsPerPass));
    if (!rows) {
        log::warning(kComponent, QStringLiteral("pass.no_database"),
                     {{QStringLiteral("detail"), rows.error().code}});
        return;
    }
    bool stopPass = false;
    for (int row = 0; row < rows->rows() && !stopPass; ++row) {
        Account account{rows->text(row, 0), rows->int64(row, 1), rows->int64(row, 2), {}};
        auto token = m_broker.refreshIfDue(db, account.accountId, 0, 300);
        if (!token) {
            countAccount(QStringLiteral("no_token"));
            continue;
        }
        account.token = token->accessToken;
        const Outcome outcome = syncAccount(db, account, &stopPass);
        countAccount(outcomeName(outcome));
        // A complete pass is the normal case: only the others are worth a line at info.
        (outcome == Outcome::Complete ? log::debug : log::info)(
            kComponent, QStringLiteral("account.synced"),
            {{QStringLiteral("ig_business_id"), account.igBusinessId},
             {QStringLiteral("outcome"), outcomeName(outcome)}});
    }
}

InstagramSync::Next InstagramSync::handle(store::PgConnection &db, const Account &account,
                                          const GraphAnswer &answer, Outcome *outcome) {
    if (answer.deferredMs > 0) {
        // The governor wants a long wait: stop here, the next interval resumes.
        *outcome = Outcome::Deferred;
        return Next::StopAccount;
    }
    const instagram::GraphError &error = *answer.error;
    if (error.code == 190 || error.code == 102) {
        (void)InstagramAccountStore::markNeedsReconnect(
            db, account.accountId,
            QStringLiteral("graph:190") +
                (error.subcode ? QLatin1Char('/') + QString::number(error.subcode) : QString()));
        *outcome = Outcome::NeedsReconnect;
        return Next::StopAccount;
    }
    if (isRateLimit(error.code)) {
        *outcome = Outcome::RateLimited;
        return error.code == 4 ? Next::StopPass : Next::StopAccount; // 4: the whole app
    }
    if (error.code == 10 || (error.code >= 200 && error.code <= 299))
        return Next::SkipKind; // this permission was not granted: the rest still works
    return Next::SkipItem;     // this media's trouble, or Meta's for a moment
}

InstagramSync::Outcome InstagramSync::syncAccount(store::PgConnection &db, const Account &account,
                                                  bool *stopPass) {
    Outcome outcome = Outcome::Complete;
    QList<QJsonObject> newest; // newest first, as Meta lists them
    if (!syncMediaList(db, account, &newest, &outcome, stopPass))
        return outcome;
    syncNewest(db, account, newest, &outcome, stopPass);
    // Pulled (as far as the governor allowed): the window shows when.
    (void)InstagramMediaStore::markSynced(db, account.igBusinessId);
    return outcome;
}

bool InstagramSync::syncMediaList(store::PgConnection &db, const Account &account,
                                  QList<QJsonObject> *newest, Outcome *outcome, bool *stopPass) {
    const InstagramMediaStore::Scope scope{account.userId, account.igBusinessId};
    GraphApi::Call list;
    list.path = account.igBusinessId + QStringLiteral("/media");
    list.query = {{QStringLiteral("fields"), kMediaFields},
                  {QStringLiteral("limit"), QStringLiteral("50")}};
    list.token = account.token;
    list.usageKey = account.igBusinessId;
    list.patienceMs = kPatienceMs;
    list.component = QStringLiteral("sync");
    QUrl next;
    for (int round = 0; round < kMaxMediaPages; ++round) {
        const GraphAnswer page = round == 0 ? m_graph.call(list) : m_graph.next(next, list);
        if (!page.ok()) {
            const Next what = handle(db, account, page, outcome);
            if (what == Next::StopPass)
                *stopPass = true;
            if (round == 0 || what == Next::StopPass || what == Next::StopAccount) {
                if (*outcome == Outcome::Complete)
                    *outcome = Outcome::Failed;
                return false;
            }
            return true; // keep the pages that came
        }
        for (const QJsonValue &value : page.body.value(QStringLiteral("data")).toArray()) {
            const QJsonObject media = value.toObject();
            auto written = InstagramMediaStore::upsertMedia(db, scope, media);
            if (!written) {
                log::warning(kComponent, QStringLiteral("media.not_stored"),
                             {{QStringLiteral("ig_business_id"), account.igBusinessId},
                              {QStringLiteral("detail"), written.error().code}});
                *outcome = Outcome::Failed;
                return false;
            }
            if (*written)
                countWrite(QStringLiteral("ig_media"));
            if (newest->size() < kNewestMedia)
                newest->append(media);
        }
        next = GraphApi::nextLink(page.body);
        if (next.isEmpty())
            break;
    }
    return true;
}

void InstagramSync::syncNewest(store::PgConnection &db, const Account &account,
                               const QList<QJsonObject> &newest, Outcome *outcome, bool *stopPass) {
    const InstagramMediaStore::Scope scope{account.userId, account.igBusinessId};
    // Comments: only where Meta counts other than what is stored (comments_count includes
    // replies, as ig_comments does).
    for (const QJsonObject &media : newest) {
        const QJsonValue counted = media.value(QStringLiteral("comments_count"));
        if (!counted.isDouble())
            continue;
        const QString mediaId = idText(media.value(QStringLiteral("id")));
        auto stored = InstagramMediaStore::storedComments(db, scope, mediaId);
        if (!stored) {
            *outcome = Outcome::Failed;
            return;
        }
        if (*stored == qint64(counted.toDouble()))
            continue;
        bool skipKind = false;
        if (!syncComments(db, account, mediaId, outcome, &skipKind, stopPass))
            return;
        if (skipKind)
            break;
    }

    // Insights: the newest media and the stories still alive, least recently asked first.
    struct Due {
        QString id;
        QString mediaType;
        QString productType;
    };
    QList<Due> due;
    for (const QJsonObject &media : newest)
        due.append({idText(media.value(QStringLiteral("id"))),
                    media.value(QStringLiteral("media_type")).toString(),
                    media.value(QStringLiteral("media_product_type")).toString()});
    if (auto stories = InstagramMediaStore::liveStories(db, scope))
        for (const InstagramMediaStore::Story &story : std::as_const(*stories))
            due.append({story.igId, story.mediaType, QStringLiteral("STORY")});
    std::stable_sort(due.begin(), due.end(), [this](const Due &a, const Due &b) {
        return m_insightsAskedAt.value(a.id) < m_insightsAskedAt.value(b.id);
    });
    for (const Due &media : std::as_const(due)) {
        bool skipKind = false;
        if (!syncInsights(db, account, media.id, media.mediaType, media.productType, outcome,
                          &skipKind, stopPass))
            return;
        if (skipKind)
            break;
    }
}

bool InstagramSync::syncComments(store::PgConnection &db, const Account &account,
                                 const QString &mediaId, Outcome *outcome, bool *skipKind,
                                 bool *stopPass) {
    const InstagramMediaStore::Scope scope{account.userId, account.igBusinessId};
    GraphApi::Call call;
    call.path = mediaId + QStringLiteral("/comments");
    call.query = {{QStringLiteral("fields"), kCommentFields},
                  {QStringLiteral("limit"), QStringLiteral("50")}};
    call.token = account.token;
    call.usageKey = account.igBusinessId;
    call.patienceMs = kPatienceMs;
    call.component = QStringLiteral("sync");
    QUrl next;
    for (int round = 0; round < kMaxCommentPages; ++round) {
        const GraphAnswer page = round == 0 ? m_graph.call(call) : m_graph.next(next, call);
        if (!page.ok()) {
            switch (handle(db, account, page, outcome)) {
            case Next::SkipItem:
                return true;
            case Next::SkipKind:
                *skipKind = true;
                return true;
            case Next::StopPass:
                *stopPass = true;
                return false;
            case Next::StopAccount:
                return false;
            }
        }
        for (const QJsonValue &value : page.body.value(QStringLiteral("data")).toArray()) {
            const QJsonObject comment = value.toObject();
            const QString commentId = idText(comment.value(QStringLiteral("id")));
            QList<std::pair<QString, QJsonObject>> rows{{QString(), comment}};
            for (const QJsonValue &reply : comment.value(QStringLiteral("replies"))
                                               .toObject()
                                               .value(QStringLiteral("data"))
                                               .toArray())
                rows.append({commentId, reply.toObject()});
            for (const auto &[parentId, row] : rows) {
                auto written =
                    InstagramMediaStore::upsertComment(db, scope, mediaId, parentId, row);
                if (!written) {
                    *outcome = Outcome::Failed;
                    return false;
                }
                if (*written)
                    countWrite(QStringLiteral("ig_comments"));
            }
        }
        next = GraphApi::nextLink(page.body);
        if (next.isEmpty())
            break;
    }
    return true;
}

bool InstagramSync::syncInsights(store::PgConnection &db, const Account &account,
                                 const QString &mediaId, const QString &mediaType,
                                 const QString &productType, Outcome *outcome, bool *skipKind,
                                 bool *stopPass) {
    const QString kind = productType + QLatin1Char('/') + mediaType;
    QStringList metrics = instagraminsights::metricsFor(mediaType, productType);
    for (const QString &refused : m_refusedMetrics.value(kind))
        metrics.removeAll(refused);
    // A metric this kind of media refuses is left out (and remembered), not the media.
    for (int attempt = 0; attempt < 4 && !metrics.isEmpty(); ++attempt) {
        GraphApi::Call call;
        call.path = mediaId + QStringLiteral("/insights");
        call.query = {{QStringLiteral("metric"), metrics.join(QLatin1Char(','))}};
        call.token = account.token;
        call.usageKey = account.igBusinessId;
        call.patienceMs = kPatienceMs;
        call.component = QStringLiteral("sync");
        const GraphAnswer answer = m_graph.call(call);
        if (answer.deferredMs == 0) {
            if (m_insightsAskedAt.size() > 100'000)
                m_insightsAskedAt.clear(); // media long gone from the newest: start afresh
            m_insightsAskedAt.insert(mediaId, QDateTime::currentMSecsSinceEpoch());
        }
        if (answer.ok()) {
            auto written =
                InstagramMediaStore::recordInsights(db, {account.userId, account.igBusinessId},
                                                    mediaId, instagraminsights::parse(answer.body));
            if (!written) {
                *outcome = Outcome::Failed;
                return false;
            }
            if (*written)
                countWrite(QStringLiteral("ig_media_insights"));
            return true;
        }
        if (answer.error && answer.error->code == 100) {
            const QString refused =
                instagraminsights::refusedMetric(answer.error->message, metrics);
            if (!refused.isEmpty()) {
                m_refusedMetrics[kind].append(refused);
                metrics.removeAll(refused);
                continue;
            }
        }
        switch (handle(db, account, answer, outcome)) {
        case Next::SkipItem: // a carousel child, an expired story, Meta's trouble
            return true;
        case Next::SkipKind:
            *skipKind = true;
            return true;
        case Next::StopPass:
            *stopPass = true;
            return false;
        case Next::StopAccount:
            return false;
        }
    }
    return true;
}

} // namespace huntaze::relay
