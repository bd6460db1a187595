#pragma once

#include <QList>
#include <QObject>
#include <QUrl>

namespace huntaze::test {

// Stands in for the system browser (QDesktopServices::openUrl has none offscreen): it
// opens the sandbox's authorization page, approves as a test user, and follows the
// redirect to the app's loopback listener, as a person clicking Authorize would.
// Install with QDesktopServices::setUrlHandler("http", &browser, "open").
class ScriptedBrowser : public QObject {
    Q_OBJECT
public:
    QString user = QStringLiteral("tt-alice");
    QList<QUrl> opened;
public Q_SLOTS:
    void open(const QUrl &url);
};

} // namespace huntaze::test
