#include "webhookendpoints.h"

#include "audit/auditwriter.h"
#include "crypto/signatures.h"
#include "eventsplitter.h"
#include "inboxwriter.h"
#include "log/logger.h"
#include "log/metricsregistry.h"
#include "signatureverifier.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <simdjson.h>

namespace huntaze::relay {

namespace {

const QString kComponent = QStringLiteral("relay.webhooks");

// Looked up once per provider and outcome: the registry lookup locks and builds label
// strings, too slow for every request on the hot path.
struct ProviderMetrics {
    explicit ProviderMetrics(const QString &provider) {
        auto &registry = log::MetricsRegistry::global();
        const auto counter = [&](const char *outcome) -> log::Counter & {
            return registry.counter(
                QStringLiteral("huntaze_webhooks_received_total"),
                QStringLiteral("Webhook events received, by provider and outcome."),
                {{QStringLiteral("provider"), provider},
                 {QStringLiteral("outcome"), QLatin1String(outcome)}});
        };
        accepted = &counter("accepted");
        duplicate = &counter("duplicate");
        malformed = &counter("malformed");
        badSignature = &counter("bad_signature");
        notConfigured = &counter("not_configured");
        unavailable = &counter("unavailable");
        ackSeconds = &registry.histogram(
            QStringLiteral("huntaze_webhook_ack_seconds"),
            QStringLiteral("Time from a webhook's arrival to its acknowledgement."),
            {{QStringLiteral("provider"), provider}});
    }
    log::Counter *accepted, *duplicate, *malformed, *badSignature, *notConfigured, *unavailable;
    log::Histogram *ackSeconds;
};

ProviderMetrics &metricsFor(const QString &provider) {
    static ProviderMetrics tiktok(QStringLiteral("tiktok"));
    static ProviderMetrics instagram(QStringLiteral("instagram"));
    static ProviderMetrics x(QStringLiteral("x"));
    return provider == QLatin1String("tiktok")      ? tiktok
           : provider == QLatin1String("instagram") ? instagram
                                                    : x;
}

// A JSON string of these bytes. Valid UTF-8 is copied as is (escaping what JSON
// requires); anything else goes through QString first, which replaces broken sequences,
// since PostgreSQL refuses invalid UTF-8 (the whole batch would fail). NUL, which jsonb
// cannot hold either, becomes U+FFFD.
void appendJsonString(QByteArray &out, QByteArrayView bytes) {
    QByteArray repaired;
    if (!simdjson::validate_utf8(bytes.data(), size_t(bytes.size()))) {
        repaired = QString::fromUtf8(bytes).toUtf8();
        bytes = repaired;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte == 0) {
            out += "\\ufffd";
        } else if (byte < 0x20) {
            out += "\\u00";
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
        } else {
            out += c;
        }
    }
    out += '"';
}

// The delivery's headers as JSON, for diagnosis; never the signature or credentials.
// Only the few that help diagnose a delivery (who sent it, when, what), built by hand:
// this runs for every webhook.
QByteArray headersJson(const HttpRequest &request) {
    static constexpr std::array<QByteArrayView, 4> kKept{"user-agent", "content-type",
                                                         "x-request-id", "x-forwarded-for"};
    QByteArray json;
    json.reserve(192);
    json += '{';
    for (const auto &[name, value] : request.headers) {
        if (std::find(kKept.begin(), kKept.end(), name) == kKept.end())
            continue;
        if (json.size() > 1)
            json += ',';
        appendJsonString(json, name);
        json += ':';
        appendJsonString(json, QByteArrayView(value).first(std::min<qsizetype>(value.size(), 256)));
    }
    json += '}';
    return json;
}

bool isJson(const QByteArray &contentType) {
    return contentType.trimmed().toLower().startsWith("application/json");
}

} // namespace

WebhookEndpoints::WebhookEndpoints(WebhookSecrets secrets, InboxWriter &inbox, AuditWriter &audit)
    : m_secrets(std::move(secrets))
    , m_inbox(inbox)
    , m_audit(audit) {
    if (m_secrets.tiktokSecret.isEmpty())
        log::warning(kComponent, QStringLiteral("webhooks.tiktok_unverified"),
                     {{QStringLiteral("hint"),
                       QStringLiteral("TIKTOK_WEBHOOK_SECRET is not set: TikTok events are stored "
                                      "as unverified")}});
}

void WebhookEndpoints::registerRoutes(Router &router) {
    // Every provider's series at 0 from the start: an alert's increase() needs a series
    // that existed before the first bad signature.
    for (const QString &provider :
         {QStringLiteral("tiktok"), QStringLiteral("instagram"), QStringLiteral("x")})
        (void)metricsFor(provider);
    for (const QString &provider :
         {QStringLiteral("tiktok"), QStringLiteral("instagram"), QStringLiteral("x")})
        router.add(
            "POST", QStringLiteral("/webhooks/") + provider,
            [this, provider](HttpRequest &&request, HttpResponder respond) {
                receive(provider, std::move(request), std::move(respond));
            },
            QStringLiteral("webhooks"));
    router.add("GET", QStringLiteral("/webhooks/instagram"),
               [this](HttpRequest &&request, HttpResponder respond) {
                   instagramHandshake(request, respond);
               });
    router.add("GET", QStringLiteral("/webhooks/x"),
               [this](HttpRequest &&request, HttpResponder respond) { xCrc(request, respond); });
}

void WebhookEndpoints::receive(const QString &provider, HttpRequest &&request,
                               HttpResponder respond) {
    QElapsedTimer timer;
    timer.start();
    if (!isJson(request.header("content-type"))) {
        metricsFor(provider).malformed->inc();
        respond(HttpResponse::error(
            415, QStringLiteral("unsupported_media_type"),
            QStringLiteral("Webhooks are JSON (Content-Type: application/json).")));
        return;
    }

    QString reason;
    SignatureCheck check = SignatureCheck::NotConfigured;
    if (provider == QLatin1String("tiktok"))
        check = SignatureVerifier::tiktok(
            m_secrets.tiktokSecret, request.header("tiktok-signature"), request.body,
            QDateTime::currentSecsSinceEpoch(), m_secrets.tiktokToleranceSeconds, &reason);
    else if (provider == QLatin1String("instagram"))
        check =
            SignatureVerifier::meta(m_secrets.instagramAppSecret,
                                    request.header("x-hub-signature-256"), request.body, &reason);
    else
        check = SignatureVerifier::x(m_secrets.xConsumerSecret,
                                     request.header("x-twitter-webhooks-signature"), request.body,
                                     &reason);

    if (check == SignatureCheck::NotConfigured && provider != QLatin1String("tiktok")) {
        // Without the app secret nothing can be trusted; 503 keeps the platform retrying
        // until the operator configures it, so nothing is lost meanwhile.
        metricsFor(provider).notConfigured->inc();
        respond(HttpResponse::error(
            503, QStringLiteral("not_configured"),
            QStringLiteral("This relay has no secret for %1 webhooks.").arg(provider)));
        return;
    }
    if (check == SignatureCheck::Invalid) {
        metricsFor(provider).badSignature->inc();
        log::warning(kComponent, QStringLiteral("webhook.bad_signature"),
                     {{QStringLiteral("provider"), provider},
                      {QStringLiteral("reason"), reason},
                      {QStringLiteral("remote_addr"), request.remoteAddress}});
        m_audit.record({QStringLiteral("webhook.bad_signature"), QStringLiteral("rejected"),
                        QStringLiteral("platform"), provider, request.path, request.remoteAddress,
                        0,
                        QJsonObject{{QStringLiteral("reason"), reason},
                                    {QStringLiteral("body_bytes"), int(request.body.size())}}});
        respond(HttpResponse::error(401, QStringLiteral("bad_signature"),
                                    QStringLiteral("Signature check failed.")));
        return;
    }

    auto events = EventSplitter::split(provider, request.body);
    if (!events) {
        metricsFor(provider).malformed->inc();
        respond(HttpResponse::error(400, QStringLiteral("malformed"), events.error().detail));
        return;
    }
    const QByteArray headers = headersJson(request);
    for (InboxEvent &event : *events) {
        event.verified = check == SignatureCheck::Valid;
        event.headersJson = headers;
    }
    const qsizetype count = events->size();
    ProviderMetrics &metrics = metricsFor(provider);
    m_inbox.submit(std::move(events).value(), [&metrics, respond = std::move(respond), timer,
                                               count](const InboxOutcome &outcome) {
        if (!outcome.committed) {
            metrics.unavailable->inc(double(count));
            HttpResponse response =
                HttpResponse::error(503, QStringLiteral("unavailable"),
                                    QStringLiteral("Storage is unavailable; retry later."));
            response.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("5")});
            respond(std::move(response));
            return;
        }
        metrics.accepted->inc(outcome.inserted);
        metrics.duplicate->inc(outcome.duplicates);
        metrics.ackSeconds->observe(double(timer.nsecsElapsed()) / 1e9);
        respond(HttpResponse::json(
            200, "{\"received\":" + QByteArray::number(outcome.inserted) +
                     ",\"duplicates\":" + QByteArray::number(outcome.duplicates) + '}'));
    });
}

void WebhookEndpoints::instagramHandshake(const HttpRequest &request,
                                          const HttpResponder &respond) {
    static const QRegularExpression challengePattern(QStringLiteral("^[A-Za-z0-9_-]{1,128}$"));
    const QString mode = request.query.queryItemValue(QStringLiteral("hub.mode"));
    const QByteArray token =
        request.query.queryItemValue(QStringLiteral("hub.verify_token"), QUrl::FullyDecoded)
            .toUtf8();
    const QString challenge = request.query.queryItemValue(QStringLiteral("hub.challenge"));
    const bool ok = mode == QLatin1String("subscribe") &&
                    !m_secrets.instagramVerifyToken.isEmpty() &&
                    crypto::constantTimeEquals(token, m_secrets.instagramVerifyToken) &&
                    challengePattern.match(challenge).hasMatch();
    m_audit.record({QStringLiteral("webhook.instagram_handshake"),
                    ok ? QStringLiteral("ok") : QStringLiteral("rejected"),
                    QStringLiteral("platform"),
                    QStringLiteral("instagram"),
                    request.path,
                    request.remoteAddress,
                    0,
                    {}});
    if (!ok) {
        respond(HttpResponse::error(403, QStringLiteral("verification_failed"),
                                    QStringLiteral("hub.verify_token does not match.")));
        return;
    }
    respond(HttpResponse::text(200, challenge.toUtf8()));
}

void WebhookEndpoints::xCrc(const HttpRequest &request, const HttpResponder &respond) {
    const QByteArray token =
        request.query.queryItemValue(QStringLiteral("crc_token"), QUrl::FullyDecoded).toUtf8();
    if (m_secrets.xConsumerSecret.isEmpty()) {
        respond(HttpResponse::error(503, QStringLiteral("not_configured"),
                                    QStringLiteral("X_CONSUMER_SECRET is not set.")));
        return;
    }
    if (token.isEmpty() || token.size() > 1024) {
        respond(HttpResponse::error(400, QStringLiteral("bad_request"),
                                    QStringLiteral("crc_token is required.")));
        return;
    }
    const QByteArray answer = SignatureVerifier::xCrcResponse(m_secrets.xConsumerSecret, token);
    respond(HttpResponse::json(200, QJsonDocument(QJsonObject{{QStringLiteral("response_token"),
                                                               QString::fromLatin1(answer)}})
                                        .toJson(QJsonDocument::Compact)));
}

} // namespace huntaze::relay
