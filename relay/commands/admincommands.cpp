#include "admincommands.h"

#include "devices/devicestore.h"
#include "keyrotation.h"
#include "log/logger.h"
#include "store/migrator.h"
#include "store/pgconnection.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace huntaze::relay {

namespace {

int failWith(const Error &error) {
    std::fprintf(stderr, "huntaze-relay: %s\n",
                 qPrintable(error.message.isEmpty() ? error.toString() : error.message));
    return 1;
}

int usage(const char *text) {
    std::fprintf(stderr, "huntaze-relay: %s\n", text);
    return 2;
}

Result<store::PgConnection> open(const config::ServerConfig &config) {
    auto db = store::PgConnection::open(config.value(QStringLiteral("HUNTAZE_DATABASE_URL")));
    if (!db)
        return db.error();
    if (auto current = store::Migrator().checkCurrent(*db); !current)
        return current.error();
    return db;
}

void print(const QJsonObject &object) {
    std::fprintf(stdout, "%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
}

void audit(store::PgConnection &db, const QString &event, qint64 userId, const QString &subject,
           const QJsonObject &details = {}) {
    (void)db.exec(QStringLiteral("INSERT INTO audit_log (user_id, actor, event, subject, details) "
                                 "VALUES (nullif($1, 0), 'operator', $2, $3, $4::jsonb)"),
                  {userId, event, subject,
                   QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact))});
}

} // namespace

int runUserAdd(const config::ServerConfig &config, const QCommandLineParser &parser) {
    auto db = open(config);
    if (!db)
        return failWith(db.error());
    auto id = DeviceStore::addUser(*db, parser.value(QStringLiteral("email")),
                                   parser.value(QStringLiteral("name")));
    if (!id)
        return failWith(id.error());
    audit(*db, QStringLiteral("user.added"), *id, QStringLiteral("user:%1").arg(*id));
    print({{QStringLiteral("user_id"), *id}});
    return 0;
}

int runDevicePair(const config::ServerConfig &config, const QCommandLineParser &parser) {
    bool numeric = false;
    const qint64 user = parser.value(QStringLiteral("user")).toLongLong(&numeric);
    if (!numeric)
        return usage("device pair needs --user ID");
    const int ttl = parser.isSet(QStringLiteral("ttl-minutes"))
                        ? parser.value(QStringLiteral("ttl-minutes")).toInt()
                        : 15;
    auto db = open(config);
    if (!db)
        return failWith(db.error());
    auto code = DeviceStore::issuePairingCode(*db, user, parser.value(QStringLiteral("name")),
                                              qBound(0, ttl, 24 * 60));
    if (!code)
        return failWith(code.error());
    audit(*db, QStringLiteral("device.pairing_issued"), user,
          QStringLiteral("device:%1").arg(code->deviceId));
    print({{QStringLiteral("device_id"), code->deviceId},
           {QStringLiteral("pairing_code"), code->code},
           {QStringLiteral("expires_at"), code->expiresAt.toString(Qt::ISODate)}});
    return 0;
}

int runDeviceRevoke(const config::ServerConfig &config, const QCommandLineParser &parser) {
    bool numeric = false;
    const qint64 device = parser.value(QStringLiteral("device")).toLongLong(&numeric);
    if (!numeric)
        return usage("device revoke needs --device ID");
    auto db = open(config);
    if (!db)
        return failWith(db.error());
    if (auto revoked = DeviceStore::revoke(*db, device); !revoked)
        return failWith(revoked.error());
    audit(*db, QStringLiteral("device.revoked"), 0, QStringLiteral("device:%1").arg(device));
    print({{QStringLiteral("device_id"), device}, {QStringLiteral("revoked"), true}});
    return 0;
}

int runKeysRotate(const config::ServerConfig &config) {
    const QString path = config.value(QStringLiteral("HUNTAZE_KEYRING"));
    if (path.isEmpty())
        return usage("keys rotate needs HUNTAZE_KEYRING (the key ring file)");
    auto db = open(config);
    if (!db)
        return failWith(db.error());
    auto report = rotateKeys(*db, path);
    if (!report)
        return failWith(report.error());
    audit(*db, QStringLiteral("keys.rotated"), 0, report->newKeyId,
          {{QStringLiteral("accounts"), report->accountsResealed},
           {QStringLiteral("page_tokens"), report->pageTokensResealed}});
    print({{QStringLiteral("active_key"), report->newKeyId},
           {QStringLiteral("accounts_resealed"), report->accountsResealed},
           {QStringLiteral("page_tokens_resealed"), report->pageTokensResealed},
           {QStringLiteral("next"),
            QStringLiteral("restart every relay now: they read the key ring at start")}});
    return 0;
}

} // namespace huntaze::relay
