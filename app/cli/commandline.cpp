#include "commandline.h"

#include "clicontext.h"
#include "exitcodes.h"
#include "instagramdraft.h"
#include "jobs/publishingsession.h"
#include "net/relayclient.h"
#include "oauth/connectflow.h"
#include "publishtargets.h"
#include "store/desktopdatabase.h"
#include "tiktokdraft.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QProcessEnvironment>
#include <QScopeGuard>
#include <QTextStream>
#include <QTimer>

#include <memory>

namespace huntaze::cli {

namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("huntaze-cli", text);
}

QTextStream &out() {
    static QTextStream stream(stdout);
    return stream;
}
QTextStream &err() {
    static QTextStream stream(stderr);
    return stream;
}

// Everything a command needs once paired: the database, the relay and the queue.
struct Session {
    std::unique_ptr<store::DesktopDatabase> database;
    std::unique_ptr<net::RelayClient> relay;
    QJsonObject platforms;
    std::unique_ptr<jobs::PublishingSession> publishing;
};

class Command {
public:
    explicit Command(bool json)
        : m_json(json) {}

    int fail(const Error &error, int code) {
        if (m_json)
            out() << QJsonDocument(QJsonObject{{QStringLiteral("error"), error.code},
                                               {QStringLiteral("message"), error.message}})
                         .toJson(QJsonDocument::Compact)
                  << Qt::endl;
        else
            err() << tr("huntaze: %1").arg(error.message) << Qt::endl;
        return code;
    }

    // Resolves the pairing, opens the database, asks the relay for its platforms.
    std::unique_ptr<Session> open(const QString &settingsFile, int *exitCode) {
        std::optional<Result<Connection>> connection;
        resolveConnection(settingsFile, [&](Result<Connection> c) { connection = std::move(c); });
        waitFor([&] { return connection.has_value(); });
        if (!*connection) {
            *exitCode = fail(connection->error(), NotPaired);
            return nullptr;
        }
        auto session = std::make_unique<Session>();
        session->database = std::make_unique<store::DesktopDatabase>((*connection)->databaseUrl);
        session->database->start();
        session->relay = std::make_unique<net::RelayClient>((*connection)->relayUrl);
        session->relay->setCredential((*connection)->credential);
        std::optional<Result<QJsonObject>> platforms;
        session->relay->platforms([&](const Result<QJsonObject> &p) { platforms = p; });
        waitFor([&] { return platforms.has_value(); });
        if (!*platforms) {
            *exitCode = fail(platforms->error(), Unavailable);
            return nullptr;
        }
        session->platforms = platforms->value();
        session->publishing = std::make_unique<jobs::PublishingSession>(
            session->database.get(), session->relay.get(),
            jobs::PublishingSession::apiBasesFrom(session->platforms));
        return session;
    }

    Result<QList<QJsonObject>> query(Session &session, const QString &sql,
                                     const QList<store::PgParam> &params = {}) {
        std::optional<Result<QList<QJsonObject>>> rows;
        session.database->query(sql, params,
                                [&](const Result<QList<QJsonObject>> &r) { rows = r; });
        waitFor([&] { return rows.has_value(); });
        return *rows;
    }

    template <typename Predicate> static void waitFor(Predicate done) {
        while (!done())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    }

    bool json() const { return m_json; }

private:
    bool m_json;
};

const QString kAccountsSql = QStringLiteral(
    "SELECT id, provider, display_name, username, status, scope, "
    "to_char(access_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS "
    "access_expires_at FROM oauth_accounts ORDER BY provider, id");

int accounts(const QStringList &arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Lists the connected accounts."));
    parser.addOptions({{QStringLiteral("json"), tr("Print JSON.")},
                       {QStringLiteral("settings"), tr("Settings file."), QStringLiteral("FILE")}});
    parser.addHelpOption();
    parser.process(arguments);
    Command command(parser.isSet(QStringLiteral("json")));
    int code = Ok;
    auto session = command.open(parser.value(QStringLiteral("settings")), &code);
    if (!session)
        return code;
    auto rows = command.query(*session, kAccountsSql);
    if (!rows)
        return command.fail(rows.error(), Unavailable);
    // The Instagram professional accounts chosen under each Facebook login.
    auto chosen =
        command.query(*session, QStringLiteral("SELECT account_id, ig_business_id, username, "
                                               "page_name, access_level FROM instagram_accounts "
                                               "ORDER BY username"));
    if (!chosen)
        return command.fail(chosen.error(), Unavailable);
    for (QJsonObject &row : *rows) {
        QJsonArray instagram;
        for (const QJsonObject &ig : *chosen)
            if (ig.value(QStringLiteral("account_id")) == row.value(QStringLiteral("id")))
                instagram.append(ig);
        if (!instagram.isEmpty())
            row.insert(QStringLiteral("instagram_accounts"), instagram);
    }
    if (command.json()) {
        QJsonArray list;
        for (const QJsonObject &row : *rows)
            list.append(row);
        out() << QJsonDocument(list).toJson(QJsonDocument::Compact) << Qt::endl;
        return Ok;
    }
    for (const QJsonObject &row : *rows) {
        out() << row.value(QStringLiteral("provider")).toString().leftJustified(10)
              << row.value(QStringLiteral("username")).toString().leftJustified(24)
              << row.value(QStringLiteral("display_name")).toString().leftJustified(24)
              << row.value(QStringLiteral("status")).toString() << Qt::endl;
        for (const QJsonValue &ig : row.value(QStringLiteral("instagram_accounts")).toArray())
            out() << QStringLiteral("  └ @%1 (Page %2)%3")
                         .arg(ig[QStringLiteral("username")].toString(),
                              ig[QStringLiteral("page_name")].toString(),
                              ig[QStringLiteral("access_level")].toString() ==
                                      QLatin1String("read_only")
                                  ? tr(": cannot publish, reconnect and allow publishing")
                                  : QString())
                  << Qt::endl;
    }
    if (rows->isEmpty())
        out() << tr("No accounts yet: huntaze connect tiktok") << Qt::endl;
    return Ok;
}

int connectAccount(const QStringList &arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Connects an account: opens the platform's sign-in page "
                                        "in the browser, or prints its address."));
    parser.addPositionalArgument(QStringLiteral("provider"), QStringLiteral("tiktok"));
    parser.addOptions({{QStringLiteral("json"), tr("Print JSON.")},
                       {QStringLiteral("no-browser"), tr("Only print the sign-in address.")},
                       {QStringLiteral("settings"), tr("Settings file."), QStringLiteral("FILE")}});
    parser.addHelpOption();
    parser.process(arguments);
    Command command(parser.isSet(QStringLiteral("json")));
    const QString provider = parser.positionalArguments().value(0);
    if (provider != QLatin1String("tiktok"))
        return command.fail({QStringLiteral("cli"),
                             QStringLiteral("usage"),
                             tr("Usage: huntaze connect tiktok"),
                             {},
                             0,
                             false,
                             {}},
                            Usage);
    int code = Ok;
    auto session = command.open(parser.value(QStringLiteral("settings")), &code);
    if (!session)
        return code;
    const QJsonObject entry = session->platforms.value(provider).toObject();
    if (entry.isEmpty())
        return command.fail({QStringLiteral("cli"),
                             QStringLiteral("not_configured"),
                             tr("The relay does not broker %1.").arg(provider),
                             {},
                             0,
                             false,
                             {}},
                            ConnectFailed);
    const bool browser =
        !parser.isSet(QStringLiteral("no-browser")) &&
        !QProcessEnvironment::systemEnvironment().value(QStringLiteral("DISPLAY")).isEmpty();
    oauth::ConnectFlow flow(*session->relay,
                            {provider, entry.value(QStringLiteral("client_id")).toString(),
                             QUrl(entry.value(QStringLiteral("authorize_url")).toString()), 0,
                             QUrl(entry.value(QStringLiteral("redirect_uri")).toString())},
                            [browser, &command](const QUrl &url) {
                                if (!command.json())
                                    err() << tr("Sign in and allow Huntaze at:") << Qt::endl;
                                out() << url.toString() << Qt::endl;
                                if (browser)
                                    QProcess::startDetached(QStringLiteral("xdg-open"),
                                                            {url.toString()});
                                return true; // printing it is enough: the listener waits either way
                            });
    std::optional<QJsonObject> connected;
    std::optional<Error> failed;
    QObject::connect(&flow, &oauth::ConnectFlow::connected,
                     [&](const QJsonObject &account) { connected = account; });
    QObject::connect(&flow, &oauth::ConnectFlow::failed, [&](const Error &e) { failed = e; });
    flow.start();
    Command::waitFor([&] { return connected.has_value() || failed.has_value(); });
    if (failed)
        return command.fail(*failed, ConnectFailed);
    out() << (command.json()
                  ? QString::fromUtf8(QJsonDocument(*connected).toJson(QJsonDocument::Compact))
                  : tr("Connected %1.")
                        .arg(connected->value(QStringLiteral("display_name")).toString()))
          << Qt::endl;
    return Ok;
}

// Runs the queue until publication `id` settles (or, for id 0, until nothing is due).
int runQueue(Command &command, Session &session, qint64 id) {
    jobs::PublicationQueue *queue = session.publishing->queue();
    int lastPercent = -1;
    // Only while this call runs: the lambda holds its locals, and a command following
    // several publications calls it once for each.
    const QMetaObject::Connection progressLines =
        QObject::connect(queue, &jobs::PublicationQueue::progress,
                         [&](qint64 which, qint64 sent, qint64 total, double speed) {
                             const int percent = total > 0 ? int(sent * 100 / total) : 0;
                             if (command.json() || percent == lastPercent)
                                 return;
                             lastPercent = percent;
                             err() << tr("publication %1: %2% (%3 MB/s)")
                                          .arg(which)
                                          .arg(percent)
                                          .arg(speed / 1e6, 0, 'f', 1)
                                   << Qt::endl;
                         });
    const auto stopProgressLines = qScopeGuard([&] { QObject::disconnect(progressLines); });
    queue->start();
    const QString sql =
        QStringLiteral("SELECT p.id, p.provider, p.state, p.remote_id, p.last_error_code, "
                       "p.last_error_message, p.permalink, t.status AS tiktok_status, "
                       "(p.next_attempt_at > now()) AS waiting FROM publications p "
                       "LEFT JOIN tiktok_posts t ON t.publish_id = p.remote_id WHERE %1")
            .arg(id ? QStringLiteral("p.id = $1")
                    : QStringLiteral(
                          "p.state IN ('queued', 'uploading', 'processing') AND "
                          "p.next_attempt_at <= now() + interval '30 seconds' AND $1 = 0"));
    QString lastMessage;
    int idleChecks = 0;
    for (;;) {
        QTimer pause;
        pause.setSingleShot(true);
        pause.start(500);
        Command::waitFor([&] { return !pause.isActive(); });
        auto rows = command.query(session, sql, {id});
        if (!rows)
            return command.fail(rows.error(), Unavailable);
        if (id == 0) { // queue run: done when nothing is due soon and nothing runs here
            idleChecks = rows->isEmpty() && queue->runningCount() == 0 ? idleChecks + 1 : 0;
            if (idleChecks >= 3)
                return Ok;
            continue;
        }
        if (rows->isEmpty())
            return command.fail({QStringLiteral("cli"),
                                 QStringLiteral("not_found"),
                                 tr("Publication %1 is gone.").arg(id),
                                 {},
                                 0,
                                 false,
                                 {}},
                                Internal);
        const QJsonObject row = rows->first();
        const QString state = row.value(QStringLiteral("state")).toString();
        const QString message = row.value(QStringLiteral("last_error_message")).toString();
        if (!message.isEmpty() && message != lastMessage && !command.json())
            err() << message << Qt::endl;
        lastMessage = message;
        static const QStringList settled{QStringLiteral("published"), QStringLiteral("failed"),
                                         QStringLiteral("needs_action"),
                                         QStringLiteral("cancelled")};
        if (!settled.contains(state) || queue->isWorkingOn(id))
            continue;
        const QJsonObject result{
            {QStringLiteral("id"), id},
            {QStringLiteral("provider"), row.value(QStringLiteral("provider"))},
            {QStringLiteral("state"), state},
            {QStringLiteral("publish_id"), row.value(QStringLiteral("remote_id"))},
            {QStringLiteral("tiktok_status"), row.value(QStringLiteral("tiktok_status"))},
            {QStringLiteral("code"), row.value(QStringLiteral("last_error_code"))},
            {QStringLiteral("message"), message},
            {QStringLiteral("permalink"), row.value(QStringLiteral("permalink"))}};
        if (command.json())
            out() << QJsonDocument(result).toJson(QJsonDocument::Compact) << Qt::endl;
        else if (state == QLatin1String("published"))
            out() << (row.value(QStringLiteral("tiktok_status")).toString() ==
                              QLatin1String("SEND_TO_USER_INBOX")
                          ? tr("In your TikTok inbox: open TikTok to post it.")
                          : tr("Published. %1")
                                .arg(row.value(QStringLiteral("permalink")).toString()))
                  << Qt::endl;
        if (state == QLatin1String("published"))
            return Ok;
        if (state == QLatin1String("needs_action"))
            return NeedsAction;
        if (state == QLatin1String("cancelled"))
            return Cancelled;
        return Failed;
    }
}

// Waits for the draft to be queued, then (unless --no-wait) follows it until it settles.
int enqueueAndFollow(Command &command, Session &session, const jobs::PublicationDraft &draft,
                     bool wait) {
    std::optional<Result<QList<qint64>>> ids;
    session.publishing->queue()->enqueue(draft, [&](Result<QList<qint64>> r) { ids = r; });
    Command::waitFor([&] { return ids.has_value(); });
    if (!*ids)
        return command.fail(ids->error(), NeedsAction);
    const QList<qint64> queued = ids->value();
    if (!wait) {
        QJsonObject result{{QStringLiteral("id"), queued.first()},
                           {QStringLiteral("state"), QStringLiteral("queued")}};
        QStringList names;
        QJsonArray all;
        for (const qint64 id : queued) {
            names << QString::number(id);
            all.append(id);
        }
        if (queued.size() > 1)
            result.insert(QStringLiteral("ids"), all);
        out() << (command.json()
                      ? QString::fromUtf8(QJsonDocument(result).toJson(QJsonDocument::Compact))
                  : queued.size() > 1
                      ? tr("Queued as publications %1.").arg(names.join(QStringLiteral(", ")))
                      : tr("Queued as publication %1.").arg(queued.first()))
              << Qt::endl;
        return Ok;
    }
    // One row per target: each is followed until it settles, one line each; the exit code
    // is the first problem's, so a script sees a partial failure.
    int code = Ok;
    for (const qint64 id : queued) {
        const int settled = runQueue(command, session, id);
        if (code == Ok)
            code = settled;
    }
    return code;
}

int publishInstagram(const QCommandLineParser &parser, Command &command) {
    InstagramRequest request;
    request.kind = parser.value(QStringLiteral("kind"));
    if (request.kind.isEmpty())
        request.kind = QStringLiteral("carousel"); // --item alone
    request.file = parser.value(QStringLiteral("file"));
    request.photos = parser.values(QStringLiteral("photo"));
    request.items = parser.values(QStringLiteral("item"));
    request.caption = parser.value(QStringLiteral("caption"));
    request.shareToFeed = !parser.isSet(QStringLiteral("no-feed"));
    const QString wanted = parser.value(QStringLiteral("account"));
    if (wanted.isEmpty() || parser.isSet(QStringLiteral("url")))
        return command.fail({QStringLiteral("cli"),
                             QStringLiteral("usage"),
                             tr("Usage: huntaze publish --account NAME --kind "
                                "photo|reel|story|carousel (--file VIDEO | --photo URL_OR_JPEG | "
                                "--item URL_OR_VIDEO...) [--caption TEXT] [--no-feed] [--json]"),
                             {},
                             0,
                             false,
                             {}},
                            Usage);
    auto draft = instagramDraftFrom(request);
    if (!draft)
        return command.fail(draft.error(),
                            draft.error().code == QLatin1String("usage") ? Usage : MediaRejected);
    int code = Ok;
    auto session = command.open(parser.value(QStringLiteral("settings")), &code);
    if (!session)
        return code;
    auto rows = command.query(
        *session, QStringLiteral("SELECT i.account_id AS id, i.ig_business_id, i.username, "
                                 "i.access_level FROM instagram_accounts i JOIN oauth_accounts a "
                                 "ON a.id = i.account_id WHERE a.status = 'active'"));
    if (!rows)
        return command.fail(rows.error(), Unavailable);
    const QString name = wanted.startsWith(QLatin1Char('@')) ? wanted.mid(1) : wanted;
    std::optional<QJsonObject> account;
    for (const QJsonObject &row : *rows)
        if (row.value(QStringLiteral("username")).toString() == name ||
            row.value(QStringLiteral("ig_business_id")).toString() == name)
            account = row;
    if (!account)
        return command.fail(
            {QStringLiteral("cli"),
             QStringLiteral("no_such_account"),
             tr("No Instagram account named %1 (see huntaze accounts).").arg(wanted),
             {},
             0,
             false,
             {}},
            Usage);
    draft->accountIds = {account->value(QStringLiteral("id")).toString().toLongLong()};
    draft->options.insert(QStringLiteral("ig_business_id"),
                          account->value(QStringLiteral("ig_business_id")));
    draft->options.insert(QStringLiteral("username"), account->value(QStringLiteral("username")));
    return enqueueAndFollow(command, *session, *draft, !parser.isSet(QStringLiteral("no-wait")));
}

Error cliError(const QString &code, const QString &message) {
    return Error{QStringLiteral("cli"), code, message, {}, 0, false, {}};
}

// `publish` to Reddit or X accounts, or to several accounts of different platforms at
// once: what needs no account is checked first, then the accounts are found (each platform
// checks the post its own way) and become one draft.
int publishToAccounts(const QCommandLineParser &parser, Command &command) {
    PublishFlags flags;
    flags.kind = parser.value(QStringLiteral("kind"));
    flags.file = parser.value(QStringLiteral("file"));
    flags.url = parser.value(QStringLiteral("url"));
    flags.photos = parser.values(QStringLiteral("photo"));
    flags.images = parser.values(QStringLiteral("image"));
    flags.items = parser.values(QStringLiteral("item"));
    flags.title = parser.value(QStringLiteral("title"));
    flags.mode = parser.value(QStringLiteral("mode"));
    flags.privacy = parser.value(QStringLiteral("privacy"));
    flags.subreddit = parser.value(QStringLiteral("subreddit"));
    flags.flairId = parser.value(QStringLiteral("flair-id"));
    flags.flairText = parser.value(QStringLiteral("flair-text"));
    flags.nsfw = parser.isSet(QStringLiteral("nsfw"));
    flags.spoiler = parser.isSet(QStringLiteral("spoiler"));
    flags.shareToFeed = !parser.isSet(QStringLiteral("no-feed"));
    const QString text = parser.value(QStringLiteral("text"));
    const QString caption = parser.value(QStringLiteral("caption"));
    if (!text.isEmpty() && !caption.isEmpty() && text != caption)
        return command.fail(cliError(QStringLiteral("usage"),
                                     tr("--text and --caption are the same words: give one.")),
                            Usage);
    flags.words = text.isEmpty() ? caption : text;
    if (flags.kind.isEmpty()) // what the flags carry
        flags.kind = !flags.images.isEmpty()  ? QStringLiteral("images")
                     : !flags.file.isEmpty()  ? QStringLiteral("video")
                     : !flags.items.isEmpty() ? QStringLiteral("carousel")
                     : !flags.url.isEmpty()   ? QStringLiteral("link")
                                              : QStringLiteral("text");
    static const QStringList kinds{
        QStringLiteral("self"),  QStringLiteral("text"),    QStringLiteral("link"),
        QStringLiteral("image"), QStringLiteral("images"),  QStringLiteral("gif"),
        QStringLiteral("video"), QStringLiteral("photo"),   QStringLiteral("reel"),
        QStringLiteral("story"), QStringLiteral("carousel")};
    if (!kinds.contains(flags.kind))
        return command.fail(
            cliError(QStringLiteral("usage"),
                     tr("--kind is self, link, image or video for Reddit; text, images, gif or "
                        "video for X; photo, reel, story or carousel for Instagram.")),
            Usage);
    if (flags.images.size() > 4)
        return command.fail(
            cliError(QStringLiteral("usage"), tr("An X post takes at most 4 photos (--image).")),
            Usage);

    int code = Ok;
    auto session = command.open(parser.value(QStringLiteral("settings")), &code);
    if (!session)
        return code;
    // Instagram is reached through the professional accounts chosen under each login.
    auto rows = command.query(
        *session,
        QStringLiteral("SELECT id::text AS id, provider, display_name, username, '' AS "
                       "ig_business_id FROM oauth_accounts WHERE provider <> 'instagram' AND "
                       "status <> 'revoked' UNION ALL SELECT i.account_id::text, 'instagram', "
                       "i.page_name, i.username, i.ig_business_id FROM instagram_accounts i JOIN "
                       "oauth_accounts a ON a.id = i.account_id WHERE a.status <> 'revoked'"));
    if (!rows)
        return command.fail(rows.error(), Unavailable);
    const auto targets = matchTargets(*rows, parser.values(QStringLiteral("account")));
    if (!targets)
        return command.fail(targets.error(), Usage);
    const auto draft = draftForTargets(*targets, flags);
    if (!draft)
        return command.fail(draft.error(),
                            draft.error().code == QLatin1String("usage") ? Usage : MediaRejected);
    return enqueueAndFollow(command, *session, *draft, !parser.isSet(QStringLiteral("no-wait")));
}

int publish(const QStringList &arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Publishes to one account, or to several accounts of different platforms at once "
           "(repeat --account), and follows each post until its platform has it. TikTok: a "
           "local video, a video URL or photo URLs. Instagram: --kind photo|reel|story|"
           "carousel. Reddit: --kind self|link|image|video with --subreddit and --title. X: "
           "--kind text|images|gif|video. Several platforms: one --kind for all (a video is a "
           "reel on Instagram; self and text are the same post)."));
    parser.addOptions(
        {{QStringLiteral("account"),
          tr("Account: its username, name or id; PLATFORM:NAME when a name is on two "
             "platforms. Repeat to post to several."),
          QStringLiteral("NAME")},
         {QStringLiteral("file"),
          tr("Local file: a video; Reddit image posts: the image; X: the GIF or video."),
          QStringLiteral("FILE")},
         {QStringLiteral("photo"),
          tr("A photo URL (https, verified for the app); repeat for up to 35 photos."),
          QStringLiteral("URL")},
         {QStringLiteral("title"),
          tr("TikTok photo posts: the title (90 characters). Reddit: the post's title (300 "
             "characters)."),
          QStringLiteral("TEXT")},
         {QStringLiteral("url"),
          tr("TikTok: a video URL (https, a domain verified for the app). Reddit link posts: "
             "the link."),
          QStringLiteral("URL")},
         {QStringLiteral("mode"), tr("inbox (draft, default) or direct."), QStringLiteral("MODE"),
          QStringLiteral("inbox")},
         {QStringLiteral("privacy"), tr("Direct posts: who may see it (default SELF_ONLY)."),
          QStringLiteral("LEVEL"), QStringLiteral("SELF_ONLY")},
         {QStringLiteral("caption"), tr("Caption (title)."), QStringLiteral("TEXT")},
         {QStringLiteral("text"),
          tr("Reddit: a text post's body. X: the post's text (280 characters). With other "
             "platforms, their caption too."),
          QStringLiteral("TEXT")},
         {QStringLiteral("kind"),
          tr("Instagram: photo (one --photo), reel (--file), story (--file or one --photo) or "
             "carousel (2-10 --item). Reddit: self, link, image or video. X: text, images, "
             "gif or video."),
          QStringLiteral("KIND")},
         {QStringLiteral("item"),
          tr("Instagram carousel item: a photo URL (https) or a local video; repeat."),
          QStringLiteral("ITEM")},
         {QStringLiteral("no-feed"), tr("Instagram reels: do not also show it in the feed.")},
         {QStringLiteral("subreddit"), tr("Reddit: the subreddit, without r/."),
          QStringLiteral("NAME")},
         {QStringLiteral("flair-id"), tr("Reddit: the flair's id."), QStringLiteral("ID")},
         {QStringLiteral("flair-text"), tr("Reddit: the flair's text."), QStringLiteral("TEXT")},
         {QStringLiteral("nsfw"), tr("Reddit: mark the post NSFW.")},
         {QStringLiteral("spoiler"), tr("Reddit: mark the post as a spoiler.")},
         {QStringLiteral("image"),
          tr("X photo posts: a local JPEG, PNG or WebP photo; repeat for up to 4."),
          QStringLiteral("FILE")},
         {QStringLiteral("no-wait"), tr("Queue it and return at once.")},
         {QStringLiteral("json"), tr("Print JSON.")},
         {QStringLiteral("settings"), tr("Settings file."), QStringLiteral("FILE")}});
    parser.addHelpOption();
    parser.process(arguments);
    Command command(parser.isSet(QStringLiteral("json")));
    const auto usage = [&command](const QString &text) {
        return command.fail(cliError(QStringLiteral("usage"), text), Usage);
    };
    // Reddit, X and several accounts at once go by the accounts; a single TikTok or
    // Instagram account as before.
    static const QStringList instagramKinds{QStringLiteral("photo"), QStringLiteral("reel"),
                                            QStringLiteral("story"), QStringLiteral("carousel")};
    const QString kind = parser.value(QStringLiteral("kind"));
    bool redditOrX = !kind.isEmpty() && !instagramKinds.contains(kind);
    for (const char *flag :
         {"subreddit", "text", "image", "flair-id", "flair-text", "nsfw", "spoiler"})
        redditOrX = redditOrX || parser.isSet(QLatin1String(flag));
    if (parser.values(QStringLiteral("account")).size() > 1 || redditOrX)
        return publishToAccounts(parser, command);
    if (parser.isSet(QStringLiteral("kind")) || parser.isSet(QStringLiteral("item")))
        return publishInstagram(parser, command);

    const QString file = parser.value(QStringLiteral("file"));
    const QString url = parser.value(QStringLiteral("url"));
    const QStringList photos = parser.values(QStringLiteral("photo"));
    if (parser.value(QStringLiteral("account")).isEmpty() ||
        int(!file.isEmpty()) + int(!url.isEmpty()) + int(!photos.isEmpty()) != 1)
        return usage(tr("Usage: huntaze publish --account NAME (--file FILE | --url URL | "
                        "--photo URL...) [--mode inbox|direct] [--caption TEXT] [--json]"));
    TikTokRequest request;
    request.file = file;
    request.url = url;
    request.photos = photos;
    request.title = parser.value(QStringLiteral("title"));
    request.mode = parser.value(QStringLiteral("mode"));
    request.privacy = parser.value(QStringLiteral("privacy"));
    request.caption = parser.value(QStringLiteral("caption"));
    auto draft = tiktokDraftFrom(request);
    if (!draft)
        return command.fail(draft.error(),
                            draft.error().code == QLatin1String("usage") ? Usage : MediaRejected);

    int code = Ok;
    auto session = command.open(parser.value(QStringLiteral("settings")), &code);
    if (!session)
        return code;
    auto rows = command.query(*session, kAccountsSql);
    if (!rows)
        return command.fail(rows.error(), Unavailable);
    const QString wanted = parser.value(QStringLiteral("account"));
    std::optional<QJsonObject> account;
    for (const QJsonObject &row : *rows)
        if (row.value(QStringLiteral("provider")).toString() == QLatin1String("tiktok") &&
            (row.value(QStringLiteral("username")).toString() == wanted ||
             row.value(QStringLiteral("display_name")).toString() == wanted ||
             row.value(QStringLiteral("id")).toString() == wanted))
            account = row;
    if (!account)
        return command.fail({QStringLiteral("cli"),
                             QStringLiteral("no_such_account"),
                             tr("No TikTok account named %1 (see huntaze accounts; for "
                                "Instagram add --kind photo|reel|story|carousel; for Reddit or "
                                "X add their --kind).")
                                 .arg(wanted),
                             {},
                             0,
                             false,
                             {}},
                            Usage);
    draft->options.insert(QStringLiteral("username"), account->value(QStringLiteral("username")));
    draft->accountIds = {account->value(QStringLiteral("id")).toString().toLongLong()};
    return enqueueAndFollow(command, *session, *draft, !parser.isSet(QStringLiteral("no-wait")));
}

int queue(const QStringList &arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Lists the publishing queue; `queue run` works on it until nothing is due (resuming "
           "interrupted uploads)."));
    parser.addPositionalArgument(QStringLiteral("run"), tr("Work on the queue."));
    parser.addOptions({{QStringLiteral("json"), tr("Print JSON.")},
                       {QStringLiteral("settings"), tr("Settings file."), QStringLiteral("FILE")}});
    parser.addHelpOption();
    parser.process(arguments);
    Command command(parser.isSet(QStringLiteral("json")));
    int code = Ok;
    auto session = command.open(parser.value(QStringLiteral("settings")), &code);
    if (!session)
        return code;
    if (parser.positionalArguments().value(0) == QLatin1String("run"))
        return runQueue(command, *session, 0);
    auto rows = command.query(
        *session, QStringLiteral("SELECT p.id, a.username AS account, p.state, p.bytes_sent, "
                                 "p.bytes_total, p.remote_id, p.last_error_code, "
                                 "p.last_error_message FROM publications p JOIN oauth_accounts a "
                                 "ON a.id = p.account_id ORDER BY p.id DESC LIMIT 100"));
    if (!rows)
        return command.fail(rows.error(), Unavailable);
    QJsonArray list;
    for (const QJsonObject &row : *rows) {
        list.append(row);
        if (!command.json())
            out() << row.value(QStringLiteral("id")).toString().leftJustified(8)
                  << row.value(QStringLiteral("account")).toString().leftJustified(20)
                  << row.value(QStringLiteral("state")).toString().leftJustified(14)
                  << row.value(QStringLiteral("last_error_message")).toString() << Qt::endl;
    }
    if (command.json())
        out() << QJsonDocument(list).toJson(QJsonDocument::Compact) << Qt::endl;
    return Ok;
}

} // namespace

bool isCommand(const QString &firstArgument) {
    static const QStringList commands{QStringLiteral("accounts"), QStringLiteral("connect"),
                                      QStringLiteral("publish"), QStringLiteral("queue")};
    return commands.contains(firstArgument);
}

int run(const QStringList &arguments) {
    // QCommandLineParser wants the program name first: "huntaze publish" reads as one.
    QStringList rest = arguments.mid(1);
    const QString name = rest.takeFirst();
    rest.prepend(arguments.first() + QLatin1Char(' ') + name);
    if (name == QLatin1String("accounts"))
        return accounts(rest);
    if (name == QLatin1String("connect"))
        return connectAccount(rest);
    if (name == QLatin1String("publish"))
        return publish(rest);
    return queue(rest);
}

} // namespace huntaze::cli
