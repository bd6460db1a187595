#include "avatarcache.h"

#include <QImage>
#include <QNetworkReply>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

namespace huntaze::ui {

namespace {
constexpr int kSide = 48;
constexpr qint64 kMaxBytes = 2 << 20; // a picture, not a download
} // namespace

AvatarCache::AvatarCache(QObject *parent)
    : QObject(parent) {}

QIcon AvatarCache::decode(const QByteArray &data, const QByteArray &contentType) {
    if (contentType.startsWith("image/svg")) {
        QSvgRenderer svg(data);
        if (!svg.isValid())
            return {};
        QPixmap pixmap(kSide, kSide);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        svg.render(&painter);
        return QIcon(pixmap);
    }
    const QImage image = QImage::fromData(data);
    return image.isNull() ? QIcon()
                          : QIcon(QPixmap::fromImage(image.scaled(kSide, kSide, Qt::KeepAspectRatio,
                                                                  Qt::SmoothTransformation)));
}

QIcon AvatarCache::icon(const QUrl &url) {
    if (!url.isValid() || !url.scheme().startsWith(QLatin1String("http")))
        return {};
    if (const auto found = m_icons.constFind(url); found != m_icons.cend())
        return *found;
    if (m_pending.contains(url))
        return {};
    m_pending.insert(url);
    QNetworkRequest request(url);
    request.setTransferTimeout(15000);
    QNetworkReply *reply = m_network.get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, url] {
        reply->deleteLater();
        m_pending.remove(url);
        const QByteArray data = reply->read(kMaxBytes);
        // A missing picture stays missing for the session (an empty icon), not retried
        // on every refresh.
        m_icons.insert(
            url, reply->error() == QNetworkReply::NoError
                     ? decode(data, reply->header(QNetworkRequest::ContentTypeHeader).toByteArray())
                     : QIcon());
        Q_EMIT ready(url);
    });
    return {};
}

} // namespace huntaze::ui
