#pragma once

#include <QHash>
#include <QIcon>
#include <QNetworkAccessManager>
#include <QObject>
#include <QSet>
#include <QUrl>

namespace huntaze::ui {

// Account pictures, fetched once per address in the background and kept for the
// session. JPEG/PNG through Qt's image readers, SVG through QtSvg.
class AvatarCache : public QObject {
    Q_OBJECT
public:
    explicit AvatarCache(QObject *parent = nullptr);
    // The picture if it is here already; otherwise starts fetching it (ready() follows).
    QIcon icon(const QUrl &url);
    static QIcon decode(const QByteArray &data, const QByteArray &contentType);

Q_SIGNALS:
    void ready(const QUrl &url);

private:
    QNetworkAccessManager m_network;
    QHash<QUrl, QIcon> m_icons;
    QSet<QUrl> m_pending;
};

} // namespace huntaze::ui
