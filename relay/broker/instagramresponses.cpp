#include "instagramresponses.h"

#include "graphapi.h"
#include "instagramdiscovery.h"
#include "platforms/instagram/instagramerrors.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>

namespace huntaze::relay::instagramresponses {

namespace {

HttpResponse json(int status, const QJsonObject &body) {
    return HttpResponse::json(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void retryAfter(HttpResponse &response, qint64 seconds) {
    response.headers.append(
        {QByteArrayLiteral("Retry-After"), QByteArray::number(qMax<qint64>(1, seconds))});
}

} // namespace

HttpResponse fromError(const Error &error) {
    if (error.domain == QLatin1String("store") || error.domain == QLatin1String("crypto")) {
        HttpResponse response =
            HttpResponse::error(503, QStringLiteral("unavailable"),
                                QObject::tr("The relay cannot reach its database; retry shortly."));
        retryAfter(response, 5);
        return response;
    }
    if (error.domain == QLatin1String("broker") || error.domain == QLatin1String("devices"))
        return HttpResponse::error(error.httpStatus ? error.httpStatus : 400, error.code,
                                   error.message);
    // A platform's answer to a token refresh: 502 for its trouble, 400 for a refusal.
    return HttpResponse::error(error.retryable ? 502 : 400, error.code, error.message);
}

HttpResponse fromGraph(const GraphAnswer &answer) {
    if (answer.deferredMs > 0) {
        const qint64 seconds = (answer.deferredMs + 999) / 1000;
        HttpResponse response = HttpResponse::error(
            429, QStringLiteral("rate_limited"),
            QObject::tr("Instagram asks Huntaze to slow down: try again in %n second(s).", nullptr,
                        int(seconds)));
        retryAfter(response, seconds);
        return response;
    }
    const instagram::GraphError &error = *answer.error;
    const instagram::Problem problem = instagram::problemFor(error);
    const int code = error.code;
    int status = 400;
    QString kind = QStringLiteral("instagram_refused");
    if (code == 190 || code == 102) {
        status = 409;
        kind = QStringLiteral("needs_reconnect");
    } else if (code == 10 || (code >= 200 && code <= 299)) {
        status = 403;
        kind = QStringLiteral("permission_declined");
    } else if (code == 4 || code == 17 || code == 32 || code == 613 || code == 80002) {
        status = 429;
        kind = QStringLiteral("rate_limited");
    } else if (code == 100 && error.subcode == 33) {
        status = 404;
        kind = QStringLiteral("not_found");
    } else if (error.httpStatus == 0 || error.httpStatus >= 500 || error.isTransient ||
               problem.retryable) {
        status = 502;
        kind = QStringLiteral("instagram_unavailable");
    }
    QJsonObject body{
        {QStringLiteral("error"), kind},
        {QStringLiteral("message"), problem.message.isEmpty() ? error.message : problem.message},
        {QStringLiteral("graph_code"), problem.code}};
    if (!problem.permission.isEmpty())
        body.insert(QStringLiteral("permission"), problem.permission);
    HttpResponse response = json(status, body);
    if (status == 429)
        retryAfter(response, problem.waitSeconds > 0 ? problem.waitSeconds : 60);
    return response;
}

HttpResponse fromNotice(int status, const InstagramNotice &notice) {
    QJsonObject body{{QStringLiteral("error"), notice.code},
                     {QStringLiteral("message"), notice.message}};
    if (!notice.permission.isEmpty())
        body.insert(QStringLiteral("permission"), notice.permission);
    return json(status, body);
}

} // namespace huntaze::relay::instagramresponses
