#include "instagramaccounts.h"

#include "audit/auditwriter.h"
#include "devices/devicestore.h"
#include "graphapi.h"
#include "instagramaccountstore.h"
#include "instagramdiscovery.h"
#include "instagramresponses.h"
#include "store/pgconnection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QObject>

namespace huntaze::relay {

namespace {

constexpr int kMaxSelected = 50;
constexpr qint64 kPatienceMs = 5000; // a creator is waiting on these calls

HttpResponse json(int status, const QJsonObject &body) {
    return HttpResponse::json(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

HttpResponse notConfigured() {
    return HttpResponse::error(
        503, QStringLiteral("not_configured"),
        QObject::tr("This relay is not configured for Instagram (INSTAGRAM_APP_ID and "
                    "HUNTAZE_KEYRING)."));
}

HttpResponse badRequest(const QString &message) {
    return HttpResponse::error(400, QStringLiteral("bad_request"), message);
}

// A relay-side failure while storing, as the notice the creator sees in the answer.
InstagramNotice noticeOf(const Error &error) {
    if (error.domain == QLatin1String("broker"))
        return {error.code, error.message, {}};
    return {QStringLiteral("unavailable"),
            QObject::tr("The relay could not store your Instagram account just now; press Check "
                        "again in a moment."),
            {}};
}

// How the select route answers a discovery that found nothing to choose from.
int statusFor(const InstagramNotice &problem) {
    if (problem.code == QLatin1String("instagram_unavailable"))
        return 503;
    return 409; // needs_reconnect, permission_declined, no_facebook_page, no_instagram_account
}

} // namespace

InstagramAccounts::InstagramAccounts(OAuthBroker &broker, const crypto::TokenSealer *sealer,
                                     GraphApi *graph, AuditWriter &audit)
    : m_broker(broker)
    , m_sealer(sealer)
    , m_graph(graph)
    , m_audit(audit) {}

void InstagramAccounts::registerRoutes(Router &router) {
    router.add(
        "GET", QStringLiteral("/v1/instagram/accounts"),
        [this](HttpRequest &&request, HttpResponder respond) {
            list(std::move(request), std::move(respond));
        },
        QStringLiteral("api"));
    router.add(
        "POST", QStringLiteral("/v1/instagram/accounts/select"),
        [this](HttpRequest &&request, HttpResponder respond) {
            select(std::move(request), std::move(respond));
        },
        QStringLiteral("api"));
}

Result<QByteArray> InstagramAccounts::userToken(store::PgConnection &db, qint64 accountId,
                                                qint64 userId) {
    if (auto owned = InstagramAccountStore::requireInstagramLogin(db, accountId, userId); !owned)
        return owned.error();
    auto token = m_broker.refreshIfDue(db, accountId, userId, 300);
    if (!token)
        return token.error();
    return token->accessToken;
}

QJsonObject InstagramAccounts::afterConnect(store::PgConnection &db,
                                            const OAuthBroker::Connected &login) {
    if (!m_graph || !m_sealer)
        return {};
    return review(
        db, login.accountId, login.accessToken,
        Actor{login.userId, QStringLiteral("device:%1").arg(login.deviceId), login.remoteAddress});
}

void InstagramAccounts::list(HttpRequest &&request, HttpResponder respond) {
    if (!m_graph || !m_sealer)
        return respond(notConfigured());
    bool numeric = false;
    const qint64 accountId =
        request.query.queryItemValue(QStringLiteral("account_id")).toLongLong(&numeric);
    if (!numeric || accountId <= 0)
        return respond(badRequest(QObject::tr("Send ?account_id=N (the Instagram login).")));
    const QString remote = request.remoteAddress;
    m_broker.withDevice(
        request, respond, [=, this](store::PgConnection &db, const DeviceIdentity &device) {
            auto token = userToken(db, accountId, device.userId);
            if (!token)
                return respond(instagramresponses::fromError(token.error()));
            respond(
                json(200, review(db, accountId, *token,
                                 Actor{device.userId,
                                       QStringLiteral("device:%1").arg(device.deviceId), remote})));
        });
}

void InstagramAccounts::select(HttpRequest &&request, HttpResponder respond) {
    if (!m_graph || !m_sealer)
        return respond(notConfigured());
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const qint64 accountId = body.value(QStringLiteral("account_id")).toInteger();
    const QJsonArray ids = body.value(QStringLiteral("ig_business_ids")).toArray();
    QStringList wanted;
    for (const QJsonValue &id : ids)
        if (id.isString() && !id.toString().isEmpty() && id.toString().size() <= 64 &&
            !wanted.contains(id.toString()))
            wanted.append(id.toString());
    if (accountId <= 0 || wanted.isEmpty() || wanted.size() != ids.size() ||
        ids.size() > kMaxSelected)
        return respond(badRequest(
            QObject::tr("Send {\"account_id\": N, \"ig_business_ids\": [\"...\"]}: 1 to %1 "
                        "distinct ids of at most 64 characters.")
                .arg(kMaxSelected)));
    const QString remote = request.remoteAddress;
    m_broker.withDevice(
        request, respond, [=, this](store::PgConnection &db, const DeviceIdentity &device) {
            const Actor actor{device.userId, QStringLiteral("device:%1").arg(device.deviceId),
                              remote};
            auto token = userToken(db, accountId, device.userId);
            if (!token)
                return respond(instagramresponses::fromError(token.error()));
            // Discover again: the choice must be among what the login reaches now, and the
            // Page tokens to store come with it.
            InstagramDiscovery found = InstagramAccountFinder(*m_graph).discover(*token);
            if (found.tokenInvalid)
                (void)InstagramAccountStore::markNeedsReconnect(db, accountId,
                                                                QStringLiteral("graph:190"));
            if (found.problem)
                return respond(
                    instagramresponses::fromNotice(statusFor(*found.problem), *found.problem));
            QList<InstagramCandidate> chosen;
            for (const QString &id : wanted) {
                const auto match = std::find_if(
                    found.candidates.cbegin(), found.candidates.cend(),
                    [&id](const InstagramCandidate &c) { return c.igBusinessId == id; });
                if (match == found.candidates.cend()) {
                    m_audit.record({QStringLiteral("instagram.select"), QStringLiteral("refused"),
                                    actor.who, QStringLiteral("instagram"), id, remote,
                                    device.userId,
                                    QJsonObject{{QStringLiteral("account_id"), accountId},
                                                {QStringLiteral("reason"),
                                                 QStringLiteral("not_a_candidate")}}});
                    return respond(instagramresponses::fromNotice(
                        400, {QStringLiteral("not_a_candidate"),
                              QObject::tr("%1 is not one of the Instagram accounts your Facebook "
                                          "login reaches. Check again, then choose among the "
                                          "accounts listed.")
                                  .arg(id),
                              {}}));
                }
                chosen.append(*match);
            }
            auto stored = store(db, accountId, chosen, actor, false);
            if (!stored)
                return respond(instagramresponses::fromError(stored.error()));
            found.warnings.append(*stored);
            respond(json(200, found.toJson(wanted)));
        });
}

QJsonObject InstagramAccounts::review(store::PgConnection &db, qint64 accountId,
                                      const QByteArray &userToken, const Actor &actor) {
    InstagramDiscovery found = InstagramAccountFinder(*m_graph).discover(userToken);
    if (found.tokenInvalid)
        (void)InstagramAccountStore::markNeedsReconnect(db, accountId, QStringLiteral("graph:190"));
    QStringList selected;
    if (found.candidates.size() == 1) {
        // Only one account to publish to: nothing to choose, connect it at once.
        auto stored = store(db, accountId, found.candidates, actor, true);
        if (stored) {
            selected.append(found.candidates.first().igBusinessId);
            found.warnings.append(*stored);
        } else {
            found.problem = noticeOf(stored.error());
        }
    } else if (!found.candidates.isEmpty()) {
        // Several: the desktop shows a picker; what was chosen before stays chosen.
        if (auto current = InstagramAccountStore::selected(db, accountId)) {
            for (const InstagramCandidate &candidate : std::as_const(found.candidates))
                if (current->contains(candidate.igBusinessId))
                    selected.append(candidate.igBusinessId);
        }
    }
    return found.toJson(selected);
}

Result<QList<InstagramNotice>> InstagramAccounts::store(store::PgConnection &db, qint64 accountId,
                                                        const QList<InstagramCandidate> &chosen,
                                                        const Actor &actor, bool automatic) {
    QStringList ids;
    for (const InstagramCandidate &candidate : chosen)
        ids.append(candidate.igBusinessId);
    QJsonObject details{{QStringLiteral("account_id"), accountId},
                        {QStringLiteral("ig_business_ids"), QJsonArray::fromStringList(ids)},
                        {QStringLiteral("automatic"), automatic}};
    auto replaced =
        InstagramAccountStore(*m_sealer).replaceSelection(db, actor.userId, accountId, chosen);
    if (!replaced) {
        details.insert(QStringLiteral("error_code"), replaced.error().code);
        m_audit.record({QStringLiteral("instagram.select"), QStringLiteral("failed"), actor.who,
                        QStringLiteral("instagram"), ids.join(QLatin1Char(',')),
                        actor.remoteAddress, actor.userId, details});
        return replaced.error();
    }
    QList<InstagramNotice> warnings;
    QStringList subscribed;
    for (const InstagramCandidate &candidate : chosen) {
        if (auto warning = subscribe(db, candidate))
            warnings.append(*warning);
        else
            subscribed.append(candidate.igBusinessId);
    }
    details.insert(QStringLiteral("webhooks_subscribed"), QJsonArray::fromStringList(subscribed));
    m_audit.record({QStringLiteral("instagram.select"), QStringLiteral("ok"), actor.who,
                    QStringLiteral("instagram"), ids.join(QLatin1Char(',')), actor.remoteAddress,
                    actor.userId, details});
    return warnings;
}

std::optional<InstagramNotice> InstagramAccounts::subscribe(store::PgConnection &db,
                                                            const InstagramCandidate &candidate) {
    GraphAnswer answer;
    if (!candidate.pageToken.isEmpty()) {
        GraphApi::Call call;
        call.method = "POST";
        call.path = candidate.pageId + QStringLiteral("/subscribed_apps");
        call.query = {{QStringLiteral("subscribed_fields"),
                       QStringLiteral("comments,mentions,story_insights")}};
        call.token = candidate.pageToken;
        call.usageKey = candidate.igBusinessId;
        call.patienceMs = kPatienceMs;
        call.component = QStringLiteral("accounts");
        answer = m_graph->call(call);
    }
    const bool subscribed = !candidate.pageToken.isEmpty() && answer.ok() &&
                            answer.body.value(QStringLiteral("success")).toBool();
    (void)InstagramAccountStore::setWebhooksSubscribed(db, candidate.igBusinessId, subscribed);
    if (subscribed)
        return std::nullopt;
    if (answer.error &&
        (answer.error->code == 10 || (answer.error->code >= 200 && answer.error->code <= 299)))
        return InstagramAccountFinder::webhooksNotSubscribed(
            candidate.username, InstagramAccountFinder::permissionNamed(
                                    *answer.error, QStringLiteral("pages_manage_metadata")));
    return InstagramNotice{
        QStringLiteral("webhooks_not_subscribed"),
        QObject::tr("New comments on @%1 will only show up at the next sync, every few minutes, "
                    "for now: Instagram did not accept Huntaze's subscription just now. Press "
                    "Check again later.")
            .arg(candidate.username),
        {}};
}

} // namespace huntaze::relay
