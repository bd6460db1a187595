#include "instagramtestbed.h"

#include "store/migrator.h"

#include <QDeadlineTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

namespace huntaze::test {

InstagramTestBed::InstagramTestBed() {
    if (!setUp() && m_error.isEmpty())
        m_error = QStringLiteral("could not set up the test database");
}

bool InstagramTestBed::setUp() {
    m_database = std::make_unique<TestDatabase>();
    if (!m_database->isValid()) {
        m_error = m_database->errorString();
        return false;
    }
    auto owner = store::PgConnection::open(m_database->url());
    if (!owner) {
        m_error = owner.error().toString();
        return false;
    }
    m_owner.emplace(std::move(owner).value());
    if (auto migrated = store::Migrator().migrate(*m_owner); !migrated) {
        m_error = migrated.error().toString();
        return false;
    }
    // A paired desktop logs in as its own role, member of huntaze_desktop.
    m_role = QStringLiteral("desk_") + m_database->name();
    const QString password =
        QStringLiteral("pw-%1").arg(QRandomGenerator::global()->generate64(), 0, 16);
    const QString seed =
        QStringLiteral(R"sql(
        CREATE ROLE %1 LOGIN PASSWORD %2 IN ROLE huntaze_desktop;
        GRANT CONNECT ON DATABASE %3 TO %1;
        INSERT INTO users (display_name) VALUES ('Creator');
        INSERT INTO devices (user_id, name, status, db_role, token_hash)
             VALUES (1, 'laptop', 'active', %4, '\x01');
        INSERT INTO oauth_accounts (user_id, provider, open_id, display_name, username, scope,
                                    access_expires_at)
             VALUES (1, 'instagram', 'fb-user-1', 'Creator FB', '',
                     'instagram_basic,instagram_manage_comments',
                     now() + interval '60 days');
        INSERT INTO instagram_accounts (user_id, account_id, ig_business_id, page_id, page_name,
                                        username, access_level)
             VALUES (1, 1, %5, 'page-1', 'Creator Page', %6, 'full');
    )sql")
            .arg(m_owner->quoteIdentifier(m_role), m_owner->quoteLiteral(password),
                 m_owner->quoteIdentifier(m_database->name()), m_owner->quoteLiteral(m_role),
                 m_owner->quoteLiteral(QLatin1String(kIgBusinessId)),
                 m_owner->quoteLiteral(QLatin1String(kUsername)));
    if (const QString problem = run(seed); !problem.isEmpty()) {
        m_error = problem;
        return false;
    }
    m_desktop = std::make_unique<store::DesktopDatabase>(m_database->urlFor(m_role, password));
    m_desktop->start();
    return true;
}

InstagramTestBed::~InstagramTestBed() {
    m_desktop.reset(); // its connection goes before the database is dropped
    m_owner.reset();
    m_database.reset();
    if (m_role.isEmpty())
        return;
    if (auto admin = store::PgConnection::open(TestDatabase::adminUrl()))
        (void)admin->execScript(QStringLiteral("DROP ROLE IF EXISTS ") +
                                admin->quoteIdentifier(m_role));
}

QString InstagramTestBed::run(const QString &sql) {
    if (!m_owner)
        return QStringLiteral("no database");
    const auto done = m_owner->execScript(sql);
    return done ? QString() : done.error().toString();
}

QString InstagramTestBed::run(const QString &sql, const QList<store::PgParam> &params) {
    if (!m_owner)
        return QStringLiteral("no database");
    const auto done = m_owner->exec(sql, params);
    return done ? QString() : done.error().toString();
}

FakeRelay::FakeRelay() {
    m_server.route("/<arg>", [this](const QUrl &, const QHttpServerRequest &request) {
        Request received;
        received.method = request.method() == QHttpServerRequest::Method::Post  ? "POST"
                          : request.method() == QHttpServerRequest::Method::Get ? "GET"
                                                                                : "OTHER";
        received.path = request.url().path();
        received.query = request.query();
        received.body = QJsonDocument::fromJson(request.body()).object();
        m_requests.append(received);
        const Handler handler = m_handlers.value(received.path);
        const Answer answer =
            handler ? handler(received)
                    : Answer{404, {{"error", "not_found"}, {"message", "No such route."}}};
        return QHttpServerResponse(answer.body,
                                   static_cast<QHttpServerResponder::StatusCode>(answer.status));
    });
    m_port = m_server.listen(QHostAddress(QHostAddress::LocalHost), 0);
}

QUrl FakeRelay::url() const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

void FakeRelay::on(const QString &path, Handler handler) {
    m_handlers.insert(path, std::move(handler));
}

void FakeRelay::answer(const QString &path, const QJsonObject &body, int status) {
    on(path, [body, status](const Request &) { return Answer{status, body}; });
}

bool FakeRelay::waitForRequests(qsizetype count, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (m_requests.size() < count && !deadline.hasExpired())
        QTest::qWait(20);
    return m_requests.size() >= count;
}

} // namespace huntaze::test
