#pragma once

#include <QRegularExpression>
#include <QString>

namespace huntaze::log {

// Text a platform sent, made safe to quote to the creator or to write to a log: credentials
// scrubbed (Redaction), any long opaque run masked (a token quoted back without its
// parameter name), no markup, no control characters, one line, at most `limit` characters
// (cut on a character boundary, with an ellipsis). Only the first 4000 characters of
// `raw` are read. Every platform's error catalogue quotes through this.
QString quotePlatformText(const QString &raw, qsizetype limit);

// As above, with the platform's own pattern for opaque tokens (e.g. Meta's "EAA...").
QString quotePlatformText(const QString &raw, qsizetype limit, const QRegularExpression &opaque);

} // namespace huntaze::log
