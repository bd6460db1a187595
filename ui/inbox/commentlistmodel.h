#pragma once

#include "shell/queryrowsmodel.h"

namespace huntaze::ui {

// The Inbox's rows: Instagram comments as InboxPage's query returns them (column -> text),
// arranged as conversations: the thread with the newest comment first, each comment
// followed by its replies, oldest first. A reply whose comment is not in the list is
// shown on its own, marked as a reply. The filter keeps the rows the creator asked for.
class CommentListModel : public QueryRowsModel {
    Q_OBJECT
public:
    enum Column { FromColumn, CommentColumn, PostColumn, WhenColumn, StateColumn, ColumnCount };
    enum Role {
        CommentIdRole = Qt::UserRole + 1, // the comment's Instagram id
        PermalinkRole,                    // QUrl of the post, or invalid
        HiddenRole,                       // bool
        AnsweredRole,                     // bool: the account replied to it
        ReplyRole,                        // bool: this comment answers another one
    };
    enum class Filter { All, Unanswered, Hidden };

    explicit CommentListModel(QObject *parent = nullptr);

    // The query's rows, newest first; shown arranged and filtered.
    void setComments(const QList<QJsonObject> &rows);
    void setFilter(Filter filter);
    Filter filter() const { return m_filter; }
    // How many comments the filter would keep (for the filter buttons).
    int countOf(Filter filter) const;

    QString commentId(int row) const;
    QString author(int row) const;             // the username, without "@"
    int rowOf(const QString &commentId) const; // -1 when not shown
    bool isHidden(int row) const;
    bool isAnswered(int row) const;
    bool isOwn(int row) const; // written by the creator's own account

    // The caption's first line, cut to a length that fits a column.
    static QString captionExcerpt(const QString &caption);
    // Threads as described above, from rows newest first.
    static QList<QJsonObject> arrangedInThreads(const QList<QJsonObject> &newestFirst);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    QString columnTitle(int column) const override;

private:
    static bool keeps(Filter filter, const QJsonObject &row);
    QString stateText(int row) const;

    QList<QJsonObject> m_arranged; // every comment, in thread order
    Filter m_filter = Filter::All;
};

} // namespace huntaze::ui
