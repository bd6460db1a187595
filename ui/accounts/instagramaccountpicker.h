#pragma once

#include <QDialog>
#include <QJsonObject>
#include <QPointer>

class QDialogButtonBox;
class QListWidget;

namespace huntaze::net {
class RelayClient;
}

namespace huntaze::ui {

class AvatarCache;
class StatusLabel;

// Which Instagram accounts a Facebook login publishes to, when it reaches several: one
// checkbox per account the relay found (username, name, Page, picture once fetched), the
// ones already chosen ticked. OK sends the choice to the relay and closes once it is
// recorded; a refusal stays in the dialog in the relay's words.
class InstagramAccountPicker : public QDialog {
    Q_OBJECT
public:
    // instagram: the relay's {"candidates", "selected", ...} for the login accountId.
    InstagramAccountPicker(net::RelayClient *relay, qint64 accountId, const QJsonObject &instagram,
                           AvatarCache *avatars, QWidget *parent = nullptr);

    qint64 accountId() const { return m_accountId; }
    QStringList checkedIds() const;

Q_SIGNALS:
    // The relay recorded the choice; its answer ({"candidates", "selected", ...}).
    void chosen(const QJsonObject &instagram);

private:
    void send();
    void updateOk();
    void showPicture(const QUrl &url);

    QPointer<net::RelayClient> m_relay;
    const qint64 m_accountId;
    AvatarCache *m_avatars;
    QListWidget *m_candidates;
    StatusLabel *m_status;
    QDialogButtonBox *m_buttons;
    bool m_sending = false;
};

} // namespace huntaze::ui
