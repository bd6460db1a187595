#pragma once

#include "store/desktopdatabase.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QHttpServer>
#include <QJsonObject>
#include <QList>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

namespace huntaze::test {

// What the Instagram views read, as the desktop has it: a fresh migrated database, a
// paired desktop's own role (row-level security and column grants apply), one user with
// a Facebook login (oauth_accounts, provider instagram) and its chosen Instagram account,
// and the desktop's connection (DesktopDatabase: its own thread, LISTEN for changes).
// Rows are written through the owner connection, as the relay writes them, so the tables'
// triggers announce them to the desktop.
class InstagramTestBed {
public:
    static constexpr qint64 kLoginId = 1;
    static constexpr const char *kIgBusinessId = "17841400000000001";
    static constexpr const char *kUsername = "creator";

    InstagramTestBed();
    ~InstagramTestBed();
    InstagramTestBed(const InstagramTestBed &) = delete;
    InstagramTestBed &operator=(const InstagramTestBed &) = delete;

    bool isValid() const { return m_desktop != nullptr; }
    QString errorString() const { return m_error; }
    store::DesktopDatabase *desktop() const { return m_desktop.get(); }
    // Runs statements as the relay (the owner); empty on success, else the error.
    QString run(const QString &sql);
    QString run(const QString &sql, const QList<store::PgParam> &params);

private:
    bool setUp();

    std::unique_ptr<TestDatabase> m_database;
    std::optional<store::PgConnection> m_owner;
    std::unique_ptr<store::DesktopDatabase> m_desktop;
    QString m_role;
    QString m_error;
};

// Stands where the relay would for the desktop's calls: records each request and answers
// what the test scripted for its path (404 otherwise), optionally doing what the relay
// does on the side (writing the database) before answering.
class FakeRelay {
public:
    struct Request {
        QByteArray method;
        QString path;
        QUrlQuery query;
        QJsonObject body;
    };
    struct Answer {
        int status = 200;
        QJsonObject body;
    };
    using Handler = std::function<Answer(const Request &)>;

    FakeRelay();
    QUrl url() const;
    void on(const QString &path, Handler handler);
    void answer(const QString &path, const QJsonObject &body, int status = 200);
    const QList<Request> &requests() const { return m_requests; }
    // Spins the event loop until `count` requests arrived in all, or the timeout.
    bool waitForRequests(qsizetype count, int timeoutMs = 10000);

private:
    QHttpServer m_server;
    quint16 m_port = 0;
    QHash<QString, Handler> m_handlers;
    QList<Request> m_requests;
};

} // namespace huntaze::test
