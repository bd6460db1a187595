#pragma once

#include "shell/queryrowsmodel.h"

#include <QHash>

namespace huntaze::ui {

// The Queue's rows: one per publication (a draft going to one account) as QueuePage's
// query returns them (column -> text), with the queue's live upload progress on top of
// the bytes the row records, and a "retrying in N s" countdown for waiting rows.
class PublicationListModel : public QueryRowsModel {
    Q_OBJECT
public:
    enum Column {
        AccountColumn,
        SourceColumn,
        StateColumn,
        ProgressColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1, // qint64
        StateRole,                 // the row's state as stored: queued, uploading, ...
        PercentRole,               // 0-100, or -1 when there is no progress to show
    };

    // Rows keep their place across refreshes by id: a refresh updates them in place.
    explicit PublicationListModel(QObject *parent = nullptr);

    // From PublicationQueue::progress: shown while the row is queued or uploading.
    void setProgress(qint64 id, qint64 bytesSent, qint64 bytesTotal, double bytesPerSecond);
    // The time the countdowns count against; QueuePage sets it every second.
    void setCurrentTime(const QDateTime &now);
    QDateTime currentTime() const { return m_now; }
    bool hasCountdowns() const;

    qint64 publicationId(int row) const;
    QString state(int row) const;
    int rowOf(qint64 id) const;

    // "Waiting", "Uploading", "Processing on TikTok", "In TikTok inbox", "Published", ...
    static QString stateText(const QString &state, const QString &provider,
                             const QString &tiktokStatus);
    // Failed or needs action: the publication stopped and waits for the creator.
    static bool isProblemState(const QString &state);
    // Queued or uploading: the queue is (about to be) sending its file.
    static bool isSendingState(const QString &state);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    QString columnTitle(int column) const override;
    void rowsReplaced() override;

private:
    struct Live {
        qint64 sent = 0;
        qint64 total = 0;
        double bytesPerSecond = 0;
    };
    // The File or URL cell: the file's name (full: its path), the URL, or for rows with
    // several files (column media_files) "2 photos: a.jpg, b.png" (full: one per line).
    QString sourceText(int row, bool full) const;
    qint64 number(int row, const char *column) const;
    bool usesLive(int row) const;
    int percent(int row) const;
    QString progressText(int row) const;
    QString messageText(int row) const;
    qint64 secondsUntilRetry(int row) const; // 0 when not waiting to retry

    QHash<qint64, Live> m_live;
    QDateTime m_now;
};

} // namespace huntaze::ui
