#include "redditflairs.h"

#include <QJsonArray>

namespace sandbox {

QJsonObject RedditFlairs::templateJson(const RedditFlairTemplate &flair, const RedditCall *call) {
    const QString text = call ? call->text(flair.text) : flair.text;
    // Reddit's link_flair_v2 entry. The sandbox's templates are plain text: "richtext" is
    // empty and "type" is "text" (a richtext template would carry its parts there).
    return {{QStringLiteral("id"), flair.id},
            {QStringLiteral("type"), QStringLiteral("text")},
            {QStringLiteral("text"), text},
            {QStringLiteral("text_editable"), flair.textEditable},
            {QStringLiteral("mod_only"), flair.modOnly},
            {QStringLiteral("allowable_content"), QStringLiteral("all")},
            {QStringLiteral("max_emojis"), 10},
            {QStringLiteral("text_color"), flair.textColor},
            {QStringLiteral("background_color"), flair.backgroundColor},
            {QStringLiteral("css_class"), QString()},
            {QStringLiteral("richtext"), QJsonArray()}};
}

void RedditFlairs::registerRoutes(Router &router) {
    m_gate.add(router, "GET", QStringLiteral("/reddit/r/{subreddit}/api/link_flair_v2"),
               QStringLiteral("flair.list"), QStringLiteral("flair"),
               [this](const RedditCall &c) { linkFlairs(c); });
}

void RedditFlairs::linkFlairs(const RedditCall &call) {
    const RedditSubreddit *sr =
        m_env.state.subreddit(call.exchange->param(QStringLiteral("subreddit")));
    if (!sr) {
        // A subreddit that does not exist: Reddit's generic 404.
        call.respond(404, redditError(404, QStringLiteral("Not Found")));
        return;
    }
    QJsonArray templates;
    for (const auto &flair : sr->flairs)
        templates.append(templateJson(flair, &call));
    call.respond(200, QJsonDocument(templates));
}

} // namespace sandbox
