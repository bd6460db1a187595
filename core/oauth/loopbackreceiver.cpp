#include "loopbackreceiver.h"

#include "crypto/signatures.h"

#include <QHttpServerRequest>

namespace huntaze::oauth {

namespace {

QByteArray page(const QString &title, const QString &text) {
    return QStringLiteral(
               "<!doctype html><html><head><meta charset=\"utf-8\"><title>Huntaze</title>"
               "<style>body{font-family:sans-serif;max-width:32em;margin:4em auto}</style></head>"
               "<body><h1>%1</h1><p>%2</p></body></html>")
        .arg(title.toHtmlEscaped(), text.toHtmlEscaped())
        .toUtf8();
}

QHttpServerResponse htmlResponse(QHttpServerResponder::StatusCode status, const QByteArray &body) {
    QHttpServerResponse response(QByteArrayLiteral("text/html; charset=utf-8"), body, status);
    return response;
}

} // namespace

Error callbackError(const QString &code, const QString &description) {
    Error error;
    error.domain = QStringLiteral("oauth");
    error.code = code;
    error.detail = description.left(300);
    if (code == QLatin1String("access_denied"))
        error.message = QObject::tr("You declined the connection. To connect, try again and choose "
                                    "Authorize.");
    else if (code == QLatin1String("invalid_scope"))
        error.message =
            QObject::tr("The platform did not accept the permissions Huntaze asks for. Try "
                        "again; if it keeps failing, the app's setup on the platform needs "
                        "those permissions.");
    else if (code == QLatin1String("server_error") ||
             code == QLatin1String("temporarily_unavailable"))
        error.message =
            QObject::tr("The platform had a problem signing you in. Wait a minute and try "
                        "again.");
    else if (code == QLatin1String("timeout"))
        error.message =
            QObject::tr("The sign-in was not finished in time. Try again, and finish it in the "
                        "browser window that opens.");
    else if (code == QLatin1String("cancelled"))
        error.message = QObject::tr("The connection was cancelled.");
    else
        error.message = QObject::tr("The platform refused the sign-in (%1). Try again.").arg(code);
    error.retryable = code != QLatin1String("access_denied");
    return error;
}

LoopbackReceiver::LoopbackReceiver(QString path, QByteArray expectedState, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
    , m_expectedState(std::move(expectedState)) {
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (m_done)
            return;
        finish();
        Q_EMIT failed(callbackError(QStringLiteral("timeout"), {}));
    });
    m_server.route(m_path, [this](const QHttpServerRequest &request) { return handle(request); });
}

bool LoopbackReceiver::listen(quint16 port, QString *error) {
    // QHostAddress(QHostAddress::LocalHost), never Any: nothing but this machine may call.
    m_port = m_server.listen(QHostAddress(QHostAddress::LocalHost), port);
    if (m_port == 0) {
        *error = QObject::tr("Cannot receive the sign-in on 127.0.0.1:%1; another program may be "
                             "using that port.")
                     .arg(port);
        return false;
    }
    return true;
}

QString LoopbackReceiver::redirectUri() const {
    return QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(m_path);
}

void LoopbackReceiver::startTimeout(int milliseconds) {
    m_timeout.start(milliseconds);
}

void LoopbackReceiver::cancel() {
    if (m_done)
        return;
    finish();
    Q_EMIT failed(callbackError(QStringLiteral("cancelled"), {}));
}

void LoopbackReceiver::finish() {
    m_done = true;
    m_timeout.stop();
}

QHttpServerResponse LoopbackReceiver::handle(const QHttpServerRequest &request) {
    using Status = QHttpServerResponder::StatusCode;
    const QUrlQuery query = request.query();
    if (m_done)
        return htmlResponse(
            Status::Gone,
            page(tr("Already done"), tr("You can close this tab and go back to Huntaze.")));
    const QByteArray state =
        query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded).toUtf8();
    if (!crypto::constantTimeEquals(state, m_expectedState)) {
        Q_EMIT staleCallbackRefused();
        return htmlResponse(
            Status::BadRequest,
            page(tr("This sign-in page is out of date"),
                 tr("It belongs to an earlier attempt. Go back to Huntaze and use the "
                    "page it opened most recently, or start connecting again.")));
    }
    finish();
    if (query.hasQueryItem(QStringLiteral("error"))) {
        const Error error = callbackError(
            query.queryItemValue(QStringLiteral("error"), QUrl::FullyDecoded),
            query.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded));
        QMetaObject::invokeMethod(
            this, [this, error] { Q_EMIT failed(error); }, Qt::QueuedConnection);
        return htmlResponse(Status::Ok, page(tr("Not connected"), error.message));
    }
    const QString code = query.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
    if (code.isEmpty()) {
        const Error error =
            callbackError(QStringLiteral("invalid_request"), tr("no code in the redirect"));
        QMetaObject::invokeMethod(
            this, [this, error] { Q_EMIT failed(error); }, Qt::QueuedConnection);
        return htmlResponse(Status::BadRequest, page(tr("Not connected"), error.message));
    }
    Callback callback{code, query.queryItemValue(QStringLiteral("scopes"), QUrl::FullyDecoded),
                      query};
    QMetaObject::invokeMethod(
        this, [this, callback] { Q_EMIT received(callback); }, Qt::QueuedConnection);
    return htmlResponse(Status::Ok,
                        page(tr("Connected"), tr("Huntaze is finishing the connection. You can "
                                                 "close this tab and go back to the app.")));
}

} // namespace huntaze::oauth
