#include "scriptedbrowser.h"

#include "httpclient.h"

#include <QTimer>
#include <QUrlQuery>

namespace huntaze::test {

void ScriptedBrowser::open(const QUrl &url) {
    opened << url;
    QTimer::singleShot(0, this, [this, url] {
        HttpClient browser;
        QUrl page = url;
        QUrlQuery query(page);
        query.addQueryItem(QStringLiteral("sandbox_decision"), QStringLiteral("approve"));
        query.addQueryItem(QStringLiteral("sandbox_user"), user);
        page.setQuery(query);
        const auto redirect = browser.get(page);
        browser.get(QUrl(QString::fromUtf8(redirect.header("Location"))));
    });
}

} // namespace huntaze::test
