#include "activitylistmodel.h"

#include "publish/publicationlistmodel.h"
#include "shell/isoneof.h"
#include "shell/problemcolor.h"

#include <QBrush>
#include <QFileInfo>
#include <QFontDatabase>

namespace huntaze::ui {

namespace {
bool succeeded(const QString &outcome) {
    return outcome.isEmpty() || outcome == QLatin1String("ok");
}
} // namespace

// Without a key column: every change resets, and ActivityPage selects the row again by key.
ActivityListModel::ActivityListModel(QObject *parent)
    : QueryRowsModel(ColumnCount, QString(), parent) {}

QString ActivityListModel::correlationId(int row) const {
    return row >= 0 && row < rowCount() ? text(row, "correlation_id") : QString();
}

QString ActivityListModel::key(int row) const {
    if (row < 0 || row >= rowCount())
        return {};
    return text(row, "kind") + QLatin1Char(':') + text(row, "id");
}

int ActivityListModel::rowOfKey(const QString &rowKey) const {
    for (int row = 0; row < rowCount(); ++row)
        if (key(row) == rowKey)
            return row;
    return -1;
}

QString ActivityListModel::eventText(const QString &event, const QString &outcome) {
    const bool ok = succeeded(outcome);
    if (isOneOf(event, {"oauth.connected", "oauth.exchange"}))
        return ok ? tr("Signed in and connected the account")
                  : tr("Signing in to connect the account failed");
    if (isOneOf(event, {"oauth.revoke", "oauth.disconnected", "account.disconnected"}))
        return ok ? tr("Disconnected the account") : tr("Disconnecting the account failed");
    if (isOneOf(event, {"token.refresh", "token.refreshed"})) {
        if (ok)
            return tr("Renewed the account's access");
        if (outcome == QLatin1String("needs_reconnect"))
            return tr("The platform refused to renew the account's access: reconnect it");
        return tr("Renewing the account's access failed");
    }
    if (event == QLatin1String("oauth.token_issued"))
        return ok ? tr("Gave this desktop a fresh access token for the account")
                  : tr("Could not give this desktop an access token for the account");
    if (isOneOf(event, {"device.pair", "device.paired"}))
        return ok ? tr("Paired a desktop with your Huntaze account")
                  : tr("Refused an attempt to pair a desktop");
    if (event == QLatin1String("device.pairing_issued"))
        return tr("Created a pairing code for a new desktop");
    if (event == QLatin1String("device.revoked"))
        return tr("Unpaired a desktop: it can no longer reach your data");
    if (event == QLatin1String("account.needs_reconnect"))
        return tr("The account needs to be reconnected");
    if (event == QLatin1String("authorization.removed"))
        return tr("Access to the account was withdrawn on the platform: reconnect it");
    if (event == QLatin1String("user.added"))
        return tr("Created your Huntaze account");
    return event;
}

QString ActivityListModel::outcomeText(const QString &outcome) {
    if (outcome == QLatin1String("ok"))
        return tr("Succeeded");
    if (outcome == QLatin1String("failed"))
        return tr("Failed");
    if (outcome == QLatin1String("rejected"))
        return tr("Refused");
    if (outcome == QLatin1String("needs_reconnect"))
        return tr("Needs reconnecting");
    return outcome;
}

QString ActivityListModel::kindText(const QString &kind, const QString &event) {
    if (kind == QLatin1String("publication"))
        return tr("Publication");
    if (event.startsWith(QLatin1String("device.")))
        return tr("Device");
    if (event.startsWith(QLatin1String("token.")) || event == QLatin1String("oauth.token_issued"))
        return tr("Access");
    if (event.startsWith(QLatin1String("oauth.")) || event.startsWith(QLatin1String("account.")) ||
        event.startsWith(QLatin1String("authorization.")) ||
        event.startsWith(QLatin1String("user.")))
        return tr("Account");
    return tr("Security");
}

QString ActivityListModel::publicationText(const QString &state, const QString &provider,
                                           const QString &tiktokStatus, const QString &source,
                                           const QString &message) {
    QString what = source;
    if (what.isEmpty())
        what = tr("a post");
    else if (!what.contains(QLatin1String("://")))
        what = QFileInfo(what).fileName();
    QString sentence;
    if (state == QLatin1String("queued"))
        sentence = tr("%1 is waiting to be published").arg(what);
    else if (state == QLatin1String("uploading"))
        sentence = tr("Uploading %1").arg(what);
    else if (state == QLatin1String("processing"))
        sentence = tr("%1 is processing %2").arg(platformName(provider), what);
    else if (state == QLatin1String("published"))
        sentence = provider == QLatin1String("tiktok") &&
                           tiktokStatus == QLatin1String("SEND_TO_USER_INBOX")
                       ? tr("Sent %1 to the TikTok inbox").arg(what)
                       : tr("Published %1").arg(what);
    else if (state == QLatin1String("failed"))
        sentence = tr("Publishing %1 failed").arg(what);
    else if (state == QLatin1String("needs_action"))
        sentence = tr("Publishing %1 needs your action").arg(what);
    else if (state == QLatin1String("paused"))
        sentence = tr("Paused publishing %1").arg(what);
    else if (state == QLatin1String("cancelled"))
        sentence = tr("Cancelled publishing %1").arg(what);
    else
        sentence = tr("%1: %2").arg(what, state);
    return message.isEmpty() ? sentence : tr("%1: %2").arg(sentence, message);
}

QString ActivityListModel::platformName(const QString &provider) {
    if (provider == QLatin1String("tiktok"))
        return tr("TikTok");
    if (provider == QLatin1String("instagram"))
        return tr("Instagram");
    if (provider == QLatin1String("reddit"))
        return tr("Reddit");
    if (provider == QLatin1String("x"))
        return tr("X");
    return provider;
}

QVariant ActivityListModel::data(const QModelIndex &index, int role) const {
    if (!holdsRow(index))
        return {};
    const int row = index.row();
    switch (role) {
    case CorrelationIdRole:
        return correlationId(row);
    case KeyRole:
        return key(row);
    case EventRole:
        return text(row, "event");
    case TimeRole:
        return happenedAt(row);
    case SearchRole:
        if (index.column() == WhatColumn)
            return QString(whatText(row) + QLatin1Char(' ') + text(row, "event"));
        return displayText(row, index.column());
    case Qt::DisplayRole:
        return displayText(row, index.column());
    case Qt::ToolTipRole:
        switch (index.column()) {
        case TimeColumn:
            return happenedAt(row).toString(Qt::ISODateWithMs);
        case WhatColumn:
            return isPublication(row) ? whatText(row)
                                      : QString(whatText(row) + QLatin1Char('\n') +
                                                tr("Event: %1").arg(text(row, "event")));
        case CorrelationIdColumn:
            return QString(correlationId(row) + QLatin1Char('\n') +
                           tr("Quote this reference to support: it finds this event in the "
                              "logs."));
        }
        return {};
    case Qt::FontRole:
        if (index.column() == CorrelationIdColumn)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == OutcomeColumn && isProblem(row))
            return QBrush(problemColor());
        return {};
    }
    return {};
}

QString ActivityListModel::columnTitle(int column) const {
    switch (column) {
    case TimeColumn:
        return tr("Time");
    case KindColumn:
        return tr("Kind");
    case AccountColumn:
        return tr("Account");
    case WhatColumn:
        return tr("What happened");
    case OutcomeColumn:
        return tr("Outcome");
    case CorrelationIdColumn:
        return tr("Correlation id");
    }
    return {};
}

QDateTime ActivityListModel::happenedAt(int row) const {
    bool ok = false;
    const qint64 ms = text(row, "at").toLongLong(&ok);
    return ok ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

QString ActivityListModel::displayText(int row, int column) const {
    switch (column) {
    case TimeColumn:
        return localTimeText(happenedAt(row));
    case KindColumn:
        return kindText(text(row, "kind"), text(row, "event"));
    case AccountColumn:
        return accountText(row);
    case WhatColumn:
        return whatText(row);
    case OutcomeColumn:
        return outcomeColumnText(row);
    case CorrelationIdColumn:
        return correlationId(row);
    }
    return {};
}

QString ActivityListModel::accountText(int row) const {
    const QString account = text(row, "account");
    const QString platform = platformName(text(row, "provider"));
    if (!account.isEmpty() && !platform.isEmpty())
        return tr("%1 · %2").arg(account, platform);
    if (!account.isEmpty() || !platform.isEmpty())
        return account.isEmpty() ? platform : account;
    // Device events name the desktop they concern.
    const QString subject = text(row, "subject");
    if (subject.startsWith(QLatin1String("device:")))
        return tr("Desktop %1").arg(subject.mid(7));
    return subject;
}

QString ActivityListModel::whatText(int row) const {
    const QString message = text(row, "message");
    if (isPublication(row))
        return publicationText(text(row, "event"), text(row, "provider"),
                               text(row, "tiktok_status"), text(row, "source"), message);
    const QString sentence = eventText(text(row, "event"), text(row, "outcome"));
    return message.isEmpty() ? sentence : tr("%1 (%2)").arg(sentence, message);
}

QString ActivityListModel::outcomeColumnText(int row) const {
    if (isPublication(row))
        return PublicationListModel::stateText(text(row, "event"), text(row, "provider"),
                                               text(row, "tiktok_status"));
    return outcomeText(text(row, "outcome"));
}

bool ActivityListModel::isProblem(int row) const {
    if (isPublication(row))
        return PublicationListModel::isProblemState(text(row, "event"));
    return !succeeded(text(row, "outcome"));
}

bool ActivityListModel::isPublication(int row) const {
    return text(row, "kind") == QLatin1String("publication");
}

} // namespace huntaze::ui
