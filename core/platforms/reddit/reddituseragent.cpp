#include "reddituseragent.h"

#include <QRegularExpression>

namespace huntaze::reddit {

namespace {

QString part(const QString &raw, const QString &fallback) {
    static const QRegularExpression unsafe(QStringLiteral("[\\s:()/]+"));
    QString text = raw.trimmed();
    text.replace(unsafe, QStringLiteral("-"));
    return text.isEmpty() ? fallback : text.left(64);
}

} // namespace

QByteArray RedditUserAgent::make(const QString &platform, const QString &appId,
                                 const QString &version, const QString &username) {
    QString user = username.trimmed();
    if (user.startsWith(QLatin1String("/u/")))
        user = user.mid(3);
    else if (user.startsWith(QLatin1String("u/")))
        user = user.mid(2);
    static const QRegularExpression notAllowed(QStringLiteral("[^A-Za-z0-9_-]+"));
    user.replace(notAllowed, QStringLiteral("_"));
    if (user.isEmpty())
        user = QStringLiteral("unknown");
    return (part(platform, QStringLiteral("desktop")) + QLatin1Char(':') +
            part(appId, QStringLiteral("com.huntaze.app")) + QLatin1Char(':') +
            part(version, QStringLiteral("0")) + QStringLiteral(" (by /u/") + user.left(20) +
            QLatin1Char(')'))
        .toUtf8();
}

bool RedditUserAgent::isDescriptive(const QByteArray &userAgent) {
    const QString agent = QString::fromUtf8(userAgent).trimmed();
    static const QRegularExpression generic(
        QStringLiteral("^(mozilla/|python-requests|python-urllib|qt/|curl/|wget/|okhttp/|"
                       "go-http-client|java/|libcurl|axios/|node-fetch|postmanruntime|httpie/)"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression descriptive(
        QStringLiteral("^[^:\\s]+:[^:\\s]+:[^\\s]+ \\(by /u/[A-Za-z0-9_-]+\\)$"));
    return !generic.match(agent).hasMatch() && descriptive.match(agent).hasMatch();
}

} // namespace huntaze::reddit
