#pragma once

#include <QByteArray>
#include <QString>

namespace huntaze::reddit {

// Reddit throttles generic User-Agents hard and asks for a descriptive one on every call
// (reddit.md): "<platform>:<app id>:<version> (by /u/<username>)", e.g.
// "desktop:com.huntaze.app:1.4.0 (by /u/huntaze_dev)". The username is the app's
// developer account on Reddit, not the creator's.
class RedditUserAgent {
public:
    // Spaces and colons inside a part would break the format: they become '-' ('_' in the
    // username, which Reddit only allows letters, digits, '_' and '-' in).
    static QByteArray make(const QString &platform, const QString &appId, const QString &version,
                           const QString &username);
    // Whether a User-Agent has the descriptive form (and is not a library's default).
    static bool isDescriptive(const QByteArray &userAgent);
};

} // namespace huntaze::reddit
