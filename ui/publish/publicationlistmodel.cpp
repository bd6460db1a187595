#include "publicationlistmodel.h"

#include "shell/isoneof.h"
#include "shell/problemcolor.h"

#include <QBrush>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace huntaze::ui {

namespace {

// File names shown in the cell; the tooltip lists every file.
constexpr int kNamesShown = 4;

// One file of a row's media list: where it is, and whether it is a video.
struct MediaFile {
    QString where; // local path or URL
    bool video = false;
};

// X photos (options.x.images: paths) or an Instagram carousel (options.items: objects
// with "path" or "url" and "type"), as the queue's query hands them over (media_files).
// Anything else (no list, bad JSON) is no files.
QList<MediaFile> mediaFiles(const QString &json) {
    QList<MediaFile> files;
    if (json.isEmpty())
        return files;
    const QJsonArray entries = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue &entry : entries) {
        if (entry.isString()) {
            files.append({entry.toString(), false});
            continue;
        }
        const QJsonObject item = entry.toObject();
        QString where = item.value(QLatin1String("path")).toString();
        if (where.isEmpty())
            where = item.value(QLatin1String("url")).toString();
        if (!where.isEmpty())
            files.append(
                {where, item.value(QLatin1String("type")).toString() == QLatin1String("video")});
    }
    return files;
}

// "a.jpg" for a path, "b.png" for https://cdn.example/b.png (the URL when it names no file).
QString shortName(const QString &where) {
    if (where.contains(QLatin1String("://"))) {
        const QString name = QUrl(where).fileName();
        return name.isEmpty() ? where : name;
    }
    return QFileInfo(where).fileName();
}

// "2 photos: a.jpg, b.png", "2 photos, 1 video: ...", with at most kNamesShown names.
QString mediaSummary(const QList<MediaFile> &files) {
    const auto videos = int(
        std::count_if(files.cbegin(), files.cend(), [](const MediaFile &f) { return f.video; }));
    const int photos = int(files.size()) - videos;
    QStringList counts;
    if (photos > 0)
        counts << (photos == 1 ? PublicationListModel::tr("1 photo")
                               : PublicationListModel::tr("%1 photos").arg(photos));
    if (videos > 0)
        counts << (videos == 1 ? PublicationListModel::tr("1 video")
                               : PublicationListModel::tr("%1 videos").arg(videos));
    QStringList names;
    for (int i = 0; i < files.size() && i < kNamesShown; ++i)
        names << shortName(files.at(i).where);
    QString summary =
        counts.join(QStringLiteral(", ")) + QStringLiteral(": ") + names.join(QStringLiteral(", "));
    if (files.size() > kNamesShown)
        summary += PublicationListModel::tr(" and %1 more").arg(files.size() - kNamesShown);
    return summary;
}

} // namespace

PublicationListModel::PublicationListModel(QObject *parent)
    : QueryRowsModel(ColumnCount, QStringLiteral("id"), parent)
    , m_now(QDateTime::currentDateTimeUtc()) {}

void PublicationListModel::rowsReplaced() {
    // Live progress only means something while the queue is sending the file.
    for (auto it = m_live.begin(); it != m_live.end();) {
        const int row = rowOf(it.key());
        if (row < 0 || !isSendingState(state(row)))
            it = m_live.erase(it);
        else
            ++it;
    }
}

void PublicationListModel::setProgress(qint64 id, qint64 bytesSent, qint64 bytesTotal,
                                       double bytesPerSecond) {
    m_live.insert(id, Live{bytesSent, bytesTotal, bytesPerSecond});
    if (const int row = rowOf(id); row >= 0)
        Q_EMIT dataChanged(index(row, ProgressColumn), index(row, ProgressColumn));
}

void PublicationListModel::setCurrentTime(const QDateTime &now) {
    m_now = now;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, MessageColumn), index(rowCount() - 1, MessageColumn));
}

bool PublicationListModel::hasCountdowns() const {
    for (int row = 0; row < rowCount(); ++row)
        if (secondsUntilRetry(row) > 0)
            return true;
    return false;
}

qint64 PublicationListModel::publicationId(int row) const {
    return number(row, "id");
}

QString PublicationListModel::state(int row) const {
    return text(row, "state");
}

int PublicationListModel::rowOf(qint64 id) const {
    for (int row = 0; row < rowCount(); ++row)
        if (publicationId(row) == id)
            return row;
    return -1;
}

QString PublicationListModel::stateText(const QString &state, const QString &provider,
                                        const QString &tiktokStatus) {
    const bool tiktok = provider == QLatin1String("tiktok");
    if (state == QLatin1String("queued"))
        return tr("Waiting");
    if (state == QLatin1String("uploading"))
        return tr("Uploading");
    if (state == QLatin1String("processing"))
        return tiktok ? tr("Processing on TikTok") : tr("Processing");
    if (state == QLatin1String("published"))
        return tiktok && tiktokStatus == QLatin1String("SEND_TO_USER_INBOX") ? tr("In TikTok inbox")
                                                                             : tr("Published");
    if (state == QLatin1String("failed"))
        return tr("Failed");
    if (state == QLatin1String("needs_action"))
        return tr("Needs your action");
    if (state == QLatin1String("paused"))
        return tr("Paused");
    if (state == QLatin1String("cancelled"))
        return tr("Cancelled");
    return state;
}

bool PublicationListModel::isProblemState(const QString &state) {
    return isOneOf(state, {"failed", "needs_action"});
}

bool PublicationListModel::isSendingState(const QString &state) {
    return isOneOf(state, {"queued", "uploading"});
}

QVariant PublicationListModel::data(const QModelIndex &index, int role) const {
    if (!holdsRow(index))
        return {};
    const int row = index.row();
    switch (role) {
    case IdRole:
        return publicationId(row);
    case StateRole:
        return state(row);
    case PercentRole:
        return percent(row);
    case Qt::DisplayRole:
        switch (index.column()) {
        case AccountColumn:
            return text(row, "display_name");
        case SourceColumn:
            return sourceText(row, false);
        case StateColumn:
            return stateText(state(row), text(row, "provider"), text(row, "tiktok_status"));
        case ProgressColumn:
            return progressText(row);
        case MessageColumn:
            return messageText(row);
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case SourceColumn:
            return sourceText(row, true);
        case MessageColumn: {
            QString tip = messageText(row);
            if (const QString link = text(row, "permalink"); !link.isEmpty() && tip != link)
                tip += QLatin1Char('\n') + link;
            // What support asks for to find this publication in the logs.
            if (!tip.isEmpty())
                tip += QLatin1Char('\n');
            return QString(tip + tr("Reference: %1").arg(text(row, "correlation_id")));
        }
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == StateColumn && isProblemState(state(row)))
            return QBrush(problemColor());
        return {};
    }
    return {};
}

QString PublicationListModel::columnTitle(int column) const {
    switch (column) {
    case AccountColumn:
        return tr("Account");
    case SourceColumn:
        return tr("File or URL");
    case StateColumn:
        return tr("State");
    case ProgressColumn:
        return tr("Progress");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

QString PublicationListModel::sourceText(int row, bool full) const {
    if (const QString path = text(row, "source_path"); !path.isEmpty())
        return full ? path : QFileInfo(path).fileName();
    if (const QString url = text(row, "source_url"); !url.isEmpty())
        return url;
    // Several files (X photos, an Instagram carousel) live in the row's options.
    const QList<MediaFile> files = mediaFiles(text(row, "media_files"));
    if (files.isEmpty())
        return {};
    if (!full)
        return mediaSummary(files);
    QStringList all;
    for (const MediaFile &file : files)
        all << file.where;
    return all.join(QLatin1Char('\n'));
}

qint64 PublicationListModel::number(int row, const char *column) const {
    return text(row, column).toLongLong();
}

bool PublicationListModel::usesLive(int row) const {
    return isSendingState(state(row)) && m_live.contains(publicationId(row));
}

int PublicationListModel::percent(int row) const {
    qint64 sent = number(row, "bytes_sent");
    qint64 total = number(row, "bytes_total");
    if (usesLive(row)) {
        const Live live = m_live.value(publicationId(row));
        sent = live.sent;
        total = live.total > 0 ? live.total : total;
    }
    if (total <= 0 || state(row) == QLatin1String("cancelled"))
        return -1;
    return int(std::clamp<qint64>(sent * 100 / total, 0, 100));
}

QString PublicationListModel::progressText(int row) const {
    const int done = percent(row);
    if (done < 0)
        return {};
    QString result = tr("%1 %").arg(done);
    if (!usesLive(row) || state(row) != QLatin1String("uploading"))
        return result;
    const Live live = m_live.value(publicationId(row));
    if (live.bytesPerSecond <= 0 || live.total <= 0)
        return result;
    const QLocale locale;
    result += QStringLiteral(" · ") +
              tr("%1 MB/s").arg(locale.toString(live.bytesPerSecond / 1e6, 'f', 1));
    const qint64 secondsLeft = qint64(
        std::ceil(double(std::max<qint64>(0, live.total - live.sent)) / live.bytesPerSecond));
    if (secondsLeft > 120)
        result += QStringLiteral(" · ") + tr("about %1 min left").arg((secondsLeft + 59) / 60);
    else if (secondsLeft > 0)
        result += QStringLiteral(" · ") + tr("about %1 s left").arg(secondsLeft);
    return result;
}

QString PublicationListModel::messageText(int row) const {
    QString message = text(row, "last_error_message");
    if (message.isEmpty() && state(row) == QLatin1String("published"))
        return text(row, "permalink");
    if (const qint64 wait = secondsUntilRetry(row); wait > 0)
        message += QStringLiteral(" — ") + tr("retrying in %1 s").arg(wait);
    return message;
}

qint64 PublicationListModel::secondsUntilRetry(int row) const {
    if (!isOneOf(state(row), {"queued", "uploading", "processing"}) ||
        text(row, "last_error_message").isEmpty())
        return 0;
    const QString next = text(row, "next_attempt_at");
    if (next.isEmpty())
        return 0;
    return std::max<qint64>(0, next.toLongLong() - m_now.toSecsSinceEpoch());
}

} // namespace huntaze::ui
