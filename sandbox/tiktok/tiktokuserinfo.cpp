#include "tiktokuserinfo.h"

using namespace Qt::Literals::StringLiterals;

namespace sandbox::tiktok {

namespace {
constexpr int kUserInfoPerMinute = 600;

QString scopeOf(const QString &field) {
    static const QHash<QString, QString> scopes{
        {u"open_id"_s, u"user.info.basic"_s},
        {u"union_id"_s, u"user.info.basic"_s},
        {u"avatar_url"_s, u"user.info.basic"_s},
        {u"avatar_url_100"_s, u"user.info.basic"_s},
        {u"avatar_large_url"_s, u"user.info.basic"_s},
        {u"display_name"_s, u"user.info.basic"_s},
        {u"bio_description"_s, u"user.info.profile"_s},
        {u"profile_deep_link"_s, u"user.info.profile"_s},
        {u"is_verified"_s, u"user.info.profile"_s},
        {u"username"_s, u"user.info.profile"_s},
        {u"follower_count"_s, u"user.info.stats"_s},
        {u"following_count"_s, u"user.info.stats"_s},
        {u"likes_count"_s, u"user.info.stats"_s},
        {u"video_count"_s, u"user.info.stats"_s},
    };
    return scopes.value(field);
}
} // namespace

void TikTokUserInfo::registerRoutes(Router &router) {
    router.add("GET", u"/tiktok/v2/user/info/"_s, u"tiktok"_s, u"user.info"_s,
               [this](const ExchangePtr &e) { info(e); });
    router.add("GET", u"/tiktok/avatar/{file}"_s, u"tiktok"_s, u"avatar"_s,
               [this](const ExchangePtr &e) { avatar(e); });
}

// The avatars user info points at: TikTok's CDN serves JPEGs; the sandbox draws each
// test user's initials (an SVG, so it needs no image library), so a desktop shows a
// picture offline too.
void TikTokUserInfo::avatar(const ExchangePtr &e) {
    QString name = e->param(u"file"_s); // usernames may hold dots: drop only ".svg"
    if (name.endsWith(u".svg"_s))
        name.chop(4);
    const User *user = nullptr;
    for (const User &candidate : m_core.state.users)
        if (candidate.username == name)
            user = &candidate;
    if (!user) {
        e->respond(404, QByteArray("no such avatar"), "text/plain");
        return;
    }
    const QStringList words = user->displayName.split(u' ', Qt::SkipEmptyParts);
    QString initials;
    for (const QString &word : words.mid(0, 2))
        initials += word.left(1).toUpper();
    // Plain hex colours: QtSvg (what Qt applications draw SVG with) has no hsl().
    static const char *const colours[] = {"#2e7d32", "#1565c0", "#6a1b9a",
                                          "#c62828", "#ef6c00", "#00838f"};
    const QString colour = QLatin1String(colours[qHash(user->openId) % std::size(colours)]);
    const QString svg =
        QStringLiteral(
            R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">)svg"
            R"svg(<circle cx="50" cy="50" r="50" fill="%1"/>)svg"
            R"svg(<text x="50" y="63" font-family="sans-serif" font-size="38" fill="#fff" )svg"
            R"svg(text-anchor="middle">%2</text></svg>)svg")
            .arg(colour, initials.toHtmlEscaped());
    e->respond(200, svg.toUtf8(), "image/svg+xml");
}

void TikTokUserInfo::info(const ExchangePtr &e) {
    const auto token = m_core.authenticate(e, QString());
    if (!token || m_core.rateLimited(e, u"user_info"_s, token->token, kUserInfoPerMinute))
        return;
    const QStringList fields = e->queryValue(u"fields"_s).split(u',', Qt::SkipEmptyParts);
    if (fields.isEmpty()) {
        m_core.apiError(e, 400, u"invalid_param"_s, u"fields is required."_s);
        return;
    }
    for (const QString &field : fields) {
        const QString scope = scopeOf(field.trimmed());
        if (scope.isEmpty()) {
            m_core.apiError(e, 400, u"invalid_param"_s, u"Unknown field: %1."_s.arg(field));
            return;
        }
        if (!token->scopes.contains(scope)) {
            m_core.apiError(e, 401, u"scope_not_authorized"_s,
                            u"The field %1 needs the scope %2, which the user did not grant."_s.arg(
                                field, scope));
            return;
        }
    }
    const User *user = m_core.state.userById(token->userId);
    if (!user) {
        m_core.apiError(e, 401, u"access_token_invalid"_s, u"The user no longer exists."_s);
        return;
    }
    // Counts include what was published through the sandbox.
    qint64 published = 0;
    for (const Post &p : m_core.state.posts)
        published += p.userId == user->id && p.status == u"PUBLISH_COMPLETE"_s;
    const QString avatar = m_core.baseUrl() + u"/avatar/"_s + user->username + u".svg"_s;
    const QJsonObject all{
        {u"open_id"_s, user->openId},
        {u"union_id"_s, user->unionId},
        {u"avatar_url"_s, avatar},
        {u"avatar_url_100"_s, avatar},
        {u"avatar_large_url"_s, avatar},
        {u"display_name"_s, user->displayName},
        {u"bio_description"_s, user->bio},
        {u"profile_deep_link"_s, u"https://vm.tiktok.com/sandbox-%1/"_s.arg(user->username)},
        {u"is_verified"_s, user->verified},
        {u"username"_s, user->username},
        {u"follower_count"_s, double(user->followers)},
        {u"following_count"_s, double(user->following)},
        {u"likes_count"_s, double(user->likes)},
        {u"video_count"_s, double(user->videos + published)},
    };
    QJsonObject out;
    for (const QString &field : fields)
        out.insert(field.trimmed(), all.value(field.trimmed()));
    m_core.apiOk(e, {{u"user"_s, out}});
}

} // namespace sandbox::tiktok
