#include "eventsplitter.h"

#include "crypto/signatures.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>

namespace huntaze::relay {

namespace {

Error malformed(const QString &detail) {
    Error error;
    error.domain = QStringLiteral("webhook");
    error.code = QStringLiteral("malformed");
    error.httpStatus = 400;
    error.message = QObject::tr("The webhook body is not what the platform sends.");
    error.detail = detail;
    return error;
}

QByteArray compact(const QJsonValue &value) {
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    return value.toVariant().toString().toUtf8();
}

// Keys longer than the column allows are hashed; short ones stay readable for support.
QString boundedKey(const QString &key) {
    if (key.size() <= 200)
        return key;
    return QStringLiteral("sha256:") +
           QString::fromLatin1(
               QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString idText(const QJsonValue &value) {
    if (value.isString())
        return value.toString();
    if (value.isDouble()) // Qt 6 keeps integral JSON numbers exact; platform ids exceed 2^53
        return QString::number(value.toInteger());
    return {};
}

Result<QList<InboxEvent>> splitTikTok(const QJsonObject &root, const QByteArray &body) {
    for (const char *key : {"client_key", "event", "user_openid", "content"})
        if (!root.value(QLatin1String(key)).isString())
            return malformed(QStringLiteral("%1 must be a string").arg(QLatin1String(key)));
    if (!root.value(QStringLiteral("create_time")).isDouble())
        return malformed(QStringLiteral("create_time must be a number"));
    QByteArray identity; // length-prefixed parts, so no two deliveries collide by framing
    const QStringList parts{
        root.value(QStringLiteral("client_key")).toString(),
        root.value(QStringLiteral("event")).toString(),
        QString::number(qint64(root.value(QStringLiteral("create_time")).toDouble())),
        root.value(QStringLiteral("user_openid")).toString(),
        root.value(QStringLiteral("content")).toString()};
    for (const QString &part : parts) {
        const QByteArray utf8 = part.toUtf8();
        identity += QByteArray::number(utf8.size()) + ':' + utf8;
    }
    return QList<InboxEvent>{{QStringLiteral("tiktok"),
                              QString::fromLatin1(crypto::sha256(identity).toHex()),
                              root.value(QStringLiteral("event")).toString(),
                              false,
                              {},
                              body}};
}

Result<QList<InboxEvent>> splitInstagram(const QJsonObject &root) {
    if (!root.value(QStringLiteral("entry")).isArray())
        return malformed(QStringLiteral("entry must be an array"));
    const QString object = root.value(QStringLiteral("object")).toString();
    QList<InboxEvent> events;
    for (const QJsonValue &entryValue : root.value(QStringLiteral("entry")).toArray()) {
        const QJsonObject entry = entryValue.toObject();
        const QString account = idText(entry.value(QStringLiteral("id")));
        const QString time = idText(entry.value(QStringLiteral("time")));
        if (account.isEmpty() || !entry.value(QStringLiteral("changes")).isArray())
            return malformed(QStringLiteral("each entry needs id and changes"));
        for (const QJsonValue &changeValue : entry.value(QStringLiteral("changes")).toArray()) {
            const QJsonObject change = changeValue.toObject();
            const QString field = change.value(QStringLiteral("field")).toString();
            const QJsonObject value = change.value(QStringLiteral("value")).toObject();
            if (field.isEmpty())
                return malformed(QStringLiteral("a change without a field"));
            QStringList ids;
            for (const char *key : {"id", "comment_id", "media_id"})
                if (const QString id = idText(value.value(QLatin1String(key))); !id.isEmpty())
                    ids << QLatin1String(key) + QLatin1Char('=') + id;
            if (const QString mediaId = idText(
                    value.value(QStringLiteral("media")).toObject().value(QStringLiteral("id")));
                !mediaId.isEmpty())
                ids << QStringLiteral("media=") + mediaId;
            if (ids.isEmpty()) // no object id: the change's content identifies it
                ids << QString::fromLatin1(
                    QCryptographicHash::hash(compact(value), QCryptographicHash::Sha256).toHex());
            const QJsonObject own{{QStringLiteral("object"), object},
                                  {QStringLiteral("entry_id"), account},
                                  {QStringLiteral("time"), entry.value(QStringLiteral("time"))},
                                  {QStringLiteral("field"), field},
                                  {QStringLiteral("value"), value}};
            events.append({QStringLiteral("instagram"),
                           boundedKey(account + QLatin1Char(':') + field + QLatin1Char(':') +
                                      ids.join(QLatin1Char(',')) + QLatin1Char(':') + time),
                           field,
                           false,
                           {},
                           QJsonDocument(own).toJson(QJsonDocument::Compact)});
            if (events.size() > EventSplitter::kMaxEventsPerDelivery)
                return malformed(QStringLiteral("more than 1000 changes in one delivery"));
        }
    }
    return events;
}

Result<QList<InboxEvent>> splitX(const QJsonObject &root, const QByteArray &body) {
    if (root.value(QStringLiteral("data")).isObject()) {
        const QJsonObject data = root.value(QStringLiteral("data")).toObject();
        const QString uuid = idText(data.value(QStringLiteral("event_uuid")));
        if (uuid.isEmpty())
            return malformed(QStringLiteral("data.event_uuid is required"));
        return QList<InboxEvent>{{QStringLiteral("x"),
                                  boundedKey(uuid),
                                  data.value(QStringLiteral("event_type")).toString(),
                                  false,
                                  {},
                                  body}};
    }
    QString user = idText(root.value(QStringLiteral("for_user_id")));
    if (user.isEmpty()) // X's documented revoke names its user only in source.user_id
        user = idText(root.value(QStringLiteral("user_event"))
                          .toObject()
                          .value(QStringLiteral("revoke"))
                          .toObject()
                          .value(QStringLiteral("source"))
                          .toObject()
                          .value(QStringLiteral("user_id")));
    if (user.isEmpty())
        return malformed(QStringLiteral("neither data.event_uuid nor for_user_id"));
    QList<InboxEvent> events;
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString kind = it.key();
        if (!kind.endsWith(QLatin1String("_events")) && kind != QLatin1String("user_event"))
            continue;
        const QJsonArray items =
            it.value().isArray() ? it.value().toArray() : QJsonArray{it.value()};
        for (const QJsonValue &item : items) {
            const QJsonObject event = item.toObject();
            QString id = idText(event.value(QStringLiteral("id_str")));
            if (id.isEmpty())
                id = idText(event.value(QStringLiteral("id")));
            if (id.isEmpty())
                id = QString::fromLatin1(
                    QCryptographicHash::hash(compact(event), QCryptographicHash::Sha256).toHex());
            const QJsonObject own{{QStringLiteral("for_user_id"), user},
                                  {QStringLiteral("kind"), kind},
                                  {QStringLiteral("event"), event}};
            events.append({QStringLiteral("x"),
                           boundedKey(kind + QLatin1Char(':') + id + QLatin1Char(':') + user),
                           kind,
                           false,
                           {},
                           QJsonDocument(own).toJson(QJsonDocument::Compact)});
            if (events.size() > EventSplitter::kMaxEventsPerDelivery)
                return malformed(QStringLiteral("more than 1000 events in one delivery"));
        }
    }
    if (events.isEmpty())
        return malformed(QStringLiteral("no events in the delivery"));
    return events;
}

} // namespace

Result<QList<InboxEvent>> EventSplitter::split(const QString &provider, const QByteArray &body) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return malformed(QStringLiteral("not a JSON object: ") + error.errorString());
    const QJsonObject root = document.object();
    Result<QList<InboxEvent>> events =
        provider == QLatin1String("tiktok")      ? splitTikTok(root, body)
        : provider == QLatin1String("instagram") ? splitInstagram(root)
        : provider == QLatin1String("x")
            ? splitX(root, body)
            : Result<QList<InboxEvent>>(malformed(QStringLiteral("no webhooks for ") + provider));
    // PostgreSQL text cannot hold NUL; JSON can ("\u0000"). Refused here with a clear
    // answer rather than by the database, which would look like an outage (503).
    if (events)
        for (const InboxEvent &event : *events)
            if (event.externalId.contains(QChar(0)) || event.eventType.contains(QChar(0)))
                return malformed(QStringLiteral("identifiers must not contain NUL characters"));
    return events;
}

} // namespace huntaze::relay
