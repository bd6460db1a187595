#include "eventsplitter.h"

#include "crypto/signatures.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <simdjson.h>
#include <string_view>

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

// TikTok deliveries are the relay's hot path, parsed with simdjson rather than
// QJsonDocument: building Qt's JSON tree (every string converted to UTF-16 and back)
// cost 13% of the ingest benchmark's throughput (measured by skipping the parse). The
// DOM parser still validates the whole document, as QJsonDocument did. The strings it yields are
// the UTF-8 the key was always computed over, so keys stay what they were (tst_eventsplitter pins
// them).
Result<QList<InboxEvent>> splitTikTok(const QByteArray &body) {
    thread_local simdjson::dom::parser parser; // keeps its buffers between deliveries
    simdjson::dom::object root;
    if (const auto error = parser.parse(body.constData(), size_t(body.size())).get(root))
        return malformed(QStringLiteral("not a JSON object: ") +
                         QLatin1String(simdjson::error_message(error)));

    // The identifying fields, each exactly once: a repeated one would make the key
    // depend on which copy a reader believes.
    static constexpr std::array<std::string_view, 4> kStringFields{"client_key", "event",
                                                                   "user_openid", "content"};
    std::array<std::optional<std::string_view>, 4> strings;
    std::optional<double> createTime;
    for (const simdjson::dom::key_value_pair field : root) {
        const auto named = std::find(kStringFields.begin(), kStringFields.end(), field.key);
        if (named != kStringFields.end()) {
            auto &slot = strings[size_t(named - kStringFields.begin())];
            std::string_view text;
            if (slot || field.value.get(text))
                return malformed(QStringLiteral("%1 must be a string, given once")
                                     .arg(QLatin1String(field.key.data(), field.key.size())));
            slot = text;
        } else if (field.key == "create_time") {
            double seconds = 0;
            if (createTime || field.value.get_double().get(seconds))
                return malformed(QStringLiteral("create_time must be a number, given once"));
            createTime = seconds;
        }
    }
    for (size_t i = 0; i < strings.size(); ++i)
        if (!strings[i])
            return malformed(
                QStringLiteral("%1 must be a string, given once")
                    .arg(QLatin1String(kStringFields[i].data(), kStringFields[i].size())));
    // Integral seconds through a double, as the key was always computed; a value no
    // integer can hold is no timestamp.
    if (!createTime || !(*createTime > -9.2e18 && *createTime < 9.2e18))
        return malformed(QStringLiteral("create_time must be a number of seconds"));

    char seconds[24];
    const std::string_view secondsText(
        seconds, size_t(std::to_chars(seconds, seconds + sizeof seconds, qint64(*createTime)).ptr -
                        seconds));
    const std::array<std::string_view, 5> parts{*strings[0], *strings[1], secondsText, *strings[2],
                                                *strings[3]};
    QByteArray identity; // length-prefixed parts, so no two deliveries collide by framing
    qsizetype identitySize = 0;
    for (const std::string_view part : parts)
        identitySize += qsizetype(part.size()) + 21; // length digits and ':'
    identity.reserve(identitySize);
    for (const std::string_view part : parts) {
        char length[21];
        identity.append(length,
                        std::to_chars(length, length + sizeof length, part.size()).ptr - length);
        identity += ':';
        identity.append(part.data(), qsizetype(part.size()));
    }
    return QList<InboxEvent>{{QByteArrayLiteral("tiktok"),
                              crypto::sha256(identity).toHex(),
                              QByteArray(strings[1]->data(), qsizetype(strings[1]->size())),
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
            events.append({QByteArrayLiteral("instagram"),
                           boundedKey(account + QLatin1Char(':') + field + QLatin1Char(':') +
                                      ids.join(QLatin1Char(',')) + QLatin1Char(':') + time)
                               .toUtf8(),
                           field.toUtf8(),
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
        return QList<InboxEvent>{{QByteArrayLiteral("x"),
                                  boundedKey(uuid).toUtf8(),
                                  data.value(QStringLiteral("event_type")).toString().toUtf8(),
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
            events.append(
                {QByteArrayLiteral("x"),
                 boundedKey(kind + QLatin1Char(':') + id + QLatin1Char(':') + user).toUtf8(),
                 kind.toUtf8(),
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

// PostgreSQL text cannot hold NUL; JSON can ("\u0000"). Refused here with a clear
// answer rather than by the database, which would look like an outage (503).
Result<QList<InboxEvent>> refuseNul(Result<QList<InboxEvent>> events) {
    if (events)
        for (const InboxEvent &event : *events)
            if (event.externalId.contains('\0') || event.eventType.contains('\0'))
                return malformed(QStringLiteral("identifiers must not contain NUL characters"));
    return events;
}

} // namespace

Result<QList<InboxEvent>> EventSplitter::split(const QString &provider, const QByteArray &body) {
    if (provider == QLatin1String("tiktok"))
        return refuseNul(splitTikTok(body));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return malformed(QStringLiteral("not a JSON object: ") + error.errorString());
    const QJsonObject root = document.object();
    return refuseNul(
        provider == QLatin1String("instagram") ? splitInstagram(root)
        : provider == QLatin1String("x")
            ? splitX(root, body)
            : Result<QList<InboxEvent>>(malformed(QStringLiteral("no webhooks for ") + provider)));
}

} // namespace huntaze::relay
