#include "healthfigures.h"

#include "activity/activitylistmodel.h"

#include <QHash>
#include <QLocale>

#include <algorithm>

namespace huntaze::ui {

namespace {
QString field(const QJsonObject &row, const char *name) {
    return row.value(QLatin1String(name)).toString();
}

QDateTime fromEpochMs(const QString &text) {
    bool ok = false;
    const qint64 ms = text.toLongLong(&ok);
    return ok ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

int providerRank(const QString &provider) {
    const qsizetype index = HealthFigures::providers().indexOf(provider);
    return index < 0 ? 99 : int(index);
}
} // namespace

QStringList HealthFigures::providers() {
    return {QStringLiteral("tiktok"), QStringLiteral("instagram"), QStringLiteral("reddit"),
            QStringLiteral("x")};
}

QList<HealthFigures::Uploads> HealthFigures::uploads(const QList<QJsonObject> &rows,
                                                     const QStringList &shown) {
    QList<Uploads> result;
    for (const QString &provider : providers())
        if (shown.contains(provider))
            result.append({provider, {}, {}});
    for (const QJsonObject &row : rows) {
        const QString provider = field(row, "provider");
        auto it = std::find_if(result.begin(), result.end(),
                               [&provider](const Uploads &u) { return u.provider == provider; });
        if (it == result.end())
            continue;
        const auto outcome = InsightsFigures::outcomeOf(field(row, "state"));
        const int n = field(row, "n").toInt();
        it->lastMonth.add(outcome, n);
        if (field(row, "recent") == QLatin1String("true"))
            it->lastWeek.add(outcome, n);
    }
    return result;
}

QString HealthFigures::uploadsText(const InsightsFigures::Counts &counts) {
    const int finished = counts.published + counts.failed + counts.needsAction;
    if (finished == 0)
        return counts.inProgress > 0 ? tr("%1 in progress").arg(counts.inProgress)
                                     : tr("No uploads");
    QString text = tr("%1 published · %2 failed · %3 need action")
                       .arg(InsightsFigures::successRateText(counts))
                       .arg(counts.failed)
                       .arg(counts.needsAction);
    if (counts.inProgress > 0)
        text += QStringLiteral(" · ") + tr("%1 in progress").arg(counts.inProgress);
    return text;
}

bool HealthFigures::hasProblems(const InsightsFigures::Counts &counts) {
    return counts.failed > 0 || counts.needsAction > 0;
}

QList<HealthFigures::Heard> HealthFigures::lastHeard(const QList<QJsonObject> &rows,
                                                     const QStringList &shown) {
    QList<Heard> result;
    for (const QString &provider : providers())
        if (shown.contains(provider))
            result.append({provider, {}, {}});
    for (const QJsonObject &row : rows) {
        const QString provider = field(row, "provider");
        auto it = std::find_if(result.begin(), result.end(),
                               [&provider](const Heard &h) { return h.provider == provider; });
        const QDateTime at = fromEpochMs(field(row, "at"));
        if (it == result.end() || !at.isValid())
            continue;
        if (!it->at.isValid() || at > it->at) {
            it->at = at;
            it->source = field(row, "source");
        }
    }
    return result;
}

QString HealthFigures::sourceText(const QString &source) {
    if (source == QLatin1String("post_status"))
        return tr("a post's status (webhook or status check)");
    if (source == QLatin1String("comment"))
        return tr("a comment");
    if (source == QLatin1String("insights"))
        return tr("a post's insights");
    if (source == QLatin1String("sync"))
        return tr("the relay's regular sync");
    if (source == QLatin1String("stats"))
        return tr("a post's score (Reddit sends no webhooks: the relay checks)");
    if (source == QLatin1String("post"))
        return tr("a post (webhook)");
    if (source == QLatin1String("metrics"))
        return tr("a post's metrics");
    if (source == QLatin1String("account_event"))
        return tr("an account event (webhook)");
    return source;
}

QString HealthFigures::agoText(const QDateTime &at, const QDateTime &now) {
    if (!at.isValid())
        return tr("nothing yet");
    const qint64 seconds = std::max<qint64>(0, at.secsTo(now));
    if (seconds < 60)
        return tr("just now");
    if (seconds < 120)
        return tr("a minute ago");
    if (seconds < 3600)
        return tr("%1 minutes ago").arg(seconds / 60);
    if (seconds < 7200)
        return tr("an hour ago");
    if (seconds < 86400)
        return tr("%1 hours ago").arg(seconds / 3600);
    if (seconds < 2 * 86400)
        return tr("a day ago");
    return tr("%1 days ago").arg(seconds / 86400);
}

QString HealthFigures::reconnectReasonText(const QString &provider, const QString &reason) {
    const QString platform = ActivityListModel::platformName(provider);
    if (reason.startsWith(QLatin1String("authorization.removed")) ||
        reason.contains(QLatin1String("revoke")))
        return tr("%1 says Huntaze's access was removed (in the app's settings, or by %1). "
                  "Reconnect the account to publish to it again.")
            .arg(platform);
    if (reason.startsWith(QLatin1String("refresh:")))
        return tr("%1 refused to renew the sign-in (%2). Reconnect the account to publish to "
                  "it again.")
            .arg(platform, reason.mid(int(qstrlen("refresh:"))));
    if (reason.isEmpty())
        return tr("%1 no longer accepts the sign-in. Reconnect the account to publish to it "
                  "again.")
            .arg(platform);
    return tr("%1 no longer accepts the sign-in (%2). Reconnect the account to publish to it "
              "again.")
        .arg(platform, reason);
}

QList<HealthFigures::Quota> HealthFigures::quotas(const QList<QJsonObject> &rows) {
    QList<Quota> result;
    for (const QJsonObject &row : rows) {
        Quota quota;
        quota.kind = field(row, "kind");
        quota.provider = field(row, "provider");
        quota.account = field(row, "account");
        const int used = field(row, "used").toInt();
        if (quota.kind == QLatin1String("tiktok_inbox")) {
            quota.usage = tr("%1 of %2 inbox uploads waiting in TikTok (24-hour limit)")
                              .arg(used)
                              .arg(kTikTokInboxShares);
            quota.exhausted = used >= kTikTokInboxShares;
        } else if (quota.kind == QLatin1String("instagram_posts")) {
            quota.usage = tr("%1 published through Huntaze in the last 24 hours (Instagram's "
                             "own limit is checked before each post)")
                              .arg(used);
        } else {
            const QString code = field(row, "code");
            const QString message = field(row, "message");
            quota.usage = message.isEmpty() ? tr("Waiting to retry (%1)").arg(code)
                                            : tr("Waiting (%1): %2").arg(code, message);
            quota.exhausted = true;
        }
        // A place frees up only once something is used; a wait always ends.
        if (used > 0 || quota.kind == QLatin1String("wait"))
            quota.resetsAt = fromEpochMs(field(row, "resets_at"));
        result.append(quota);
    }
    std::stable_sort(result.begin(), result.end(), [](const Quota &a, const Quota &b) {
        return providerRank(a.provider) < providerRank(b.provider);
    });
    return result;
}

QString HealthFigures::resetText(const QDateTime &at, const QDateTime &now) {
    if (!at.isValid())
        return QStringLiteral("\u2014");
    const qint64 seconds = now.secsTo(at);
    if (seconds <= 0)
        return tr("now");
    // The time alone today, with the day otherwise.
    const QLocale locale;
    const QDateTime local = at.toLocalTime();
    QString clock = locale.toString(local.time(), QLocale::ShortFormat);
    if (local.date() != now.toLocalTime().date())
        clock = locale.toString(local.date(), tr("d MMM", "day before a reset time")) +
                QLatin1Char(' ') + clock;
    if (seconds < 3600)
        return tr("%1 (in %2 min)").arg(clock).arg((seconds + 59) / 60);
    if (seconds < 86400)
        return tr("%1 (in %2 h)").arg(clock).arg(seconds / 3600);
    return tr("%1 (in %2 days)").arg(clock).arg(seconds / 86400);
}

} // namespace huntaze::ui
