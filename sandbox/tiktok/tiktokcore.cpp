#include "tiktokcore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

using namespace Qt::Literals::StringLiterals;

namespace sandbox::tiktok {

namespace {
constexpr qint64 kMinuteMs = 60'000;
// Lifetimes: the newer documentation (2 h / 180 d, rotating) by default; the older
// (24 h / 365 d, the same refresh token returned) behind the admin knob.
constexpr qint64 kAccessSecs = 2 * 3600;
constexpr qint64 kRefreshSecs = 180LL * 86400;
constexpr qint64 kLegacyAccessSecs = 24 * 3600;
constexpr qint64 kLegacyRefreshSecs = 365LL * 86400;
} // namespace

TikTokCore::TikTokCore(SandboxContext &ctx)
    : context(ctx) {
    state.users = seedUsers();
}

QString TikTokCore::baseUrl() const {
    return context.baseUrl.toString() + u"/tiktok"_s;
}

QString TikTokCore::randomString(int length) {
    static const QString alphabet =
        u"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"_s;
    QString out;
    out.reserve(length);
    for (int i = 0; i < length; ++i)
        out.append(alphabet.at(int(QRandomGenerator::global()->bounded(alphabet.size()))));
    return out;
}

QString TikTokCore::logId(qint64 nowMs) {
    // TikTok's log ids look like a timestamp followed by hex.
    return QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).toString(u"yyyyMMddHHmmss"_s) +
           QString::number(QRandomGenerator::global()->generate64(), 16).toUpper();
}

void TikTokCore::apiOk(const ExchangePtr &e, const QJsonObject &data) {
    apiError(e, 200, u"ok"_s, QString(), data);
}

void TikTokCore::apiError(const ExchangePtr &e, int status, const QString &code,
                          const QString &message, const QJsonObject &data) {
    e->respondJson(status, QJsonObject{{u"data"_s, data},
                                       {u"error"_s, QJsonObject{{u"code"_s, code},
                                                                {u"message"_s, message},
                                                                {u"log_id"_s, logId(nowMs())}}}});
}

void TikTokCore::oauthError(const ExchangePtr &e, int status, const QString &error,
                            const QString &description) {
    if (error == u"invalid_grant"_s)
        status = state.settings.invalidGrantStatus;
    e->respondJson(status, QJsonObject{{u"error"_s, error},
                                       {u"error_description"_s, description},
                                       {u"log_id"_s, logId(nowMs())}});
}

std::optional<Token> TikTokCore::authenticate(const ExchangePtr &e, const QString &scope) {
    const QString bearer = QString::fromUtf8(e->bearerToken());
    const auto it = state.accessTokens.constFind(bearer);
    if (bearer.isEmpty() || it == state.accessTokens.cend() || it->expiresMs <= nowMs()) {
        apiError(e, 401, u"access_token_invalid"_s,
                 u"The access token is invalid or not found in the request."_s);
        return std::nullopt;
    }
    if (!scope.isEmpty() && !it->scopes.contains(scope)) {
        apiError(e, 401, u"scope_not_authorized"_s,
                 u"The user did not authorize the scope required for completing this request."_s);
        return std::nullopt;
    }
    return *it;
}

bool TikTokCore::rateLimited(const ExchangePtr &e, const QString &bucket, const QString &token,
                             int limit) {
    const qint64 now = nowMs();
    QList<qint64> &times = state.windows[bucket + u'|' + token];
    times.removeIf([now](qint64 t) { return t <= now - kMinuteMs; });
    if (times.size() >= limit) {
        const qint64 resetSecs = (times.first() + kMinuteMs - now + 999) / 1000;
        apiError(e, 429, u"rate_limit_exceeded"_s,
                 u"API rate limit exceeded, please retry after %1 seconds."_s.arg(resetSecs));
        return true;
    }
    times.append(now);
    changed();
    return false;
}

std::optional<QJsonObject> TikTokCore::jsonBody(const ExchangePtr &e, bool allowEmpty) {
    if (allowEmpty && e->body().trimmed().isEmpty())
        return QJsonObject();
    const auto body = e->jsonBody();
    if (!body) {
        apiError(e, 400, u"invalid_params"_s, u"The request body is not a valid JSON object."_s);
        return std::nullopt;
    }
    return body;
}

QJsonObject TikTokCore::issueTokens(const QString &userId, const QStringList &scopes,
                                    const QString &keepRefreshToken) {
    const bool rotating = state.settings.rotatingRefresh;
    const qint64 accessSecs = rotating ? kAccessSecs : kLegacyAccessSecs;
    const qint64 refreshSecs = rotating ? kRefreshSecs : kLegacyRefreshSecs;
    const qint64 now = nowMs();
    Token access{u"act."_s + randomString(60), userId, scopes, now + accessSecs * 1000};
    state.accessTokens.insert(access.token, access);
    Token refresh;
    if (!keepRefreshToken.isEmpty() && state.refreshTokens.contains(keepRefreshToken)) {
        refresh = state.refreshTokens.value(keepRefreshToken);
    } else {
        refresh = Token{u"rft."_s + randomString(60), userId, scopes, now + refreshSecs * 1000};
        state.refreshTokens.insert(refresh.token, refresh);
    }
    changed();
    const User *user = state.userById(userId);
    return {{u"access_token"_s, access.token},
            {u"expires_in"_s, double(accessSecs)},
            {u"open_id"_s, user ? user->openId : QString()},
            {u"refresh_token"_s, refresh.token},
            {u"refresh_expires_in"_s, double(qMax<qint64>(0, (refresh.expiresMs - now) / 1000))},
            {u"scope"_s, scopes.join(u',')},
            {u"token_type"_s, u"Bearer"_s}};
}

int TikTokCore::invalidateTokens(const QString &userId, bool refreshToo) {
    int count = 0;
    count += int(state.accessTokens.removeIf([&](QHash<QString, Token>::iterator it) {
        return userId.isEmpty() || it.value().userId == userId;
    }));
    if (refreshToo)
        count += int(state.refreshTokens.removeIf([&](QHash<QString, Token>::iterator it) {
            return userId.isEmpty() || it.value().userId == userId;
        }));
    changed();
    return count;
}

void TikTokCore::prune() {
    const qint64 now = nowMs();
    const qint64 dayAgo = now - 24LL * 3600 * 1000;
    const qsizetype before = state.windows.size() + state.accessTokens.size() +
                             state.refreshTokens.size() + state.codes.size();
    state.windows.removeIf([now](QHash<QString, QList<qint64>>::iterator it) {
        return it->isEmpty() || it->last() <= now - kMinuteMs;
    });
    const auto dead = [dayAgo](QHash<QString, Token>::iterator it) {
        return it->expiresMs < dayAgo;
    };
    state.accessTokens.removeIf(dead);
    state.refreshTokens.removeIf(dead);
    state.codes.removeIf(
        [dayAgo](QHash<QString, AuthCode>::iterator it) { return it->expiresMs < dayAgo; });
    if (before != state.windows.size() + state.accessTokens.size() + state.refreshTokens.size() +
                      state.codes.size())
        changed();
}

void TikTokCore::sendWebhook(const QString &event, const QString &openId,
                             const QJsonObject &content) {
    const QJsonObject body{
        {u"client_key"_s, clientKey()},
        {u"event"_s, event},
        {u"create_time"_s, double(context.clock.nowSecs())},
        {u"user_openid"_s, openId},
        {u"content"_s, QString::fromUtf8(QJsonDocument(content).toJson(QJsonDocument::Compact))}};
    context.webhooks.enqueue(u"tiktok"_s, event,
                             QJsonDocument(body).toJson(QJsonDocument::Compact));
}

} // namespace sandbox::tiktok
