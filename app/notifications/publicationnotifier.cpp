#include "publicationnotifier.h"

namespace huntaze::app {

namespace {
QString text(const QJsonObject &row, const char *column) {
    return row.value(QLatin1String(column)).toString();
}

QString platformName(const QString &provider) {
    if (provider == QLatin1String("tiktok"))
        return QStringLiteral("TikTok");
    if (provider == QLatin1String("instagram"))
        return QStringLiteral("Instagram");
    if (provider == QLatin1String("reddit"))
        return QStringLiteral("Reddit");
    if (provider == QLatin1String("x"))
        return QStringLiteral("X");
    return provider;
}
} // namespace

std::optional<Notification> PublicationNotifier::forPublication(const QJsonObject &before,
                                                                const QJsonObject &after) {
    const QString state = text(after, "state");
    if (state.isEmpty() || state == text(before, "state"))
        return std::nullopt;
    const QString provider = text(after, "provider");
    const QString platform = platformName(provider);
    const QString account = text(after, "account");
    const QString where = account.isEmpty() ? platform : tr("%1 (%2)").arg(platform, account);
    QString caption = text(after, "caption").simplified();
    if (caption.size() > 60)
        caption = caption.left(59) + QChar(0x2026);
    caption = caption.isEmpty() ? tr("Your post") : tr("\u201c%1\u201d").arg(caption);
    const QString problem = text(after, "last_error_message");

    if (state == QLatin1String("published")) {
        const bool inbox = provider == QLatin1String("tiktok") &&
                           (text(after, "tiktok_status") == QLatin1String("SEND_TO_USER_INBOX") ||
                            text(after, "post_mode") == QLatin1String("inbox"));
        if (inbox)
            return Notification{
                tr("In your TikTok inbox"),
                tr("%1 reached the TikTok inbox of %2: open TikTok to edit and "
                   "post it.")
                    .arg(caption, account.isEmpty() ? tr("your account") : account)};
        const QString link = text(after, "permalink");
        return Notification{tr("Published on %1").arg(platform),
                            link.isEmpty() ? tr("%1 is live on %2.").arg(caption, where)
                                           : tr("%1 is live on %2: %3").arg(caption, where, link)};
    }
    if (state == QLatin1String("failed"))
        return Notification{tr("Publishing to %1 failed").arg(platform),
                            problem.isEmpty()
                                ? tr("%1 could not be published on %2.").arg(caption, where)
                                : tr("%1 on %2: %3").arg(caption, where, problem)};
    if (state == QLatin1String("needs_action"))
        return Notification{
            tr("Publishing needs your attention"),
            problem.isEmpty() ? tr("%1 on %2 is waiting for you in the Queue.").arg(caption, where)
                              : tr("%1 on %2: %3").arg(caption, where, problem)};
    return std::nullopt; // queued, uploading, processing, paused, cancelled: nothing to say
}

std::optional<Notification> PublicationNotifier::forAccount(const QJsonObject &before,
                                                            const QJsonObject &after) {
    const QString status = text(after, "status");
    if (status != QLatin1String("needs_reconnect") || status == text(before, "status"))
        return std::nullopt;
    const QString platform = platformName(text(after, "provider"));
    const QString name = text(after, "display_name");
    return Notification{
        tr("Reconnect %1").arg(platform),
        name.isEmpty()
            ? tr("Your %1 account was disconnected. Open Accounts and click Connect %1 to "
                 "reconnect it.")
                  .arg(platform)
            : tr("%1 on %2 was disconnected. Open Accounts and click Connect %2 to reconnect it.")
                  .arg(name, platform)};
}

std::optional<Notification>
PublicationNotifier::remember(Seen &seen, const QJsonObject &row, const QString &state,
                              std::optional<Notification> notification) {
    seen.row = row;
    if (!notification) {
        if (state != seen.notified)
            seen.notified.clear(); // it moved on: the next time it gets there is news again
        return std::nullopt;
    }
    if (state == seen.notified)
        return std::nullopt;
    seen.notified = state;
    return notification;
}

std::optional<Notification> PublicationNotifier::publicationChanged(const QJsonObject &row) {
    Seen &seen = m_publications[text(row, "id")];
    return remember(seen, row, text(row, "state"), forPublication(seen.row, row));
}

std::optional<Notification> PublicationNotifier::accountChanged(const QJsonObject &row) {
    Seen &seen = m_accounts[text(row, "id")];
    return remember(seen, row, text(row, "status"), forAccount(seen.row, row));
}

} // namespace huntaze::app
