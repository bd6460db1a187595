#include "connectflow.h"

#include "net/relayclient.h"

#include <QUrlQuery>

namespace huntaze::oauth {

namespace {
QString callbackPath(const QString &provider) {
    // TikTok registers http://127.0.0.1:*/callback/; the others their own exact paths.
    if (provider == QLatin1String("tiktok"))
        return QStringLiteral("/callback/");
    return QLatin1Char('/') + provider + QStringLiteral("/callback");
}
} // namespace

ConnectFlow::ConnectFlow(net::RelayClient &relay, Platform platform, OpenUrl openUrl,
                         QObject *parent)
    : QObject(parent)
    , m_relay(relay)
    , m_platform(std::move(platform))
    , m_openUrl(std::move(openUrl))
    , m_pkce(Pkce::generate(m_platform.provider == QLatin1String("tiktok")
                                ? Pkce::Encoding::Hex
                                : Pkce::Encoding::Base64Url))
    , m_state(randomState()) {}

QStringList ConnectFlow::scopesFor(const QString &provider) {
    if (provider == QLatin1String("tiktok"))
        return {QStringLiteral("user.info.basic"), QStringLiteral("user.info.profile"),
                QStringLiteral("user.info.stats"), QStringLiteral("video.upload"),
                QStringLiteral("video.publish")};
    if (provider == QLatin1String("instagram"))
        return {QStringLiteral("instagram_basic"),
                QStringLiteral("instagram_content_publish"),
                QStringLiteral("instagram_manage_insights"),
                QStringLiteral("instagram_manage_comments"),
                QStringLiteral("pages_show_list"),
                QStringLiteral("pages_read_engagement"),
                QStringLiteral("pages_manage_metadata")};
    if (provider == QLatin1String("reddit"))
        return {QStringLiteral("identity"), QStringLiteral("submit"),
                QStringLiteral("read"),     QStringLiteral("history"),
                QStringLiteral("edit"),     QStringLiteral("mysubreddits"),
                QStringLiteral("flair")};
    return {QStringLiteral("tweet.read"), QStringLiteral("tweet.write"),
            QStringLiteral("users.read"), QStringLiteral("media.write"),
            QStringLiteral("offline.access")};
}

QUrl ConnectFlow::buildAuthorizationUrl() const {
    const QString provider = m_platform.provider;
    const QStringList scopes = scopesFor(provider);
    QUrlQuery query;
    const bool commaScopes =
        provider == QLatin1String("tiktok") || provider == QLatin1String("instagram");
    query.addQueryItem(provider == QLatin1String("tiktok") ? QStringLiteral("client_key")
                                                           : QStringLiteral("client_id"),
                       m_platform.clientId);
    query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    query.addQueryItem(QStringLiteral("scope"),
                       scopes.join(commaScopes ? QLatin1Char(',') : QLatin1Char(' ')));
    query.addQueryItem(QStringLiteral("redirect_uri"), redirectUri());
    query.addQueryItem(QStringLiteral("state"), QString::fromLatin1(m_state));
    if (provider == QLatin1String("reddit")) {
        query.addQueryItem(QStringLiteral("duration"),
                           QStringLiteral("permanent")); // PKCE is not documented
    } else if (provider != QLatin1String("instagram")) {
        query.addQueryItem(QStringLiteral("code_challenge"), QString::fromLatin1(m_pkce.challenge));
        query.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    }
    QUrl url = m_platform.authorizeUrl;
    url.setQuery(query);
    return url;
}

bool ConnectFlow::viaRelayPage() const {
    return m_platform.provider == QLatin1String("instagram") &&
           m_platform.relayRedirectUri.isValid() && !m_platform.relayRedirectUri.isEmpty();
}

QString ConnectFlow::redirectUri() const {
    return viaRelayPage() ? m_platform.relayRedirectUri.toString() : m_receiver->redirectUri();
}

void ConnectFlow::start(int timeoutMs) {
    // The relay's page forwards to http://127.0.0.1:<port>/callback (metaredirectpage.cpp).
    m_receiver = std::make_unique<LoopbackReceiver>(
        viaRelayPage() ? QStringLiteral("/callback") : callbackPath(m_platform.provider), m_state);
    QString problem;
    if (!m_receiver->listen(m_platform.fixedPort, &problem)) {
        Error error;
        error.domain = QStringLiteral("oauth");
        error.code = QStringLiteral("port_in_use");
        error.message = problem;
        fail(error);
        return;
    }
    if (viaRelayPage()) {
        m_state += '.' + QByteArray::number(m_receiver->port());
        m_receiver->setExpectedState(m_state);
    }
    connect(m_receiver.get(), &LoopbackReceiver::staleCallbackRefused, this,
            &ConnectFlow::staleSignInRefused);
    connect(m_receiver.get(), &LoopbackReceiver::failed, this, &ConnectFlow::fail);
    connect(m_receiver.get(), &LoopbackReceiver::received, this,
            [this](const LoopbackReceiver::Callback &callback) {
                // Exchange at once: the code is short-lived, and the verifier never leaves this
                // desktop except to the relay, over its own connection.
                m_relay.exchange(m_platform.provider, callback.code,
                                 QString::fromLatin1(m_pkce.verifier), redirectUri(),
                                 [this](const Result<QJsonObject> &account) {
                                     if (!account) {
                                         fail(account.error());
                                         return;
                                     }
                                     m_finished = true;
                                     Q_EMIT connected(*account);
                                 });
            });
    m_authorizationUrl = buildAuthorizationUrl();
    m_receiver->startTimeout(timeoutMs);
    Q_EMIT waitingForBrowser(m_authorizationUrl);
    if (m_openUrl && !m_openUrl(m_authorizationUrl)) {
        // No browser (a server, a headless session): the UI and the command line show
        // the address to open by hand; the listener keeps waiting.
    }
}

void ConnectFlow::cancel() {
    if (m_receiver && !m_finished)
        m_receiver->cancel();
}

void ConnectFlow::fail(const Error &error) {
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT failed(error);
}

} // namespace huntaze::oauth
