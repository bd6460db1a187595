#include "platformtext.h"

#include "redaction.h"

#include <algorithm>

namespace huntaze::log {

namespace {
constexpr qsizetype kMaxReadChars = 4000;
} // namespace

QString quotePlatformText(const QString &raw, qsizetype limit) {
    static const QRegularExpression opaque(QStringLiteral("[A-Za-z0-9_\\-%]{32,}"));
    return quotePlatformText(raw, limit, opaque);
}

QString quotePlatformText(const QString &raw, qsizetype limit, const QRegularExpression &opaque) {
    limit = std::max<qsizetype>(limit, 1);
    QString text = Redaction::scrubText(raw.left(kMaxReadChars));
    text.replace(opaque, Redaction::kMask);
    static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
    text.remove(tags);
    QString clean;
    clean.reserve(text.size());
    for (const QChar c : std::as_const(text)) {
        if (c == QLatin1Char('<') || c == QLatin1Char('>'))
            continue;
        clean += (c.isSpace() || (!c.isPrint() && !c.isSurrogate())) ? QChar(QLatin1Char(' ')) : c;
    }
    clean = clean.simplified();
    if (clean.size() > limit) {
        qsizetype cut = limit;
        if (clean.at(cut - 1).isHighSurrogate())
            --cut;
        clean = QStringView(clean).left(cut).trimmed().toString() + QChar(0x2026);
    }
    return clean;
}

} // namespace huntaze::log
