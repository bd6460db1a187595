#pragma once

#include "insights/insightsfigures.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace huntaze::ui {

// The Health section's reading of plain rows, kept free of widgets and of the database so
// it can be tested on its own: upload outcomes per platform, the last thing each platform
// reported, quotas and waits, and why an account needs reconnecting.
class HealthFigures {
    Q_DECLARE_TR_FUNCTIONS(HealthFigures)
public:
    static constexpr int kShortDays = 7;
    static constexpr int kLongDays = 30;
    // TikTok keeps at most this many unposted inbox uploads per account over 24 hours.
    static constexpr int kTikTokInboxShares = 5;

    // The platforms in the order every table lists them.
    static QStringList providers();

    struct Uploads {
        QString provider;
        InsightsFigures::Counts lastWeek;  // the last kShortDays days
        InsightsFigures::Counts lastMonth; // the last kLongDays days (the week included)
    };
    // From rows {provider, state, recent ("true" when within kShortDays), n}: one entry per
    // provider in `shown` (in providers() order), zero where nothing happened.
    static QList<Uploads> uploads(const QList<QJsonObject> &rows, const QStringList &shown);
    // "2 of 3 published (66.6 %) · 1 failed · 0 need action", or "No uploads".
    static QString uploadsText(const InsightsFigures::Counts &counts);
    // Whether anything failed or waits for the creator.
    static bool hasProblems(const InsightsFigures::Counts &counts);

    struct Heard {
        QString provider;
        QDateTime at; // invalid: nothing heard yet
        QString source;
    };
    // From rows {provider, source, at (epoch ms)}: the latest per provider in `shown`.
    static QList<Heard> lastHeard(const QList<QJsonObject> &rows, const QStringList &shown);
    // What a source of lastHeard is, in words: "a comment", "a post's status", ...
    static QString sourceText(const QString &source);
    // "just now", "5 minutes ago", "3 hours ago", "2 days ago"; "never" when invalid.
    static QString agoText(const QDateTime &at, const QDateTime &now);

    // Why oauth_accounts.status_reason says the account needs reconnecting, for the creator.
    static QString reconnectReasonText(const QString &provider, const QString &reason);

    struct Quota {
        QString kind; // tiktok_inbox, instagram_posts, wait
        QString provider;
        QString account;
        QString usage;      // what is used, or why a publication waits
        QDateTime resetsAt; // when a place frees up or the wait ends; invalid: nothing to wait
        bool exhausted = false;
    };
    // From rows {kind, provider, account, used, resets_at (epoch ms), code, message}.
    static QList<Quota> quotas(const QList<QJsonObject> &rows);
    // "14:05 (in 3 hours)" or "now" for a moment passed, "—" when invalid.
    static QString resetText(const QDateTime &at, const QDateTime &now);
};

} // namespace huntaze::ui
