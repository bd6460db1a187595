#include "instagramwebhooks.h"

#include <QMessageAuthenticationCode>
#include <QNetworkReply>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace sandbox {

namespace {
constexpr int kMaxChangesPerBatch = 1000;
constexpr qint64 kRetryHorizonSecs = 36 * 3600;
} // namespace

InstagramWebhooks::InstagramWebhooks(InstagramGraph &graph, std::function<void()> changed)
    : m_graph(graph)
    , m_changed(std::move(changed)) {
    InstagramState *state = &graph.state;
    m_graph.context.webhooks.registerPlatform(
        u"instagram"_s, u"/webhooks/instagram"_s,
        [state](const QByteArray &body, qint64) {
            const QByteArray key = state->clientSecret.toUtf8();
            return WebhookSender::Headers{
                {"X-Hub-Signature-256",
                 "sha256=" + QMessageAuthenticationCode::hash(body, key, QCryptographicHash::Sha256)
                                 .toHex()},
                {"X-Hub-Signature",
                 "sha1=" + QMessageAuthenticationCode::hash(body, key, QCryptographicHash::Sha1)
                               .toHex()}};
        },
        &InstagramWebhooks::retryDelay);
    // The deauthorize callback is a form POST carrying signed_request.
    m_graph.context.webhooks.registerPlatform(
        u"instagram-deauthorize"_s, u"/webhooks/instagram/deauthorize"_s,
        [](const QByteArray &, qint64) {
            return WebhookSender::Headers{{"Content-Type", "application/x-www-form-urlencoded"}};
        },
        &InstagramWebhooks::retryDelay);
}

// "Retried with decreasing frequency for 36 hours, then dropped": waits double from
// 15 s up to 12 h between attempts, and no attempt starts after 36 h.
qint64 InstagramWebhooks::retryDelay(int attempt) {
    qint64 total = 0;
    qint64 wait = 15;
    for (int n = 2; n <= attempt; ++n) {
        if (n > 2)
            wait = qMin<qint64>(wait * 2, 12 * 3600);
        total += wait;
    }
    return total > kRetryHorizonSecs ? -1 : wait;
}

const QStringList &InstagramWebhooks::knownFields() {
    static const QStringList fields{u"comments"_s, u"mentions"_s, u"story_insights"_s,
                                    u"live_comments"_s, u"messages"_s};
    return fields;
}

void InstagramWebhooks::registerRoutes(Router &router) {
    const QString p = u"instagram"_s;
    router.add("POST", u"/instagram/v25.0/{id}/subscribed_apps"_s, p, u"subscribed_apps"_s,
               m_graph.wrap(u"subscribed_apps"_s, [this](GraphCall &call) { subscribe(call); }));
    router.add(
        "POST", u"/instagram/v25.0/{id}/subscriptions"_s, p, u"app.subscriptions"_s,
        m_graph.wrap(u"app.subscriptions"_s, [this](GraphCall &call) { subscribeApp(call); }));
    router.add("GET", u"/instagram/v25.0/{id}/subscriptions"_s, p, u"app.subscriptions.list"_s,
               m_graph.wrap(u"app.subscriptions.list"_s,
                            [this](GraphCall &call) { listAppSubscriptions(call); }));
    router.add("GET", u"/instagram/v25.0/{id}/subscribed_apps"_s, p, u"subscribed_apps.list"_s,
               m_graph.wrap(u"subscribed_apps.list"_s,
                            [this](GraphCall &call) { listSubscriptions(call); }));
}

void InstagramWebhooks::subscribe(GraphCall &call) {
    if (const auto error = call.authenticate())
        return call.fail(*error);
    const QString pageId = call.e->param(u"id"_s);
    if (!m_graph.state.pages.contains(pageId))
        return call.fail(GraphError::noObject(pageId));
    if (call.token->kind != "page"_L1 || call.token->pageId != pageId) {
        GraphError error;
        error.code = 210;
        error.message = u"(#210) A page access token is required to request this resource."_s;
        return call.fail(error);
    }
    if (!call.hasScope(u"pages_manage_metadata"_s))
        return call.fail(GraphError::permission(u"pages_manage_metadata"_s));
    const QStringList fields =
        call.param(u"subscribed_fields"_s).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (fields.isEmpty())
        return call.fail(
            GraphError::param(u"(#100) The parameter subscribed_fields is required"_s));
    for (qsizetype i = 0; i < fields.size(); ++i)
        if (!knownFields().contains(fields.at(i).trimmed()))
            return call.fail(GraphError::param(u"(#100) Param subscribed_fields["_s +
                                               QString::number(i) + u"] must be one of {"_s +
                                               knownFields().join(u", "_s) + u"} - got \""_s +
                                               fields.at(i) + u"\""_s));
    QStringList trimmed;
    for (const QString &f : fields)
        trimmed.append(f.trimmed());
    m_graph.state.pages[pageId].subscribedFields = trimmed;
    m_changed();
    call.ok({{u"success"_s, true}});
}

// The app-level subscription (POST /{app-id}/subscriptions with the app token
// "<client id>|<secret>"): Meta verifies the callback with hub.challenge before it
// answers. Events always go to <relay>/webhooks/instagram; the callback_url given here is
// the one verified and recorded.
std::optional<GraphError> InstagramWebhooks::appGate(GraphCall &call) const {
    if (call.e->param(u"id"_s) != m_graph.state.clientId)
        return GraphError::noObject(call.e->param(u"id"_s));
    if (call.presentedToken() !=
        m_graph.state.clientId + QLatin1Char('|') + m_graph.state.clientSecret) {
        GraphError error;
        error.code = 15;
        error.message = u"(#15) This method must be called with an app access_token."_s;
        return error;
    }
    return std::nullopt;
}

void InstagramWebhooks::subscribeApp(GraphCall &call) {
    if (const auto error = appGate(call))
        return call.fail(*error);
    const QString object = call.param(u"object"_s);
    const QUrl callback(call.param(u"callback_url"_s), QUrl::StrictMode);
    const QStringList fields = call.param(u"fields"_s).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (object != "instagram"_L1 && object != "page"_L1)
        return call.fail(GraphError::param(u"(#100) Param object must be instagram or page"_s));
    if (!callback.isValid() || callback.scheme().isEmpty() || callback.host().isEmpty())
        return call.fail(GraphError::param(u"(#100) Param callback_url must be a valid URL"_s));
    if (fields.isEmpty())
        return call.fail(GraphError::param(u"(#100) The parameter fields is required"_s));
    for (const QString &field : fields)
        if (!knownFields().contains(field.trimmed()))
            return call.fail(GraphError::param(u"(#100) Unknown field: "_s + field));
    const QString verifyToken = call.param(u"verify_token"_s);
    const ExchangePtr e = call.e;
    const QString bucId = call.bucId;
    verifyCallback(callback, verifyToken,
                   [this, e, bucId, object, callback, fields, verifyToken](const QJsonObject &r) {
                       GraphCall later{e, &m_graph, bucId, {}};
                       if (!r.value("verified"_L1).toBool()) {
                           GraphError error;
                           error.code = 2200;
                           error.message =
                               u"(#2200) Callback verification failed with the following errors: "
                               u"HTTP Status Code = "_s +
                               QString::number(r.value("status"_L1).toInt()) +
                               u"; HTTP Message = "_s + r.value("answer"_L1).toString();
                           later.fail(error);
                           return;
                       }
                       m_graph.state.verifyToken = verifyToken;
                       m_graph.state.appSubscription =
                           QJsonObject{{u"object"_s, object},
                                       {u"callback_url"_s, callback.toString()},
                                       {u"active"_s, true},
                                       {u"fields"_s, QJsonArray::fromStringList(fields)}};
                       m_changed();
                       later.ok({{u"success"_s, true}});
                   });
}

void InstagramWebhooks::listAppSubscriptions(GraphCall &call) {
    if (const auto error = appGate(call))
        return call.fail(*error);
    QJsonArray data;
    const QJsonObject s = m_graph.state.appSubscription;
    if (!s.isEmpty()) {
        QJsonArray fields;
        for (const QJsonValue &f : s.value("fields"_L1).toArray())
            fields.append(QJsonObject{{u"name"_s, f.toString()}, {u"version"_s, u"v25.0"_s}});
        QJsonObject entry = s;
        entry[u"fields"_s] = fields;
        data.append(entry);
    }
    call.ok({{u"data"_s, data}});
}

void InstagramWebhooks::listSubscriptions(GraphCall &call) {
    if (const auto error = call.authenticate())
        return call.fail(*error);
    const QString pageId = call.e->param(u"id"_s);
    if (!m_graph.state.pages.contains(pageId) || !m_graph.ownsPage(*call.token, pageId))
        return call.fail(GraphError::noObject(pageId));
    QJsonArray data;
    const IgPage page = m_graph.state.pages.value(pageId);
    if (!page.subscribedFields.isEmpty())
        data.append(QJsonObject{
            {u"name"_s, u"Huntaze Sandbox"_s},
            {u"id"_s, m_graph.state.clientId},
            {u"subscribed_fields"_s, QJsonArray::fromStringList(page.subscribedFields)}});
    call.ok({{u"data"_s, data}});
}

void InstagramWebhooks::queueChange(const QString &igUserId, const QString &field,
                                    const QJsonObject &value) {
    const IgAccount account = m_graph.state.accounts.value(igUserId);
    if (!m_graph.state.pages.value(account.pageId).subscribedFields.contains(field))
        return;
    m_pending[igUserId].append(QJsonObject{{u"field"_s, field}, {u"value"_s, value}});
}

void InstagramWebhooks::flush() {
    const qint64 now = m_graph.context.clock.nowSecs();
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        const QJsonArray &changes = it.value();
        for (qsizetype start = 0; start < changes.size(); start += kMaxChangesPerBatch) {
            QJsonArray batch;
            for (qsizetype i = start; i < qMin(changes.size(), start + kMaxChangesPerBatch); ++i)
                batch.append(changes.at(i));
            const QJsonObject payload{{u"object"_s, u"instagram"_s},
                                      {u"entry"_s, QJsonArray{QJsonObject{{u"id"_s, it.key()},
                                                                          {u"time"_s, double(now)},
                                                                          {u"changes"_s, batch}}}}};
            m_graph.context.webhooks.enqueue(u"instagram"_s,
                                             batch.first().toObject().value("field"_L1).toString(),
                                             QJsonDocument(payload).toJson(QJsonDocument::Compact));
        }
    }
    m_pending.clear();
}

void InstagramWebhooks::verify(std::function<void(const QJsonObject &)> done) {
    QUrl url = m_graph.context.webhooks.relayUrl();
    if (!url.isValid() || url.isEmpty()) {
        QJsonObject result{{u"verified"_s, false}, {u"error"_s, u"no relay URL configured"_s}};
        m_graph.state.lastVerification = result;
        m_changed();
        done(result);
        return;
    }
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) +
                u"/webhooks/instagram"_s);
    verifyCallback(url, m_graph.state.verifyToken, std::move(done));
}

void InstagramWebhooks::verifyCallback(QUrl url, const QString &verifyToken,
                                       std::function<void(const QJsonObject &)> done) {
    const QString challenge = QString::number(QRandomGenerator::global()->bounded(1000000000));
    QUrlQuery query;
    query.addQueryItem(u"hub.mode"_s, u"subscribe"_s);
    query.addQueryItem(u"hub.verify_token"_s, verifyToken);
    query.addQueryItem(u"hub.challenge"_s, challenge);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setTransferTimeout(10000);
    request.setRawHeader("User-Agent", "facebookplatform/1.0 (+http://developers.facebook.com)");
    QNetworkReply *reply = m_network.get(request);
    QObject::connect(reply, &QNetworkReply::finished, reply, [this, reply, challenge, url, done] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        const bool verified = status == 200 && body.trimmed() == challenge.toUtf8();
        QJsonObject result{{u"verified"_s, verified},
                           {u"callback_url"_s, url.toString(QUrl::RemoveQuery)},
                           {u"challenge"_s, challenge},
                           {u"status"_s, status},
                           {u"answer"_s, QString::fromUtf8(body.left(200))},
                           {u"at"_s, double(m_graph.context.clock.nowSecs())}};
        if (!status)
            result[u"error"_s] = reply->errorString();
        m_graph.state.lastVerification = result;
        m_changed();
        done(result);
    });
}

// Meta's deauthorize callback: signed_request = base64url(HMAC-SHA256(secret,
// payload_b64)) + "." + payload_b64, payload {"algorithm":"HMAC-SHA256","issued_at",
// "user_id"}.
void InstagramWebhooks::sendDeauthorize(const QString &userId) {
    const QByteArray payload =
        QJsonDocument(QJsonObject{{u"algorithm"_s, u"HMAC-SHA256"_s},
                                  {u"issued_at"_s, double(m_graph.context.clock.nowSecs())},
                                  {u"user_id"_s, userId}})
            .toJson(QJsonDocument::Compact)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QByteArray signature =
        QMessageAuthenticationCode::hash(payload, m_graph.state.clientSecret.toUtf8(),
                                         QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    m_graph.context.webhooks.enqueue(u"instagram-deauthorize"_s, u"deauthorize"_s,
                                     "signed_request=" + signature + '.' + payload);
}

} // namespace sandbox
