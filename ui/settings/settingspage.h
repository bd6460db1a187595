#pragma once

#include <QUrl>
#include <QWidget>

class QCheckBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace huntaze::ui {

// Settings: pairing this computer with a relay (its address and the one-time code the
// relay's operator issued with `huntaze-relay device pair`), and sandbox mode. The page
// only shows state and asks: the app does the network and keychain work behind
// pairRequested()/unpairRequested() and reports back through the setters.
class SettingsPage : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPage(QWidget *parent = nullptr);

    // Pre-fills the relay address (e.g. the one paired with last).
    void setRelayUrl(const QUrl &url);
    // While pairing: Pair disabled, the fields locked, a busy indicator beside them.
    void setPairingBusy(bool busy);
    bool isPairingBusy() const;
    void setPairingStatus(const QString &text, bool isError = false);
    QString pairingStatus() const;
    bool pairingStatusIsError() const { return m_statusIsError; }
    // "Paired with <host> as <device name>"; Unpair becomes available.
    void setPaired(const QUrl &relay, const QString &deviceName);
    void setUnpaired(const QString &status = {});
    bool isPaired() const { return m_paired; }
    // enabled: the saved preference (takes effect on restart). active: this session runs
    // in sandbox mode, paired with its local relay, so the relay group is disabled.
    void setSandboxMode(bool enabled, bool active);
    // Puts the cursor in the relay address, for "Pair with a relay…" elsewhere.
    void focusPairing();

    // "relay.example.com" -> https://relay.example.com; empty when not an http(s) address.
    static QUrl relayUrlFromInput(const QString &text);
    // "abcd efgh-1234" -> "ABCD-EFGH-1234"; empty when not twelve letters and digits.
    static QString normalizedPairingCode(const QString &text);

Q_SIGNALS:
    void pairRequested(const QUrl &relayUrl, const QString &code);
    void unpairRequested();
    void sandboxModeChanged(bool enabled);

private:
    void requestPairing();
    void updateButtons();

    QGroupBox *m_relayGroup;
    QLineEdit *m_relayUrl;
    QLineEdit *m_pairingCode;
    QPushButton *m_pair;
    QPushButton *m_unpair;
    QProgressBar *m_busy;
    QLabel *m_status;
    QCheckBox *m_sandbox;
    QLabel *m_sandboxNote;
    bool m_paired = false;
    bool m_statusIsError = false;
    bool m_sandboxActive = false;
};

} // namespace huntaze::ui
