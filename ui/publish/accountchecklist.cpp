#include "accountchecklist.h"

#include "store/desktopdatabase.h"

#include <QLabel>
#include <QListWidget>
#include <QPointer>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace huntaze::ui {

AccountCheckList::AccountCheckList(const QString &title, const QString &emptyText,
                                   const QString &listName, const QString &emptyName,
                                   QWidget *parent)
    : QGroupBox(title, parent) {
    m_list = new QListWidget(this);
    m_list->setObjectName(listName);
    m_list->setMaximumHeight(110);
    connect(m_list, &QListWidget::itemChanged, this, &AccountCheckList::tickedChanged);
    m_empty = new QLabel(emptyText, this);
    m_empty->setObjectName(emptyName);
    m_empty->setWordWrap(true);
    m_layout = new QVBoxLayout(this);
    m_layout->addWidget(m_empty);
    m_layout->addWidget(m_list);
}

void AccountCheckList::setAccounts(const QList<Account> &accounts, bool tickLone) {
    QList<QVariant> ticked;
    for (int row : tickedRows())
        ticked << m_list->item(row)->data(Qt::UserRole);
    {
        const QSignalBlocker blocker(m_list);
        m_list->clear();
        for (const Account &account : accounts) {
            auto *item = new QListWidgetItem(account.label, m_list);
            item->setData(Qt::UserRole, account.id);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            item->setCheckState(ticked.contains(account.id) || (tickLone && accounts.size() == 1)
                                    ? Qt::Checked
                                    : Qt::Unchecked);
        }
    }
    m_empty->setVisible(accounts.isEmpty());
    m_list->setVisible(!accounts.isEmpty());
}

QList<int> AccountCheckList::tickedRows() const {
    QList<int> rows;
    for (int row = 0; row < m_list->count(); ++row)
        if (m_list->item(row)->checkState() == Qt::Checked)
            rows << row;
    return rows;
}

QList<qint64> AccountCheckList::tickedAccountIds() const {
    QList<qint64> ids;
    for (int row : tickedRows())
        ids << m_list->item(row)->data(Qt::UserRole).toLongLong();
    return ids;
}

QString AccountCheckList::label(const QVariant &id) const {
    for (int row = 0; row < m_list->count(); ++row)
        if (m_list->item(row)->data(Qt::UserRole) == id)
            return m_list->item(row)->text();
    return {};
}

void AccountCheckList::loadFrom(store::DesktopDatabase *database, const QString &provider,
                                const QString &orderBy) {
    disconnect(m_changes);
    m_database = database;
    m_provider = provider;
    m_orderBy = orderBy;
    if (database)
        m_changes =
            connect(database, &store::DesktopDatabase::changed, this, [this](const QString &table) {
                if (table == QLatin1String("oauth_accounts"))
                    reload();
            });
    reload();
}

void AccountCheckList::reload() {
    if (!m_database)
        return;
    QPointer self(this);
    m_database->query(QStringLiteral("SELECT id, display_name, username FROM oauth_accounts "
                                     "WHERE provider = $1 AND status = 'active' ORDER BY ") +
                          m_orderBy,
                      {m_provider}, [self](const Result<QList<QJsonObject>> &rows) {
                          if (!self)
                              return;
                          if (!rows)
                              Q_EMIT self->loadFailed(rows.error().message);
                          else
                              Q_EMIT self->rowsLoaded(*rows);
                      });
}

QString accountLabel(const QJsonObject &row) {
    const QString username = row.value(QStringLiteral("username")).toString();
    const QString name = row.value(QStringLiteral("display_name")).toString();
    if (username.isEmpty())
        return name;
    if (name.isEmpty())
        return QLatin1Char('@') + username;
    return name + QStringLiteral(" (@") + username + QLatin1Char(')');
}

} // namespace huntaze::ui
