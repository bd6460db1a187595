#pragma once

#include "accountrotation.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <memory>
#include <optional>

namespace huntaze::store {
class PgConnection;
}
namespace huntaze::x {
class XPacer;
struct PostMetrics;
} // namespace huntaze::x

namespace huntaze::relay {

class DatabasePool;
class OAuthBroker;
class OutboundHttp;

// Keeps the metrics of creators' X posts current (x.md, "Metrics"). Every interval, for
// every active X login, the posts of x_posts that belong to it (newest first, at most
// kMaxPostsPerAccount) are looked up 100 at a time: GET /2/tweets?ids=...&tweet.fields=
// public_metrics, plus non_public_metrics for posts under 30 days old, which X only shows
// the author (posts it refuses the field for are asked again with public_metrics alone).
// x_posts gets the new figures (public_metrics, non_public_metrics, metrics_updated_at:
// when they last changed) and x_post_metrics a history row, both only when something
// changed: a pass over unchanged posts writes nothing. Non-public figures of posts past
// 30 days are kept as last seen, never cleared.
//
// Deleted posts: X leaves them out of `data` and names them in `errors`
// (resource-not-found). Their row stays, with the last figures known, and gets
// deleted_at, so later passes stop asking; other per-post errors (a suspended or
// protected account) leave the row alone and are asked again next pass.
//
// Calls are paced by the x-rate-limit-* headers through an x::XPacer (per endpoint and
// account): a wait longer than kPatienceMs ends the account's pass, which resumes next
// interval. A 401 gets one forced refresh through the OAuthBroker and one retry; the login
// turns needs_reconnect only when the refresh itself is refused (invalid_grant). Runs on a
// database pool thread; relays sharing a database take turns (an advisory lock).
class XMetricsSync : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxPostsPerAccount = 500;
    static constexpr int kBatch = 100; // ids per GET /2/tweets
    static constexpr int kNonPublicDays = 30;
    static constexpr qint64 kPatienceMs = 5000;
    static constexpr int kMaxAccountsPerPass = 200;
    // Read from the database each pass; kMaxAccountsPerPass of them are visited.
    static constexpr int kMaxAccountsConsidered = 10000;

    // apiBase: https://api.x.com (or the sandbox's <base>/x).
    XMetricsSync(OAuthBroker &broker, DatabasePool &pool, OutboundHttp &http, QUrl apiBase,
                 int intervalSeconds, QObject *parent = nullptr);
    ~XMetricsSync() override;
    void start();
    void runOnce();

    enum class Outcome { Complete, RateLimited, NeedsReconnect, Failed };

private:
    struct Account;
    struct Lookup;

    void pass(store::PgConnection &db);
    Outcome syncAccount(store::PgConnection &db, Account &account);
    // One GET /2/tweets for up to 100 ids, paced, with the forced refresh on 401.
    Lookup lookup(store::PgConnection &db, Account &account, const QStringList &ids,
                  bool nonPublic);
    bool record(store::PgConnection &db, const Account &account, const x::PostMetrics &post);

    OAuthBroker &m_broker;
    DatabasePool &m_pool;
    OutboundHttp &m_http;
    QUrl m_apiBase;
    std::unique_ptr<x::XPacer> m_pacer;
    QTimer m_timer;
    bool m_running = false;
    AccountRotation m_rotation;
};

} // namespace huntaze::relay
