#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace huntaze::log {

// The guard between every log field and the log: whatever looks like a credential is
// replaced by "[redacted]" before a line is written. It errs on the side of hiding.
class Redaction {
public:
    static inline const QString kMask = QStringLiteral("[redacted]");

    // True for field names that carry a token, secret, password, key or an OAuth/pairing
    // code: access_token, client_secret, X-Hub-Signature-256, code_verifier, code, ...
    static bool isSecretField(const QString &name);
    // Masks bearer/basic credentials and secret query parameters inside free text.
    static QString scrubText(const QString &text);
    // Applies both rules to every field, recursively through objects and arrays.
    static QJsonObject scrub(const QJsonObject &fields);
    static QJsonValue scrub(const QString &name, const QJsonValue &value);
};

} // namespace huntaze::log
