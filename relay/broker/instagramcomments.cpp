#include "instagramcomments.h"

#include "devices/devicestore.h"
#include "graphapi.h"
#include "instagramaccountstore.h"
#include "instagramresponses.h"
#include "log/logger.h"
#include "oauthbroker.h"
#include "store/pgconnection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QRegularExpression>

namespace huntaze::relay {

namespace {

constexpr qint64 kPatienceMs = 5000; // a creator is waiting on these calls
const QString kComponent = QStringLiteral("relay.instagram_comments");

HttpResponse notConfigured() {
    return HttpResponse::error(503, QStringLiteral("not_configured"),
                               QObject::tr("This relay is not configured for Instagram."));
}

HttpResponse badRequest(const QString &message) {
    return HttpResponse::error(400, QStringLiteral("bad_request"), message);
}

// Graph ids are digits; anything else never reaches a URL path.
bool isGraphId(const QString &id) {
    static const QRegularExpression pattern(
        QStringLiteral("^[0-9A-Za-z_]{1,%1}$").arg(InstagramComments::kMaxId));
    return pattern.match(id).hasMatch();
}

Error notFound() {
    Error error;
    error.domain = QStringLiteral("broker");
    error.code = QStringLiteral("no_such_comment");
    error.httpStatus = 404;
    error.message = QObject::tr("No such comment on your Instagram accounts.");
    return error;
}

// A comment of the device's user, with what acting on it needs.
struct OwnedComment {
    QString igBusinessId;
    QString mediaId;
    QString parentId;
    QString username; // the Instagram account's
    qint64 accountId = 0;
    QByteArray token; // the login's user token
};

Result<OwnedComment> ownedComment(store::PgConnection &db, OAuthBroker &broker,
                                  const QString &commentId, qint64 userId) {
    auto rows = db.exec(
        QStringLiteral(
            "SELECT c.ig_business_id, c.media_ig_id, coalesce(c.parent_ig_id, ''), i.username, "
            "i.account_id FROM ig_comments c JOIN instagram_accounts i "
            "ON i.ig_business_id = c.ig_business_id AND i.user_id = c.user_id "
            "WHERE c.ig_id = $1 AND c.user_id = $2"),
        {commentId, userId});
    if (!rows)
        return rows.error();
    if (rows->rows() == 0)
        return notFound();
    OwnedComment owned{rows->text(0, 0), rows->text(0, 1),  rows->text(0, 2),
                       rows->text(0, 3), rows->int64(0, 4), {}};
    auto token = broker.refreshIfDue(db, owned.accountId, userId, 300);
    if (!token)
        return token.error();
    owned.token = token->accessToken;
    return owned;
}

// A Graph refusal as the route's answer; a dead token also turns the login to
// needs_reconnect.
HttpResponse refused(store::PgConnection &db, const OwnedComment &owned,
                     const GraphAnswer &answer) {
    if (answer.error && answer.error->code == 190)
        (void)InstagramAccountStore::markNeedsReconnect(db, owned.accountId,
                                                        QStringLiteral("graph:190"));
    return instagramresponses::fromGraph(answer);
}

} // namespace

InstagramComments::InstagramComments(OAuthBroker &broker, GraphApi *graph)
    : m_broker(broker)
    , m_graph(graph) {}

void InstagramComments::registerRoutes(Router &router) {
    router.add(
        "POST", QStringLiteral("/v1/instagram/comments/reply"),
        [this](HttpRequest &&request, HttpResponder respond) {
            reply(std::move(request), std::move(respond));
        },
        QStringLiteral("api"));
    router.add(
        "POST", QStringLiteral("/v1/instagram/comments/hide"),
        [this](HttpRequest &&request, HttpResponder respond) {
            hide(std::move(request), std::move(respond));
        },
        QStringLiteral("api"));
}

void InstagramComments::reply(HttpRequest &&request, HttpResponder respond) {
    if (!m_graph)
        return respond(notConfigured());
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString commentId = body.value(QStringLiteral("comment_id")).toString();
    const QString message = body.value(QStringLiteral("message")).toString();
    if (!isGraphId(commentId) || message.trimmed().isEmpty() || message.size() > kMaxMessage)
        return respond(
            badRequest(QObject::tr("Send {\"comment_id\", \"message\"}: a comment id of at most %1 "
                                   "characters and a message of 1 to %2 characters.")
                           .arg(kMaxId)
                           .arg(kMaxMessage)));
    m_broker.withDevice(
        request, respond, [=, this](store::PgConnection &db, const DeviceIdentity &device) {
            auto owned = ownedComment(db, m_broker, commentId, device.userId);
            if (!owned)
                return respond(instagramresponses::fromError(owned.error()));
            if (!owned->parentId.isEmpty())
                return respond(HttpResponse::error(
                    400, QStringLiteral("reply_to_reply"),
                    QObject::tr("Instagram only takes replies to top-level comments: reply to the "
                                "comment this one answers.")));
            GraphApi::Call call;
            call.method = "POST";
            call.path = commentId + QStringLiteral("/replies");
            call.form = {{QStringLiteral("message"), message}};
            call.token = owned->token;
            call.usageKey = owned->igBusinessId;
            call.patienceMs = kPatienceMs;
            call.component = QStringLiteral("comments");
            const GraphAnswer answer = m_graph->call(call);
            const QString replyId = answer.body.value(QStringLiteral("id")).toString();
            if (!answer.ok())
                return respond(refused(db, *owned, answer));
            if (!isGraphId(replyId))
                return respond(HttpResponse::error(
                    502, QStringLiteral("instagram_unavailable"),
                    QObject::tr("Instagram took the reply but did not say its id; it will show up "
                                "at the next sync.")));
            // The reply exists on Instagram now: record it, and that the comment was answered.
            const bool begun = bool(db.execScript(QStringLiteral("BEGIN")));
            auto stored = db.exec(
                QStringLiteral(
                    "INSERT INTO ig_comments (user_id, ig_business_id, ig_id, media_ig_id, "
                    "parent_ig_id, from_id, username, text, posted_at) "
                    "VALUES ($1, $2, $3, $4, $5, $2, $6, $7, now()) ON CONFLICT (ig_id) DO UPDATE "
                    "SET text = EXCLUDED.text, username = EXCLUDED.username, updated_at = now() "
                    "WHERE ig_comments.user_id = EXCLUDED.user_id AND (ig_comments.text, "
                    "ig_comments.username) IS DISTINCT FROM (EXCLUDED.text, EXCLUDED.username)"),
                {device.userId, owned->igBusinessId, replyId, owned->mediaId, commentId,
                 owned->username, message});
            auto marked = stored
                              ? db.exec(QStringLiteral("UPDATE ig_comments SET replied_at = now(), "
                                                       "updated_at = now() WHERE ig_id = $1 AND "
                                                       "user_id = $2"),
                                        {commentId, device.userId})
                              : Result<store::PgResult>(stored.error());
            if (begun)
                (void)db.execScript(marked ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK"));
            if (!begun || !marked)
                log::warning(kComponent, QStringLiteral("reply.not_recorded"),
                             {{QStringLiteral("comment_id"), commentId},
                              {QStringLiteral("reply_id"), replyId}}); // the sync brings it later
            respond(
                HttpResponse::json(200, QJsonDocument(QJsonObject{{QStringLiteral("id"), replyId}})
                                            .toJson(QJsonDocument::Compact)));
        });
}

void InstagramComments::hide(HttpRequest &&request, HttpResponder respond) {
    if (!m_graph)
        return respond(notConfigured());
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString commentId = body.value(QStringLiteral("comment_id")).toString();
    const QJsonValue hideValue = body.value(QStringLiteral("hide"));
    if (!isGraphId(commentId) || !hideValue.isBool())
        return respond(badRequest(
            QObject::tr(
                "Send {\"comment_id\", \"hide\": true or false}: a comment id of at most %1 "
                "characters.")
                .arg(kMaxId)));
    const bool hidden = hideValue.toBool();
    m_broker.withDevice(
        request, respond, [=, this](store::PgConnection &db, const DeviceIdentity &device) {
            auto owned = ownedComment(db, m_broker, commentId, device.userId);
            if (!owned)
                return respond(instagramresponses::fromError(owned.error()));
            GraphApi::Call call;
            call.method = "POST";
            call.path = commentId;
            call.query = {{QStringLiteral("hide"),
                           hidden ? QStringLiteral("true") : QStringLiteral("false")}};
            call.token = owned->token;
            call.usageKey = owned->igBusinessId;
            call.patienceMs = kPatienceMs;
            call.component = QStringLiteral("comments");
            const GraphAnswer answer = m_graph->call(call);
            if (!answer.ok())
                return respond(refused(db, *owned, answer));
            auto updated =
                db.exec(QStringLiteral("UPDATE ig_comments SET hidden = $3, updated_at = "
                                       "now() WHERE ig_id = $1 AND user_id = $2 AND hidden "
                                       "IS DISTINCT FROM $3"),
                        {commentId, device.userId, hidden});
            if (!updated)
                log::warning(kComponent, QStringLiteral("hide.not_recorded"),
                             {{QStringLiteral("comment_id"), commentId}});
            respond(HttpResponse::json(
                200, QJsonDocument(QJsonObject{{QStringLiteral("hidden"), hidden}})
                         .toJson(QJsonDocument::Compact)));
        });
}

} // namespace huntaze::relay
