#include "tiktokstatuspoller.h"

#include "broker/oauthbroker.h"
#include "broker/outboundhttp.h"
#include "databasepool.h"
#include "log/logger.h"
#include "log/metricsregistry.h"
#include "oauth/providerclient.h"
#include "platforms/tiktok/tiktokclient.h"
#include "platforms/tiktok/tiktokerrors.h"
#include "store/pgconnection.h"

#include <QJsonDocument>

// TikTok allows 30 status calls a minute per token; the desktops and this poller share it.
static_assert(huntaze::relay::TikTokStatusPoller::kCallsPerMinutePerAccount +
                      huntaze::tiktok::TikTokClient::kStatusCallsPerMinute <=
                  30,
              "the desktop's and the relay's status budgets together exceed TikTok's 30 a minute");

namespace huntaze::relay {

namespace {
const QString kComponent = QStringLiteral("relay.tiktok_poller");

log::Counter &polls(const QString &outcome) {
    return log::MetricsRegistry::global().counter(
        QStringLiteral("huntaze_tiktok_status_polls_total"),
        QStringLiteral("TikTok status calls made by the relay's poller, by outcome."),
        {{QStringLiteral("outcome"), outcome}});
}

// Applies one status answer: the post's status (forward only), its publication, NOTIFY.
Result<void> apply(store::PgConnection &db, const QString &publishId,
                   const tiktok::PublishStatus &status) {
    QString publicationState;
    QString code;
    QString message;
    if (status.status == QLatin1String("SEND_TO_USER_INBOX") ||
        status.status == QLatin1String("PUBLISH_COMPLETE")) {
        publicationState = QStringLiteral("published");
    } else if (status.status == QLatin1String("FAILED")) {
        const tiktok::Problem problem = tiktok::problemForFailReason(status.failReason);
        publicationState = QStringLiteral("failed");
        code = problem.code;
        message = problem.message;
    }
    auto updated = db.exec(
        QStringLiteral(
            "WITH t AS (UPDATE tiktok_posts SET status = $2, "
            "fail_reason = coalesce(nullif($3, ''), fail_reason), "
            "post_id = coalesce(nullif($4, ''), post_id), "
            "uploaded_bytes = greatest(uploaded_bytes, $5), updated_at = now() "
            "WHERE publish_id = $1 AND status IN ('PROCESSING_UPLOAD', 'PROCESSING_DOWNLOAD') "
            "RETURNING user_id, publication_id), "
            "p AS (UPDATE publications SET state = $6, last_error_code = nullif($7, ''), "
            "last_error_message = nullif($8, ''), "
            "published_at = CASE WHEN $6 = 'published' THEN coalesce(published_at, now()) END, "
            "updated_at = now() FROM t WHERE publications.id = t.publication_id AND $6 <> '' "
            "AND publications.state IN ('queued', 'uploading', 'processing') RETURNING 1) "
            "SELECT t.user_id, pg_notify('huntaze_changes', json_build_object('table', "
            "'tiktok_posts', 'user_id', t.user_id, 'key', $1::text)::text) FROM t"),
        {publishId, status.status, status.failReason, status.postIds.value(0), status.uploadedBytes,
         publicationState, code, message});
    if (!updated)
        return updated.error();
    return {};
}
} // namespace

TikTokStatusPoller::TikTokStatusPoller(OAuthBroker &broker, DatabasePool &pool, OutboundHttp &http,
                                       QUrl apiBase, int intervalSeconds, QObject *parent)
    : QObject(parent)
    , m_broker(broker)
    , m_pool(pool)
    , m_http(http)
    , m_apiBase(std::move(apiBase))
    , m_limiter(kCallsPerMinutePerAccount, std::chrono::minutes(1)) {
    m_timer.setInterval(qMax(1, intervalSeconds) * 1000);
    connect(&m_timer, &QTimer::timeout, this, &TikTokStatusPoller::runOnce);
}

void TikTokStatusPoller::start() {
    m_timer.start();
}

void TikTokStatusPoller::runOnce() {
    if (m_running)
        return;
    m_running = true;
    m_pool.submit([this](Result<store::PgConnection *> db) {
        // Posts TikTok is still processing that no desktop (nor webhook) touched for a
        // while: the desktop polls its own while it runs, the webhook usually comes first.
        auto due = db ? (*db)->exec(QStringLiteral(
                            "SELECT t.publish_id, t.account_id FROM tiktok_posts t "
                            "JOIN oauth_accounts a ON a.id = t.account_id "
                            "LEFT JOIN publications p ON p.id = t.publication_id "
                            "WHERE t.status IN ('PROCESSING_UPLOAD', 'PROCESSING_DOWNLOAD') "
                            "AND a.status = 'active' AND (p.id IS NULL OR p.state = 'processing') "
                            "AND t.updated_at < now() - interval '20 seconds' "
                            "AND t.created_at > now() - interval '3 days' "
                            "ORDER BY t.updated_at LIMIT 100"))
                      : Result<store::PgResult>(db.error());
        for (int row = 0; due && row < due->rows(); ++row) {
            const QString publishId = due->text(row, 0);
            const qint64 accountId = due->int64(row, 1);
            {
                const std::lock_guard lock(m_limiterMutex);
                const QString key = QString::number(accountId);
                const auto now = jobs::SlidingWindowLimiter::Clock::now();
                if (m_limiter.delayFor(key, now).count() > 0)
                    continue; // this account's share of calls is spent: next round
                m_limiter.record(key, now);
            }
            auto token = m_broker.refreshIfDue(**db, accountId, 0, 300);
            if (!token) {
                polls(QStringLiteral("no_token")).inc();
                continue;
            }
            oauth::OutgoingRequest request;
            request.request.setUrl(
                oauth::joinUrl(m_apiBase, QStringLiteral("/v2/post/publish/status/fetch/")));
            request.request.setRawHeader("Authorization", "Bearer " + token->accessToken);
            request.request.setHeader(QNetworkRequest::ContentTypeHeader,
                                      QByteArrayLiteral("application/json; charset=UTF-8"));
            request.body = QJsonDocument(QJsonObject{{QStringLiteral("publish_id"), publishId}})
                               .toJson(QJsonDocument::Compact);
            const auto [httpStatus, body] = m_http.sendAndWait(
                request, {QStringLiteral("tiktok"), QStringLiteral("status_fetch")});
            auto data = tiktok::parseEnvelope(httpStatus, body);
            if (!data) {
                polls(QStringLiteral("error")).inc();
                log::warning(kComponent, QStringLiteral("status.failed"),
                             {{QStringLiteral("publish_id"), publishId},
                              {QStringLiteral("error_code"), data.error().code}});
                continue;
            }
            const tiktok::PublishStatus status = tiktok::parseStatus(*data);
            if (auto applied = apply(**db, publishId, status); !applied) {
                polls(QStringLiteral("error")).inc();
                continue;
            }
            polls(QStringLiteral("ok")).inc();
            log::info(kComponent, QStringLiteral("status.polled"),
                      {{QStringLiteral("publish_id"), publishId},
                       {QStringLiteral("status"), status.status}});
        }
        QMetaObject::invokeMethod(
            this, [this] { m_running = false; }, Qt::QueuedConnection);
    });
}

} // namespace huntaze::relay
