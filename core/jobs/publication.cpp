#include "publication.h"

#include <QJsonDocument>

namespace huntaze::jobs {

namespace {
// Timestamps are selected as epoch milliseconds (see columns()): no time-zone parsing.
QDateTime timestamp(const QJsonValue &value) {
    if (!value.isString())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toString().toLongLong(), Qt::UTC);
}
} // namespace

QString Publication::columns() {
    return QStringLiteral(
        "id, account_id, provider, kind, source_path, source_url, caption, "
        "options, state, remote_id, "
        "(extract(epoch FROM init_started_at) * 1000)::bigint AS init_started_at, "
        "upload_url, "
        "(extract(epoch FROM upload_url_expires_at) * 1000)::bigint "
        "AS upload_url_expires_at, bytes_sent, bytes_total, attempts, "
        "last_error_code, correlation_id");
}

Publication Publication::fromRow(const QJsonObject &row) {
    const auto text = [&row](const char *column) {
        return row.value(QLatin1String(column)).toString();
    };
    Publication p;
    p.id = text("id").toLongLong();
    p.accountId = text("account_id").toLongLong();
    p.provider = text("provider");
    p.kind = text("kind");
    p.sourcePath = text("source_path");
    p.sourceUrl = text("source_url");
    p.caption = text("caption");
    p.options = QJsonDocument::fromJson(text("options").toUtf8()).object();
    p.state = text("state");
    p.remoteId = text("remote_id");
    p.initStartedAt = timestamp(row.value(QStringLiteral("init_started_at")));
    p.uploadUrl = QUrl(text("upload_url"));
    p.uploadUrlExpiresAt = timestamp(row.value(QStringLiteral("upload_url_expires_at")));
    p.bytesSent = text("bytes_sent").toLongLong();
    p.bytesTotal = text("bytes_total").toLongLong();
    p.attempts = text("attempts").toInt();
    p.lastErrorCode = text("last_error_code");
    p.correlationId = text("correlation_id");
    return p;
}

} // namespace huntaze::jobs
