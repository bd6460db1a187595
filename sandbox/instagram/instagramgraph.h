#pragma once

#include "instagramstate.h"
#include "platform.h"

#include <QJsonArray>

#include <functional>
#include <memory>
#include <optional>

namespace sandbox {

// One Graph API error: {"error": {message, type, code, error_subcode, error_user_title,
// error_user_msg, is_transient, fbtrace_id}}.
struct GraphError {
    int status = 400;
    int code = 100;
    int subcode = 0;
    QString message;
    QString type = QStringLiteral("OAuthException");
    QString userTitle;
    QString userMsg;
    bool transient = false;

    static GraphError param(const QString &message, int subcode = 0);
    // (#100) / 33: unknown object or one the token may not see.
    static GraphError noObject(const QString &id);
    static GraphError token(int subcode, const QString &message);
    // 10 for instagram_* permissions, 200 for pages_* and business_management.
    static GraphError permission(const QString &scope);
    static GraphError media(int code, int subcode, const QString &message, const QString &title);
    static GraphError fromJson(const QJsonObject &object);
    QJsonObject toJson(const QString &traceId) const;
};

class InstagramGraph;

// One Graph request in flight: parameters, the caller's token, and answers that carry
// the usage headers.
struct GraphCall {
    ExchangePtr e;
    InstagramGraph *graph = nullptr;
    QString bucId; // Instagram account whose business-use-case usage this call counts on
    // A copy: handlers may add tokens (Page tokens) while the call runs.
    std::shared_ptr<const IgToken> token;

    // Query first, then the urlencoded, multipart-free form body or a JSON body.
    QString param(const QString &name) const;
    bool hasParam(const QString &name) const;
    // The token string the caller presented (access_token or Authorization), or empty.
    QString presentedToken() const;
    // Fills token; nullopt when the caller may go on.
    std::optional<GraphError> authenticate();
    bool hasScope(const QString &scope) const;
    void ok(const QJsonObject &object);
    void fail(const GraphError &error);
    // Scripted errors and generic faults for a finer endpoint name (the /{id} route
    // serves pages, accounts, containers, media and comments). True when answered.
    bool intercept(const QString &endpoint);
};

class InstagramGraph {
public:
    using Handler = std::function<void(GraphCall &)>;
    InstagramGraph(SandboxContext &context, InstagramState &state);

    // A Graph route handler: rate limits, usage headers, scripted errors, then handler.
    Router::Handler wrap(const QString &endpoint, Handler handler);

    // The Instagram account an object id belongs to (account, page, container, media,
    // comment), or empty.
    QString accountOf(const QString &id) const;
    // Whether a token (user or Page) may act on a Page / Instagram account.
    bool ownsPage(const IgToken &token, const QString &pageId) const;
    bool ownsAccount(const IgToken &token, const QString &igUserId) const;
    // Graph timestamps: 2024-05-01T12:00:00+0000
    static QString timestamp(qint64 ms);

    // Admin: answer the next `times` calls of `endpoint` ("*": every Graph endpoint) with
    // this error.
    void script(const QString &endpoint, const GraphError &error, int times);
    void clearScripts() { m_scripts.clear(); }
    QList<std::pair<QByteArray, QByteArray>> usageHeaders(const QString &bucId) const;
    void resetUsage() {
        m_appCalls.clear();
        m_bucCalls.clear();
        m_userCalls.clear();
        m_pageCalls.clear();
    }

    // fields=a,b{c,d},e -> [(a,""), (b,"c,d"), (e,"")]
    static QList<std::pair<QString, QString>> parseFields(const QString &fields);
    // A page of `items` (each with "id") after the `after` cursor, with paging links.
    QJsonObject paginate(const GraphCall &call, const QJsonArray &items, int defaultLimit,
                         std::optional<GraphError> *error) const;
    QString graphBase() const;
    QString newToken();
    QString traceId() const;

    SandboxContext &context;
    InstagramState &state;

    bool applyScript(GraphCall &call, const QString &endpoint);

private:
    struct Script {
        QString endpoint;
        GraphError error;
        int remaining = 1;
    };
    int percent(const QList<qint64> &calls, int limit) const;
    void prune();

    QList<Script> m_scripts;
    // Call times (sandbox ms) in the rolling hour: the app's and per account. Usage is
    // not persisted: a restart starts a fresh window.
    mutable QList<qint64> m_appCalls;
    mutable QHash<QString, QList<qint64>> m_bucCalls;
    QHash<QString, QList<qint64>> m_userCalls; // by Facebook user id
    QHash<QString, QList<qint64>> m_pageCalls; // by Page id (Page tokens)
};

} // namespace sandbox
