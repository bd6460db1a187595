#include "xplatform.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace sandbox {

namespace {

QJsonArray stringsJson(const QStringList &list) {
    return QJsonArray::fromStringList(list);
}

QStringList jsonStrings(const QJsonValue &value) {
    QStringList list;
    for (const QJsonValue &v : value.toArray())
        list.append(v.toString());
    return list;
}

} // namespace

XPlatform::XPlatform(SandboxContext &context, QObject *parent)
    : Platform(context, parent) {
    seed();
    // X signs with the app's consumer secret (API secret key), never with a timestamp.
    context.webhooks.registerPlatform(
        name(), QStringLiteral("/webhooks/x"),
        [](const QByteArray &body, qint64) {
            const QByteArray mac = QMessageAuthenticationCode::hash(
                body, xapp::consumerSecret().toUtf8(), QCryptographicHash::Sha256);
            return WebhookSender::Headers{
                {QByteArrayLiteral("x-twitter-webhooks-signature"),
                 QByteArray(QByteArrayLiteral("sha256=") + mac.toBase64())}};
        },
        // Not documented for the X Activity API: the sandbox retries until answered 200,
        // backing off 10 s, 30 s, 60 s, then doubling up to an hour (time-compressed).
        [](int attempt) -> qint64 {
            if (attempt <= 2)
                return 10;
            if (attempt == 3)
                return 30;
            qint64 wait = 60;
            for (int i = 4; i < attempt && wait < 3600; ++i)
                wait *= 2;
            return qMin<qint64>(wait, 3600);
        });
}

void XPlatform::seed() {
    m_users = {
        {QStringLiteral("1500000000000000001"), QStringLiteral("Sandbox Creator"),
         QStringLiteral("sbx_creator")},
        {QStringLiteral("1500000000000000002"), QStringLiteral("Sandbox Brand"),
         QStringLiteral("sbx_brand")},
        {QStringLiteral("1500000000000000003"), QStringLiteral("Sandbox Fan"),
         QStringLiteral("sbx_fan")},
    };
    // Exact match, trailing slash included (at most 10 per app on X).
    m_redirectUris = {
        QStringLiteral("http://127.0.0.1:53682/x/callback"),
        QStringLiteral("http://127.0.0.1:53682/oauth/x/"),
        QStringLiteral("https://app.huntaze.example/auth/x/callback"),
    };
    m_appToken.token = xapp::appBearer();
    m_appToken.kind = QStringLiteral("app");
    m_appToken.clientId = xapp::clientId();
    // Caps per 15-minute window, per user token (or per app for the app-only bearer).
    // The contract documents the posting cap inconsistently (100 or 200 per 15 min):
    // the sandbox picks 100; everything is adjustable at POST /_admin/x/limits.
    m_limits = {
        {QStringLiteral("tweets.create"), {100, 900}},
        {QStringLiteral("tweets.delete"), {50, 900}},
        {QStringLiteral("tweets.lookup"), {900, 900}},
        {QStringLiteral("users.me"), {75, 900}},
        {QStringLiteral("media.initialize"), {500, 900}},
        {QStringLiteral("media.append"), {10000, 900}},
        {QStringLiteral("media.finalize"), {500, 900}},
        {QStringLiteral("media.status"), {1000, 900}},
        {QStringLiteral("webhooks.create"), {50, 900}},
        {QStringLiteral("webhooks.list"), {900, 900}},
        {QStringLiteral("webhooks.delete"), {50, 900}},
        {QStringLiteral("webhooks.validate"), {50, 900}},
    };
}

QString XPlatform::newId() {
    // Snowflake-like: 19 digits, increasing.
    ++m_nextId;
    return QString::number(1870000000000000000LL + m_nextId * 4096 +
                           QRandomGenerator::global()->bounded(4096));
}

QString XPlatform::randomToken(int bytes) const {
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(QRandomGenerator::global()->bounded(256));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

const XPlatform::User *XPlatform::user(const QString &id) const {
    for (const User &u : m_users)
        if (u.id == id)
            return &u;
    return nullptr;
}

void XPlatform::revokeUserTokens(const QString &userId) {
    for (Token &t : m_tokens)
        if (t.userId == userId)
            t.revoked = true;
    changed();
}

void XPlatform::problem(const ExchangePtr &e, int status, const QString &title,
                        const QString &detail, const QString &type, int legacyCode,
                        const Headers &headers) {
    if (m_errorShape == QLatin1String("legacy")) {
        int code = legacyCode;
        if (code == 0)
            code = status == 401 ? 89 : status == 429 ? 88 : status == 403 ? 453 : 44;
        e->respondJson(status,
                       QJsonObject{{QStringLiteral("errors"),
                                    QJsonArray{QJsonObject{{QStringLiteral("code"), code},
                                                           {QStringLiteral("message"), detail}}}}},
                       headers);
        return;
    }
    e->respondJson(status,
                   QJsonObject{{QStringLiteral("type"), type},
                               {QStringLiteral("title"), title},
                               {QStringLiteral("detail"), detail},
                               {QStringLiteral("status"), status}},
                   headers);
}

void XPlatform::invalidRequest(const ExchangePtr &e, const QString &detail,
                               const Headers &headers) {
    problem(e, 400, QStringLiteral("Invalid Request"), detail,
            QStringLiteral("https://api.twitter.com/2/problems/invalid-request"), 44, headers);
}

const XPlatform::Token *XPlatform::authenticate(const ExchangePtr &e, const QStringList &scopes,
                                                bool appAllowed, const Headers &headers) {
    const QString bearer = QString::fromUtf8(e->bearerToken());
    if (!bearer.isEmpty() && bearer == m_appToken.token) {
        if (appAllowed)
            return &m_appToken;
        problem(e, 403, QStringLiteral("Unsupported Authentication"),
                QStringLiteral("Authenticating with OAuth 2.0 Application-Only is forbidden for "
                               "this endpoint.  Supported authentication types are [OAuth 1.0a "
                               "User Context, OAuth 2.0 User Context]."),
                QStringLiteral("https://api.twitter.com/2/problems/unsupported-authentication"),
                220, headers);
        return nullptr;
    }
    const auto it = m_tokens.constFind(bearer);
    if (bearer.isEmpty() || it == m_tokens.cend() || it->kind != QLatin1String("access") ||
        it->revoked || it->expiresMs <= context().clock.nowMs()) {
        problem(e, 401, QStringLiteral("Unauthorized"), QStringLiteral("Unauthorized"),
                QStringLiteral("about:blank"), 89, headers);
        return nullptr;
    }
    QStringList missing;
    for (const QString &scope : scopes)
        if (!it->scopes.contains(scope))
            missing.append(scope);
    if (!missing.isEmpty()) {
        problem(e, 403, QStringLiteral("Forbidden"),
                QStringLiteral("Missing required OAuth 2.0 scopes: %1")
                    .arg(missing.join(QLatin1Char(' '))),
                QStringLiteral("about:blank"), 453, headers);
        return nullptr;
    }
    return &*it;
}

bool XPlatform::rateLimit(const ExchangePtr &e, const QString &group, const QString &caller,
                          Headers *headers) {
    const Limit limit = m_limits.value(group, Limit{900, 900});
    const qint64 now = context().clock.nowSecs();
    Window &window = m_windows[group + QLatin1Char('|') + caller];
    if (window.startSecs == 0 || now >= window.startSecs + limit.windowSecs)
        window = Window{now, 0};
    const bool exceeded = window.used >= limit.limit;
    if (!exceeded)
        ++window.used;
    changed();
    headers->append({QByteArrayLiteral("x-rate-limit-limit"), QByteArray::number(limit.limit)});
    headers->append({QByteArrayLiteral("x-rate-limit-remaining"),
                     QByteArray::number(qMax(0, limit.limit - window.used))});
    headers->append({QByteArrayLiteral("x-rate-limit-reset"),
                     QByteArray::number(window.startSecs + limit.windowSecs)});
    if (exceeded) {
        problem(e, 429, QStringLiteral("Too Many Requests"), QStringLiteral("Too Many Requests"),
                QStringLiteral("about:blank"), 88, *headers);
        return false;
    }
    return true;
}

void XPlatform::registerRoutes(Router &router) {
    registerOAuthRoutes(router);
    registerTweetRoutes(router);
    registerMediaRoutes(router);
    registerWebhookRoutes(router);
    registerAdminRoutes(router);
}

QJsonObject XPlatform::save() const {
    QJsonArray codes;
    for (const AuthCode &c : m_codes)
        codes.append(QJsonObject{{QStringLiteral("code"), c.code},
                                 {QStringLiteral("client_id"), c.clientId},
                                 {QStringLiteral("redirect_uri"), c.redirectUri},
                                 {QStringLiteral("scopes"), stringsJson(c.scopes)},
                                 {QStringLiteral("user_id"), c.userId},
                                 {QStringLiteral("challenge"), c.challenge},
                                 {QStringLiteral("method"), c.method},
                                 {QStringLiteral("created_ms"), double(c.createdMs)},
                                 {QStringLiteral("used"), c.used}});
    QJsonArray tokens;
    for (const Token &t : m_tokens)
        tokens.append(QJsonObject{{QStringLiteral("token"), t.token},
                                  {QStringLiteral("kind"), t.kind},
                                  {QStringLiteral("user_id"), t.userId},
                                  {QStringLiteral("client_id"), t.clientId},
                                  {QStringLiteral("scopes"), stringsJson(t.scopes)},
                                  {QStringLiteral("code"), t.code},
                                  {QStringLiteral("expires_ms"), double(t.expiresMs)},
                                  {QStringLiteral("revoked"), t.revoked}});
    QJsonArray posts;
    for (const Post &p : m_posts)
        posts.append(
            QJsonObject{{QStringLiteral("id"), p.id},
                        {QStringLiteral("author_id"), p.authorId},
                        {QStringLiteral("text"), p.text},
                        {QStringLiteral("created_ms"), double(p.createdMs)},
                        {QStringLiteral("media_ids"), stringsJson(p.mediaIds)},
                        {QStringLiteral("reply_to"), p.replyTo},
                        {QStringLiteral("quote_of"), p.quoteOf},
                        {QStringLiteral("poll"), p.poll},
                        {QStringLiteral("reply_settings"), p.replySettings},
                        {QStringLiteral("deleted"), p.deleted},
                        {QStringLiteral("metrics"),
                         QJsonArray{double(p.retweets), double(p.replies), double(p.likes),
                                    double(p.quotes), double(p.bookmarks), double(p.impressions),
                                    double(p.linkClicks), double(p.profileClicks)}}});
    QJsonArray media;
    for (const Media &m : m_media) {
        QJsonObject segments;
        for (auto it = m.segments.cbegin(); it != m.segments.cend(); ++it)
            segments.insert(QString::number(it.key()), double(it.value()));
        media.append(QJsonObject{{QStringLiteral("id"), m.id},
                                 {QStringLiteral("media_key"), m.mediaKey},
                                 {QStringLiteral("user_id"), m.userId},
                                 {QStringLiteral("media_type"), m.mediaType},
                                 {QStringLiteral("category"), m.category},
                                 {QStringLiteral("total_bytes"), double(m.totalBytes)},
                                 {QStringLiteral("upload_id"), m.uploadId},
                                 {QStringLiteral("segments"), segments},
                                 {QStringLiteral("state"), m.state},
                                 {QStringLiteral("created_ms"), double(m.createdMs)},
                                 {QStringLiteral("finalized_ms"), double(m.finalizedMs)},
                                 {QStringLiteral("fail_processing"), m.failProcessing},
                                 {QStringLiteral("fail_reason"), m.failReason}});
    }
    QJsonArray hooks;
    for (const Webhook &w : m_webhooks)
        hooks.append(QJsonObject{{QStringLiteral("id"), w.id},
                                 {QStringLiteral("url"), w.url},
                                 {QStringLiteral("valid"), w.valid},
                                 {QStringLiteral("created_ms"), double(w.createdMs)},
                                 {QStringLiteral("last_crc_ms"), double(w.lastCrcMs)},
                                 {QStringLiteral("last_crc_result"), w.lastCrcResult}});
    QJsonObject limits;
    for (auto it = m_limits.cbegin(); it != m_limits.cend(); ++it)
        limits.insert(it.key(), QJsonObject{{QStringLiteral("limit"), it->limit},
                                            {QStringLiteral("window_seconds"), it->windowSecs}});
    QJsonObject windows;
    for (auto it = m_windows.cbegin(); it != m_windows.cend(); ++it)
        windows.insert(it.key(), QJsonArray{double(it->startSecs), it->used});
    QJsonObject userPosts;
    for (auto it = m_userPostTimes.cbegin(); it != m_userPostTimes.cend(); ++it) {
        QJsonArray times;
        for (qint64 t : *it)
            times.append(double(t));
        userPosts.insert(it.key(), times);
    }
    QJsonArray appPosts;
    for (qint64 t : m_appPostTimes)
        appPosts.append(double(t));
    return QJsonObject{
        {QStringLiteral("codes"), codes},
        {QStringLiteral("tokens"), tokens},
        {QStringLiteral("posts"), posts},
        {QStringLiteral("media"), media},
        {QStringLiteral("webhooks"), hooks},
        {QStringLiteral("limits"), limits},
        {QStringLiteral("windows"), windows},
        {QStringLiteral("user_24h_limit"), m_user24hLimit},
        {QStringLiteral("app_24h_limit"), m_app24hLimit},
        {QStringLiteral("user_post_times"), userPosts},
        {QStringLiteral("app_post_times"), appPosts},
        {QStringLiteral("payload_shape"), m_payloadShape},
        {QStringLiteral("error_shape"), m_errorShape},
        {QStringLiteral("fail_next_media_processing"), m_failNextMediaProcessing},
        {QStringLiteral("next_id"), double(m_nextId)},
    };
}

void XPlatform::load(const QJsonObject &state) {
    if (state.isEmpty())
        return;
    m_codes.clear();
    for (const QJsonValue &v : state.value(QStringLiteral("codes")).toArray()) {
        const QJsonObject o = v.toObject();
        AuthCode c;
        c.code = o.value(QStringLiteral("code")).toString();
        c.clientId = o.value(QStringLiteral("client_id")).toString();
        c.redirectUri = o.value(QStringLiteral("redirect_uri")).toString();
        c.scopes = jsonStrings(o.value(QStringLiteral("scopes")));
        c.userId = o.value(QStringLiteral("user_id")).toString();
        c.challenge = o.value(QStringLiteral("challenge")).toString();
        c.method = o.value(QStringLiteral("method")).toString();
        c.createdMs = qint64(o.value(QStringLiteral("created_ms")).toDouble());
        c.used = o.value(QStringLiteral("used")).toBool();
        m_codes.insert(c.code, c);
    }
    m_tokens.clear();
    for (const QJsonValue &v : state.value(QStringLiteral("tokens")).toArray()) {
        const QJsonObject o = v.toObject();
        Token t;
        t.token = o.value(QStringLiteral("token")).toString();
        t.kind = o.value(QStringLiteral("kind")).toString();
        t.userId = o.value(QStringLiteral("user_id")).toString();
        t.clientId = o.value(QStringLiteral("client_id")).toString();
        t.scopes = jsonStrings(o.value(QStringLiteral("scopes")));
        t.code = o.value(QStringLiteral("code")).toString();
        t.expiresMs = qint64(o.value(QStringLiteral("expires_ms")).toDouble());
        t.revoked = o.value(QStringLiteral("revoked")).toBool();
        m_tokens.insert(t.token, t);
    }
    m_posts.clear();
    for (const QJsonValue &v : state.value(QStringLiteral("posts")).toArray()) {
        const QJsonObject o = v.toObject();
        Post p;
        p.id = o.value(QStringLiteral("id")).toString();
        p.authorId = o.value(QStringLiteral("author_id")).toString();
        p.text = o.value(QStringLiteral("text")).toString();
        p.createdMs = qint64(o.value(QStringLiteral("created_ms")).toDouble());
        p.mediaIds = jsonStrings(o.value(QStringLiteral("media_ids")));
        p.replyTo = o.value(QStringLiteral("reply_to")).toString();
        p.quoteOf = o.value(QStringLiteral("quote_of")).toString();
        p.poll = o.value(QStringLiteral("poll")).toObject();
        p.replySettings = o.value(QStringLiteral("reply_settings")).toString();
        p.deleted = o.value(QStringLiteral("deleted")).toBool();
        const QJsonArray m = o.value(QStringLiteral("metrics")).toArray();
        qint64 *fields[] = {&p.retweets,  &p.replies,     &p.likes,      &p.quotes,
                            &p.bookmarks, &p.impressions, &p.linkClicks, &p.profileClicks};
        for (int i = 0; i < 8 && i < m.size(); ++i)
            *fields[i] = qint64(m.at(i).toDouble());
        m_posts.insert(p.id, p);
    }
    m_media.clear();
    for (const QJsonValue &v : state.value(QStringLiteral("media")).toArray()) {
        const QJsonObject o = v.toObject();
        Media m;
        m.id = o.value(QStringLiteral("id")).toString();
        m.mediaKey = o.value(QStringLiteral("media_key")).toString();
        m.userId = o.value(QStringLiteral("user_id")).toString();
        m.mediaType = o.value(QStringLiteral("media_type")).toString();
        m.category = o.value(QStringLiteral("category")).toString();
        m.totalBytes = qint64(o.value(QStringLiteral("total_bytes")).toDouble());
        m.uploadId = o.value(QStringLiteral("upload_id")).toString();
        const QJsonObject segments = o.value(QStringLiteral("segments")).toObject();
        for (auto it = segments.begin(); it != segments.end(); ++it)
            m.segments.insert(it.key().toInt(), qint64(it.value().toDouble()));
        m.state = o.value(QStringLiteral("state")).toString();
        m.createdMs = qint64(o.value(QStringLiteral("created_ms")).toDouble());
        m.finalizedMs = qint64(o.value(QStringLiteral("finalized_ms")).toDouble());
        m.failProcessing = o.value(QStringLiteral("fail_processing")).toBool();
        m.failReason = o.value(QStringLiteral("fail_reason")).toString();
        m_media.insert(m.id, m);
    }
    m_webhooks.clear();
    for (const QJsonValue &v : state.value(QStringLiteral("webhooks")).toArray()) {
        const QJsonObject o = v.toObject();
        Webhook w;
        w.id = o.value(QStringLiteral("id")).toString();
        w.url = o.value(QStringLiteral("url")).toString();
        w.valid = o.value(QStringLiteral("valid")).toBool();
        w.createdMs = qint64(o.value(QStringLiteral("created_ms")).toDouble());
        w.lastCrcMs = qint64(o.value(QStringLiteral("last_crc_ms")).toDouble());
        w.lastCrcResult = o.value(QStringLiteral("last_crc_result")).toString();
        m_webhooks.insert(w.id, w);
    }
    const QJsonObject limits = state.value(QStringLiteral("limits")).toObject();
    for (auto it = limits.begin(); it != limits.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        m_limits.insert(it.key(), Limit{o.value(QStringLiteral("limit")).toInt(),
                                        o.value(QStringLiteral("window_seconds")).toInt(900)});
    }
    m_windows.clear();
    const QJsonObject windows = state.value(QStringLiteral("windows")).toObject();
    for (auto it = windows.begin(); it != windows.end(); ++it) {
        const QJsonArray a = it.value().toArray();
        m_windows.insert(it.key(), Window{qint64(a.at(0).toDouble()), a.at(1).toInt()});
    }
    m_user24hLimit = state.value(QStringLiteral("user_24h_limit")).toInt(2400);
    m_app24hLimit = state.value(QStringLiteral("app_24h_limit")).toInt(10000);
    m_userPostTimes.clear();
    const QJsonObject userPosts = state.value(QStringLiteral("user_post_times")).toObject();
    for (auto it = userPosts.begin(); it != userPosts.end(); ++it)
        for (const QJsonValue &t : it.value().toArray())
            m_userPostTimes[it.key()].append(qint64(t.toDouble()));
    m_appPostTimes.clear();
    for (const QJsonValue &t : state.value(QStringLiteral("app_post_times")).toArray())
        m_appPostTimes.append(qint64(t.toDouble()));
    m_payloadShape = state.value(QStringLiteral("payload_shape")).toString(m_payloadShape);
    m_errorShape = state.value(QStringLiteral("error_shape")).toString(m_errorShape);
    m_failNextMediaProcessing = state.value(QStringLiteral("fail_next_media_processing")).toBool();
    m_nextId = qint64(state.value(QStringLiteral("next_id")).toDouble());
}

void XPlatform::tick() {
    advanceMedia();
    growMetrics();
    // X re-validates registered webhooks periodically; the sandbox re-runs the CRC on
    // each webhook a (sandbox-clock) day after its last check, and on demand at
    // POST /_admin/x/webhooks/crc.
    const qint64 now = context().clock.nowMs();
    for (const Webhook &w : m_webhooks)
        if (now - w.lastCrcMs >= 86400LL * 1000)
            runCrc(w.id, [](bool) {});
}

QJsonObject XPlatform::endpoints() const {
    QJsonArray users;
    for (const User &u : m_users)
        users.append(QJsonObject{{QStringLiteral("id"), u.id},
                                 {QStringLiteral("name"), u.name},
                                 {QStringLiteral("username"), u.username}});
    const QString base = baseUrl();
    return {
        {QStringLiteral("base_url"), base},
        // https://x.com and https://api.x.com share the /x prefix.
        {QStringLiteral("authorize_url"), QString(base + QStringLiteral("/i/oauth2/authorize"))},
        {QStringLiteral("web_base_url"), base},
        {QStringLiteral("api_base_url"), base},
        {QStringLiteral("token_url"), QString(base + QStringLiteral("/2/oauth2/token"))},
        {QStringLiteral("revoke_url"), QString(base + QStringLiteral("/2/oauth2/revoke"))},
        {QStringLiteral("client_id"), xapp::clientId()},
        {QStringLiteral("client_secret"), xapp::clientSecret()},
        {QStringLiteral("consumer_key"), xapp::consumerKey()},
        {QStringLiteral("consumer_secret"), xapp::consumerSecret()},
        {QStringLiteral("app_bearer_token"), xapp::appBearer()},
        {QStringLiteral("redirect_uris"), stringsJson(m_redirectUris)},
        {QStringLiteral("scopes"), QStringLiteral("tweet.read tweet.write users.read media.write "
                                                  "offline.access")},
        {QStringLiteral("test_users"), users},
        {QStringLiteral("webhook_path"), QStringLiteral("/webhooks/x")},
    };
}

} // namespace sandbox
