#include "relayserver.h"

#include "alerts/alertevaluator.h"
#include "alerts/alertnotifier.h"
#include "alerts/alertwebhook.h"
#include "audit/auditwriter.h"
#include "broker/graphapi.h"
#include "broker/instagramaccounts.h"
#include "broker/instagramcomments.h"
#include "broker/metaredirectpage.h"
#include "broker/oauthbroker.h"
#include "broker/outboundhttp.h"
#include "broker/platformdirectory.h"
#include "broker/tokenrefresher.h"
#include "crypto/tokensealer.h"
#include "databasepool.h"
#include "databaseprobe.h"
#include "debug/debugendpoints.h"
#include "devices/deviceendpoints.h"
#include "http/httpserver.h"
#include "http/router.h"
#include "huntaze/version.h"
#include "log/logger.h"
#include "log/metricsregistry.h"
#include "media/mediahost.h"
#include "platforms/instagram/instagramoauth.h"
#include "platforms/instagram/instagramusage.h"
#include "platforms/reddit/redditoauth.h"
#include "platforms/tiktok/tiktokoauth.h"
#include "platforms/x/xoauth.h"
#include "webhooks/inboxwriter.h"
#include "webhooks/webhookendpoints.h"
#include "workers/gaugesampler.h"
#include "workers/inboxprocessor.h"
#include "workers/instagramsync.h"
#include "workers/redditsync.h"
#include "workers/tiktokstatuspoller.h"
#include "workers/xmetricssync.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace huntaze::relay {

namespace {

// How desktops reach the database: configured, or the relay's own address without its
// credentials.
// The platforms this relay has app credentials for.
QHash<QString, std::shared_ptr<oauth::ProviderClient>> providers(const config::ServerConfig &c) {
    QHash<QString, std::shared_ptr<oauth::ProviderClient>> out;
    const auto value = [&c](const char *key) { return c.value(QLatin1String(key)); };
    if (c.has(QStringLiteral("TIKTOK_CLIENT_KEY")))
        out.insert(QStringLiteral("tiktok"),
                   std::make_shared<platforms::TikTokOAuth>(
                       oauth::ProviderCredentials{value("TIKTOK_CLIENT_KEY"),
                                                  value("TIKTOK_CLIENT_SECRET")},
                       QUrl(value("TIKTOK_API_BASE"))));
    if (c.has(QStringLiteral("INSTAGRAM_APP_ID")))
        out.insert(QStringLiteral("instagram"),
                   std::make_shared<platforms::InstagramOAuth>(
                       oauth::ProviderCredentials{value("INSTAGRAM_APP_ID"),
                                                  value("INSTAGRAM_APP_SECRET")},
                       QUrl(value("INSTAGRAM_GRAPH_BASE")), value("INSTAGRAM_GRAPH_VERSION")));
    if (c.has(QStringLiteral("REDDIT_CLIENT_ID")))
        out.insert(QStringLiteral("reddit"),
                   std::make_shared<platforms::RedditOAuth>(
                       value("REDDIT_CLIENT_ID"), QUrl(value("REDDIT_AUTH_BASE")),
                       QUrl(value("REDDIT_API_BASE")), value("REDDIT_USER_AGENT").toUtf8()));
    if (c.has(QStringLiteral("X_CLIENT_ID")))
        out.insert(QStringLiteral("x"),
                   std::make_shared<platforms::XOAuth>(
                       oauth::ProviderCredentials{value("X_CLIENT_ID"), value("X_CLIENT_SECRET")},
                       QUrl(value("X_API_BASE"))));
    return out;
}

// The token sealer, when a key ring is configured (created on first start).
std::unique_ptr<crypto::TokenSealer> sealer(const config::ServerConfig &c) {
    const QString path = c.value(QStringLiteral("HUNTAZE_KEYRING"));
    if (path.isEmpty())
        return nullptr;
    if (!QFile::exists(path)) {
        QSaveFile file(path);
        const QByteArray ring = crypto::KeyRing::withNewActiveKey({}, nullptr);
        if (file.open(QIODevice::WriteOnly) &&
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
            file.write(ring);
            file.commit();
        }
    }
    auto ring = crypto::KeyRing::fromFile(path);
    if (!ring) {
        log::error(QStringLiteral("relay"), QStringLiteral("keyring.unusable"),
                   {{QStringLiteral("detail"), ring.error().message}});
        return nullptr;
    }
    return std::make_unique<crypto::TokenSealer>(std::move(ring).value());
}

// Graph API calls for Instagram's accounts, comments and sync, when an app is configured.
std::unique_ptr<GraphApi> instagramGraph(const config::ServerConfig &c, OutboundHttp &outbound,
                                         instagram::UsageGovernor &governor) {
    if (!c.has(QStringLiteral("INSTAGRAM_APP_ID")))
        return nullptr;
    return std::make_unique<GraphApi>(outbound, governor,
                                      QUrl(c.value(QStringLiteral("INSTAGRAM_GRAPH_BASE"))),
                                      c.value(QStringLiteral("INSTAGRAM_GRAPH_VERSION")));
}

// The media host for Instagram photos, when the relay's public address is configured.
std::unique_ptr<MediaHost> mediaHost(const config::ServerConfig &c, DatabasePool &pool,
                                     OAuthBroker &broker, AuditWriter &audit) {
    const QString publicUrl = c.value(QStringLiteral("HUNTAZE_MEDIA_PUBLIC_URL"));
    if (publicUrl.isEmpty())
        return nullptr;
    return std::make_unique<MediaHost>(
        QUrl(publicUrl), pool, broker, audit,
        int(c.integer(QStringLiteral("HUNTAZE_MEDIA_CLEANUP_INTERVAL_SECONDS"))));
}

QUrl desktopDatabaseUrl(const config::ServerConfig &config) {
    const QString configured = config.value(QStringLiteral("HUNTAZE_DESKTOP_DATABASE_URL"));
    return QUrl(configured.isEmpty() ? config.value(QStringLiteral("HUNTAZE_DATABASE_URL"))
                                     : configured);
}

} // namespace

struct RelayServer::Parts {
    explicit Parts(const config::ServerConfig &c)
        : config(c)
        , inbox(c.value(QStringLiteral("HUNTAZE_DATABASE_URL")),
                int(c.integer(QStringLiteral("HUNTAZE_INBOX_BATCH"))),
                int(c.integer(QStringLiteral("HUNTAZE_INBOX_WRITERS"))))
        , audit(c.value(QStringLiteral("HUNTAZE_DATABASE_URL")))
        , probe(c.value(QStringLiteral("HUNTAZE_DATABASE_URL")))
        , processor(c.value(QStringLiteral("HUNTAZE_DATABASE_URL")),
                    ProcessorOptions{int(c.integer(QStringLiteral("HUNTAZE_WORKERS"))), 50,
                                     int(c.integer(QStringLiteral("HUNTAZE_MAX_ATTEMPTS"))),
                                     int(c.integer(QStringLiteral("HUNTAZE_RETRY_BASE_MS"))),
                                     3'600'000, 1000})
        , webhooks(WebhookSecrets{c.value(QStringLiteral("TIKTOK_WEBHOOK_SECRET")).toUtf8(),
                                  c.integer(QStringLiteral("HUNTAZE_WEBHOOK_TOLERANCE_SECONDS")),
                                  c.value(QStringLiteral("INSTAGRAM_APP_SECRET")).toUtf8(),
                                  c.value(QStringLiteral("INSTAGRAM_VERIFY_TOKEN")).toUtf8(),
                                  c.value(QStringLiteral("X_CONSUMER_SECRET")).toUtf8()},
                   inbox, audit) {}
    config::ServerConfig config;
    InboxWriter inbox;
    AuditWriter audit;
    DatabaseProbe probe;
    InboxProcessor processor;
    WebhookEndpoints webhooks;
    DatabasePool pool{config.value(QStringLiteral("HUNTAZE_DATABASE_URL")),
                      int(config.integer(QStringLiteral("HUNTAZE_DB_POOL")))};
    // The background syncs hold a connection for a whole pass (paced platform calls
    // included): they get their own, one each, so desktops' requests never queue
    // behind them on `pool`.
    DatabasePool syncPool{config.value(QStringLiteral("HUNTAZE_DATABASE_URL")), 4};
    DeviceEndpoints devices{pool, audit, desktopDatabaseUrl(config)};
    DebugEndpoints debug{config.value(QStringLiteral("HUNTAZE_ADMIN_TOKEN")).toUtf8(), pool, audit};
    std::unique_ptr<crypto::TokenSealer> tokenSealer = sealer(config);
    OutboundHttp outbound;
    OAuthBroker broker{providers(config), tokenSealer.get(), pool, outbound, audit};
    TokenRefresher refresher{
        broker, pool, int(config.integer(QStringLiteral("HUNTAZE_REFRESH_INTERVAL_SECONDS")))};
    TikTokStatusPoller tiktokPoller{
        broker, syncPool, outbound, QUrl(config.value(QStringLiteral("TIKTOK_API_BASE"))),
        int(config.integer(QStringLiteral("HUNTAZE_TIKTOK_POLL_INTERVAL_SECONDS")))};
    // One governor for every Graph call this relay makes: Meta counts usage per app and
    // per Instagram account, whoever calls.
    instagram::UsageGovernor instagramUsage;
    std::unique_ptr<GraphApi> graph = instagramGraph(config, outbound, instagramUsage);
    InstagramAccounts instagramAccounts{broker, tokenSealer.get(), graph.get(), audit};
    InstagramComments instagramComments{broker, graph.get()};
    std::unique_ptr<InstagramSync> instagramSync =
        graph ? std::make_unique<InstagramSync>(
                    broker, syncPool, *graph,
                    int(config.integer(QStringLiteral("HUNTAZE_INSTAGRAM_SYNC_INTERVAL_SECONDS"))))
              : nullptr;
    // Reddit has no webhooks: its posts, scores and comments are polled. X's webhooks bring
    // new posts; their metrics are polled.
    std::unique_ptr<RedditSync> redditSync =
        config.has(QStringLiteral("REDDIT_CLIENT_ID"))
            ? std::make_unique<RedditSync>(
                  broker, syncPool, outbound, QUrl(config.value(QStringLiteral("REDDIT_API_BASE"))),
                  config.value(QStringLiteral("REDDIT_USER_AGENT")).toUtf8(),
                  int(config.integer(QStringLiteral("HUNTAZE_REDDIT_SYNC_INTERVAL_SECONDS"))))
            : nullptr;
    std::unique_ptr<XMetricsSync> xSync =
        config.has(QStringLiteral("X_CLIENT_ID"))
            ? std::make_unique<XMetricsSync>(
                  broker, syncPool, outbound, QUrl(config.value(QStringLiteral("X_API_BASE"))),
                  int(config.integer(QStringLiteral("HUNTAZE_X_SYNC_INTERVAL_SECONDS"))))
            : nullptr;
    std::unique_ptr<MediaHost> media = mediaHost(config, pool, broker, audit);
    GaugeSampler gauges{pool, 5000};
    // The relay's own alerts: log, audit row and (optional) outgoing webhook.
    alerts::AlertSettings alertSettings = alerts::AlertSettings::fromConfig(config);
    std::unique_ptr<alerts::AlertWebhook> alertWebhook =
        alertSettings.webhookUrl.isEmpty()
            ? nullptr
            : std::make_unique<alerts::AlertWebhook>(alertSettings.webhookUrl,
                                                     alertSettings.webhookSecret);
    alerts::AlertNotifier alertNotifier{audit, alertWebhook.get()};
    alerts::AlertEvaluator alertEvaluator{
        alerts::alertRules(), alertSettings,
        [this](const alerts::AlertEvent &event) { alertNotifier.raise(event); }};
    RateLimiter limiter;
    Router router;
    std::unique_ptr<HttpServer> http;
};

RelayServer::RelayServer(const config::ServerConfig &config)
    : d(std::make_unique<Parts>(config)) {}

RelayServer::~RelayServer() {
    stop();
}

Result<quint16> RelayServer::start() {
    Router &router = d->router;
    router.add("GET", QStringLiteral("/healthz"), [](HttpRequest &&, HttpResponder respond) {
        respond(HttpResponse::json(
            200, QByteArrayLiteral("{\"status\":\"ok\",\"version\":\"" HUNTAZE_VERSION "\"}")));
    });
    router.add("GET", QStringLiteral("/readyz"), [this](HttpRequest &&, HttpResponder respond) {
        const bool ready = d->probe.ready();
        QJsonObject body{{QStringLiteral("status"),
                          ready ? QStringLiteral("ready") : QStringLiteral("not_ready")}};
        if (!ready)
            body.insert(QStringLiteral("problem"), d->probe.lastProblem());
        respond(HttpResponse::json(ready ? 200 : 503,
                                   QJsonDocument(body).toJson(QJsonDocument::Compact)));
    });
    router.add("GET", QStringLiteral("/metrics"), [](HttpRequest &&, HttpResponder respond) {
        HttpResponse response =
            HttpResponse::text(200, log::MetricsRegistry::global().renderPrometheus());
        response.contentType = "text/plain; version=0.0.4; charset=utf-8";
        respond(std::move(response));
    });
    d->webhooks.registerRoutes(router);
    d->devices.registerRoutes(router);
    d->debug.registerRoutes(router);
    d->broker.registerRoutes(router);
    d->instagramAccounts.registerRoutes(router);
    d->instagramComments.registerRoutes(router);
    d->broker.setConnectedHook(
        QStringLiteral("instagram"),
        [this](store::PgConnection &db, const OAuthBroker::Connected &login) {
            return d->instagramAccounts.afterConnect(db, login);
        });
    if (d->media)
        d->media->registerRoutes(router, QStringLiteral("media"));
    MetaRedirectPage::registerRoutes(router);
    PlatformDirectory::registerRoutes(router, PlatformDirectory::describe(d->config));
    // Per client: webhooks per second (platforms send bursts), the rest per minute.
    const double webhooks =
        double(d->config.integer(QStringLiteral("HUNTAZE_RATE_LIMIT_WEBHOOKS")));
    const double api = double(d->config.integer(QStringLiteral("HUNTAZE_RATE_LIMIT_API"))) / 60;
    const double pairing =
        double(d->config.integer(QStringLiteral("HUNTAZE_RATE_LIMIT_PAIRING"))) / 60;
    d->limiter.setLimit(QStringLiteral("webhooks"), {webhooks, webhooks * 2});
    d->limiter.setLimit(QStringLiteral("api"), {api, qMax(5.0, api * 10)});
    d->limiter.setLimit(QStringLiteral("pairing"), {pairing, qMax(3.0, pairing * 60)});
    d->limiter.setLimit(QStringLiteral("debug"), {5, 20});
    // Hosted photos: fetched by Meta, paced like the API but in a bucket of their own.
    d->limiter.setLimit(QStringLiteral("media"), {api, qMax(5.0, api * 10)});
    router.setRateLimiter(&d->limiter);

    HttpLimits limits;
    limits.maxBodyBytes = size_t(d->config.integer(QStringLiteral("HUNTAZE_MAX_BODY_BYTES")));
    // The media host takes a photo of up to 8 MiB on its upload route only; every other
    // route keeps refusing larger bodies before reading them.
    if (d->media)
        limits.largerBodies.push_back(
            {std::string(MediaHost::kUploadPath),
             std::max(limits.maxBodyBytes, size_t(MediaHost::kMaxBytes))});
    d->http =
        std::make_unique<HttpServer>(limits, [this](HttpRequest &&request, HttpResponder respond) {
            if (d->media)
                MediaHost::rewrite(request);
            d->router.dispatch(std::move(request), std::move(respond));
        });
    QString host;
    quint16 port = 0;
    config::ServerConfig::splitHostPort(d->config.value(QStringLiteral("HUNTAZE_LISTEN")), &host,
                                        &port);
    if (const QUrl desktop = desktopDatabaseUrl(d->config);
        desktop.scheme() != QLatin1String("postgresql") &&
        desktop.scheme() != QLatin1String("postgres"))
        return Error{QStringLiteral("config"),
                     QStringLiteral("HUNTAZE_DESKTOP_DATABASE_URL"),
                     QStringLiteral(
                         "HUNTAZE_DESKTOP_DATABASE_URL: desktops need a postgresql:// URL; set it "
                         "(HUNTAZE_DATABASE_URL is not one)"),
                     {},
                     0,
                     false,
                     {}};
    const QString certificate = d->config.value(QStringLiteral("HUNTAZE_TLS_CERT"));
    const QString key = d->config.value(QStringLiteral("HUNTAZE_TLS_KEY"));
    if (certificate.isEmpty() != key.isEmpty())
        return Error{QStringLiteral("config"),
                     QStringLiteral("HUNTAZE_TLS_KEY"),
                     QStringLiteral("HUNTAZE_TLS_CERT and HUNTAZE_TLS_KEY: set both, or neither"),
                     {},
                     0,
                     false,
                     {}};
    if (!certificate.isEmpty())
        if (auto tls = d->http->enableTls(certificate, key); !tls)
            return tls.error();
    auto bound = d->http->listen(host, port);
    if (!bound)
        return bound.error();
    d->inbox.start();
    d->audit.start();
    d->probe.start();
    d->pool.start();
    d->syncPool.start();
    d->gauges.start();
    d->alertEvaluator.start();
    if (d->media)
        d->media->start();
    if (d->tokenSealer)
        d->refresher.start();
    if (d->tokenSealer && d->config.has(QStringLiteral("TIKTOK_CLIENT_KEY")))
        d->tiktokPoller.start();
    if (d->tokenSealer && d->instagramSync)
        d->instagramSync->start();
    if (d->tokenSealer && d->redditSync)
        d->redditSync->start();
    if (d->tokenSealer && d->xSync)
        d->xSync->start();
    if (d->config.integer(QStringLiteral("HUNTAZE_WORKERS")) > 0)
        d->processor.start();
    d->http->start(int(d->config.integer(QStringLiteral("HUNTAZE_HTTP_THREADS"))));
    return *bound;
}

void RelayServer::stop() {
    if (!d->http)
        return;
    // The event loop has stopped: calls waiting on the platforms give up now.
    d->outbound.stop();
    d->http->stop(); // no new requests; in-flight ones finish, waiting on the writers
    d->inbox.stop();
    d->processor.stop();
    d->pool.stop();
    d->syncPool.stop();
    d->audit.stop();
    d->probe.stop();
    d->http.reset();
}

} // namespace huntaze::relay
