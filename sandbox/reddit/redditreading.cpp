#include "redditreading.h"

#include <QJsonArray>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace sandbox {

namespace {

QString plain(const RedditCall *call, const QString &value) {
    return call ? call->text(value) : value;
}

QJsonValue nullable(const QString &value) {
    return value.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

constexpr int kMaxGrownComments = 200;

const QStringList &commenters() {
    static const QStringList names = {QStringLiteral("sbx_bob"), QStringLiteral("sbx_carol"),
                                      QStringLiteral("curious_reader"),
                                      QStringLiteral("lurker_9000")};
    return names;
}

} // namespace

QJsonObject RedditReading::listing(const QJsonArray &children, const QString &after,
                                   const QString &before) {
    return {{QStringLiteral("kind"), QStringLiteral("Listing")},
            {QStringLiteral("data"), QJsonObject{{QStringLiteral("after"), nullable(after)},
                                                 {QStringLiteral("before"), nullable(before)},
                                                 {QStringLiteral("dist"), children.size()},
                                                 {QStringLiteral("modhash"), QString()},
                                                 {QStringLiteral("geo_filter"), QString()},
                                                 {QStringLiteral("children"), children}}}};
}

QJsonObject RedditReading::postThing(const RedditPost &post, const QString &base,
                                     const RedditCall *call) {
    const bool isSelf = post.kind == QLatin1String("self");
    const QString permalink = post.permalink();
    const QString url = isSelf ? base + permalink : post.url;
    const int votes = post.ups + post.downs;
    const double ratio = votes > 0 ? std::round(100.0 * post.ups / votes) / 100.0 : 1.0;
    QString hint;
    if (post.kind == QLatin1String("image"))
        hint = QStringLiteral("image");
    else if (post.kind == QLatin1String("video") || post.kind == QLatin1String("videogif"))
        hint = QStringLiteral("hosted:video");
    else if (post.kind == QLatin1String("link"))
        hint = QStringLiteral("link");
    else
        hint = QStringLiteral("self");
    QJsonObject data{
        {QStringLiteral("id"), post.id},
        {QStringLiteral("name"), post.fullname()},
        {QStringLiteral("title"), plain(call, post.title)},
        {QStringLiteral("selftext"), plain(call, post.selftext)},
        // Like every text field, the url is HTML-escaped ("&amp;") unless raw_json=1.
        {QStringLiteral("url"), plain(call, url)},
        {QStringLiteral("permalink"), permalink},
        {QStringLiteral("subreddit"), post.subreddit},
        {QStringLiteral("subreddit_name_prefixed"), QString(QStringLiteral("r/") + post.subreddit)},
        {QStringLiteral("author"), post.author},
        {QStringLiteral("author_fullname"), QString(QStringLiteral("t2_") + post.authorId)},
        {QStringLiteral("created_utc"), double(post.createdUtc)},
        {QStringLiteral("created"), double(post.createdUtc)},
        {QStringLiteral("score"), post.score},
        {QStringLiteral("ups"), post.ups},
        {QStringLiteral("downs"), 0}, // Reddit always reports 0 downs
        {QStringLiteral("upvote_ratio"), ratio},
        {QStringLiteral("num_comments"), int(post.comments.size())},
        {QStringLiteral("removed_by_category"), nullable(post.removedByCategory)},
        {QStringLiteral("over_18"), post.nsfw},
        {QStringLiteral("spoiler"), post.spoiler},
        {QStringLiteral("send_replies"), post.sendReplies},
        {QStringLiteral("is_self"), isSelf},
        {QStringLiteral("is_video"),
         post.kind == QLatin1String("video") || post.kind == QLatin1String("videogif")},
        {QStringLiteral("post_hint"), hint},
        {QStringLiteral("domain"),
         isSelf ? QString(QStringLiteral("self.") + post.subreddit) : QUrl(post.url).host()},
        {QStringLiteral("link_flair_text"), nullable(plain(call, post.flairText))},
        {QStringLiteral("link_flair_template_id"), nullable(post.flairId)},
    };
    return {{QStringLiteral("kind"), QStringLiteral("t3")}, {QStringLiteral("data"), data}};
}

void RedditReading::addComment(RedditState &state, RedditPost &post, const QString &author,
                               const QString &body, qint64 now) {
    post.comments.append(RedditComment{state.newCommentId(), author, body, now, 1});
}

void RedditReading::registerRoutes(Router &router) {
    m_gate.add(router, "GET", QStringLiteral("/reddit/api/v1/me"), QStringLiteral("account.me"),
               QStringLiteral("identity"), [this](const RedditCall &c) { me(c); });
    m_gate.add(router, "GET", QStringLiteral("/reddit/user/{name}/submitted"),
               QStringLiteral("listing.submitted"), QStringLiteral("history"),
               [this](const RedditCall &c) { submitted(c); });
    m_gate.add(router, "GET", QStringLiteral("/reddit/api/info"), QStringLiteral("listing.info"),
               QStringLiteral("read"), [this](const RedditCall &c) { info(c); });
    for (const QString &path :
         {QStringLiteral("/reddit/comments/{id}"), QStringLiteral("/reddit/comments/{id}/{slug}")})
        m_gate.add(router, "GET", path, QStringLiteral("listing.comments"), QStringLiteral("read"),
                   [this](const RedditCall &c) { comments(c); });
}

void RedditReading::me(const RedditCall &call) {
    if (!call.user) {
        // Application-only tokens have no account behind them.
        call.respond(403, redditError(403, QStringLiteral("Forbidden")));
        return;
    }
    const RedditUser &u = *call.user;
    call.respond(200, QJsonObject{{QStringLiteral("name"), u.name},
                                  {QStringLiteral("id"), u.id},
                                  {QStringLiteral("created_utc"), double(u.createdUtc)},
                                  {QStringLiteral("created"), double(u.createdUtc)},
                                  {QStringLiteral("link_karma"), u.linkKarma},
                                  {QStringLiteral("comment_karma"), u.commentKarma},
                                  {QStringLiteral("total_karma"), u.linkKarma + u.commentKarma},
                                  {QStringLiteral("is_suspended"), false},
                                  {QStringLiteral("has_verified_email"), true}});
}

void RedditReading::submitted(const RedditCall &call) {
    const RedditUser *user = m_env.state.user(call.exchange->param(QStringLiteral("name")));
    if (!user) {
        call.respond(404, redditError(404, QStringLiteral("Not Found")));
        return;
    }
    bool ok = false;
    int limit = call.exchange->queryValue(QStringLiteral("limit")).toInt(&ok);
    if (!ok || limit <= 0)
        limit = 25;
    limit = qMin(limit, 100);
    const QString after = call.exchange->queryValue(QStringLiteral("after"));
    const QString before = call.exchange->queryValue(QStringLiteral("before"));
    // Newest first.
    QList<const RedditPost *> mine;
    for (const auto &p : m_env.state.posts)
        if (p.authorId == user->id)
            mine.append(&p);
    std::stable_sort(mine.begin(), mine.end(), [](const RedditPost *a, const RedditPost *b) {
        return a->createdUtc != b->createdUtc ? a->createdUtc > b->createdUtc : a->id > b->id;
    });
    qsizetype from = 0;
    qsizetype to = mine.size();
    if (!after.isEmpty()) {
        from = mine.size();
        for (qsizetype i = 0; i < mine.size(); ++i)
            if (mine[i]->fullname() == after)
                from = i + 1;
    } else if (!before.isEmpty()) {
        to = 0;
        for (qsizetype i = 0; i < mine.size(); ++i)
            if (mine[i]->fullname() == before)
                to = i;
        from = qMax<qsizetype>(0, to - limit);
    }
    QJsonArray children;
    qsizetype i = from;
    for (; i < to && children.size() < limit; ++i)
        children.append(postThing(*mine[i], m_env.base(), &call));
    const QString nextAfter = (i < mine.size() && i > from) ? mine[i - 1]->fullname() : QString();
    const QString prevBefore = from > 0 && i > from ? mine[from]->fullname() : QString();
    call.respond(200, listing(children, nextAfter, prevBefore));
}

void RedditReading::info(const RedditCall &call) {
    const QStringList ids =
        call.exchange->queryValue(QStringLiteral("id")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (ids.size() > 100) {
        // More than 100 fullnames: Reddit refuses the request.
        call.respond(400, redditError(400, QStringLiteral("Bad Request")));
        return;
    }
    QJsonArray children;
    for (const QString &raw : ids) {
        const QString id = raw.trimmed();
        if (!id.startsWith(QLatin1String("t3_")))
            continue; // only links are stored here; unknown things are skipped, as on Reddit
        if (const RedditPost *p = m_env.state.post(id))
            children.append(postThing(*p, m_env.base(), &call));
    }
    call.respond(200, listing(children, {}, {}));
}

void RedditReading::comments(const RedditCall &call) {
    const RedditPost *post = m_env.state.post(call.exchange->param(QStringLiteral("id")));
    if (!post) {
        call.respond(404, redditError(404, QStringLiteral("Not Found")));
        return;
    }
    QJsonArray tree;
    // Newest comments last in storage; Reddit's default sort ("confidence") is
    // approximated by newest first.
    for (qsizetype i = post->comments.size() - 1; i >= 0; --i) {
        const RedditComment &c = post->comments[i];
        tree.append(QJsonObject{
            {QStringLiteral("kind"), QStringLiteral("t1")},
            {QStringLiteral("data"),
             QJsonObject{{QStringLiteral("id"), c.id},
                         {QStringLiteral("name"), QString(QStringLiteral("t1_") + c.id)},
                         {QStringLiteral("author"), c.author},
                         {QStringLiteral("body"), call.text(c.body)},
                         {QStringLiteral("created_utc"), double(c.createdUtc)},
                         {QStringLiteral("score"), c.score},
                         {QStringLiteral("parent_id"), post->fullname()},
                         {QStringLiteral("link_id"), post->fullname()},
                         {QStringLiteral("permalink"),
                          QString(post->permalink() + c.id + QLatin1Char('/'))},
                         {QStringLiteral("replies"), QString()},
                         {QStringLiteral("depth"), 0}}}});
    }
    const QJsonArray postListing{postThing(*post, m_env.base(), &call)};
    call.respond(200,
                 QJsonDocument(QJsonArray{listing(postListing, {}, {}), listing(tree, {}, {})}));
}

void RedditReading::tick() {
    const qint64 now = m_env.now();
    bool any = false;
    for (auto &post : m_env.state.posts) {
        if (!post.removedByCategory.isEmpty())
            continue;
        const qint64 steps = (now - post.grownUntil) / 60;
        if (steps <= 0)
            continue;
        const qint64 minutesBefore = (post.grownUntil - post.createdUtc) / 60;
        post.grownUntil += steps * 60;
        const qint64 minutesAfter = minutesBefore + steps;
        // Two upvotes a minute, a downvote every fourth minute.
        const qint64 ups = 2 * steps;
        const qint64 downs = minutesAfter / 4 - minutesBefore / 4;
        post.ups = int(qMin<qint64>(post.ups + ups, 1000000000));
        post.downs = int(qMin<qint64>(post.downs + downs, 1000000000));
        post.score = post.ups - post.downs;
        qint64 newComments = minutesAfter / 5 - minutesBefore / 5;
        newComments = qMin<qint64>(newComments, kMaxGrownComments - post.comments.size());
        for (qint64 i = 0; i < newComments; ++i) {
            const QString author = commenters().at(int(post.comments.size() % commenters().size()));
            addComment(m_env.state, post, author,
                       QStringLiteral("Comment #%1 on \"%2\"")
                           .arg(post.comments.size() + 1)
                           .arg(post.title.left(40)),
                       post.createdUtc + (minutesBefore / 5 + i + 1) * 300);
        }
        any = true;
    }
    if (any)
        m_env.changed();
}

} // namespace sandbox
