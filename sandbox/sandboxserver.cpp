#include "sandboxserver.h"

#include "platforms.h"

#include <QCryptographicHash>
#include <QDir>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QWebSocket>

namespace sandbox {

namespace {

QByteArray methodName(QHttpServerRequest::Method method) {
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "UNKNOWN";
    }
}

QJsonObject errorJson(const QString &code, const QString &message) {
    return {{QStringLiteral("error"), code}, {QStringLiteral("message"), message}};
}

} // namespace

SandboxServer::SandboxServer(SandboxSettings settings, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_settings(std::move(settings)) {
    m_context.webhooks.setRelayUrl(m_settings.relayUrl);
    addAdminRoutes();
    m_platforms = createPlatforms(m_context);
    for (auto &platform : m_platforms)
        platform->registerRoutes(m_router);
    m_tick.setInterval(100);
    connect(&m_tick, &QTimer::timeout, this, &SandboxServer::tickPlatforms);
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this,
            &SandboxServer::acceptWebSockets);
    connect(&m_context.webhooks, &WebhookSender::changed, this,
            [this] { m_context.state.markDirty(); });
}

SandboxServer::~SandboxServer() {
    m_context.state.flush();
}

bool SandboxServer::start(QString *error) {
    if (!QDir().mkpath(m_settings.stateDirectory)) {
        *error =
            QStringLiteral("SANDBOX_STATE_DIR: cannot create %1").arg(m_settings.stateDirectory);
        return false;
    }
    m_port = listen(m_settings.listenAddress, m_settings.listenPort);
    if (m_port == 0) {
        *error = QStringLiteral("HUNTAZE_LISTEN: cannot listen on %1:%2")
                     .arg(m_settings.listenAddress.toString())
                     .arg(m_settings.listenPort);
        return false;
    }
    QString host = m_settings.listenAddress.toString();
    if (m_settings.listenAddress.protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    m_context.baseUrl = QUrl(QStringLiteral("http://%1:%2").arg(host).arg(m_port));

    m_context.uploads.setDirectory(
        QDir(m_settings.stateDirectory).filePath(QStringLiteral("uploads")));
    m_context.state.setDirectory(m_settings.stateDirectory);
    m_context.state.registerSection(
        QStringLiteral("clock"),
        [this] {
            return QJsonObject{{QStringLiteral("offset_ms"), double(m_context.clock.offsetMs())}};
        },
        [this](const QJsonObject &o) {
            m_context.clock.setOffsetMs(qint64(o.value(QStringLiteral("offset_ms")).toDouble()));
        });
    m_context.state.registerSection(
        QStringLiteral("uploads"), [this] { return m_context.uploads.save(); },
        [this](const QJsonObject &o) { m_context.uploads.load(o); });
    m_context.state.registerSection(
        QStringLiteral("webhooks"), [this] { return m_context.webhooks.save(); },
        [this](const QJsonObject &o) {
            m_context.webhooks.load(o);
            m_context.webhooks.setRelayUrl(m_settings.relayUrl); // the command line wins
        });
    for (auto &platform : m_platforms) {
        Platform *p = platform.get();
        m_context.state.registerSection(
            p->name(), [p] { return p->save(); }, [p](const QJsonObject &o) { p->load(o); });
    }
    if (!m_context.state.load(error))
        return false;

    QSaveFile file(QDir(m_settings.stateDirectory).filePath(QStringLiteral("endpoints.json")));
    if (file.open(QIODevice::WriteOnly)) {
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write(QJsonDocument(endpoints()).toJson());
        file.commit();
    }
    m_tick.start();
    return true;
}

QJsonObject SandboxServer::endpoints() const {
    QJsonObject platforms;
    for (const auto &platform : m_platforms)
        platforms.insert(platform->name(), platform->endpoints());
    const QString base = m_context.baseUrl.toString();
    const QString admin = base + QStringLiteral("/_admin");
    return QJsonObject{
        {QStringLiteral("base_url"), base},
        {QStringLiteral("admin_url"), admin},
        {QStringLiteral("port"), int(m_port)},
        {QStringLiteral("relay_url"), m_settings.relayUrl.toString()},
        {QStringLiteral("state_dir"), m_settings.stateDirectory},
        {QStringLiteral("platforms"), platforms},
    };
}

bool SandboxServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) {
    // Qt 6.4 hands a websocket upgrade to newWebSocketConnection (acceptWebSockets) only
    // when handleRequest() accepts it without writing an answer.
    if (request.value(QByteArrayLiteral("Upgrade")).compare("websocket", Qt::CaseInsensitive) == 0)
        return true;
    const QByteArray method = methodName(request.method());
    const QString path = request.url().path();
    QList<std::pair<QByteArray, QByteArray>> headers;
    for (const auto &[name, value] : request.headers())
        headers.append({name, value});
    auto exchange =
        std::make_shared<Exchange>(method, path, request.query(), std::move(headers),
                                   request.body(), makeResponder(request, socket), socket);

    QHash<QString, QString> params;
    bool pathKnown = false;
    const Router::Route *route = m_router.match(method, path, &params, &pathKnown);
    if (!route) {
        exchange->respondJson(
            pathKnown ? 405 : 404,
            errorJson(pathKnown ? QStringLiteral("method_not_allowed")
                                : QStringLiteral("not_found"),
                      QStringLiteral("%1 %2").arg(QString::fromLatin1(method), path)));
        return true;
    }
    exchange->setParams(std::move(params));

    RequestRecord record;
    record.atMs = m_context.clock.nowMs();
    record.platform = route->platform;
    record.endpoint = route->endpoint;
    record.method = method;
    record.path = path;
    record.query = request.query().toString(QUrl::FullyEncoded);
    record.bodySize = request.body().size();
    if (!request.body().isEmpty())
        record.bodySha256 =
            QCryptographicHash::hash(request.body(), QCryptographicHash::Sha256).toHex();
    record.contentRange = exchange->header("Content-Range");
    record.userAgent = exchange->header("User-Agent");
    const qint64 seq = m_context.requests.append(std::move(record));
    exchange->setOnAnswered([this, seq](int status) { m_context.requests.setStatus(seq, status); });

    if (route->platform != QLatin1String("admin")) {
        if (const auto fault = m_context.faults.take(route->platform, route->endpoint)) {
            if (fault->kind != QLatin1String("drop_after")) {
                applyFault(*fault, exchange);
                return true;
            }
            exchange->setDropInsteadOfAnswer(true);
        }
    }
    route->handler(exchange);
    if (!exchange->answered())
        m_pending.append(exchange); // answered later, or a hang the client will give up on
    return true;
}

void SandboxServer::applyFault(const FaultRule &fault, const ExchangePtr &exchange) {
    if (fault.kind == QLatin1String("drop")) {
        exchange->drop();
    } else if (fault.kind == QLatin1String("hang")) {
        m_pending.append(exchange);
    } else if (fault.kind == QLatin1String("malformed")) {
        exchange->respond(
            200, fault.body.isEmpty() ? QByteArrayLiteral("{\"data\": {\"trunc") : fault.body,
            fault.contentType);
    } else {
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (fault.retryAfter >= 0)
            headers.append({"Retry-After", QByteArray::number(fault.retryAfter)});
        exchange->respond(
            fault.status,
            fault.body.isEmpty()
                ? QJsonDocument(errorJson(QStringLiteral("injected_fault"),
                                          QStringLiteral("fault injected by the sandbox")))
                      .toJson(QJsonDocument::Compact)
                : fault.body,
            fault.contentType, headers);
    }
}

void SandboxServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) {
    makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
}

void SandboxServer::tickPlatforms() {
    for (auto &platform : m_platforms)
        platform->tick();
    // Forget exchanges that were answered late or whose client hung up.
    m_pending.removeIf([](const ExchangePtr &e) { return e->answered() || e->clientGone(); });
}

void SandboxServer::acceptWebSockets() {
    while (hasPendingWebSocketConnections()) {
        QWebSocket *socket = nextPendingWebSocketConnection().release();
        socket->setParent(this);
        bool taken = false;
        for (const auto &handler : m_context.webSocketHandlers)
            if ((taken = handler(socket)))
                break;
        if (!taken) {
            socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("no such websocket"));
            socket->deleteLater();
        }
    }
}

void SandboxServer::addAdminRoutes() {
    const QString admin = QStringLiteral("admin");
    // The sandbox's own health check; faults can target it as platform "sandbox".
    m_router.add(
        "GET", QStringLiteral("/healthz"), QStringLiteral("sandbox"), QStringLiteral("healthz"),
        [](const ExchangePtr &e) {
            e->respondJson(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
        });
    m_router.add("GET", QStringLiteral("/_admin/endpoints"), admin, QStringLiteral("endpoints"),
                 [this](const ExchangePtr &e) { e->respondJson(200, endpoints()); });
    m_router.add("GET", QStringLiteral("/_admin/requests"), admin, QStringLiteral("requests"),
                 [this](const ExchangePtr &e) {
                     e->respondJson(200, QJsonDocument(m_context.requests.toJson(
                                             e->queryValue(QStringLiteral("platform")),
                                             e->queryValue(QStringLiteral("endpoint")),
                                             e->queryValue(QStringLiteral("since")).toLongLong())));
                 });
    m_router.add("DELETE", QStringLiteral("/_admin/requests"), admin,
                 QStringLiteral("requests.clear"), [this](const ExchangePtr &e) {
                     m_context.requests.clear();
                     e->respondJson(200, QJsonObject{{QStringLiteral("cleared"), true}});
                 });
    m_router.add("GET", QStringLiteral("/_admin/faults"), admin, QStringLiteral("faults"),
                 [this](const ExchangePtr &e) {
                     e->respondJson(200, QJsonDocument(m_context.faults.toJson()));
                 });
    m_router.add(
        "POST", QStringLiteral("/_admin/faults"), admin, QStringLiteral("faults.add"),
        [this](const ExchangePtr &e) {
            const auto body = e->jsonBody();
            QString error = QStringLiteral("body must be a JSON object");
            const auto rule = body ? FaultRule::fromJson(*body, &error) : std::nullopt;
            if (!rule) {
                e->respondJson(400, errorJson(QStringLiteral("invalid_fault"), error));
                return;
            }
            e->respondJson(200, QJsonObject{{QStringLiteral("id"), m_context.faults.add(*rule)}});
        });
    m_router.add("DELETE", QStringLiteral("/_admin/faults"), admin, QStringLiteral("faults.clear"),
                 [this](const ExchangePtr &e) {
                     m_context.faults.clear();
                     e->respondJson(200, QJsonObject{{QStringLiteral("cleared"), true}});
                 });
    m_router.add("GET", QStringLiteral("/_admin/clock"), admin, QStringLiteral("clock"),
                 [this](const ExchangePtr &e) {
                     e->respondJson(200, QJsonObject{{QStringLiteral("now"),
                                                      double(m_context.clock.nowSecs())},
                                                     {QStringLiteral("offset_seconds"),
                                                      double(m_context.clock.offsetMs() / 1000)}});
                 });
    m_router.add(
        "POST", QStringLiteral("/_admin/clock"), admin, QStringLiteral("clock.advance"),
        [this](const ExchangePtr &e) {
            const auto body = e->jsonBody();
            const double seconds =
                body ? body->value(QStringLiteral("advance_seconds")).toDouble(-1) : -1;
            if (seconds < 0 || seconds > 10.0 * 365 * 86400) {
                e->respondJson(400, errorJson(QStringLiteral("invalid_clock"),
                                              QStringLiteral("advance_seconds: 0 to ten years")));
                return;
            }
            m_context.clock.advance(qint64(seconds));
            m_context.state.markDirty();
            tickPlatforms();
            e->respondJson(200,
                           QJsonObject{{QStringLiteral("now"), double(m_context.clock.nowSecs())}});
        });
    m_router.add("GET", QStringLiteral("/_admin/uploads"), admin, QStringLiteral("uploads"),
                 [this](const ExchangePtr &e) {
                     e->respondJson(200, QJsonDocument(m_context.uploads.toJson()));
                 });
    m_router.add("GET", QStringLiteral("/_admin/webhooks"), admin, QStringLiteral("webhooks"),
                 [this](const ExchangePtr &e) {
                     QJsonObject out = m_context.webhooks.settingsJson();
                     out.insert(QStringLiteral("deliveries"), m_context.webhooks.deliveriesJson());
                     e->respondJson(200, out);
                 });
    m_router.add("POST", QStringLiteral("/_admin/webhooks"), admin,
                 QStringLiteral("webhooks.settings"), [this](const ExchangePtr &e) {
                     const auto body = e->jsonBody();
                     if (!body) {
                         e->respondJson(400,
                                        errorJson(QStringLiteral("invalid_settings"),
                                                  QStringLiteral("body must be a JSON object")));
                         return;
                     }
                     if (body->contains(QStringLiteral("duplicates")))
                         m_context.webhooks.setDuplicates(
                             body->value(QStringLiteral("duplicates")).toBool());
                     if (body->contains(QStringLiteral("compression")))
                         m_context.webhooks.setCompression(
                             body->value(QStringLiteral("compression")).toDouble());
                     if (body->contains(QStringLiteral("relay_url"))) {
                         const QUrl url(body->value(QStringLiteral("relay_url")).toString());
                         m_settings.relayUrl = url;
                         m_context.webhooks.setRelayUrl(url);
                     }
                     m_context.state.markDirty();
                     e->respondJson(200, m_context.webhooks.settingsJson());
                 });
}

} // namespace sandbox
