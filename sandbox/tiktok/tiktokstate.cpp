#include "tiktokstate.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace sandbox::tiktok {

QList<User> seedUsers() {
    const QStringList everyone{u"PUBLIC_TO_EVERYONE"_s, u"MUTUAL_FOLLOW_FRIENDS"_s, u"SELF_ONLY"_s};
    const QStringList privateAccount{u"FOLLOWER_OF_CREATOR"_s, u"MUTUAL_FOLLOW_FRIENDS"_s,
                                     u"SELF_ONLY"_s};
    return {
        User{u"tt-alice"_s, u"sbx-openid-alice"_s, u"sbx-unionid-alice"_s, u"Alice Sandbox"_s,
             u"alice.creates"_s, u"Makes things, in a sandbox."_s, true, 12840, 311, 402117, 87,
             everyone, false},
        User{u"tt-bob"_s, u"sbx-openid-bob"_s, u"sbx-unionid-bob"_s, u"Bob Private"_s,
             u"bob.private"_s, u"Private account."_s, false, 210, 198, 1530, 12, privateAccount,
             false},
        User{u"tt-carol"_s, u"sbx-openid-carol"_s, u"sbx-unionid-carol"_s, u"Carol Banned"_s,
             u"carol.banned"_s, u"Banned from posting."_s, false, 5, 3, 0, 0, everyone, true},
        // More ordinary creators, so tests can each have their own per-token limits.
        User{u"tt-dave"_s, u"sbx-openid-dave"_s, u"sbx-unionid-dave"_s, u"Dave Studio"_s,
             u"dave.studio"_s, u"Another creator."_s, false, 940, 120, 8800, 40, everyone, false},
        User{u"tt-erin"_s, u"sbx-openid-erin"_s, u"sbx-unionid-erin"_s, u"Erin Clips"_s,
             u"erin.clips"_s, u"Another creator."_s, false, 77, 64, 910, 9, everyone, false},
        User{u"tt-frank"_s, u"sbx-openid-frank"_s, u"sbx-unionid-frank"_s, u"Frank Films"_s,
             u"frank.films"_s, u"Another creator."_s, false, 3020, 15, 51000, 130, everyone, false},
    };
}

const User *State::userById(const QString &id) const {
    for (const User &user : users)
        if (user.id == id)
            return &user;
    return nullptr;
}

const User *State::userByOpenId(const QString &openId) const {
    for (const User &user : users)
        if (user.openId == openId)
            return &user;
    return nullptr;
}

Post *State::post(const QString &publishId) {
    for (Post &p : posts)
        if (p.publishId == publishId)
            return &p;
    return nullptr;
}

namespace {

QJsonArray toArray(const QStringList &list) {
    return QJsonArray::fromStringList(list);
}

QStringList toList(const QJsonValue &value) {
    QStringList list;
    for (const QJsonValue &v : value.toArray())
        list.append(v.toString());
    return list;
}

qint64 toInt64(const QJsonValue &value) {
    return qint64(value.toDouble());
}

QJsonObject tokenJson(const Token &t) {
    return {{u"token"_s, t.token},
            {u"user_id"_s, t.userId},
            {u"scopes"_s, toArray(t.scopes)},
            {u"expires_ms"_s, double(t.expiresMs)}};
}

Token tokenFrom(const QJsonObject &o) {
    return Token{o[u"token"_s].toString(), o[u"user_id"_s].toString(), toList(o[u"scopes"_s]),
                 toInt64(o[u"expires_ms"_s])};
}

} // namespace

QJsonObject State::toJson() const {
    QJsonArray codesJson;
    for (const AuthCode &c : codes)
        codesJson.append(QJsonObject{{u"code"_s, c.code},
                                     {u"user_id"_s, c.userId},
                                     {u"scopes"_s, toArray(c.scopes)},
                                     {u"redirect_uri"_s, c.redirectUri},
                                     {u"challenge"_s, c.challenge},
                                     {u"expires_ms"_s, double(c.expiresMs)},
                                     {u"used"_s, c.used}});
    QJsonArray access;
    for (const Token &t : accessTokens)
        access.append(tokenJson(t));
    QJsonArray refresh;
    for (const Token &t : refreshTokens)
        refresh.append(tokenJson(t));
    QJsonArray postsJson;
    for (const Post &p : posts)
        postsJson.append(QJsonObject{{u"publish_id"_s, p.publishId},
                                     {u"user_id"_s, p.userId},
                                     {u"access_token"_s, p.accessToken},
                                     {u"media_type"_s, p.mediaType},
                                     {u"mode"_s, p.mode},
                                     {u"source"_s, p.source},
                                     {u"upload_id"_s, p.uploadId},
                                     {u"status"_s, p.status},
                                     {u"fail_reason"_s, p.failReason},
                                     {u"title"_s, p.title},
                                     {u"description"_s, p.description},
                                     {u"privacy_level"_s, p.privacyLevel},
                                     {u"urls"_s, toArray(p.urls)},
                                     {u"video_size"_s, double(p.videoSize)},
                                     {u"chunk_size"_s, double(p.chunkSize)},
                                     {u"chunk_count"_s, p.chunkCount},
                                     {u"downloaded_bytes"_s, double(p.downloadedBytes)},
                                     {u"created_ms"_s, double(p.createdMs)},
                                     {u"upload_expires_ms"_s, double(p.uploadExpiresMs)},
                                     {u"ready_ms"_s, double(p.readyMs)},
                                     {u"post_id"_s, double(p.postId)},
                                     {u"posted"_s, p.posted},
                                     {u"publicly_available"_s, p.publiclyAvailable}});
    QJsonObject windowsJson;
    for (auto it = windows.cbegin(); it != windows.cend(); ++it) {
        QJsonArray times;
        for (qint64 t : it.value())
            times.append(double(t));
        windowsJson.insert(it.key(), times);
    }
    return {{u"codes"_s, codesJson},
            {u"access_tokens"_s, access},
            {u"refresh_tokens"_s, refresh},
            {u"posts"_s, postsJson},
            {u"windows"_s, windowsJson},
            {u"next_post_id"_s, double(nextPostId)},
            {u"settings"_s,
             QJsonObject{{u"rotating_refresh"_s, settings.rotatingRefresh},
                         {u"invalid_grant_status"_s, settings.invalidGrantStatus},
                         {u"verified_url_prefixes"_s, toArray(settings.verifiedPrefixes)},
                         {u"audited"_s, settings.audited},
                         {u"processing_seconds"_s, settings.processingSeconds},
                         {u"chunk_fault_status"_s, settings.chunkFaultStatus},
                         {u"chunk_fault_times"_s, settings.chunkFaultTimes},
                         {u"chunk_delay_ms"_s, settings.chunkDelayMs}}}};
}

void State::fromJson(const QJsonObject &object) {
    if (object.isEmpty())
        return;
    codes.clear();
    for (const QJsonValue &v : object[u"codes"_s].toArray()) {
        const QJsonObject o = v.toObject();
        AuthCode c{o[u"code"_s].toString(),      o[u"user_id"_s].toString(),
                   toList(o[u"scopes"_s]),       o[u"redirect_uri"_s].toString(),
                   o[u"challenge"_s].toString(), toInt64(o[u"expires_ms"_s]),
                   o[u"used"_s].toBool()};
        codes.insert(c.code, c);
    }
    accessTokens.clear();
    for (const QJsonValue &v : object[u"access_tokens"_s].toArray()) {
        const Token t = tokenFrom(v.toObject());
        accessTokens.insert(t.token, t);
    }
    refreshTokens.clear();
    for (const QJsonValue &v : object[u"refresh_tokens"_s].toArray()) {
        const Token t = tokenFrom(v.toObject());
        refreshTokens.insert(t.token, t);
    }
    posts.clear();
    for (const QJsonValue &v : object[u"posts"_s].toArray()) {
        const QJsonObject o = v.toObject();
        Post p;
        p.publishId = o[u"publish_id"_s].toString();
        p.userId = o[u"user_id"_s].toString();
        p.accessToken = o[u"access_token"_s].toString();
        p.mediaType = o[u"media_type"_s].toString();
        p.mode = o[u"mode"_s].toString();
        p.source = o[u"source"_s].toString();
        p.uploadId = o[u"upload_id"_s].toString();
        p.status = o[u"status"_s].toString();
        p.failReason = o[u"fail_reason"_s].toString();
        p.title = o[u"title"_s].toString();
        p.description = o[u"description"_s].toString();
        p.privacyLevel = o[u"privacy_level"_s].toString();
        p.urls = toList(o[u"urls"_s]);
        p.videoSize = toInt64(o[u"video_size"_s]);
        p.chunkSize = toInt64(o[u"chunk_size"_s]);
        p.chunkCount = o[u"chunk_count"_s].toInt();
        p.downloadedBytes = toInt64(o[u"downloaded_bytes"_s]);
        p.createdMs = toInt64(o[u"created_ms"_s]);
        p.uploadExpiresMs = toInt64(o[u"upload_expires_ms"_s]);
        p.readyMs = toInt64(o[u"ready_ms"_s]);
        p.postId = toInt64(o[u"post_id"_s]);
        p.posted = o[u"posted"_s].toBool();
        p.publiclyAvailable = o[u"publicly_available"_s].toBool();
        posts.append(p);
    }
    windows.clear();
    const QJsonObject windowsJson = object[u"windows"_s].toObject();
    for (auto it = windowsJson.begin(); it != windowsJson.end(); ++it) {
        QList<qint64> times;
        for (const QJsonValue &t : it.value().toArray())
            times.append(toInt64(t));
        windows.insert(it.key(), times);
    }
    nextPostId = qint64(object[u"next_post_id"_s].toDouble(double(nextPostId)));
    const QJsonObject s = object[u"settings"_s].toObject();
    settings.rotatingRefresh = s[u"rotating_refresh"_s].toBool(true);
    settings.invalidGrantStatus = s[u"invalid_grant_status"_s].toInt(400);
    if (s.contains(u"verified_url_prefixes"_s))
        settings.verifiedPrefixes = toList(s[u"verified_url_prefixes"_s]);
    settings.audited = s[u"audited"_s].toBool(true);
    settings.processingSeconds = s[u"processing_seconds"_s].toInt(5);
    settings.chunkFaultStatus = s[u"chunk_fault_status"_s].toInt(503);
    settings.chunkFaultTimes = s[u"chunk_fault_times"_s].toInt(0);
    settings.chunkDelayMs = s[u"chunk_delay_ms"_s].toInt(0);
}

} // namespace sandbox::tiktok
