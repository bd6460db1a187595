#include "publishingstack.h"

#include "childprocess.h"
#include "fixedport.h"
#include "httpclient.h"
#include "net/relayclient.h"
#include "oauth/connectflow.h"
#include "store/migrator.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTimer>
#include <QUrlQuery>

namespace huntaze::test {

namespace {
// Runs the event loop until `done` or the timeout.
template <typename Predicate> bool waitFor(Predicate done, int timeoutMs) {
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start(20);
    if (!done())
        loop.exec();
    return done();
}

// A loopback port free right now, so the relay can be told its own address before it
// starts (for the media host's public URL).
quint16 freePort() {
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}
} // namespace

PublishingStack::~PublishingStack() {
    m_relay.reset();
    m_sandbox.reset();
    m_sql.reset();
    m_db.reset();
    if (auto admin = store::PgConnection::open(TestDatabase::adminUrl());
        admin && !m_role.isEmpty())
        (void)admin->execScript(QStringLiteral("DROP ROLE IF EXISTS ") +
                                admin->quoteIdentifier(m_role));
}

bool PublishingStack::fail(const QString &why) {
    m_error = why;
    return false;
}

bool PublishingStack::start(const QMap<QString, QString> &relaySettings) {
    m_db = std::make_unique<TestDatabase>();
    if (!m_db->isValid())
        return fail(m_db->errorString());
    auto connection = store::PgConnection::open(m_db->url());
    if (!connection)
        return fail(connection.error().message);
    m_sql.emplace(std::move(connection).value());
    if (auto migrated = store::Migrator().migrate(*m_sql); !migrated)
        return fail(migrated.error().message);

    m_sandbox = std::make_unique<SandboxProcess>();
    if (!m_sandbox->isRunning())
        return fail(QStringLiteral("sandbox: ") + m_sandbox->output());
    const QString base = m_sandbox->baseUrl().toString();
    const QJsonObject instagram = m_sandbox->platform(QStringLiteral("instagram"));
    const auto sandboxField = [this](const QString &platform, const char *field) {
        return m_sandbox->platform(platform).value(QLatin1String(field)).toString();
    };
    QMap<QString, QString> settings{
        {QStringLiteral("HUNTAZE_KEYRING"), m_scratch.filePath(QStringLiteral("keyring"))},
        {QStringLiteral("TIKTOK_CLIENT_KEY"), QStringLiteral("sbx-tiktok-client")},
        {QStringLiteral("TIKTOK_CLIENT_SECRET"), QStringLiteral("sbx-tiktok-secret")},
        {QStringLiteral("TIKTOK_WEBHOOK_SECRET"), QStringLiteral("sbx-tiktok-secret")},
        {QStringLiteral("TIKTOK_API_BASE"), base + QStringLiteral("/tiktok")},
        {QStringLiteral("TIKTOK_AUTH_BASE"), base + QStringLiteral("/tiktok")},
        {QStringLiteral("HUNTAZE_TIKTOK_POLL_INTERVAL_SECONDS"), QStringLiteral("1")},
        // Instagram (Facebook Login) against the sandbox: the app, its hosts, the pinned
        // Graph version, and what signs and verifies its webhooks.
        {QStringLiteral("INSTAGRAM_APP_ID"), instagram.value(QStringLiteral("client_id"))
                                                 .toString(QStringLiteral("sbx-instagram-client"))},
        {QStringLiteral("INSTAGRAM_APP_SECRET"),
         instagram.value(QStringLiteral("client_secret"))
             .toString(QStringLiteral("sbx-instagram-secret"))},
        {QStringLiteral("INSTAGRAM_GRAPH_BASE"),
         instagram.value(QStringLiteral("graph_url"))
             .toString(base + QStringLiteral("/instagram"))},
        {QStringLiteral("INSTAGRAM_DIALOG_BASE"),
         instagram.value(QStringLiteral("www_url")).toString(base + QStringLiteral("/instagram"))},
        {QStringLiteral("INSTAGRAM_GRAPH_VERSION"),
         instagram.value(QStringLiteral("graph_version")).toString(QStringLiteral("v25.0"))},
        {QStringLiteral("INSTAGRAM_VERIFY_TOKEN"),
         instagram.value(QStringLiteral("verify_token"))
             .toString(QStringLiteral("sbx-instagram-verify"))},
        // Reddit (installed app, no secret) and X (confidential client) against the sandbox.
        {QStringLiteral("REDDIT_CLIENT_ID"), sandboxField(QStringLiteral("reddit"), "client_id")},
        {QStringLiteral("REDDIT_AUTH_BASE"),
         sandboxField(QStringLiteral("reddit"), "www_base_url")},
        {QStringLiteral("REDDIT_API_BASE"),
         sandboxField(QStringLiteral("reddit"), "oauth_base_url")},
        {QStringLiteral("X_CLIENT_ID"), sandboxField(QStringLiteral("x"), "client_id")},
        {QStringLiteral("X_CLIENT_SECRET"), sandboxField(QStringLiteral("x"), "client_secret")},
        {QStringLiteral("X_CONSUMER_SECRET"), sandboxField(QStringLiteral("x"), "consumer_secret")},
        {QStringLiteral("X_AUTH_BASE"), sandboxField(QStringLiteral("x"), "web_base_url")},
        {QStringLiteral("X_API_BASE"), sandboxField(QStringLiteral("x"), "api_base_url")},
    };
    // The media host for local Instagram photos: the sandbox "fetches" them from the relay.
    if (const quint16 port = freePort()) {
        settings.insert(QStringLiteral("HUNTAZE_LISTEN"), QStringLiteral("127.0.0.1:%1").arg(port));
        settings.insert(QStringLiteral("HUNTAZE_MEDIA_PUBLIC_URL"),
                        QStringLiteral("http://127.0.0.1:%1").arg(port));
    }
    for (auto it = relaySettings.cbegin(); it != relaySettings.cend(); ++it)
        settings.insert(it.key(), it.value());
    m_relay = std::make_unique<RelayProcess>(m_db->url(), settings);
    if (!m_relay->isRunning())
        return fail(QStringLiteral("relay: ") + QString::fromUtf8(m_relay->output()));
    HttpClient http;
    if (http.postJson(m_sandbox->url(QStringLiteral("/_admin/webhooks")),
                      {{QStringLiteral("relay_url"), relayUrl().toString()}})
            .status != 200)
        return fail(QStringLiteral("could not point the sandbox's webhooks at the relay"));

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HUNTAZE_DATABASE_URL"), m_db->url());
    ChildProcess user(QStringLiteral(HUNTAZE_RELAY_BIN),
                      {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--email"),
                       QStringLiteral("creator@example.com")},
                      environment);
    if (user.waitForExit() != 0)
        return fail(QStringLiteral("user add: ") + QString::fromUtf8(user.output()));
    ChildProcess pair(QStringLiteral(HUNTAZE_RELAY_BIN),
                      {QStringLiteral("device"), QStringLiteral("pair"), QStringLiteral("--user"),
                       QStringLiteral("1")},
                      environment);
    if (pair.waitForExit() != 0)
        return fail(QStringLiteral("device pair: ") + QString::fromUtf8(pair.output()));
    const QString code = QJsonDocument::fromJson(pair.output().trimmed().split('\n').last())
                             .object()
                             .value(QStringLiteral("pairing_code"))
                             .toString();
    net::RelayClient client(relayUrl());
    std::optional<Result<QJsonObject>> paired;
    client.pair(code, QStringLiteral("test desktop"),
                [&](const Result<QJsonObject> &answer) { paired = answer; });
    if (!waitFor([&] { return paired.has_value(); }, 20000))
        return fail(QStringLiteral("pairing timed out"));
    if (!paired->ok())
        return fail(QStringLiteral("pairing failed: ") + paired->error().message +
                    QStringLiteral(" / ") + QString::fromUtf8(m_relay->output().right(3000)));
    m_credential = paired->value().value(QStringLiteral("credential")).toString().toUtf8();
    m_desktopDatabaseUrl = paired->value().value(QStringLiteral("database_url")).toString();
    m_role = QUrl(m_desktopDatabaseUrl).userName();
    client.setCredential(m_credential);
    std::optional<Result<QJsonObject>> directory;
    client.platforms([&](const Result<QJsonObject> &answer) { directory = answer; });
    if (!waitFor([&] { return directory.has_value(); }, 20000) || !directory->ok())
        return fail(QStringLiteral("no platform directory"));
    m_platforms = directory->value();
    return true;
}

QUrl PublishingStack::tiktokApiBase() const {
    return QUrl(m_platforms.value(QStringLiteral("tiktok"))
                    .toObject()
                    .value(QStringLiteral("api_base_url"))
                    .toString());
}

std::optional<QJsonObject>
PublishingStack::signInThroughSandbox(const QString &provider,
                                      const QList<QPair<QString, QString>> &decision, int timeoutMs,
                                      quint16 fixedPort) {
    if (fixedPort && !waitUntilPortIsFree(fixedPort))
        return std::nullopt;
    net::RelayClient client(relayUrl());
    client.setCredential(m_credential);
    const QJsonObject entry = m_platforms.value(provider).toObject();
    oauth::ConnectFlow::Platform platform{
        provider,
        entry.value(QStringLiteral("client_id")).toString(),
        QUrl(entry.value(QStringLiteral("authorize_url")).toString()),
        fixedPort,
        {}};
    // A browser that approves on the sandbox's page with the given test user and choices.
    auto browser = [decision](const QUrl &url) {
        QTimer::singleShot(0, [url, decision] {
            HttpClient http;
            QUrl page = url;
            QUrlQuery query(page);
            query.addQueryItem(QStringLiteral("sandbox_decision"), QStringLiteral("approve"));
            for (const auto &[name, value] : decision)
                query.addQueryItem(name, value);
            page.setQuery(query);
            const auto redirect = http.get(page);
            http.get(QUrl(QString::fromUtf8(redirect.header("Location"))));
        });
        return true;
    };
    oauth::ConnectFlow flow(client, platform, browser);
    std::optional<QJsonObject> account;
    std::optional<Error> failure;
    QObject::connect(&flow, &oauth::ConnectFlow::connected,
                     [&](const QJsonObject &connected) { account = connected; });
    QObject::connect(&flow, &oauth::ConnectFlow::failed,
                     [&](const Error &error) { failure = error; });
    flow.start();
    if (!waitFor([&] { return account.has_value() || failure.has_value(); }, timeoutMs) ||
        !account) {
        m_error = failure ? failure->message : QStringLiteral("connect timed out");
        return std::nullopt;
    }
    return account;
}

std::optional<qint64> PublishingStack::accountIdOf(const QString &provider,
                                                   const std::optional<QJsonObject> &account) {
    if (!account)
        return std::nullopt;
    const QString openId = account->value(QStringLiteral("open_id")).toString();
    auto id = m_sql->exec(
        QStringLiteral("SELECT id FROM oauth_accounts WHERE provider = $1 AND open_id = $2"),
        {provider, openId});
    if (!id || id->rows() != 1) {
        m_error = QStringLiteral("no %1 account with open_id %2").arg(provider, openId);
        return std::nullopt;
    }
    return id->int64(0, 0);
}

std::optional<qint64> PublishingStack::connectTikTok(const QString &sandboxUser) {
    return accountIdOf(QStringLiteral("tiktok"),
                       signInThroughSandbox(QStringLiteral("tiktok"),
                                            {{QStringLiteral("sandbox_user"), sandboxUser}},
                                            30000));
}

std::optional<qint64> PublishingStack::connectReddit(const QString &sandboxUserId) {
    // Reddit matches the redirect URI exactly: the desktop's fixed port (kRedditPort).
    return accountIdOf(QStringLiteral("reddit"),
                       signInThroughSandbox(QStringLiteral("reddit"),
                                            {{QStringLiteral("sandbox_user"), sandboxUserId}},
                                            30000, kRedditPort));
}

std::optional<qint64> PublishingStack::connectX(const QString &sandboxUserId) {
    return accountIdOf(QStringLiteral("x"),
                       signInThroughSandbox(QStringLiteral("x"),
                                            {{QStringLiteral("sandbox_user"), sandboxUserId}},
                                            30000, kXPort));
}

QStringList PublishingStack::allInstagramScopes() {
    return oauth::ConnectFlow::scopesFor(QStringLiteral("instagram"));
}

std::optional<QJsonObject> PublishingStack::connectInstagram(const QString &facebookUserId,
                                                             const QStringList &scopes) {
    // Logs in as the sandbox's Facebook user and grants `scopes` only.
    return signInThroughSandbox(QStringLiteral("instagram"),
                                {{QStringLiteral("sandbox_user"), facebookUserId},
                                 {QStringLiteral("sandbox_scopes"), scopes.join(QLatin1Char(','))}},
                                60000);
}

QMap<QString, QString> PublishingStack::desktopEnvironment() const {
    return {{QStringLiteral("HUNTAZE_RELAY_URL"), relayUrl().toString()},
            {QStringLiteral("HUNTAZE_DEVICE_CREDENTIAL"), QString::fromUtf8(m_credential)},
            {QStringLiteral("HUNTAZE_DESKTOP_DATABASE_URL"), m_desktopDatabaseUrl}};
}

qint64 PublishingStack::scalar(const QString &sql) {
    auto result = m_sql->exec(sql);
    return result && result->rows() && !result->isNull(0, 0) ? result->int64(0, 0) : -1;
}

} // namespace huntaze::test
