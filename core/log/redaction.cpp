#include "redaction.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

namespace huntaze::log {

namespace {

// Splits "clientSecret", "X-Hub-Signature-256" or "refresh_token" into lower-case words.
QStringList words(const QString &name) {
    QString spaced;
    spaced.reserve(name.size() * 2);
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        if (c.isUpper() && i > 0 && name.at(i - 1).isLower())
            spaced += QLatin1Char(' ');
        spaced += c.isLetterOrNumber() ? c.toLower() : QLatin1Char(' ');
    }
    return spaced.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

} // namespace

bool Redaction::isSecretField(const QString &name) {
    // A word anywhere in the name that always means a credential.
    static const QSet<QString> secretWords{
        QStringLiteral("token"),      QStringLiteral("tokens"),
        QStringLiteral("secret"),     QStringLiteral("secrets"),
        QStringLiteral("password"),   QStringLiteral("passwd"),
        QStringLiteral("pwd"),        QStringLiteral("passphrase"),
        QStringLiteral("credential"), QStringLiteral("credentials"),
        QStringLiteral("verifier"),   QStringLiteral("authorization"),
        QStringLiteral("cookie"),     QStringLiteral("signature"),
        QStringLiteral("apikey"),     QStringLiteral("privatekey"),
        QStringLiteral("bearer"),     QStringLiteral("session")};
    // "code" is a credential (OAuth code, pairing code) unless a word before it says it
    // is a status: error_code, status_code, exit_code, ... stay readable in logs.
    static const QSet<QString> harmlessCodeQualifiers{
        QStringLiteral("error"),    QStringLiteral("status"),   QStringLiteral("http"),
        QStringLiteral("exit"),     QStringLiteral("response"), QStringLiteral("return"),
        QStringLiteral("result"),   QStringLiteral("country"),  QStringLiteral("language"),
        QStringLiteral("currency"), QStringLiteral("reason"),   QStringLiteral("fail")};
    // "key" is a credential unless it names which key (key_id), or is a dedup key.
    static const QSet<QString> harmlessKeyNeighbours{
        QStringLiteral("id"),    QStringLiteral("dedupe"),    QStringLiteral("natural"),
        QStringLiteral("media"), QStringLiteral("partition"), QStringLiteral("sort"),
        QStringLiteral("client")};

    const QStringList parts = words(name);
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString &word = parts.at(i);
        if (secretWords.contains(word))
            return true;
        if (word == QLatin1String("code") &&
            !(i > 0 && harmlessCodeQualifiers.contains(parts.at(i - 1))))
            return true;
        if (word == QLatin1String("key")) {
            const bool named =
                (i > 0 && harmlessKeyNeighbours.contains(parts.at(i - 1))) ||
                (i + 1 < parts.size() && harmlessKeyNeighbours.contains(parts.at(i + 1)));
            if (!named)
                return true;
        }
    }
    return false;
}

QString Redaction::scrubText(const QString &text) {
    // "Bearer abc", "Basic dXNlcjpwdw==", "OAuth abc" as found in Authorization headers.
    static const QRegularExpression authScheme(
        QStringLiteral("\\b(bearer|basic|oauth)(\\s+)[A-Za-z0-9._~+/=-]+"),
        QRegularExpression::CaseInsensitiveOption);
    // Secret-bearing parameters in URLs, form bodies and JSON-ish text.
    static const QRegularExpression secretParameter(
        QStringLiteral("\\b([A-Za-z_]*(?:token|secret|password|code|verifier|signature)"
                       "[A-Za-z_]*)(\"?\\s*[=:]\\s*\"?)([^&\\s\",}]+)"),
        QRegularExpression::CaseInsensitiveOption);
    QString scrubbed = text;
    scrubbed.replace(authScheme, QStringLiteral("\\1\\2") + kMask);
    QString out;
    qsizetype last = 0;
    auto it = secretParameter.globalMatch(scrubbed);
    while (it.hasNext()) {
        const auto match = it.next();
        if (!isSecretField(match.captured(1)))
            continue;
        out += QStringView(scrubbed).mid(last, match.capturedStart(3) - last);
        out += kMask;
        last = match.capturedEnd(3);
    }
    out += QStringView(scrubbed).mid(last);
    return out;
}

QJsonValue Redaction::scrub(const QString &name, const QJsonValue &value) {
    if (!name.isEmpty() && isSecretField(name) && !value.isNull())
        return kMask;
    switch (value.type()) {
    case QJsonValue::String:
        return scrubText(value.toString());
    case QJsonValue::Object:
        return scrub(value.toObject());
    case QJsonValue::Array: {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(scrub(name, item));
        return array;
    }
    default:
        return value;
    }
}

QJsonObject Redaction::scrub(const QJsonObject &fields) {
    QJsonObject out;
    for (auto it = fields.begin(); it != fields.end(); ++it)
        out.insert(it.key(), scrub(it.key(), it.value()));
    return out;
}

} // namespace huntaze::log
