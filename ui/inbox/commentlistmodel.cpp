#include "commentlistmodel.h"

#include "shell/problemcolor.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QHash>
#include <QUrl>

#include <algorithm>

namespace huntaze::ui {

namespace {
constexpr int kExcerptLength = 60;

// PostgreSQL sends booleans as "t" and "f"; rows built by hand may carry true and false.
bool flag(const QJsonObject &row, const char *column) {
    const QJsonValue value = row.value(QLatin1String(column));
    return value.isBool() ? value.toBool() : value.toString() == QLatin1String("t");
}

QString field(const QJsonObject &row, const char *column) {
    return row.value(QLatin1String(column)).toString();
}

bool isReply(const QJsonObject &row) {
    return !field(row, "parent_ig_id").isEmpty();
}

bool answered(const QJsonObject &row) {
    return !field(row, "replied_at").isEmpty() || flag(row, "answered");
}
} // namespace

CommentListModel::CommentListModel(QObject *parent)
    : QueryRowsModel(ColumnCount, QStringLiteral("ig_id"), parent) {}

QList<QJsonObject> CommentListModel::arrangedInThreads(const QList<QJsonObject> &newestFirst) {
    QHash<QString, qsizetype> present; // comment id -> its position in newestFirst
    for (qsizetype i = 0; i < newestFirst.size(); ++i)
        present.insert(field(newestFirst[i], "ig_id"), i);

    // A thread is a comment and its replies; it ranks by its newest member, so a new reply
    // brings an old conversation back to the top.
    QList<QString> threadOrder;
    QHash<QString, QList<qsizetype>> replies; // root id -> replies, newest first
    for (qsizetype i = 0; i < newestFirst.size(); ++i) {
        const QString parent = field(newestFirst[i], "parent_ig_id");
        const QString root = present.contains(parent) ? parent : field(newestFirst[i], "ig_id");
        if (!replies.contains(root)) {
            replies.insert(root, {});
            threadOrder.append(root);
        }
        if (root == parent)
            replies[root].append(i);
    }
    QList<QJsonObject> arranged;
    arranged.reserve(newestFirst.size());
    for (const QString &root : std::as_const(threadOrder)) {
        arranged.append(newestFirst.at(present.value(root)));
        const QList<qsizetype> &answers = replies.value(root);
        for (auto it = answers.crbegin(); it != answers.crend(); ++it) // a conversation reads down
            arranged.append(newestFirst.at(*it));
    }
    return arranged;
}

void CommentListModel::setComments(const QList<QJsonObject> &rows) {
    m_arranged = arrangedInThreads(rows);
    setFilter(m_filter);
}

void CommentListModel::setFilter(Filter filter) {
    m_filter = filter;
    QList<QJsonObject> shown;
    for (const QJsonObject &row : std::as_const(m_arranged))
        if (keeps(filter, row))
            shown.append(row);
    setRows(shown);
}

int CommentListModel::countOf(Filter filter) const {
    return int(std::count_if(m_arranged.cbegin(), m_arranged.cend(),
                             [filter](const QJsonObject &row) { return keeps(filter, row); }));
}

bool CommentListModel::keeps(Filter filter, const QJsonObject &row) {
    switch (filter) {
    case Filter::All:
        return true;
    case Filter::Unanswered:
        // What still waits for the creator: not their own words, not answered, not hidden.
        return !flag(row, "own") && !answered(row) && !flag(row, "hidden");
    case Filter::Hidden:
        return flag(row, "hidden");
    }
    return true;
}

QString CommentListModel::commentId(int row) const {
    return row >= 0 && row < rowCount() ? text(row, "ig_id") : QString();
}

QString CommentListModel::author(int row) const {
    return row >= 0 && row < rowCount() ? text(row, "username") : QString();
}

int CommentListModel::rowOf(const QString &commentId) const {
    for (int row = 0; row < rowCount(); ++row)
        if (text(row, "ig_id") == commentId)
            return row;
    return -1;
}

bool CommentListModel::isHidden(int row) const {
    return flag(rowAt(row), "hidden");
}

bool CommentListModel::isAnswered(int row) const {
    return answered(rowAt(row));
}

bool CommentListModel::isOwn(int row) const {
    return flag(rowAt(row), "own");
}

QString CommentListModel::captionExcerpt(const QString &caption) {
    const QString firstLine = caption.section(QLatin1Char('\n'), 0, 0).simplified();
    if (firstLine.isEmpty())
        return tr("(no caption)");
    if (firstLine.size() <= kExcerptLength && !caption.trimmed().contains(QLatin1Char('\n')))
        return firstLine;
    return firstLine.left(kExcerptLength).trimmed() + QStringLiteral("…");
}

QString CommentListModel::stateText(int row) const {
    if (isOwn(row))
        return tr("Your reply");
    QStringList parts;
    if (isHidden(row))
        parts << tr("Hidden");
    parts << (isAnswered(row) ? tr("Replied") : tr("Unanswered"));
    return parts.join(QStringLiteral(" · "));
}

QVariant CommentListModel::data(const QModelIndex &index, int role) const {
    if (!holdsRow(index))
        return {};
    const int row = index.row();
    const QJsonObject &comment = rowAt(row);
    const QString permalink = text(row, "permalink");
    switch (role) {
    case CommentIdRole:
        return text(row, "ig_id");
    case PermalinkRole:
        return permalink.isEmpty() ? QUrl() : QUrl(permalink);
    case HiddenRole:
        return isHidden(row);
    case AnsweredRole:
        return isAnswered(row);
    case ReplyRole:
        return isReply(comment);
    case Qt::ForegroundRole:
        if (isHidden(row))
            return QBrush(QColor(0x80, 0x80, 0x80)); // greyed: nobody but the creator sees it
        if (index.column() == PostColumn && !permalink.isEmpty())
            return QBrush(QColor(0x06, 0x45, 0xad));
        if (index.column() == StateColumn && !isOwn(row) && !isAnswered(row))
            return QBrush(problemColor());
        return {};
    case Qt::FontRole:
        if (index.column() == StateColumn && !isOwn(row) && !isAnswered(row) && !isHidden(row)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == CommentColumn)
            return text(row, "text");
        if (index.column() == PostColumn)
            return permalink.isEmpty() ? text(row, "caption")
                                       : tr("%1\n\nDouble-click to open the post in your browser.")
                                             .arg(text(row, "caption"));
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case FromColumn: {
        const QString username = text(row, "username");
        return username.isEmpty() ? QString() : QStringLiteral("@") + username;
    }
    case CommentColumn: {
        const QString words = text(row, "text").simplified();
        return isReply(comment) ? QStringLiteral("↳ ") + words : words;
    }
    case PostColumn:
        return captionExcerpt(text(row, "caption"));
    case WhenColumn: {
        const QString epoch = text(row, "posted_at");
        return epoch.isEmpty()
                   ? QString()
                   : localTimeText(QDateTime::fromSecsSinceEpoch(epoch.toLongLong(), Qt::UTC));
    }
    case StateColumn:
        return stateText(row);
    }
    return {};
}

QString CommentListModel::columnTitle(int column) const {
    switch (column) {
    case FromColumn:
        return tr("From");
    case CommentColumn:
        return tr("Comment");
    case PostColumn:
        return tr("On post");
    case WhenColumn:
        return tr("When");
    case StateColumn:
        return tr("State");
    }
    return {};
}

} // namespace huntaze::ui
