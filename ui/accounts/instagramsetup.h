#pragma once

#include <QFrame>
#include <QHash>
#include <QJsonObject>
#include <QPointer>

class QLabel;
class QPushButton;

namespace huntaze::net {
class RelayClient;
}

namespace huntaze::ui {

class AvatarCache;
class InstagramAccountPicker;

// What follows connecting Instagram, on the Accounts page. The relay says, for a Facebook
// login, which Instagram accounts it reaches, which are chosen, and what is wrong or worth
// knowing. A problem (no Page, no linked professional account, a declined permission)
// shows here, prominent and in the relay's words, with Check again (asks the relay anew)
// and Connect again (a new sign-in). Several accounts and none chosen open the picker.
// Warnings are kept per login for the page to show on its row.
class InstagramSetup : public QFrame {
    Q_OBJECT
public:
    explicit InstagramSetup(AvatarCache *avatars, QWidget *parent = nullptr);

    void setRelay(net::RelayClient *relay);
    // The relay's answer about a login: the exchange's "instagram" object, or what
    // GET /v1/instagram/accounts or the select call returned.
    void evaluate(qint64 accountId, const QJsonObject &instagram);
    // Asks the relay again about the login whose problem is shown.
    void checkAgain();
    // Asks the relay for the login's accounts and opens the picker with them.
    void chooseAccounts(qint64 accountId);

    // The relay's warnings about a login, as it worded them.
    QStringList warnings(qint64 accountId) const;
    QString problemText() const;
    InstagramAccountPicker *picker() const; // the open picker, if any

Q_SIGNALS:
    void connectAgainRequested();
    // Warnings changed: the page redraws its rows.
    void notesChanged();
    // The relay recorded a new choice of accounts: the page re-reads them.
    void accountsChosen(qint64 accountId);

private:
    void ask(qint64 accountId, bool openPicker);
    void showProblem(qint64 accountId, const QString &message);
    void setBusy(bool busy);
    void openPicker(qint64 accountId, const QJsonObject &instagram);

    AvatarCache *m_avatars;
    QPointer<net::RelayClient> m_relay;
    QLabel *m_message;
    QPushButton *m_checkAgain;
    QPushButton *m_connectAgain;
    QHash<qint64, QStringList> m_warnings;
    qint64 m_problemAccount = 0; // the login whose problem is shown, 0 when none
    QPointer<InstagramAccountPicker> m_picker;
    bool m_busy = false;
};

} // namespace huntaze::ui
