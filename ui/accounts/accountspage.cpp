#include "accountspage.h"

#include "net/relayclient.h"
#include "oauth/connectflow.h"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace huntaze::ui {

namespace {
struct PlatformInfo {
    const char *provider;
    const char *name;
    quint16 fixedPort; // Reddit and X match the redirect URI exactly
};
constexpr PlatformInfo kPlatforms[] = {{"tiktok", "TikTok", 0},
                                       {"instagram", "Instagram", 0},
                                       {"reddit", "Reddit", 65010},
                                       {"x", "X", 53682}};

QString displayName(const QString &provider) {
    for (const auto &platform : kPlatforms)
        if (provider == QLatin1String(platform.provider))
            return QLatin1String(platform.name);
    return provider;
}
} // namespace

AccountsPage::AccountsPage(QWidget *parent)
    : QWidget(parent)
    , m_openUrl([](const QUrl &url) { return QDesktopServices::openUrl(url); })
    , m_status(new QLabel(this))
    , m_busy(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_accounts(new QListWidget(this)) {
    auto *title = new QLabel(tr("Accounts"), this);
    title->setObjectName(QStringLiteral("sectionTitle"));
    QFont headingFont = title->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.6);
    headingFont.setBold(true);
    title->setFont(headingFont);

    auto *buttons = new QHBoxLayout;
    for (const auto &platform : kPlatforms) {
        auto *button = new QPushButton(tr("Connect %1").arg(QLatin1String(platform.name)), this);
        button->setObjectName(QStringLiteral("connect_") + QLatin1String(platform.provider));
        button->setEnabled(false);
        button->setToolTip(tr("Waiting for the relay…"));
        const QString provider = QLatin1String(platform.provider);
        connect(button, &QPushButton::clicked, this,
                [this, provider] { connectPlatform(provider); });
        m_buttons.insert(provider, button);
        buttons->addWidget(button);
    }
    buttons->addStretch(1);

    m_status->setObjectName(QStringLiteral("accountStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(160);
    m_busy->hide();
    m_cancel->setObjectName(QStringLiteral("cancelConnect"));
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_flow)
            m_flow->cancel();
    });
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_busy);
    statusRow->addWidget(m_cancel);

    m_accounts->setObjectName(QStringLiteral("accountList"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(buttons);
    layout->addLayout(statusRow);
    layout->addWidget(m_accounts, 1);
    showStatus(tr("Connect an account to publish to it. Huntaze never sees your password: you "
                  "sign in on the platform's own page in your browser."));
}

void AccountsPage::setRelay(net::RelayClient *relay, const QJsonObject &platforms) {
    m_relay = relay;
    m_platforms = platforms;
    for (auto it = m_buttons.begin(); it != m_buttons.end(); ++it) {
        const bool offered = platforms.contains(it.key());
        it.value()->setEnabled(offered);
        it.value()->setToolTip(
            offered ? QString()
                    : tr("This relay is not set up for %1.").arg(displayName(it.key())));
    }
}

void AccountsPage::connectPlatform(const QString &provider) {
    if (!m_relay || m_flow)
        return;
    quint16 fixedPort = 0;
    for (const auto &platform : kPlatforms)
        if (provider == QLatin1String(platform.provider))
            fixedPort = platform.fixedPort;
    const QJsonObject entry = m_platforms.value(provider).toObject();
    auto *flow = new oauth::ConnectFlow(
        *m_relay,
        {provider, entry.value(QStringLiteral("client_id")).toString(),
         QUrl(entry.value(QStringLiteral("authorize_url")).toString()), fixedPort},
        m_openUrl, this);
    m_flow = flow;
    connect(flow, &oauth::ConnectFlow::waitingForBrowser, this, [this, provider](const QUrl &url) {
        showStatus(tr("Finish signing in to %1 in your browser. If no browser opened, open this "
                      "address: %2")
                       .arg(displayName(provider), url.toString()),
                   false, true);
    });
    connect(flow, &oauth::ConnectFlow::staleSignInRefused, this, [this] {
        showStatus(tr("An old sign-in page was used. Use the page Huntaze opened last."), true,
                   true);
    });
    connect(flow, &oauth::ConnectFlow::connected, this,
            [this, flow, provider](const QJsonObject &account) {
                addAccount(provider, account);
                showStatus(tr("Connected %1 on %2.")
                               .arg(account.value(QStringLiteral("display_name")).toString(),
                                    displayName(provider)));
                flow->deleteLater();
            });
    connect(flow, &oauth::ConnectFlow::failed, this, [this, flow](const Error &error) {
        showStatus(error.message, true);
        flow->deleteLater();
    });
    flow->start();
}

void AccountsPage::addAccount(const QString &provider, const QJsonObject &account) {
    const QString name = account.value(QStringLiteral("display_name")).toString();
    const QString handle = account.value(QStringLiteral("username")).toString();
    QString line = displayName(provider) + QStringLiteral(" · ") + name;
    if (!handle.isEmpty())
        line += QStringLiteral(" (@") + handle + QLatin1Char(')');
    line += QStringLiteral(" · ") +
            tr("allowed: %1").arg(account.value(QStringLiteral("scope")).toString());
    m_accounts->addItem(line);
}

void AccountsPage::showStatus(const QString &text, bool problem, bool busy) {
    m_status->setText(text);
    m_status->setStyleSheet(problem ? QStringLiteral("color: #b00020;") : QString());
    m_busy->setVisible(busy);
    m_cancel->setVisible(busy);
    for (auto it = m_buttons.begin(); it != m_buttons.end(); ++it)
        it.value()->setEnabled(!busy && m_platforms.contains(it.key()));
}

QString AccountsPage::statusText() const {
    return m_status->text();
}

QStringList AccountsPage::accountLines() const {
    QStringList lines;
    for (int row = 0; row < m_accounts->count(); ++row)
        lines << m_accounts->item(row)->text();
    return lines;
}

} // namespace huntaze::ui
