#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace huntaze::ui {

// The rows a section view's query returns (column name -> text), as a table. Views
// re-read their query whenever the database changes, so a refresh that changes nothing
// must cost nothing: the selection and the scroll position survive it.
class QueryRowsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Identical rows change nothing. With a key column, rows with the same keys in the
    // same order are updated in place (dataChanged); anything else resets the model.
    void setRows(const QList<QJsonObject> &rows);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    // keyColumn names what identifies a row across refreshes; empty, every change resets.
    QueryRowsModel(int columnCount, QString keyColumn, QObject *parent);

    // The horizontal header's text.
    virtual QString columnTitle(int column) const = 0;
    // The new rows are in place and views have not asked for them yet.
    virtual void rowsReplaced() {}

    bool holdsRow(const QModelIndex &index) const;
    const QJsonObject &rowAt(int row) const { return m_rows.at(row); }
    QString text(int row, const char *column) const;
    // Short, in the creator's locale and time zone; empty for an invalid time.
    static QString localTimeText(const QDateTime &at);

private:
    bool hasSameKeys(const QList<QJsonObject> &rows) const;

    const int m_columnCount;
    const QString m_keyColumn;
    QList<QJsonObject> m_rows;
};

} // namespace huntaze::ui
