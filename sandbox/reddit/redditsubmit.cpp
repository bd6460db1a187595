#include "redditsubmit.h"

#include "redditmedia.h"

#include <QJsonArray>
#include <QUrl>

namespace sandbox {

namespace {

constexpr int kMaxTitle = 300;
constexpr int kMaxSelfText = 40000;
constexpr int kMaxFlairText = 64;

bool truthy(const QString &value) {
    const QString v = value.toLower();
    return v == QLatin1String("true") || v == QLatin1String("1") || v == QLatin1String("on") ||
           v == QLatin1String("yes");
}

QJsonValue fieldValue(const QString &field) {
    return field.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(field);
}

} // namespace

const QStringList &RedditSubmit::bannedDomains() {
    static const QStringList domains = {QStringLiteral("banned.example"),
                                        QStringLiteral("spam.example")};
    return domains;
}

QString RedditSubmit::rateLimitMessage(const QString &unit, int amount) {
    // "you are doing that too much. try again in 6 minutes." with the unit Reddit picked;
    // singular for one ("1 minute"), as r2's formatting does.
    QString word = unit;
    if (amount == 1 && word.endsWith(QLatin1Char('s')))
        word.chop(1);
    return QStringLiteral("you are doing that too much. try again in %1 %2.").arg(amount).arg(word);
}

void RedditSubmit::registerRoutes(Router &router) {
    m_gate.add(router, "POST", QStringLiteral("/reddit/api/submit"), QStringLiteral("post.submit"),
               QStringLiteral("submit"), [this](const RedditCall &c) { submit(c); });
}

void RedditSubmit::fail(const RedditCall &call, const Failure &failure, bool validateOnSubmit,
                        double rateLimitSecs) const {
    // With validate_on_submit=true, Reddit reports field validation failures (title, url)
    // as HTTP 400; everything else keeps the 200 + json.errors shape.
    static const QStringList validationCodes = {
        QStringLiteral("NO_TEXT"), QStringLiteral("TOO_LONG"), QStringLiteral("NO_URL"),
        QStringLiteral("BAD_URL")};
    if (validateOnSubmit && validationCodes.contains(failure.code)) {
        call.respond(400, QJsonObject{{QStringLiteral("fields"), QJsonArray{failure.field}},
                                      {QStringLiteral("explanation"), failure.message},
                                      {QStringLiteral("error_type"),
                                       QStringLiteral("SUBMIT_VALIDATION_ERROR")},
                                      {QStringLiteral("message"), QStringLiteral("Bad Request")},
                                      {QStringLiteral("reason"), failure.code}});
        return;
    }
    QJsonObject json{{QStringLiteral("errors"), QJsonArray{QJsonArray{failure.code, failure.message,
                                                                      fieldValue(failure.field)}}}};
    if (rateLimitSecs >= 0)
        json.insert(QStringLiteral("ratelimit"), rateLimitSecs);
    call.respond(200, QJsonObject{{QStringLiteral("json"), json}});
}

std::optional<RedditSubmit::Failure>
RedditSubmit::validate(const RedditCall &call, const QUrlQuery &form, RedditPost *post) const {
    auto value = [&form](const char *name) {
        return form.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
    };
    if (!call.user)
        return Failure{
            QStringLiteral("USER_REQUIRED"), QStringLiteral("Please log in to do that."), {}};
    static const QStringList kinds = {QStringLiteral("self"), QStringLiteral("link"),
                                      QStringLiteral("image"), QStringLiteral("video"),
                                      QStringLiteral("videogif")};
    const QString kind = value("kind");
    if (!kinds.contains(kind))
        return Failure{QStringLiteral("INVALID_OPTION"), QStringLiteral("that option is not valid"),
                       QStringLiteral("kind")};
    QString srName = value("sr");
    if (srName.startsWith(QLatin1String("r/")))
        srName = srName.mid(2);
    if (srName.trimmed().isEmpty())
        return Failure{QStringLiteral("SUBREDDIT_REQUIRED"),
                       QStringLiteral("please enter a subreddit"), QStringLiteral("sr")};
    const RedditSubreddit *sr = m_env.state.subreddit(srName);
    if (!sr)
        return Failure{QStringLiteral("SUBREDDIT_NOEXIST"),
                       QStringLiteral("that subreddit doesn't exist"), QStringLiteral("sr")};
    if (sr->restricted)
        return Failure{QStringLiteral("SUBREDDIT_NOTALLOWED"),
                       QStringLiteral("you aren't allowed to post there."), QStringLiteral("sr")};
    const QString title = value("title");
    if (title.trimmed().isEmpty())
        return Failure{QStringLiteral("NO_TEXT"), QStringLiteral("we need something here"),
                       QStringLiteral("title")};
    if (title.size() > kMaxTitle)
        return Failure{QStringLiteral("TOO_LONG"), QStringLiteral("this is too long (max: 300)"),
                       QStringLiteral("title")};
    const bool isSelf = kind == QLatin1String("self");
    // Reddit's other length limits: self text 40000 characters, flair text 64.
    if (isSelf && value("text").size() > kMaxSelfText)
        return Failure{QStringLiteral("TOO_LONG"), QStringLiteral("this is too long (max: 40000)"),
                       QStringLiteral("text")};
    if (value("flair_text").size() > kMaxFlairText)
        return Failure{QStringLiteral("TOO_LONG"), QStringLiteral("this is too long (max: 64)"),
                       QStringLiteral("flair_text")};
    // A flair_id must be one of the subreddit's templates. Mod-only templates are refused
    // too: no sandbox test user moderates a subreddit.
    const QString flairId = value("flair_id").trimmed();
    const RedditFlairTemplate *flair = flairId.isEmpty() ? nullptr : sr->flair(flairId);
    if (!flairId.isEmpty() && (!flair || flair->modOnly))
        return Failure{QStringLiteral("BAD_FLAIR_TEMPLATE_ID"),
                       QStringLiteral("Flair template not found"), QStringLiteral("flair")};
    if (isSelf && !sr->allowSelf)
        return Failure{QStringLiteral("NO_SELFS"),
                       QStringLiteral("This community doesn't allow text posts."),
                       QStringLiteral("sr")};
    if (!isSelf && !sr->allowLinks)
        return Failure{QStringLiteral("NO_LINKS"),
                       QStringLiteral("This community only allows text posts."),
                       QStringLiteral("sr")};
    const QString url = value("url").trimmed();
    if (!isSelf) {
        if (url.isEmpty())
            return Failure{QStringLiteral("NO_URL"), QStringLiteral("a url is required"),
                           QStringLiteral("url")};
        const QUrl parsed(url, QUrl::StrictMode);
        if (!parsed.isValid() || parsed.host().isEmpty() ||
            (parsed.scheme() != QLatin1String("http") && parsed.scheme() != QLatin1String("https")))
            return Failure{QStringLiteral("BAD_URL"), QStringLiteral("you should check that url"),
                           QStringLiteral("url")};
        const QString host = parsed.host().toLower();
        for (const QString &banned : bannedDomains())
            if (host == banned || host.endsWith(QLatin1Char('.') + banned))
                return Failure{QStringLiteral("DOMAIN_BANNED"),
                               QStringLiteral("%1 is not allowed on reddit").arg(host),
                               QStringLiteral("url")};
        if (kind != QLatin1String("link")) {
            // Native media: the url must be a completed upload of the right type.
            const RedditAsset *asset = m_env.state.assetByUrl(url);
            const bool image = kind == QLatin1String("image");
            if (!asset || !asset->uploaded ||
                !asset->mimeType.startsWith(image ? QLatin1String("image/")
                                                  : QLatin1String("video/")))
                return Failure{QStringLiteral("BAD_URL"),
                               QStringLiteral("you should check that url"), QStringLiteral("url")};
            if (kind == QLatin1String("video")) {
                const QString poster = value("video_poster_url").trimmed();
                if (poster.isEmpty())
                    return Failure{QStringLiteral("NO_URL"), QStringLiteral("a url is required"),
                                   QStringLiteral("video_poster_url")};
                const RedditAsset *posterAsset = m_env.state.assetByUrl(poster);
                if (!posterAsset || !posterAsset->uploaded ||
                    !posterAsset->mimeType.startsWith(QLatin1String("image/")))
                    return Failure{QStringLiteral("BAD_URL"),
                                   QStringLiteral("you should check that url"),
                                   QStringLiteral("video_poster_url")};
                post->posterUrl = poster;
            }
        }
        if (!truthy(value("resubmit")))
            for (const auto &p : m_env.state.posts)
                if (p.url == url && p.subreddit.compare(sr->name, Qt::CaseInsensitive) == 0)
                    return Failure{QStringLiteral("ALREADY_SUB"),
                                   QStringLiteral("that link has already been submitted"),
                                   QStringLiteral("url")};
    }
    if (sr->dailyQuota > 0) {
        int recent = 0;
        for (const auto &p : m_env.state.posts)
            if (p.authorId == call.user->id && p.subreddit == sr->name &&
                p.createdUtc > m_env.now() - 86400)
                ++recent;
        for (const auto &m : m_env.state.mediaSubmissions)
            if (m.state == QLatin1String("processing") && m.post.authorId == call.user->id &&
                m.post.subreddit == sr->name)
                ++recent;
        if (recent >= sr->dailyQuota)
            return Failure{QStringLiteral("QUOTA_FILLED"),
                           QStringLiteral("You've submitted too many links recently. Please try "
                                          "again in an hour."),
                           QStringLiteral("ratelimit")};
    }
    post->subreddit = sr->name;
    post->authorId = call.user->id;
    post->author = call.user->name;
    post->kind = kind;
    post->title = title;
    post->selftext = isSelf ? value("text") : QString();
    post->url = isSelf ? QString() : url;
    // With a template, the post shows the template's text, or the poster's own words where
    // the template is text_editable. Without one, flair_text is kept as given.
    post->flairId = flair ? flair->id : QString();
    const QString flairText = value("flair_text");
    if (flair)
        post->flairText =
            flair->textEditable && !flairText.trimmed().isEmpty() ? flairText : flair->text;
    else
        post->flairText = flairText;
    post->nsfw = truthy(value("nsfw"));
    post->spoiler = truthy(value("spoiler"));
    post->sendReplies =
        form.hasQueryItem(QStringLiteral("sendreplies")) ? truthy(value("sendreplies")) : true;
    return std::nullopt;
}

void RedditSubmit::submit(const RedditCall &call) {
    const QUrlQuery form = call.exchange->formBody();
    const bool validateOnSubmit =
        truthy(form.queryItemValue(QStringLiteral("validate_on_submit"), QUrl::FullyDecoded));
    auto &settings = m_env.state.settings;
    if (call.user && settings.forcedRateLimitTimes > 0) {
        --settings.forcedRateLimitTimes;
        m_env.changed();
        double secs = settings.forcedRateLimitAmount;
        if (settings.forcedRateLimitUnit == QLatin1String("minutes"))
            secs *= 60;
        else if (settings.forcedRateLimitUnit == QLatin1String("milliseconds"))
            secs /= 1000;
        fail(call,
             {QStringLiteral("RATELIMIT"),
              rateLimitMessage(settings.forcedRateLimitUnit, settings.forcedRateLimitAmount),
              QStringLiteral("ratelimit")},
             false, secs);
        return;
    }
    RedditPost post;
    if (const auto failure = validate(call, form, &post)) {
        fail(call, *failure, validateOnSubmit);
        return;
    }
    post.createdUtc = m_env.now();
    post.grownUntil = post.createdUtc;
    if (post.kind == QLatin1String("self") || post.kind == QLatin1String("link")) {
        post.id = m_env.state.newPostId();
        m_env.state.posts.append(post);
        m_env.changed();
        call.respond(
            200,
            QJsonObject{{QStringLiteral("json"),
                         QJsonObject{{QStringLiteral("errors"), QJsonArray()},
                                     {QStringLiteral("data"),
                                      QJsonObject{{QStringLiteral("url"),
                                                   QString(m_env.base() + post.permalink())},
                                                  {QStringLiteral("drafts_count"), 0},
                                                  {QStringLiteral("id"), post.id},
                                                  {QStringLiteral("name"), post.fullname()}}}}}});
        return;
    }
    const QString websocketUrl = m_media.queue(post);
    const QString submittedPage =
        m_env.base() + QStringLiteral("/user/") + post.author + QStringLiteral("/submitted/");
    call.respond(
        200, QJsonObject{
                 {QStringLiteral("json"),
                  QJsonObject{{QStringLiteral("errors"), QJsonArray()},
                              {QStringLiteral("data"),
                               QJsonObject{{QStringLiteral("user_submitted_page"), submittedPage},
                                           {QStringLiteral("websocket_url"), websocketUrl}}}}}});
}

} // namespace sandbox
