#pragma once

#include <QGroupBox>
#include <QJsonObject>
#include <QList>
#include <QVariant>

class QLabel;
class QListWidget;
class QVBoxLayout;

namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

// The box at the top of a one-platform publish page: the creator's accounts there as a
// list of check boxes, or, while there is none, a line that says to connect one. What was
// ticked stays ticked when the list is read again (accounts come and go live), so every
// tab lets the creator choose targets the same way.
class AccountCheckList : public QGroupBox {
    Q_OBJECT
public:
    struct Account {
        QVariant id; // oauth_accounts.id, or what else tells the page's accounts apart
        QString label;
    };

    // `listName` and `emptyName` name the list and the empty line for the window's tests.
    AccountCheckList(const QString &title, const QString &emptyText, const QString &listName,
                     const QString &emptyName = QString(), QWidget *parent = nullptr);

    QListWidget *list() const { return m_list; }
    QVBoxLayout *boxLayout() const { return m_layout; } // for lines under the list
    // Replaces the accounts; a lone account is ticked when `tickLone` (the obvious target).
    void setAccounts(const QList<Account> &accounts, bool tickLone = true);
    QList<int> tickedRows() const;          // in the order setAccounts was given them
    QList<qint64> tickedAccountIds() const; // ids as numbers (oauth_accounts.id)
    QString label(const QVariant &id) const;

    // Reads the active accounts of `provider` from oauth_accounts (rows with id,
    // display_name, username, ordered by `orderBy`, e.g. "username, id") now and whenever
    // that table changes; each answer arrives as rowsLoaded, for the page to label them.
    void loadFrom(store::DesktopDatabase *database, const QString &provider,
                  const QString &orderBy);
    void reload();

Q_SIGNALS:
    void tickedChanged();
    void rowsLoaded(const QList<QJsonObject> &rows);
    void loadFailed(const QString &message);

private:
    QListWidget *m_list = nullptr;
    QLabel *m_empty = nullptr;
    QVBoxLayout *m_layout = nullptr;
    store::DesktopDatabase *m_database = nullptr;
    QString m_provider;
    QString m_orderBy;
    QMetaObject::Connection m_changes;
};

// "Name (@handle)", "@handle" or "Name": how an oauth_accounts row (display_name,
// username) is shown to the creator.
QString accountLabel(const QJsonObject &row);

} // namespace huntaze::ui
