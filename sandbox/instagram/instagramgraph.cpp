#include "instagramgraph.h"

#include <QJsonDocument>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace sandbox {

namespace {
constexpr qint64 kUsageWindowMs = 3600 * 1000;
} // namespace

GraphError GraphError::param(const QString &message, int subcode) {
    GraphError e;
    e.code = 100;
    e.subcode = subcode;
    e.message = message;
    return e;
}

GraphError GraphError::noObject(const QString &id) {
    GraphError e;
    e.code = 100;
    e.subcode = 33;
    e.type = u"GraphMethodException"_s;
    e.message = u"Unsupported get request. Object with ID '"_s + id +
                u"' does not exist, cannot be loaded due to missing permissions, or does not "
                u"support this operation."_s;
    return e;
}

GraphError GraphError::token(int subcode, const QString &message) {
    GraphError e;
    e.code = 190;
    e.subcode = subcode;
    e.message = message;
    e.userTitle = u"Session expired"_s;
    e.userMsg = u"Please log in again."_s;
    return e;
}

GraphError GraphError::permission(const QString &scope) {
    GraphError e;
    e.code = scope.startsWith("instagram_"_L1) ? 10 : 200;
    e.message =
        e.code == 10
            ? QString(u"(#10) Application does not have permission for this action. "
                      u"Missing permission: "_s +
                      scope)
            : QString(u"(#200) Requires "_s + scope + u" permission to manage the object"_s);
    e.userTitle = u"Permission missing"_s;
    e.userMsg = u"Log in again and grant the "_s + scope + u" permission."_s;
    return e;
}

GraphError GraphError::media(int code, int subcode, const QString &message, const QString &title) {
    GraphError e;
    e.code = code;
    e.subcode = subcode;
    e.message = message;
    e.userTitle = title;
    e.userMsg = message;
    e.type = u"OAuthException"_s;
    return e;
}

GraphError GraphError::fromJson(const QJsonObject &o) {
    GraphError e;
    e.code = o.value("code"_L1).toInt(1);
    e.subcode = o.value("error_subcode"_L1).toInt(o.value("subcode"_L1).toInt());
    e.message = o.value("message"_L1).toString(u"Scripted error"_s);
    e.type = o.value("type"_L1).toString(u"OAuthException"_s);
    e.userTitle = o.value("error_user_title"_L1).toString();
    e.userMsg = o.value("error_user_msg"_L1).toString();
    // Transient codes (1, 2, -1) are 500s on the real Graph API.
    const bool transientCode = e.code == 1 || e.code == 2 || e.code == -1;
    e.transient = o.value("is_transient"_L1)
                      .toBool(transientCode || e.code == 4 || e.code == 17 || e.code == 32 ||
                              e.code == 613 || e.code == 80002);
    e.status = o.value("status"_L1).toInt(transientCode ? 500 : 400);
    return e;
}

QJsonObject GraphError::toJson(const QString &traceId) const {
    QJsonObject inner{{u"message"_s, message},
                      {u"type"_s, type},
                      {u"code"_s, code},
                      {u"is_transient"_s, transient},
                      {u"fbtrace_id"_s, traceId}};
    if (subcode)
        inner[u"error_subcode"_s] = subcode;
    if (!userTitle.isEmpty())
        inner[u"error_user_title"_s] = userTitle;
    if (!userMsg.isEmpty())
        inner[u"error_user_msg"_s] = userMsg;
    return {{u"error"_s, inner}};
}

QString GraphCall::param(const QString &name) const {
    if (e->query().hasQueryItem(name))
        return e->queryValue(name);
    const QByteArray type = e->header("Content-Type").toLower();
    if (type.startsWith("application/json")) {
        const auto body = e->jsonBody();
        if (body && body->contains(name)) {
            const QJsonValue v = body->value(name);
            if (v.isString())
                return v.toString();
            if (v.isBool())
                return v.toBool() ? u"true"_s : u"false"_s;
            if (v.isDouble())
                return QString::number(v.toDouble(), 'f', 0);
            if (v.isArray()) {
                QStringList parts;
                for (const QJsonValue &item : v.toArray())
                    parts.append(item.toString());
                return parts.join(QLatin1Char(','));
            }
        }
        return {};
    }
    if (type.startsWith("application/x-www-form-urlencoded") || type.isEmpty()) {
        const QUrlQuery form = e->formBody();
        if (form.hasQueryItem(name))
            return form.queryItemValue(name, QUrl::FullyDecoded);
    }
    return {};
}

bool GraphCall::hasParam(const QString &name) const {
    return !param(name).isEmpty();
}

QString GraphCall::presentedToken() const {
    QString value = param(u"access_token"_s);
    if (value.isEmpty()) {
        const QByteArray auth = e->header("Authorization");
        const int space = int(auth.indexOf(' '));
        if (space > 0) {
            const QByteArray scheme = auth.left(space).toLower();
            if (scheme == "bearer" || scheme == "oauth")
                value = QString::fromLatin1(auth.mid(space + 1).trimmed());
        }
    }
    return value;
}

std::optional<GraphError> GraphCall::authenticate() {
    const QString value = presentedToken();
    if (value.isEmpty()) {
        GraphError error;
        error.code = 104;
        error.message = u"An access token is required to request this resource."_s;
        return error;
    }
    const auto it = graph->state.tokens.constFind(value);
    if (it == graph->state.tokens.cend())
        return GraphError::token(0, u"Invalid OAuth access token - Cannot parse access token"_s);
    const IgToken &t = it.value();
    if (t.invalidSubcode) {
        QString message;
        switch (t.invalidSubcode) {
        case 458:
            message = u"Error validating access token: The user has not authorized application "_s +
                      graph->state.clientId + u"."_s;
            break;
        case 459:
            message = u"Error validating access token: You cannot access the app till you log in "
                      u"to www.facebook.com and follow the instructions given."_s;
            break;
        case 460:
            message = u"Error validating access token: The session has been invalidated because "
                      u"the user changed their password or Facebook has changed the session for "
                      u"security reasons."_s;
            break;
        case 463:
            message = u"Error validating access token: Session has expired."_s;
            break;
        case 464:
            message = u"Error validating access token: Sessions for the user are not allowed "
                      u"because the user is not a confirmed user."_s;
            break;
        case 467:
            message = u"Error validating access token: The session is invalid because the user "
                      u"logged out."_s;
            break;
        case 492:
            message = u"Error validating access token: The user is not an admin of the Page."_s;
            break;
        default:
            message = u"Error validating access token: The session is invalid."_s;
        }
        return GraphError::token(t.invalidSubcode, message);
    }
    if (t.expiresMs && t.expiresMs <= graph->context.clock.nowMs())
        return GraphError::token(
            463, u"Error validating access token: Session has expired on "_s +
                     QDateTime::fromMSecsSinceEpoch(t.expiresMs, Qt::UTC).toString(Qt::ISODate) +
                     u". The current time is "_s +
                     graph->context.clock.now().toString(Qt::ISODate) + u"."_s);
    token = std::make_shared<const IgToken>(t);
    return std::nullopt;
}

bool GraphCall::hasScope(const QString &scope) const {
    return token && token->scopes.contains(scope);
}

void GraphCall::ok(const QJsonObject &object) {
    e->respondJson(200, object, graph->usageHeaders(bucId));
}

void GraphCall::fail(const GraphError &error) {
    auto headers = graph->usageHeaders(bucId);
    if (error.code == 190 || error.code == 104)
        headers.append({"WWW-Authenticate", "OAuth \"Facebook Platform\" \"invalid_token\" \"" +
                                                error.message.toUtf8().replace('"', '\'') + '"'});
    e->respondJson(error.status, error.toJson(graph->traceId()), headers);
}

bool GraphCall::intercept(const QString &endpoint) {
    if (const auto fault = graph->context.faults.take(u"instagram"_s, endpoint)) {
        if (fault->kind == "drop"_L1) {
            e->drop();
            return true;
        }
        if (fault->kind == "hang"_L1)
            return true;
        if (fault->kind == "drop_after"_L1) {
            e->setDropInsteadOfAnswer(true);
        } else if (fault->kind == "malformed"_L1) {
            e->respond(
                200, fault->body.isEmpty() ? QByteArrayLiteral("{\"data\": {\"trunc") : fault->body,
                fault->contentType);
            return true;
        } else {
            QList<std::pair<QByteArray, QByteArray>> headers;
            if (fault->retryAfter >= 0)
                headers.append({"Retry-After", QByteArray::number(fault->retryAfter)});
            e->respond(fault->status,
                       fault->body.isEmpty()
                           ? QJsonDocument(GraphError::fromJson(
                                               {{u"code"_s, 1},
                                                {u"message"_s, u"An unknown error occurred"_s},
                                                {u"status"_s, fault->status}})
                                               .toJson(graph->traceId()))
                                 .toJson(QJsonDocument::Compact)
                           : fault->body,
                       fault->contentType, headers);
            return true;
        }
    }
    return graph->applyScript(*this, endpoint);
}

InstagramGraph::InstagramGraph(SandboxContext &ctx, InstagramState &st)
    : context(ctx)
    , state(st) {}

QString InstagramGraph::graphBase() const {
    return context.baseUrl.toString() + u"/instagram/v25.0"_s;
}

QString InstagramGraph::newToken() {
    QString token = u"EAAsbx"_s;
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < 48; ++i)
        token.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(62)]));
    return token;
}

QString InstagramGraph::traceId() const {
    QString id;
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < 11; ++i)
        id.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(62)]));
    return id;
}

QString InstagramGraph::accountOf(const QString &id) const {
    if (state.accounts.contains(id))
        return id;
    if (state.pages.contains(id))
        return state.pages.value(id).igAccountId;
    if (state.containers.contains(id))
        return state.containers.value(id).igUserId;
    if (state.media.contains(id))
        return state.media.value(id).igUserId;
    if (state.comments.contains(id))
        return accountOf(state.comments.value(id).mediaId);
    return {};
}

bool InstagramGraph::ownsPage(const IgToken &token, const QString &pageId) const {
    if (token.kind == "page"_L1)
        return token.pageId == pageId;
    return state.users.value(token.userId).pageIds.contains(pageId);
}

bool InstagramGraph::ownsAccount(const IgToken &token, const QString &igUserId) const {
    const auto it = state.accounts.constFind(igUserId);
    return it != state.accounts.cend() && ownsPage(token, it->pageId);
}

QString InstagramGraph::timestamp(qint64 ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-ddTHH:mm:ss"_s) +
           u"+0000"_s;
}

void InstagramGraph::script(const QString &endpoint, const GraphError &error, int times) {
    m_scripts.append({endpoint, error, times});
}

bool InstagramGraph::applyScript(GraphCall &call, const QString &endpoint) {
    for (qsizetype i = 0; i < m_scripts.size(); ++i) {
        Script &s = m_scripts[i];
        if (s.endpoint != endpoint && s.endpoint != "*"_L1)
            continue;
        const GraphError error = s.error;
        if (s.remaining > 0 && --s.remaining == 0)
            m_scripts.removeAt(i);
        call.fail(error);
        return true;
    }
    return false;
}

void InstagramGraph::prune() {
    const qint64 cutoff = context.clock.nowMs() - kUsageWindowMs;
    m_appCalls.removeIf([cutoff](qint64 t) { return t <= cutoff; });
    for (auto *map : {&m_bucCalls, &m_userCalls, &m_pageCalls})
        for (auto &calls : *map)
            calls.removeIf([cutoff](qint64 t) { return t <= cutoff; });
}

int InstagramGraph::percent(const QList<qint64> &calls, int limit) const {
    return limit > 0 ? int(qint64(calls.size()) * 100 / limit) : 0;
}

QList<std::pair<QByteArray, QByteArray>> InstagramGraph::usageHeaders(const QString &bucId) const {
    const int app = percent(m_appCalls, state.appCallLimit);
    const QJsonObject appUsage{
        {u"call_count"_s, app}, {u"total_cputime"_s, app / 2}, {u"total_time"_s, app * 3 / 4}};
    QJsonObject buc;
    if (!bucId.isEmpty()) {
        const QList<qint64> calls = m_bucCalls.value(bucId);
        const int pct = percent(calls, state.bucCallLimit);
        int regain = 0;
        if (pct >= 100 && !calls.isEmpty()) {
            // Minutes until enough calls leave the rolling hour to go below 100 %.
            const qsizetype excess = calls.size() - state.bucCallLimit;
            const qint64 freeAt =
                calls.at(qBound<qsizetype>(0, excess, calls.size() - 1)) + kUsageWindowMs;
            regain = int(qMax<qint64>(1, (freeAt - context.clock.nowMs() + 59999) / 60000));
        }
        buc[bucId] = QJsonArray{QJsonObject{{u"type"_s, u"instagram"_s},
                                            {u"call_count"_s, pct},
                                            {u"total_cputime"_s, pct / 2},
                                            {u"total_time"_s, pct * 3 / 4},
                                            {u"estimated_time_to_regain_access"_s, regain}}};
    }
    return {{"X-App-Usage", QJsonDocument(appUsage).toJson(QJsonDocument::Compact)},
            {"X-Business-Use-Case-Usage", QJsonDocument(buc).toJson(QJsonDocument::Compact)}};
}

Router::Handler InstagramGraph::wrap(const QString &endpoint, Handler handler) {
    return [this, endpoint, handler](const ExchangePtr &e) {
        GraphCall call{e, this, {}, {}};
        const QString id = e->param(u"id"_s);
        if (!id.isEmpty())
            call.bucId = accountOf(id);
        prune();
        if (percent(m_appCalls, state.appCallLimit) >= 100) {
            GraphError error;
            error.code = 4;
            error.message = u"(#4) Application request limit reached"_s;
            error.transient = true;
            call.fail(error);
            return;
        }
        if (!call.bucId.isEmpty() &&
            percent(m_bucCalls.value(call.bucId), state.bucCallLimit) >= 100) {
            GraphError error;
            error.code = 80002;
            error.message = u"There have been too many calls to this Instagram account. Wait a "
                            u"bit and try again. For more info, please refer to "
                            u"https://developers.facebook.com/docs/graph-api/overview/"
                            u"rate-limiting."_s;
            error.transient = true;
            call.fail(error);
            return;
        }
        // User-level (17) and Page-level (32) limits, by the token presented.
        const IgToken presented = state.tokens.value(call.presentedToken());
        const bool pageToken = presented.kind == "page"_L1;
        QList<qint64> *own = nullptr;
        if (pageToken && state.pageCallLimit > 0)
            own = &m_pageCalls[presented.pageId];
        else if (!pageToken && !presented.userId.isEmpty() && state.userCallLimit > 0)
            own = &m_userCalls[presented.userId];
        if (own && percent(*own, pageToken ? state.pageCallLimit : state.userCallLimit) >= 100) {
            GraphError error;
            error.code = pageToken ? 32 : 17;
            error.message = pageToken ? u"(#32) Page request limit reached"_s
                                      : u"(#17) User request limit reached"_s;
            error.transient = true;
            call.fail(error);
            return;
        }
        const qint64 now = context.clock.nowMs();
        if (own)
            own->append(now);
        m_appCalls.append(now);
        if (!call.bucId.isEmpty())
            m_bucCalls[call.bucId].append(now);
        if (applyScript(call, endpoint))
            return;
        handler(call);
    };
}

QList<std::pair<QString, QString>> InstagramGraph::parseFields(const QString &fields) {
    QList<std::pair<QString, QString>> out;
    QString name;
    QString sub;
    int depth = 0;
    for (const QChar c : fields) {
        if (depth == 0 && c == QLatin1Char(',')) {
            if (!name.trimmed().isEmpty())
                out.append({name.trimmed(), sub});
            name.clear();
            sub.clear();
        } else if (c == QLatin1Char('{')) {
            if (depth++ > 0)
                sub.append(c);
        } else if (c == QLatin1Char('}')) {
            if (--depth > 0)
                sub.append(c);
            depth = qMax(depth, 0);
        } else if (depth > 0) {
            sub.append(c);
        } else {
            name.append(c);
        }
    }
    if (!name.trimmed().isEmpty())
        out.append({name.trimmed(), sub});
    return out;
}

QJsonObject InstagramGraph::paginate(const GraphCall &call, const QJsonArray &items,
                                     int defaultLimit, std::optional<GraphError> *error) const {
    bool okLimit = true;
    int limit = defaultLimit;
    if (call.hasParam(u"limit"_s))
        limit = call.param(u"limit"_s).toInt(&okLimit);
    if (!okLimit || limit < 1) {
        *error = GraphError::param(u"(#100) The parameter limit must be a positive integer"_s);
        return {};
    }
    limit = qMin(limit, 100);
    qsizetype start = 0;
    const QString after = call.param(u"after"_s);
    auto cursorOf = [](const QJsonValue &item) {
        return QString::fromLatin1(item.toObject().value("id"_L1).toString().toUtf8().toBase64(
            QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    if (!after.isEmpty()) {
        start = -1;
        for (qsizetype i = 0; i < items.size(); ++i)
            if (cursorOf(items.at(i)) == after)
                start = i + 1;
        if (start < 0) {
            *error = GraphError::param(u"(#100) Invalid cursor: "_s + after);
            return {};
        }
    }
    QJsonArray page;
    for (qsizetype i = start; i < items.size() && page.size() < limit; ++i)
        page.append(items.at(i));
    QJsonObject out{{u"data"_s, page}};
    if (!page.isEmpty()) {
        QJsonObject paging{{u"cursors"_s, QJsonObject{{u"before"_s, cursorOf(page.first())},
                                                      {u"after"_s, cursorOf(page.last())}}}};
        if (start + page.size() < items.size()) {
            QUrl next(context.baseUrl.toString() + call.e->path());
            QUrlQuery query;
            for (const auto &[key, value] : call.e->query().queryItems(QUrl::FullyDecoded))
                if (key != "after"_L1 && key != "limit"_L1)
                    query.addQueryItem(key, value);
            if (!query.hasQueryItem(u"access_token"_s) && call.token)
                query.addQueryItem(u"access_token"_s, call.token->token);
            query.addQueryItem(u"limit"_s, QString::number(limit));
            query.addQueryItem(u"after"_s, cursorOf(page.last()));
            next.setQuery(query);
            paging[u"next"_s] = next.toString(QUrl::FullyEncoded);
        }
        out[u"paging"_s] = paging;
    }
    return out;
}

} // namespace sandbox
