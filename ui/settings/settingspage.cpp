#include "settingspage.h"

#include "shell/sectionparts.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace huntaze::ui {

SettingsPage::SettingsPage(QWidget *parent)
    : QWidget(parent)
    , m_relayGroup(new QGroupBox(tr("Relay"), this))
    , m_relayUrl(new QLineEdit(this))
    , m_pairingCode(new QLineEdit(this))
    , m_pair(new QPushButton(tr("Pair"), this))
    , m_unpair(new QPushButton(tr("Unpair"), this))
    , m_busy(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_sandbox(new QCheckBox(tr("Start Huntaze in sandbox mode"), this))
    , m_sandboxNote(new QLabel(this)) {
    QLabel *title = createSectionTitle(tr("Settings"), this);

    // Relay pairing.
    m_relayGroup->setObjectName(QStringLiteral("relayGroup"));
    auto *relayIntro = new QLabel(
        tr("Pair this computer with your relay: ask its operator for a pairing code and enter it "
           "with the relay's address. The device credential is kept in the system keychain, "
           "never in a file."),
        m_relayGroup);
    relayIntro->setWordWrap(true);
    m_relayUrl->setObjectName(QStringLiteral("relayUrl"));
    m_relayUrl->setPlaceholderText(tr("https://relay.example.com"));
    m_relayUrl->setClearButtonEnabled(true);
    m_pairingCode->setObjectName(QStringLiteral("pairingCode"));
    m_pairingCode->setPlaceholderText(tr("XXXX-XXXX-XXXX"));
    m_pairingCode->setMaxLength(20);
    m_pairingCode->setToolTip(tr("The one-time code from the relay's operator (huntaze-relay "
                                 "device pair). It works once and expires after a while."));
    auto *fields = new QFormLayout;
    fields->addRow(tr("Relay address"), m_relayUrl);
    fields->addRow(tr("Pairing code"), m_pairingCode);

    m_pair->setObjectName(QStringLiteral("pairButton"));
    m_pair->setDefault(true);
    m_unpair->setObjectName(QStringLiteral("unpairButton"));
    m_unpair->setToolTip(tr("Removes the device credential from this computer. Ask the relay's "
                            "operator to revoke the device to cut its access on the relay too."));
    m_busy->setObjectName(QStringLiteral("pairingBusy"));
    m_busy->setRange(0, 0); // indeterminate: "working"
    m_busy->setMaximumWidth(160);
    m_busy->setTextVisible(false);
    m_busy->hide();
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_pair);
    actions->addWidget(m_busy);
    actions->addStretch(1);
    actions->addWidget(m_unpair);

    m_status->setObjectName(QStringLiteral("pairingStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *relayLayout = new QVBoxLayout(m_relayGroup);
    relayLayout->addWidget(relayIntro);
    relayLayout->addLayout(fields);
    relayLayout->addLayout(actions);
    relayLayout->addWidget(m_status);

    connect(m_pair, &QPushButton::clicked, this, &SettingsPage::requestPairing);
    connect(m_pairingCode, &QLineEdit::returnPressed, this, &SettingsPage::requestPairing);
    connect(m_unpair, &QPushButton::clicked, this, [this] {
        if (m_paired && !isPairingBusy())
            Q_EMIT unpairRequested();
    });

    // Sandbox mode.
    auto *sandboxGroup = new QGroupBox(tr("Sandbox mode"), this);
    sandboxGroup->setObjectName(QStringLiteral("sandboxGroup"));
    auto *sandboxIntro = new QLabel(
        tr("Try everything without a developer account: a local database, stand-ins for TikTok, "
           "Instagram, Reddit and X, and a local relay start and stop with Huntaze."),
        sandboxGroup);
    sandboxIntro->setWordWrap(true);
    m_sandbox->setObjectName(QStringLiteral("sandboxMode"));
    m_sandboxNote->setObjectName(QStringLiteral("sandboxNote"));
    m_sandboxNote->setWordWrap(true);
    m_sandboxNote->setText(tr("Takes effect when you restart Huntaze."));
    auto *sandboxLayout = new QVBoxLayout(sandboxGroup);
    sandboxLayout->addWidget(sandboxIntro);
    sandboxLayout->addWidget(m_sandbox);
    sandboxLayout->addWidget(m_sandboxNote);
    connect(m_sandbox, &QCheckBox::toggled, this, [this](bool enabled) {
        if (enabled == m_sandboxActive)
            m_sandboxNote->setText(tr("Takes effect when you restart Huntaze."));
        else if (enabled)
            m_sandboxNote->setText(tr("Sandbox mode starts the next time you open Huntaze: "
                                      "restart it to switch now."));
        else
            m_sandboxNote->setText(tr("Sandbox mode stays on until you restart Huntaze; it "
                                      "will not start next time."));
        Q_EMIT sandboxModeChanged(enabled);
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_relayGroup);
    layout->addWidget(sandboxGroup);
    layout->addStretch(1);

    setUnpaired();
}

QUrl SettingsPage::relayUrlFromInput(const QString &text) {
    QString input = text.trimmed();
    if (input.isEmpty())
        return {};
    if (!input.contains(QStringLiteral("://")))
        input.prepend(QStringLiteral("https://"));
    const QUrl url(input, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")))
        return {};
    QUrl relay = url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    if (relay.path() == QLatin1String("/"))
        relay.setPath(QString());
    return relay;
}

QString SettingsPage::normalizedPairingCode(const QString &text) {
    QString code = text.toUpper();
    code.remove(QRegularExpression(QStringLiteral("[\\s-]")));
    static const QRegularExpression valid(QStringLiteral("^[0-9A-Z]{12}$"));
    if (!valid.match(code).hasMatch())
        return {};
    return code.left(4) + QLatin1Char('-') + code.mid(4, 4) + QLatin1Char('-') + code.mid(8);
}

void SettingsPage::requestPairing() {
    if (isPairingBusy() || m_sandboxActive)
        return;
    const QUrl url = relayUrlFromInput(m_relayUrl->text());
    if (url.isEmpty()) {
        setPairingStatus(tr("Enter the relay's address, for example https://relay.example.com."),
                         true);
        m_relayUrl->setFocus();
        return;
    }
    const QString code = normalizedPairingCode(m_pairingCode->text());
    if (code.isEmpty()) {
        setPairingStatus(tr("Enter the pairing code as the relay's operator gave it: twelve "
                            "letters and digits, like ABCD-EFGH-2345."),
                         true);
        m_pairingCode->setFocus();
        return;
    }
    m_pairingCode->setText(code);
    Q_EMIT pairRequested(url, code);
}

void SettingsPage::setRelayUrl(const QUrl &url) {
    m_relayUrl->setText(url.toString());
}

void SettingsPage::setPairingBusy(bool busy) {
    m_busy->setVisible(busy);
    m_relayUrl->setReadOnly(busy);
    m_pairingCode->setReadOnly(busy);
    updateButtons();
}

bool SettingsPage::isPairingBusy() const {
    return !m_busy->isHidden();
}

void SettingsPage::setPairingStatus(const QString &text, bool isError) {
    m_status->setText(text);
    m_statusIsError = isError;
    m_status->setStyleSheet(isError ? QStringLiteral("color: #b00020;") : QString());
}

QString SettingsPage::pairingStatus() const {
    return m_status->text();
}

void SettingsPage::setPaired(const QUrl &relay, const QString &deviceName) {
    m_paired = true;
    setRelayUrl(relay);
    m_pairingCode->clear();
    setPairingStatus(tr("Paired with %1 as %2").arg(relay.authority(), deviceName));
    updateButtons();
}

void SettingsPage::setUnpaired(const QString &status) {
    m_paired = false;
    setPairingStatus(status.isEmpty() ? tr("Not paired with a relay.") : status);
    updateButtons();
}

void SettingsPage::setSandboxMode(bool enabled, bool active) {
    m_sandboxActive = active;
    {
        const QSignalBlocker blocker(m_sandbox);
        m_sandbox->setChecked(enabled);
    }
    m_sandboxNote->setText(tr("Takes effect when you restart Huntaze."));
    m_relayGroup->setEnabled(!active);
    if (active)
        setPairingStatus(tr("Sandbox mode: paired with the local relay automatically"));
    updateButtons();
}

void SettingsPage::focusPairing() {
    if (m_relayUrl->text().isEmpty())
        m_relayUrl->setFocus();
    else
        m_pairingCode->setFocus();
}

void SettingsPage::updateButtons() {
    const bool busy = isPairingBusy();
    m_pair->setEnabled(!busy && !m_sandboxActive);
    m_unpair->setEnabled(!busy && m_paired && !m_sandboxActive);
}

} // namespace huntaze::ui
