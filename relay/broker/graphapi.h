#pragma once

#include "platforms/instagram/instagramerrors.h"

#include <QJsonObject>
#include <QList>
#include <QUrl>

#include <optional>
#include <utility>

namespace huntaze::instagram {
class UsageGovernor;
}

namespace huntaze::relay {

class OutboundHttp;

// One Graph API answer as the relay's Instagram code reads it.
struct GraphAnswer {
    QJsonObject body;                           // the object answered, on success
    std::optional<instagram::GraphError> error; // Meta's error, or one standing for no answer
    qint64 deferredMs = 0; // > 0: not sent, the usage governor wants this long a wait first
    bool ok() const { return !error && deferredMs == 0; }
};

// Graph API calls from the relay's pool threads (blocking). Every call first waits what
// the one UsageGovernor asks (up to the caller's patience: longer and the call is not
// made but answered "deferred"), carries the token in an Authorization header, records
// the answer's X-App-Usage / X-Business-Use-Case-Usage, and is counted by outcome in
// huntaze_instagram_graph_calls_total. URLs are never logged: paging links carry tokens.
class GraphApi {
public:
    using Query = QList<std::pair<QString, QString>>;

    struct Call {
        QByteArray method = "GET";
        QString path; // below the version: "me/accounts", "<ig-id>/media"
        Query query;
        Query form; // POST: sent as an urlencoded body
        QByteArray token;
        QString usageKey;      // the Instagram account the call counts on; "": the app only
        qint64 patienceMs = 0; // the longest governor wait accepted
        QString component;     // metrics label: accounts, comments, sync
    };

    GraphApi(OutboundHttp &http, instagram::UsageGovernor &governor, QUrl graphBase,
             QString version);

    GraphAnswer call(const Call &call);
    // Follows a page's paging.next, only while it points at the configured Graph host
    // and version (the token goes along); `like` gives token, usage key and patience.
    GraphAnswer next(const QUrl &url, const Call &like);
    // paging.next of an answer, or an empty URL on the last page.
    static QUrl nextLink(const QJsonObject &page);

    instagram::UsageGovernor &governor() { return m_governor; }

private:
    GraphAnswer send(const QUrl &url, const Call &call);
    bool isGraphUrl(const QUrl &url) const;

    OutboundHttp &m_http;
    instagram::UsageGovernor &m_governor;
    QUrl m_graphBase;
    QString m_version;
};

} // namespace huntaze::relay
