#include "router.h"

namespace sandbox {

namespace {
QStringList split(const QString &path) {
    // Trailing slashes are significant on the platforms (TikTok's paths end in '/'),
    // so an empty last segment is kept.
    QStringList segments = path.split(QLatin1Char('/'));
    if (!segments.isEmpty() && segments.first().isEmpty())
        segments.removeFirst();
    return segments;
}
} // namespace

void Router::add(const QByteArray &method, const QString &pattern, const QString &platform,
                 const QString &endpoint, Handler handler) {
    m_routes.append({method, split(pattern), platform, endpoint, std::move(handler)});
}

const Router::Route *Router::match(const QByteArray &method, const QString &path,
                                   QHash<QString, QString> *params, bool *pathKnown) const {
    const QStringList segments = split(path);
    *pathKnown = false;
    for (const Route &route : m_routes) {
        if (route.segments.size() != segments.size())
            continue;
        QHash<QString, QString> captured;
        bool matches = true;
        for (qsizetype i = 0; i < segments.size() && matches; ++i) {
            const QString &expected = route.segments.at(i);
            if (expected.startsWith(QLatin1Char('{')) && expected.endsWith(QLatin1Char('}')) &&
                !segments.at(i).isEmpty())
                captured.insert(expected.mid(1, expected.size() - 2),
                                QUrl::fromPercentEncoding(segments.at(i).toUtf8()));
            else
                matches = expected == segments.at(i);
        }
        if (!matches)
            continue;
        *pathKnown = true;
        if (route.method == method || (method == "HEAD" && route.method == "GET")) {
            *params = std::move(captured);
            return &route;
        }
    }
    return nullptr;
}

} // namespace sandbox
