#include "accesstokens.h"

#include "relayclient.h"

#include <QJsonObject>

namespace huntaze::net {

AccessTokens::AccessTokens(RelayClient *relay, QObject *parent)
    : QObject(parent)
    , m_relay(relay) {}

void AccessTokens::get(qint64 accountId, bool forceRefresh, Done done) {
    const auto cached = m_cache.constFind(accountId);
    if (!forceRefresh && cached != m_cache.cend() &&
        cached->usableUntil > QDateTime::currentDateTimeUtc())
        return done(cached->token);
    m_cache.remove(accountId);
    m_relay->accessToken(
        accountId, forceRefresh, [this, accountId, done](const Result<QJsonObject> &answer) {
            if (!answer)
                return done(answer.error());
            const QByteArray token =
                answer->value(QStringLiteral("access_token")).toString().toUtf8();
            const qint64 expiresIn = answer->value(QStringLiteral("expires_in")).toInteger();
            if (token.isEmpty())
                return done(Error{QStringLiteral("relay"),
                                  QStringLiteral("invalid_answer"),
                                  tr("The relay gave no access token; try again."),
                                  {},
                                  200,
                                  true,
                                  {}});
            // Keep it until a minute before it expires, never past it.
            m_cache.insert(accountId, {token, QDateTime::currentDateTimeUtc().addSecs(
                                                  std::max<qint64>(0, expiresIn - 60))});
            done(token);
        });
}

} // namespace huntaze::net
