#pragma once

#include "relayprocess.h"
#include "sandboxprocess.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace huntaze::test {

// Everything a publishing test stands on, all real: a migrated test database, the
// sandbox platforms, a relay brokering TikTok against them (webhooks from the sandbox
// to the relay, signed), a user, a paired desktop (its credential and its own database
// role) and TikTok accounts connected through the real OAuth flow.
class PublishingStack {
public:
    PublishingStack() = default;
    ~PublishingStack();

    // false with errorString() when a part could not start. relaySettings are added to
    // (or override) the relay's configuration.
    bool start(const QMap<QString, QString> &relaySettings = {});
    // Connects a sandbox TikTok user ("tt-alice", "tt-bob") as this desktop's user.
    std::optional<qint64> connectTikTok(const QString &sandboxUser);
    // Reddit and X listen on the fixed loopback ports their apps register (as the desktop
    // does): tests that connect them take the ctest resource lock "oauth_fixed_ports".
    static constexpr quint16 kRedditPort = 65010;
    static constexpr quint16 kXPort = 53682;
    // A sandbox Reddit user by id ("sbx1a" /u/sbx_alice, "sbx2b" /u/sbx_bob, ...).
    std::optional<qint64> connectReddit(const QString &sandboxUserId);
    // A sandbox X user by id ("1500000000000000001" Sandbox Creator, "...02" Brand).
    std::optional<qint64> connectX(const QString &sandboxUserId);
    // Connects a sandbox Facebook user (instagram sandbox README: "1000000000001" Alex,
    // ...) through the real Facebook Login flow, granting `scopes` on the dialog, and
    // returns the relay's exchange answer ("account_id", ..., "instagram").
    std::optional<QJsonObject> connectInstagram(const QString &facebookUserId,
                                                const QStringList &scopes = allInstagramScopes());
    static QStringList allInstagramScopes();

    QString errorString() const { return m_error; }
    TestDatabase &database() { return *m_db; }
    store::PgConnection &sql() { return *m_sql; } // the owner's connection, for assertions
    SandboxProcess &sandbox() { return *m_sandbox; }
    RelayProcess &relay() { return *m_relay; }
    QUrl relayUrl() const { return m_relay->url(""); }
    QByteArray credential() const { return m_credential; }
    QString desktopDatabaseUrl() const { return m_desktopDatabaseUrl; }
    QUrl tiktokApiBase() const;
    QJsonObject platforms() const { return m_platforms; }
    // The relay's key ring (HUNTAZE_KEYRING), for `huntaze-relay keys rotate`.
    QString keyRingPath() const { return m_scratch.filePath(QStringLiteral("keyring")); }
    // Environment for a `huntaze` command-line child using this stack.
    QMap<QString, QString> desktopEnvironment() const;
    qint64 scalar(const QString &sql);

private:
    bool fail(const QString &why);
    // The real OAuth flow against the sandbox, its page approved with `decision`'s extra
    // query items (sandbox_user, sandbox_scopes); the relay's exchange answer.
    std::optional<QJsonObject> signInThroughSandbox(const QString &provider,
                                                    const QList<QPair<QString, QString>> &decision,
                                                    int timeoutMs, quint16 fixedPort = 0);
    std::optional<qint64> accountIdOf(const QString &provider,
                                      const std::optional<QJsonObject> &account);
    std::unique_ptr<TestDatabase> m_db;
    std::optional<store::PgConnection> m_sql;
    std::unique_ptr<SandboxProcess> m_sandbox;
    std::unique_ptr<RelayProcess> m_relay;
    QTemporaryDir m_scratch;
    QByteArray m_credential;
    QString m_desktopDatabaseUrl;
    QString m_role;
    QJsonObject m_platforms;
    QString m_error;
};

} // namespace huntaze::test
