#include "queryrowsmodel.h"

#include <QLocale>

namespace huntaze::ui {

QueryRowsModel::QueryRowsModel(int columnCount, QString keyColumn, QObject *parent)
    : QAbstractTableModel(parent)
    , m_columnCount(columnCount)
    , m_keyColumn(std::move(keyColumn)) {}

void QueryRowsModel::setRows(const QList<QJsonObject> &rows) {
    if (rows == m_rows)
        return; // a change elsewhere: nothing to redraw, the selection stays
    if (hasSameKeys(rows)) {
        m_rows = rows;
        rowsReplaced();
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, m_columnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = rows;
    rowsReplaced();
    endResetModel();
}

int QueryRowsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int QueryRowsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : m_columnCount;
}

QVariant QueryRowsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
        section >= m_columnCount)
        return {};
    return columnTitle(section);
}

bool QueryRowsModel::holdsRow(const QModelIndex &index) const {
    return index.isValid() && index.row() < rowCount();
}

QString QueryRowsModel::text(int row, const char *column) const {
    return m_rows.at(row).value(QLatin1String(column)).toString();
}

QString QueryRowsModel::localTimeText(const QDateTime &at) {
    return at.isValid() ? QLocale().toString(at.toLocalTime(), QLocale::ShortFormat) : QString();
}

bool QueryRowsModel::hasSameKeys(const QList<QJsonObject> &rows) const {
    if (m_keyColumn.isEmpty() || rows.size() != m_rows.size())
        return false;
    for (qsizetype i = 0; i < rows.size(); ++i)
        if (rows[i].value(m_keyColumn) != m_rows[i].value(m_keyColumn))
            return false;
    return true;
}

} // namespace huntaze::ui
