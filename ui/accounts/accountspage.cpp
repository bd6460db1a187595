#include "accountspage.h"

#include "avatarcache.h"
#include "instagramsetup.h"
#include "net/relayclient.h"
#include "oauth/connectflow.h"
#include "shell/sectionparts.h"
#include "store/desktopdatabase.h"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

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

// What a row of the account list is: a connected login, or under an Instagram login one
// of its chosen Instagram accounts or a note from the relay (neither can be selected).
constexpr int kRowKindRole = Qt::UserRole + 3;
enum class RowKind { Login, InstagramAccount, Note };

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
    , m_accounts(new QListWidget(this))
    , m_avatars(new AvatarCache(this))
    , m_disconnect(new QPushButton(tr("Disconnect"), this))
    , m_chooseInstagram(new QPushButton(tr("Choose Instagram accounts…"), this))
    , m_instagram(new InstagramSetup(m_avatars, this)) {
    QLabel *title = createSectionTitle(tr("Accounts"), this);
    m_accounts->setIconSize(QSize(32, 32));
    connect(m_avatars, &AvatarCache::ready, this, &AccountsPage::showAvatar);

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
    m_disconnect->setObjectName(QStringLiteral("disconnectAccount"));
    m_disconnect->setEnabled(false);
    connect(m_accounts, &QListWidget::currentRowChanged, this, &AccountsPage::updateActions);
    connect(m_disconnect, &QPushButton::clicked, this, &AccountsPage::disconnectSelected);
    m_chooseInstagram->setObjectName(QStringLiteral("chooseInstagramAccounts"));
    m_chooseInstagram->setToolTip(tr("Choose which Instagram accounts this Facebook login "
                                     "publishes to."));
    connect(m_chooseInstagram, &QPushButton::clicked, this, [this] {
        if (const qint64 login = selectedInstagramLogin(); login > 0)
            m_instagram->chooseAccounts(login);
    });
    connect(m_instagram, &InstagramSetup::connectAgainRequested, this,
            [this] { connectPlatform(QStringLiteral("instagram")); });
    connect(m_instagram, &InstagramSetup::notesChanged, this, &AccountsPage::showAccounts);
    connect(m_instagram, &InstagramSetup::accountsChosen, this, &AccountsPage::refresh);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(buttons);
    layout->addLayout(statusRow);
    layout->addWidget(m_instagram);
    layout->addWidget(m_accounts, 1);
    auto *actions = new QHBoxLayout;
    actions->addStretch(1);
    actions->addWidget(m_chooseInstagram);
    actions->addWidget(m_disconnect);
    layout->addLayout(actions);
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
    m_instagram->setRelay(relay);
    updateActions();
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
         QUrl(entry.value(QStringLiteral("authorize_url")).toString()), fixedPort,
         QUrl(entry.value(QStringLiteral("redirect_uri")).toString())},
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
                refresh(); // the database has it now (and announced it)
                showStatus(tr("Connected %1 on %2.")
                               .arg(account.value(QStringLiteral("display_name")).toString(),
                                    displayName(provider)));
                // Which Instagram accounts the login reaches, or what stands in the way.
                if (provider == QLatin1String("instagram"))
                    m_instagram->evaluate(account.value(QStringLiteral("account_id")).toInteger(),
                                          account.value(QStringLiteral("instagram")).toObject());
                flow->deleteLater();
            });
    connect(flow, &oauth::ConnectFlow::failed, this, [this, flow](const Error &error) {
        showStatus(error.message, true);
        flow->deleteLater();
    });
    flow->start();
}

void AccountsPage::setDatabase(store::DesktopDatabase *database) {
    m_database = database;
    connect(database, &store::DesktopDatabase::changed, this, [this](const QString &table) {
        if (table == QLatin1String("oauth_accounts") ||
            table == QLatin1String("instagram_accounts"))
            refresh();
    });
    refresh();
}

void AccountsPage::refresh() {
    if (!m_database)
        return;
    // Either answer may come after the page is gone (a new session replaced it).
    QPointer<AccountsPage> self(this);
    const auto keepAs = [self](QList<QJsonObject> AccountsPage::*rowsOf) {
        return [self, rowsOf](const Result<QList<QJsonObject>> &rows) {
            if (!self)
                return;
            if (!rows) {
                self->showStatus(rows.error().message, true);
                return;
            }
            self.data()->*rowsOf = *rows;
            self->showAccounts();
        };
    };
    // Row-level security limits this to the creator's own accounts; token columns are
    // not even readable by this login.
    m_database->query(
        QStringLiteral(
            "SELECT id, provider, display_name, username, scope, status, avatar_url, "
            "to_char(access_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS expires "
            "FROM oauth_accounts WHERE status <> 'revoked' ORDER BY provider, display_name"),
        {}, keepAs(&AccountsPage::m_accountRows));
    // The Instagram accounts chosen for each Facebook login (the relay records the choice).
    m_database->query(QStringLiteral("SELECT account_id, ig_business_id, username, page_name "
                                     "FROM instagram_accounts "
                                     "ORDER BY account_id, lower(username), ig_business_id"),
                      {}, keepAs(&AccountsPage::m_instagramRows));
}

void AccountsPage::showAvatar(const QUrl &url) {
    for (int row = 0; row < m_accounts->count(); ++row)
        if (QListWidgetItem *item = m_accounts->item(row);
            item->data(Qt::UserRole + 2).toUrl() == url)
            item->setIcon(m_avatars->icon(url));
}

void AccountsPage::showAccounts() {
    const qint64 selected =
        m_accounts->currentItem() ? m_accounts->currentItem()->data(Qt::UserRole).toLongLong() : 0;
    m_accounts->clear();
    for (const QJsonObject &account : std::as_const(m_accountRows)) {
        const QString provider = account.value(QStringLiteral("provider")).toString();
        QString line = displayName(provider) + QStringLiteral(" · ") +
                       account.value(QStringLiteral("display_name")).toString();
        if (const QString handle = account.value(QStringLiteral("username")).toString();
            !handle.isEmpty())
            line += QStringLiteral(" (@") + handle + QLatin1Char(')');
        const QString status = account.value(QStringLiteral("status")).toString();
        if (status == QLatin1String("needs_reconnect"))
            line += QStringLiteral(" · ") +
                    tr("needs reconnecting: click Connect %1 again").arg(displayName(provider));
        else
            line += QStringLiteral(" · ") +
                    tr("connected, token until %1 UTC (renewed automatically)")
                        .arg(account.value(QStringLiteral("expires")).toString());
        line += QStringLiteral(" · ") +
                tr("allowed: %1").arg(account.value(QStringLiteral("scope")).toString());
        auto *item = new QListWidgetItem(line, m_accounts);
        const QUrl avatar(account.value(QStringLiteral("avatar_url")).toString());
        item->setData(Qt::UserRole + 2, avatar);
        item->setIcon(m_avatars->icon(avatar));
        const qint64 id = account.value(QStringLiteral("id")).toString().toLongLong();
        item->setData(Qt::UserRole, id);
        item->setData(Qt::UserRole + 1, provider);
        item->setData(kRowKindRole, int(RowKind::Login));
        if (status == QLatin1String("needs_reconnect"))
            item->setForeground(QColor(0xb0, 0x00, 0x20));
        if (id == selected)
            m_accounts->setCurrentItem(item);
        if (provider == QLatin1String("instagram"))
            addInstagramRows(id);
    }
    updateActions();
}

void AccountsPage::addInstagramRows(qint64 loginId) {
    const auto addRow = [this, loginId](const QString &text, RowKind kind) {
        auto *item = new QListWidgetItem(QStringLiteral("      ") + text, m_accounts);
        item->setFlags(Qt::ItemIsEnabled); // part of the login above, not selectable alone
        item->setData(Qt::UserRole, loginId);
        item->setData(Qt::UserRole + 1, QStringLiteral("instagram"));
        item->setData(kRowKindRole, int(kind));
        return item;
    };
    for (const QJsonObject &chosen : std::as_const(m_instagramRows)) {
        if (chosen.value(QStringLiteral("account_id")).toString().toLongLong() != loginId)
            continue;
        QString line =
            tr("↳ Instagram @%1").arg(chosen.value(QStringLiteral("username")).toString());
        if (const QString page = chosen.value(QStringLiteral("page_name")).toString();
            !page.isEmpty())
            line += QStringLiteral(" · ") + tr("Facebook Page: %1").arg(page);
        addRow(line, RowKind::InstagramAccount);
    }
    for (const QString &warning : m_instagram->warnings(loginId)) {
        QListWidgetItem *note = addRow(tr("Note: %1").arg(warning), RowKind::Note);
        note->setForeground(QColor(0xb2, 0x5e, 0x00)); // worth knowing, not broken
        note->setToolTip(warning);
    }
}

qint64 AccountsPage::selectedInstagramLogin() const {
    const QListWidgetItem *item = m_accounts->currentItem();
    if (!item || item->data(Qt::UserRole + 1).toString() != QLatin1String("instagram"))
        return 0;
    return item->data(Qt::UserRole).toLongLong();
}

void AccountsPage::updateActions() {
    const QListWidgetItem *item = m_accounts->currentItem();
    const bool login = item && RowKind(item->data(kRowKindRole).toInt()) == RowKind::Login;
    m_disconnect->setEnabled(login && m_relay);
    m_chooseInstagram->setEnabled(m_relay && selectedInstagramLogin() > 0);
    m_chooseInstagram->setVisible(
        std::any_of(m_accountRows.cbegin(), m_accountRows.cend(), [](const QJsonObject &account) {
            return account.value(QStringLiteral("provider")).toString() ==
                   QLatin1String("instagram");
        }));
}

void AccountsPage::disconnectSelected() {
    QListWidgetItem *item = m_accounts->currentItem();
    if (!item || !m_relay)
        return;
    const qint64 accountId = item->data(Qt::UserRole).toLongLong();
    const QString provider = item->data(Qt::UserRole + 1).toString();
    showStatus(tr("Disconnecting…"), false, true);
    m_cancel->hide();
    m_relay->disconnect(accountId, [this, provider](const Result<QJsonObject> &done) {
        if (!done) {
            showStatus(done.error().message, true);
            return;
        }
        showStatus(tr("Disconnected from %1. Huntaze no longer holds a token for it.")
                       .arg(displayName(provider)));
        refresh();
    });
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
