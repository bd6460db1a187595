#include "redditstate.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace sandbox {

namespace {

QJsonArray stringsJson(const QStringList &list) {
    return QJsonArray::fromStringList(list);
}

QStringList stringsFrom(const QJsonValue &value) {
    QStringList out;
    for (const auto &v : value.toArray())
        out.append(v.toString());
    return out;
}

qint64 int64(const QJsonObject &o, const char *key) {
    return qint64(o.value(QLatin1String(key)).toDouble());
}

QString str(const QJsonObject &o, const char *key) {
    return o.value(QLatin1String(key)).toString();
}

QJsonObject commentJson(const RedditComment &c) {
    return {{QStringLiteral("id"), c.id},
            {QStringLiteral("author"), c.author},
            {QStringLiteral("body"), c.body},
            {QStringLiteral("created_utc"), double(c.createdUtc)},
            {QStringLiteral("score"), c.score}};
}

RedditComment commentFrom(const QJsonObject &o) {
    RedditComment c;
    c.id = str(o, "id");
    c.author = str(o, "author");
    c.body = str(o, "body");
    c.createdUtc = int64(o, "created_utc");
    c.score = o.value(QStringLiteral("score")).toInt();
    return c;
}

QJsonObject postJson(const RedditPost &p) {
    QJsonArray comments;
    for (const auto &c : p.comments)
        comments.append(commentJson(c));
    return {{QStringLiteral("id"), p.id},
            {QStringLiteral("subreddit"), p.subreddit},
            {QStringLiteral("author_id"), p.authorId},
            {QStringLiteral("author"), p.author},
            {QStringLiteral("kind"), p.kind},
            {QStringLiteral("title"), p.title},
            {QStringLiteral("selftext"), p.selftext},
            {QStringLiteral("url"), p.url},
            {QStringLiteral("poster_url"), p.posterUrl},
            {QStringLiteral("flair_id"), p.flairId},
            {QStringLiteral("flair_text"), p.flairText},
            {QStringLiteral("nsfw"), p.nsfw},
            {QStringLiteral("spoiler"), p.spoiler},
            {QStringLiteral("send_replies"), p.sendReplies},
            {QStringLiteral("created_utc"), double(p.createdUtc)},
            {QStringLiteral("score"), p.score},
            {QStringLiteral("ups"), p.ups},
            {QStringLiteral("downs"), p.downs},
            {QStringLiteral("removed_by_category"), p.removedByCategory},
            {QStringLiteral("grown_until"), double(p.grownUntil)},
            {QStringLiteral("comments"), comments}};
}

RedditPost postFrom(const QJsonObject &o) {
    RedditPost p;
    p.id = str(o, "id");
    p.subreddit = str(o, "subreddit");
    p.authorId = str(o, "author_id");
    p.author = str(o, "author");
    p.kind = str(o, "kind");
    p.title = str(o, "title");
    p.selftext = str(o, "selftext");
    p.url = str(o, "url");
    p.posterUrl = str(o, "poster_url");
    p.flairId = str(o, "flair_id");
    p.flairText = str(o, "flair_text");
    p.nsfw = o.value(QStringLiteral("nsfw")).toBool();
    p.spoiler = o.value(QStringLiteral("spoiler")).toBool();
    p.sendReplies = o.value(QStringLiteral("send_replies")).toBool(true);
    p.createdUtc = int64(o, "created_utc");
    p.score = o.value(QStringLiteral("score")).toInt();
    p.ups = o.value(QStringLiteral("ups")).toInt();
    p.downs = o.value(QStringLiteral("downs")).toInt();
    p.removedByCategory = str(o, "removed_by_category");
    p.grownUntil = int64(o, "grown_until");
    for (const auto &c : o.value(QStringLiteral("comments")).toArray())
        p.comments.append(commentFrom(c.toObject()));
    return p;
}

} // namespace

QString base36(qint64 value) {
    return QString::number(value, 36);
}

QString randomToken(int bytes) {
    QByteArray raw(bytes, Qt::Uninitialized);
    for (auto &c : raw)
        c = char(QRandomGenerator::global()->bounded(256));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString RedditPost::slug() const {
    static const QRegularExpression nonWord(QStringLiteral("[^a-z0-9]+"));
    QString s = title.toLower();
    s.replace(nonWord, QStringLiteral("_"));
    while (s.startsWith(QLatin1Char('_')))
        s.remove(0, 1);
    while (s.endsWith(QLatin1Char('_')))
        s.chop(1);
    return s.left(50);
}

QString RedditPost::permalink() const {
    return QStringLiteral("/r/%1/comments/%2/%3/").arg(subreddit, id, slug());
}

RedditState::RedditState() {
    seed();
}

void RedditState::seed() {
    // Fixed test users (ids are stable across runs; documented in README.md).
    users = {
        {QStringLiteral("sbx1a"), QStringLiteral("sbx_alice"), 1500000000, 1234, 567},
        {QStringLiteral("sbx2b"), QStringLiteral("sbx_bob"), 1550000000, 12, 3},
        {QStringLiteral("sbx3c"), QStringLiteral("sbx_carol"), 1600000000, 0, 0},
    };
    // Subreddits with the rules the submit endpoint enforces, and their link flairs
    // (fixed uuids, so tests and the README can name them).
    const QList<RedditFlairTemplate> huntazeFlairs = {
        {QStringLiteral("5f0c3a1e-8d2b-4c6a-9e71-0a1b2c3d4e01"), QStringLiteral("Tutorial"), false,
         false, QStringLiteral("light"), QStringLiteral("#0079d3")},
        {QStringLiteral("5f0c3a1e-8d2b-4c6a-9e71-0a1b2c3d4e02"), QStringLiteral("Showcase"), true,
         false, QStringLiteral("dark"), QStringLiteral("#ffd635")},
        {QStringLiteral("5f0c3a1e-8d2b-4c6a-9e71-0a1b2c3d4e03"), QStringLiteral("Announcement"),
         false, true, QStringLiteral("light"), QStringLiteral("#ff4500")},
    };
    const QList<RedditFlairTemplate> sandboxFlairs = {
        {QStringLiteral("9b7d6e5f-1a2b-4c3d-8e9f-0a1b2c3d4e05"), QStringLiteral("Test"), false,
         false, QStringLiteral("dark"), QStringLiteral("#edeff1")},
    };
    subreddits = {
        {QStringLiteral("sandbox"), true, true, false, 0, sandboxFlairs},
        {QStringLiteral("huntaze"), true, true, false, 0, huntazeFlairs},
        {QStringLiteral("linksonly"), false, true, false, 0, {}}, // NO_SELFS
        {QStringLiteral("selfonly"), true, false, false, 0, {}},  // NO_LINKS (and media)
        {QStringLiteral("privateclub"), true, true, true, 0, {}}, // SUBREDDIT_NOTALLOWED
        {QStringLiteral("onceaday"), true, true, false, 1, {}},   // QUOTA_FILLED after one a day
    };
}

const RedditFlairTemplate *RedditSubreddit::flair(const QString &id) const {
    for (const auto &f : flairs)
        if (f.id == id)
            return &f;
    return nullptr;
}

const RedditUser *RedditState::user(const QString &idOrName) const {
    for (const auto &u : users)
        if (u.id == idOrName || u.name.compare(idOrName, Qt::CaseInsensitive) == 0)
            return &u;
    return nullptr;
}

const RedditSubreddit *RedditState::subreddit(const QString &name) const {
    for (const auto &s : subreddits)
        if (s.name.compare(name, Qt::CaseInsensitive) == 0)
            return &s;
    return nullptr;
}

RedditPost *RedditState::post(const QString &idOrFullname) {
    QString id = idOrFullname;
    if (id.startsWith(QLatin1String("t3_")))
        id = id.mid(3);
    for (auto &p : posts)
        if (p.id == id)
            return &p;
    return nullptr;
}

RedditAsset *RedditState::assetByKey(const QString &key) {
    for (auto &a : assets)
        if (a.key == key)
            return &a;
    return nullptr;
}

RedditAsset *RedditState::assetByUrl(const QString &url) {
    static const QString marker = QStringLiteral("/reddit/s3-bucket/");
    const qsizetype at = url.indexOf(marker);
    if (at < 0)
        return nullptr;
    return assetByKey(url.mid(at + marker.size()));
}

QString RedditState::newPostId() {
    return base36(nextPostNumber++);
}

QString RedditState::newCommentId() {
    return base36(nextCommentNumber++);
}

void RedditState::revokeFromCode(const QString &code) {
    for (auto &t : tokens)
        if (t.fromCode == code)
            t.revoked = true;
}

void RedditState::revokeUser(const QString &userId) {
    for (auto &t : tokens)
        if (t.userId == userId)
            t.revoked = true;
}

QJsonObject RedditState::save() const {
    QJsonArray codesJson;
    for (const auto &c : codes)
        codesJson.append(QJsonObject{{QStringLiteral("code"), c.code},
                                     {QStringLiteral("user_id"), c.userId},
                                     {QStringLiteral("scopes"), stringsJson(c.scopes)},
                                     {QStringLiteral("redirect_uri"), c.redirectUri},
                                     {QStringLiteral("permanent"), c.permanent},
                                     {QStringLiteral("expires_at"), double(c.expiresAt)},
                                     {QStringLiteral("used"), c.used}});
    QJsonArray tokensJson;
    for (const auto &t : tokens)
        tokensJson.append(QJsonObject{{QStringLiteral("token"), t.token},
                                      {QStringLiteral("refresh"), t.refresh},
                                      {QStringLiteral("user_id"), t.userId},
                                      {QStringLiteral("scopes"), stringsJson(t.scopes)},
                                      {QStringLiteral("expires_at"), double(t.expiresAt)},
                                      {QStringLiteral("from_code"), t.fromCode},
                                      {QStringLiteral("refresh_token"), t.refreshToken},
                                      {QStringLiteral("revoked"), t.revoked}});
    QJsonArray postsJson;
    for (const auto &p : posts)
        postsJson.append(postJson(p));
    QJsonArray mediaJson;
    for (const auto &m : mediaSubmissions)
        mediaJson.append(QJsonObject{{QStringLiteral("id"), m.id},
                                     {QStringLiteral("post"), postJson(m.post)},
                                     {QStringLiteral("ready_at"), double(m.readyAt)},
                                     {QStringLiteral("state"), m.state},
                                     {QStringLiteral("failure"), m.failure}});
    QJsonArray assetsJson;
    for (const auto &a : assets)
        assetsJson.append(QJsonObject{{QStringLiteral("asset_id"), a.assetId},
                                      {QStringLiteral("key"), a.key},
                                      {QStringLiteral("file_name"), a.fileName},
                                      {QStringLiteral("mime_type"), a.mimeType},
                                      {QStringLiteral("user_id"), a.userId},
                                      {QStringLiteral("policy"), a.policy},
                                      {QStringLiteral("signature"), a.signature},
                                      {QStringLiteral("security_token"), a.securityToken},
                                      {QStringLiteral("amz_date"), a.amzDate},
                                      {QStringLiteral("expires_at"), double(a.expiresAt)},
                                      {QStringLiteral("upload_id"), a.uploadId},
                                      {QStringLiteral("uploaded"), a.uploaded}});
    QJsonObject windowsJson;
    for (auto it = windows.cbegin(); it != windows.cend(); ++it)
        windowsJson.insert(it.key(), QJsonArray{double(it->first), it->second});
    const QJsonObject settingsJson{
        {QStringLiteral("expires_in"), settings.expiresIn},
        {QStringLiteral("rotate_refresh_tokens"), settings.rotateRefreshTokens},
        {QStringLiteral("revoke_status"), settings.revokeStatus},
        {QStringLiteral("fail_media"), settings.failMedia},
        {QStringLiteral("media_processing_seconds"), settings.mediaProcessingSeconds},
        {QStringLiteral("forced_ratelimit_unit"), settings.forcedRateLimitUnit},
        {QStringLiteral("forced_ratelimit_amount"), settings.forcedRateLimitAmount},
        {QStringLiteral("forced_ratelimit_times"), settings.forcedRateLimitTimes}};
    return {{QStringLiteral("codes"), codesJson},
            {QStringLiteral("tokens"), tokensJson},
            {QStringLiteral("posts"), postsJson},
            {QStringLiteral("media_submissions"), mediaJson},
            {QStringLiteral("assets"), assetsJson},
            {QStringLiteral("windows"), windowsJson},
            {QStringLiteral("settings"), settingsJson},
            {QStringLiteral("next_post_number"), double(nextPostNumber)},
            {QStringLiteral("next_comment_number"), double(nextCommentNumber)}};
}

void RedditState::load(const QJsonObject &state) {
    if (state.isEmpty())
        return;
    codes.clear();
    for (const auto &v : state.value(QStringLiteral("codes")).toArray()) {
        const QJsonObject o = v.toObject();
        RedditCode c;
        c.code = str(o, "code");
        c.userId = str(o, "user_id");
        c.scopes = stringsFrom(o.value(QStringLiteral("scopes")));
        c.redirectUri = str(o, "redirect_uri");
        c.permanent = o.value(QStringLiteral("permanent")).toBool();
        c.expiresAt = int64(o, "expires_at");
        c.used = o.value(QStringLiteral("used")).toBool();
        codes.insert(c.code, c);
    }
    tokens.clear();
    for (const auto &v : state.value(QStringLiteral("tokens")).toArray()) {
        const QJsonObject o = v.toObject();
        RedditToken t;
        t.token = str(o, "token");
        t.refresh = o.value(QStringLiteral("refresh")).toBool();
        t.userId = str(o, "user_id");
        t.scopes = stringsFrom(o.value(QStringLiteral("scopes")));
        t.expiresAt = int64(o, "expires_at");
        t.fromCode = str(o, "from_code");
        t.refreshToken = str(o, "refresh_token");
        t.revoked = o.value(QStringLiteral("revoked")).toBool();
        tokens.insert(t.token, t);
    }
    posts.clear();
    for (const auto &v : state.value(QStringLiteral("posts")).toArray())
        posts.append(postFrom(v.toObject()));
    mediaSubmissions.clear();
    for (const auto &v : state.value(QStringLiteral("media_submissions")).toArray()) {
        const QJsonObject o = v.toObject();
        RedditMediaSubmission m;
        m.id = str(o, "id");
        m.post = postFrom(o.value(QStringLiteral("post")).toObject());
        m.readyAt = int64(o, "ready_at");
        m.state = str(o, "state");
        m.failure = str(o, "failure");
        mediaSubmissions.append(m);
    }
    assets.clear();
    for (const auto &v : state.value(QStringLiteral("assets")).toArray()) {
        const QJsonObject o = v.toObject();
        RedditAsset a;
        a.assetId = str(o, "asset_id");
        a.key = str(o, "key");
        a.fileName = str(o, "file_name");
        a.mimeType = str(o, "mime_type");
        a.userId = str(o, "user_id");
        a.policy = str(o, "policy");
        a.signature = str(o, "signature");
        a.securityToken = str(o, "security_token");
        a.amzDate = str(o, "amz_date");
        a.expiresAt = int64(o, "expires_at");
        a.uploadId = str(o, "upload_id");
        a.uploaded = o.value(QStringLiteral("uploaded")).toBool();
        assets.append(a);
    }
    windows.clear();
    const QJsonObject windowsJson = state.value(QStringLiteral("windows")).toObject();
    for (auto it = windowsJson.begin(); it != windowsJson.end(); ++it) {
        const QJsonArray pair = it->toArray();
        windows.insert(it.key(), {qint64(pair.at(0).toDouble()), pair.at(1).toInt()});
    }
    const QJsonObject s = state.value(QStringLiteral("settings")).toObject();
    settings.expiresIn = s.value(QStringLiteral("expires_in")).toInt(3600);
    settings.rotateRefreshTokens = s.value(QStringLiteral("rotate_refresh_tokens")).toBool();
    settings.revokeStatus = s.value(QStringLiteral("revoke_status")).toInt(204);
    settings.failMedia = s.value(QStringLiteral("fail_media")).toBool();
    settings.mediaProcessingSeconds = s.value(QStringLiteral("media_processing_seconds")).toInt(5);
    settings.forcedRateLimitUnit = str(s, "forced_ratelimit_unit");
    settings.forcedRateLimitAmount = s.value(QStringLiteral("forced_ratelimit_amount")).toInt();
    settings.forcedRateLimitTimes = s.value(QStringLiteral("forced_ratelimit_times")).toInt();
    nextPostNumber = qMax<qint64>(int64(state, "next_post_number"), nextPostNumber);
    nextCommentNumber = qMax<qint64>(int64(state, "next_comment_number"), nextCommentNumber);
}

} // namespace sandbox
