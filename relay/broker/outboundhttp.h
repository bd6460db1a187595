#pragma once

#include "oauth/providerclient.h"

#include <QNetworkAccessManager>
#include <QObject>

#include <atomic>
#include <functional>

namespace huntaze::relay {

// Calls to the platforms, made on the relay's Qt event loop (QNetworkAccessManager
// lives there) and callable from any thread. The callback runs on the event loop with
// the HTTP status (0 when no answer came) and the body.
// What a call is, for /metrics: every platform call is counted and timed by OutboundHttp,
// in one place, as huntaze_platform_calls_total{provider,endpoint,outcome} and
// huntaze_platform_call_seconds{provider,endpoint}. The endpoint is a short fixed name
// ("token_refresh", "status_fetch"), never a URL (ids would make endless series).
struct PlatformCall {
    QString provider = QStringLiteral("other");
    QString endpoint = QStringLiteral("other");
    bool retry = false; // the same request again (after a forced refresh, say)
};

class OutboundHttp : public QObject {
    Q_OBJECT
public:
    using Call = PlatformCall;
    using Done = std::function<void(int status, const QByteArray &body)>;
    // An answer with its headers, for callers that read more than the body (Meta's usage
    // headers). Header names as the server sent them; header() ignores case.
    struct Answer {
        int status = 0;
        QByteArray body;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray header(const QByteArray &name) const;
    };
    explicit OutboundHttp(QObject *parent = nullptr);
    void send(const oauth::OutgoingRequest &request, Done done, Call call = {});
    // For blocking callers (database pool threads): waits for the answer. The deadline is
    // enforced on the event loop (the request is aborted there), so an answer is never
    // lost to a caller that stopped waiting; after stop() it returns status 0 at once.
    std::pair<int, QByteArray> sendAndWait(const oauth::OutgoingRequest &request, Call call = {});
    // The same, keeping the answer's headers.
    Answer sendAndWaitWithHeaders(const oauth::OutgoingRequest &request, Call call = {});
    void stop() { m_stopping = true; }

private:
    void start(const oauth::OutgoingRequest &request, Call call, std::function<void(Answer)> done);
    QNetworkAccessManager *m_network = nullptr;
    std::atomic<bool> m_stopping{false};
};

} // namespace huntaze::relay
