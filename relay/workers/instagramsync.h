#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace huntaze::store {
class PgConnection;
}

namespace huntaze::relay {

class DatabasePool;
class GraphApi;
class OAuthBroker;
struct GraphAnswer;

// Pulls what Instagram holds for every connected professional account into the CRM,
// every interval: the media list (upserted into ig_media), the comments and replies of
// the newest media whose comment count differs from what is stored (webhooks bring most
// of them at once; this catches what they missed), and insights of the newest media and
// live stories (ig_media.insights, plus an ig_media_insights row when they changed).
// Unchanged data writes nothing. Calls are paced by Meta's usage headers through the
// relay's one UsageGovernor: when it asks for a long wait the account's pass stops and
// resumes next interval, so Meta never has to refuse. A dead token (190) turns the
// login needs_reconnect. Runs on a database pool thread; relays sharing a database take
// turns (an advisory lock), one pass at a time.
class InstagramSync : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxMediaPages = 4;    // of 50: the 200 newest media per pass
    static constexpr int kNewestMedia = 50;     // whose comments and insights are read
    static constexpr int kMaxCommentPages = 10; // of 50 top-level comments per media
    static constexpr qint64 kPatienceMs = 2000; // longest governor wait inside a pass
    static constexpr int kMaxAccountsPerPass = 200;

    InstagramSync(OAuthBroker &broker, DatabasePool &pool, GraphApi &graph, int intervalSeconds,
                  QObject *parent = nullptr);
    void start();
    void runOnce();

    // Why one account's pass ended.
    enum class Outcome { Complete, Deferred, RateLimited, NeedsReconnect, Failed };

private:
    struct Account {
        QString igBusinessId;
        qint64 userId = 0;
        qint64 accountId = 0;
        QByteArray token;
    };
    // What to do after a failed call.
    enum class Next { SkipItem, SkipKind, StopAccount, StopPass };

    void pass(store::PgConnection &db);
    Outcome syncAccount(store::PgConnection &db, const Account &account, bool *stopPass);
    // The media list into ig_media; the newest kNewestMedia items for what follows.
    bool syncMediaList(store::PgConnection &db, const Account &account, QList<QJsonObject> *newest,
                       Outcome *outcome, bool *stopPass);
    // Comments where counts differ, then insights.
    void syncNewest(store::PgConnection &db, const Account &account,
                    const QList<QJsonObject> &newest, Outcome *outcome, bool *stopPass);
    Next handle(store::PgConnection &db, const Account &account, const GraphAnswer &answer,
                Outcome *outcome);
    // Each returns false when the account's pass must stop (outcome set).
    bool syncComments(store::PgConnection &db, const Account &account, const QString &mediaId,
                      Outcome *outcome, bool *skipKind, bool *stopPass);
    bool syncInsights(store::PgConnection &db, const Account &account, const QString &mediaId,
                      const QString &mediaType, const QString &productType, Outcome *outcome,
                      bool *skipKind, bool *stopPass);

    OAuthBroker &m_broker;
    DatabasePool &m_pool;
    GraphApi &m_graph;
    QTimer m_timer;
    bool m_running = false;
    // When each media's insights were last asked (this process): the least recently
    // asked go first, so a pass stopped by the governor does not starve older media.
    // Only touched by the one pass running at a time.
    QHash<QString, qint64> m_insightsAskedAt;
    // Metrics refused per kind of media ("REELS/VIDEO"): asked no more.
    QHash<QString, QStringList> m_refusedMetrics;
};

} // namespace huntaze::relay
