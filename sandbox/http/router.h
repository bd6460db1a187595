#pragma once

#include "exchange.h"

#include <QList>
#include <QString>

#include <functional>

namespace sandbox {

// Routes by method and path pattern ("/tiktok/v2/post/publish/status/fetch/",
// "/tiktok/upload/{id}"). Every route names its platform and endpoint, which the
// request log and fault injection use.
class Router {
public:
    using Handler = std::function<void(const ExchangePtr &)>;
    struct Route {
        QByteArray method;
        QStringList segments;
        QString platform;
        QString endpoint;
        Handler handler;
    };

    void add(const QByteArray &method, const QString &pattern, const QString &platform,
             const QString &endpoint, Handler handler);
    // The matching route with {params} filled in, or nullptr (with *pathKnown telling
    // 405 from 404).
    const Route *match(const QByteArray &method, const QString &path,
                       QHash<QString, QString> *params, bool *pathKnown) const;

private:
    QList<Route> m_routes;
};

} // namespace sandbox
