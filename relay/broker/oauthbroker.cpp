#include "oauthbroker.h"

#include "accountvault.h"
#include "audit/auditwriter.h"
#include "databasepool.h"
#include "devices/devicestore.h"
#include "log/logger.h"
#include "log/metricsregistry.h"
#include "oauth/providerclient.h"
#include "outboundhttp.h"
#include "store/pgconnection.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

namespace huntaze::relay {

namespace {

HttpResponse errorResponse(const Error &error) {
    if (error.domain == QLatin1String("devices") || error.domain == QLatin1String("broker"))
        return HttpResponse::error(error.httpStatus ? error.httpStatus : 400, error.code,
                                   error.message);
    if (error.domain == QLatin1String("store") || error.domain == QLatin1String("crypto")) {
        HttpResponse response = HttpResponse::error(
            503, QStringLiteral("unavailable"),
            QStringLiteral("The relay cannot reach its database; retry shortly."));
        response.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("5")});
        return response;
    }
    // A platform's answer: 502 for its trouble, 400 for a refused grant, with its code.
    return HttpResponse::error(error.retryable ? 502 : 400, error.code, error.message);
}

// {"account_id": N} from the body; 0 when absent (no such account).
qint64 accountIdOf(const HttpRequest &request) {
    return QJsonDocument::fromJson(request.body)
        .object()
        .value(QStringLiteral("account_id"))
        .toInteger();
}

QString bearer(const HttpRequest &request) {
    const QByteArray authorization = request.header("authorization").trimmed();
    if (authorization.size() > 7 && authorization.left(7).toLower() == "bearer ")
        return QString::fromLatin1(authorization.mid(7).trimmed());
    return {};
}

log::Counter &refreshes(const QString &provider, const QString &outcome) {
    return log::MetricsRegistry::global().counter(
        QStringLiteral("huntaze_token_refresh_total"),
        QStringLiteral("Token refreshes by provider and outcome."),
        {{QStringLiteral("provider"), provider}, {QStringLiteral("outcome"), outcome}});
}

Error brokerError(int status, const QString &code, const QString &message) {
    Error error;
    error.domain = QStringLiteral("broker");
    error.code = code;
    error.httpStatus = status;
    error.message = message;
    return error;
}

} // namespace

OAuthBroker::OAuthBroker(QHash<QString, std::shared_ptr<oauth::ProviderClient>> providers,
                         const crypto::TokenSealer *sealer, DatabasePool &pool, OutboundHttp &http,
                         AuditWriter &audit)
    : m_providers(std::move(providers))
    , m_sealer(sealer)
    , m_pool(pool)
    , m_http(http)
    , m_audit(audit) {
    // Series at 0 from the start, so dashboards and alert rules see every provider's
    // refreshes (a rate needs a series that existed before the first failure).
    for (auto it = m_providers.cbegin(); it != m_providers.cend(); ++it)
        for (const char *outcome : {"ok", "invalid_grant", "temporary_failure"})
            refreshes(it.key(), QLatin1String(outcome));
}

void OAuthBroker::setConnectedHook(const QString &provider, ConnectedHook hook) {
    m_connectedHooks.insert(provider, std::move(hook));
}

void OAuthBroker::registerRoutes(Router &router) {
    for (const QString &provider : {QStringLiteral("tiktok"), QStringLiteral("instagram"),
                                    QStringLiteral("reddit"), QStringLiteral("x")}) {
        router.add(
            "POST", QStringLiteral("/v1/oauth/%1/exchange").arg(provider),
            [this, provider](HttpRequest &&request, HttpResponder respond) {
                exchange(provider, std::move(request), std::move(respond));
            },
            QStringLiteral("api"));
    }
    router.add(
        "POST", QStringLiteral("/v1/oauth/token"),
        [this](HttpRequest &&request, HttpResponder respond) {
            token(std::move(request), std::move(respond));
        },
        QStringLiteral("api"));
    router.add(
        "POST", QStringLiteral("/v1/oauth/revoke"),
        [this](HttpRequest &&request, HttpResponder respond) {
            revoke(std::move(request), std::move(respond));
        },
        QStringLiteral("api"));
}

void OAuthBroker::exchange(const QString &provider, HttpRequest &&request, HttpResponder respond) {
    const auto client = m_providers.value(provider);
    if (!client || !m_sealer) {
        respond(HttpResponse::error(
            503, QStringLiteral("not_configured"),
            QStringLiteral("This relay is not configured for %1 (app credentials and "
                           "HUNTAZE_KEYRING).")
                .arg(provider)));
        return;
    }
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString code = body.value(QStringLiteral("code")).toString();
    const QString verifier = body.value(QStringLiteral("code_verifier")).toString();
    const QString redirectUri = body.value(QStringLiteral("redirect_uri")).toString();
    if (code.isEmpty() || redirectUri.isEmpty() || code.size() > 2048 || verifier.size() > 256) {
        respond(HttpResponse::error(
            400, QStringLiteral("bad_request"),
            QStringLiteral("Send {code, code_verifier, redirect_uri} as JSON.")));
        return;
    }
    const QString remote = request.remoteAddress;
    withDevice(request, respond, [=, this](store::PgConnection &db, const DeviceIdentity &device) {
        // The code is short-lived (X: 30 s): exchange it at once.
        const auto [status, answer] =
            m_http.sendAndWait(client->exchange(code, verifier, redirectUri),
                               {provider, QStringLiteral("token_exchange")});
        auto tokens = client->parseTokens(status, answer);
        if (tokens) {
            if (auto upgrade = client->upgrade(tokens->accessToken)) {
                const auto [upgradeStatus, upgradeAnswer] =
                    m_http.sendAndWait(*upgrade, {provider, QStringLiteral("token_upgrade")});
                tokens = client->parseTokens(upgradeStatus, upgradeAnswer);
            }
        }
        if (!tokens) {
            m_audit.record({QStringLiteral("oauth.exchange"),
                            QStringLiteral("failed"),
                            QStringLiteral("device:%1").arg(device.deviceId),
                            provider,
                            {},
                            remote,
                            device.userId,
                            QJsonObject{{QStringLiteral("error_code"), tokens.error().code}}});
            return respond(errorResponse(tokens.error()));
        }
        const auto [profileStatus, profileAnswer] =
            m_http.sendAndWait(client->profile(tokens->accessToken, tokens->scope),
                               {provider, QStringLiteral("profile")});
        auto profile = client->parseProfile(profileStatus, profileAnswer);
        if (!profile)
            return respond(errorResponse(profile.error()));
        auto accountId =
            AccountVault(*m_sealer).upsert(db, device.userId, provider, *tokens, *profile);
        m_audit.record({QStringLiteral("oauth.exchange"),
                        accountId ? QStringLiteral("ok") : QStringLiteral("failed"),
                        QStringLiteral("device:%1").arg(device.deviceId),
                        provider,
                        profile->openId,
                        remote,
                        device.userId,
                        {}});
        if (!accountId)
            return respond(errorResponse(accountId.error()));
        QJsonObject connected{{QStringLiteral("account_id"), *accountId},
                              {QStringLiteral("provider"), provider},
                              {QStringLiteral("open_id"), profile->openId},
                              {QStringLiteral("display_name"), profile->displayName},
                              {QStringLiteral("username"), profile->username},
                              {QStringLiteral("avatar_url"), profile->avatarUrl},
                              {QStringLiteral("scope"), tokens->scope},
                              {QStringLiteral("expires_in"), tokens->expiresIn}};
        if (const auto hook = m_connectedHooks.constFind(provider); hook != m_connectedHooks.cend())
            connected.insert(provider,
                             (*hook)(db, Connected{*accountId, device.userId, device.deviceId,
                                                   tokens->accessToken, remote}));
        respond(HttpResponse::json(200, QJsonDocument(connected).toJson(QJsonDocument::Compact)));
    });
}

Result<OAuthBroker::RefreshOutcome> OAuthBroker::refreshIfDue(store::PgConnection &db,
                                                              qint64 accountId, qint64 userId,
                                                              qint64 marginSeconds) {
    if (!m_sealer)
        return brokerError(503, QStringLiteral("not_configured"),
                           QStringLiteral("HUNTAZE_KEYRING is not configured."));
    if (auto begun = db.execScript(QStringLiteral("BEGIN")); !begun)
        return begun.error();
    const AccountVault vault(*m_sealer);
    auto account = vault.lockAndOpen(db, accountId, userId); // holds the row until COMMIT
    auto finish = [&db](bool commit) {
        return bool(db.execScript(commit ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK")));
    };
    if (!account) {
        finish(false);
        return account.error();
    }
    if (account->status != QLatin1String("active")) {
        finish(false);
        return brokerError(
            409, QStringLiteral("needs_reconnect"),
            QStringLiteral("This account must be reconnected (%1).").arg(account->status));
    }
    const qint64 remaining = QDateTime::currentDateTimeUtc().secsTo(account->accessExpiresAt);
    if (remaining > marginSeconds && !account->accessToken.isEmpty()) {
        finish(true);
        return RefreshOutcome{false, account->accessToken, remaining};
    }
    const auto client = m_providers.value(account->provider);
    const QByteArray grant =
        account->refreshToken.isEmpty() && account->provider == QLatin1String("instagram")
            ? account->accessToken // Meta: re-exchange the long-lived token
            : account->refreshToken;
    if (!client || grant.isEmpty()) {
        finish(false);
        return brokerError(409, QStringLiteral("needs_reconnect"),
                           QStringLiteral("No way to refresh: reconnect the account."));
    }
    const auto [status, answer] = m_http.sendAndWait(
        client->refresh(grant), {account->provider, QStringLiteral("token_refresh")});
    auto tokens = client->parseTokens(status, answer);
    if (!tokens) {
        if (client->isRefusedGrant(tokens.error())) {
            // Only a refused grant is a dead token. Anything else (the platform down, our
            // own credentials or configuration wrong, throttling) leaves the account alone.
            (void)db.exec(
                QStringLiteral(
                    "UPDATE oauth_accounts SET status = 'needs_reconnect', status_reason = $2, "
                    "updated_at = now() WHERE id = $1"),
                {account->id, QString(QStringLiteral("refresh:") + tokens.error().code)});
            (void)db.exec(
                QStringLiteral("INSERT INTO audit_log (user_id, actor, event, provider, subject, "
                               "outcome, details) "
                               "VALUES ($1, 'relay', 'token.refresh', $2, $3, 'needs_reconnect', "
                               "jsonb_build_object('error_code', $4::text))"),
                {account->userId, account->provider, account->openId, tokens.error().code});
            (void)db.exec(QStringLiteral("SELECT pg_notify('huntaze_changes', "
                                         "json_build_object('table', 'oauth_accounts', "
                                         "'user_id', $1::bigint, 'key', $2::text)::text)"),
                          {account->userId, QString::number(account->id)});
            finish(true);
            refreshes(account->provider, QStringLiteral("invalid_grant")).inc();
        } else {
            finish(false);
            refreshes(account->provider, QStringLiteral("temporary_failure")).inc();
        }
        return tokens.error();
    }
    if (auto stored = vault.storeRefreshed(db, *account, *tokens); !stored) {
        finish(false);
        return stored.error();
    }
    (void)db.exec(
        QStringLiteral("INSERT INTO audit_log (user_id, actor, event, provider, subject, outcome) "
                       "VALUES ($1, 'relay', 'token.refresh', $2, $3, 'ok')"),
        {account->userId, account->provider, account->openId});
    if (!finish(true)) {
        // The platform may have rotated the refresh token we could not store: say so loudly.
        log::error(QStringLiteral("relay.refresh"), QStringLiteral("token.refresh_not_stored"),
                   {{QStringLiteral("account_id"), account->id},
                    {QStringLiteral("provider"), account->provider}});
        refreshes(account->provider, QStringLiteral("not_stored")).inc();
        return brokerError(
            503, QStringLiteral("unavailable"),
            QStringLiteral("The refreshed token could not be stored; retry shortly."));
    }
    refreshes(account->provider, QStringLiteral("ok")).inc();
    return RefreshOutcome{true, tokens->accessToken, tokens->expiresIn};
}

void OAuthBroker::withDevice(const HttpRequest &request, HttpResponder respond, DeviceJob job) {
    const QString credential = bearer(request);
    m_pool.submit(
        [credential, respond, job = std::move(job)](Result<store::PgConnection *> pooled) {
            if (!pooled)
                return respond(errorResponse(pooled.error()));
            auto device = DeviceStore::authenticate(**pooled, credential);
            if (!device)
                return respond(errorResponse(device.error()));
            job(**pooled, *device);
        });
}

void OAuthBroker::token(HttpRequest &&request, HttpResponder respond) {
    const qint64 accountId = accountIdOf(request);
    // "refresh": true when the platform just refused the token (access_token_invalid):
    // refresh now, whatever its recorded expiry says.
    const bool force =
        QJsonDocument::fromJson(request.body).object().value(QStringLiteral("refresh")).toBool();
    const QString remote = request.remoteAddress;
    withDevice(request, respond, [=, this](store::PgConnection &db, const DeviceIdentity &device) {
        auto outcome = refreshIfDue(db, accountId, device.userId,
                                    force ? std::numeric_limits<qint64>::max() : 300);
        m_audit.record({QStringLiteral("oauth.token_issued"),
                        outcome ? QStringLiteral("ok") : QStringLiteral("failed"),
                        QStringLiteral("device:%1").arg(device.deviceId),
                        {},
                        QStringLiteral("account:%1").arg(accountId),
                        remote,
                        device.userId,
                        {}});
        if (!outcome)
            return respond(errorResponse(outcome.error()));
        respond(HttpResponse::json(
            200,
            QJsonDocument(QJsonObject{{QStringLiteral("access_token"),
                                       QString::fromUtf8(outcome->accessToken)},
                                      {QStringLiteral("expires_in"), outcome->expiresInSeconds},
                                      {QStringLiteral("refreshed"), outcome->refreshed}})
                .toJson(QJsonDocument::Compact)));
    });
}

void OAuthBroker::revoke(HttpRequest &&request, HttpResponder respond) {
    const qint64 accountId = accountIdOf(request);
    const QString remote = request.remoteAddress;
    withDevice(request, respond, [=, this](store::PgConnection &db, const DeviceIdentity &device) {
        if (!m_sealer)
            return respond(
                errorResponse(brokerError(503, QStringLiteral("not_configured"),
                                          QStringLiteral("HUNTAZE_KEYRING is not configured."))));
        if (auto begun = db.execScript(QStringLiteral("BEGIN")); !begun)
            return respond(errorResponse(begun.error()));
        auto account = AccountVault(*m_sealer).lockAndOpen(db, accountId, device.userId);
        if (!account) {
            (void)db.execScript(QStringLiteral("ROLLBACK"));
            return respond(errorResponse(account.error()));
        }
        // Best effort at the platform; forgetting the tokens here is what matters.
        if (const auto client = m_providers.value(account->provider)) {
            const QByteArray token =
                account->refreshToken.isEmpty() ? account->accessToken : account->refreshToken;
            if (!token.isEmpty())
                (void)m_http.sendAndWait(client->revoke(token),
                                         {account->provider, QStringLiteral("token_revoke")});
        }
        auto updated = db.exec(
            QStringLiteral(
                "UPDATE oauth_accounts SET status = 'revoked', status_reason = 'disconnected', "
                "access_token_sealed = NULL, refresh_token_sealed = NULL, updated_at = now() "
                "WHERE id = $1"),
            {account->id});
        if (updated)
            (void)db.exec(
                QStringLiteral("SELECT pg_notify('huntaze_changes', json_build_object('table', "
                               "'oauth_accounts', 'user_id', $1::bigint, 'key', $2::text)::text)"),
                {account->userId, QString::number(account->id)});
        (void)db.execScript(updated ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK"));
        m_audit.record({QStringLiteral("oauth.revoke"),
                        updated ? QStringLiteral("ok") : QStringLiteral("failed"),
                        QStringLiteral("device:%1").arg(device.deviceId),
                        account->provider,
                        account->openId,
                        remote,
                        device.userId,
                        {}});
        if (!updated)
            return respond(errorResponse(updated.error()));
        respond(HttpResponse::json(200, QByteArrayLiteral("{\"revoked\":true}")));
    });
}

} // namespace huntaze::relay
