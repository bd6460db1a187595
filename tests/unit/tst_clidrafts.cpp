#include "childprocess.h"
#include "cli/exitcodes.h"
#include "cli/multidraft.h"
#include "cli/publishtargets.h"
#include "cli/redditdraft.h"
#include "cli/xdraft.h"
#include "mediafixtures.h"

#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace huntaze;
using namespace huntaze::cli;

namespace {
// A Reddit request that passes every check; each test changes one thing.
RedditRequest selfPost() {
    RedditRequest request;
    request.kind = QStringLiteral("self");
    request.subreddit = QStringLiteral("r/test");
    request.title = QStringLiteral("Hello from the command line");
    request.text = QStringLiteral("The **body**.");
    return request;
}

XRequest textPost() {
    XRequest request;
    request.kind = QStringLiteral("text");
    request.text = QStringLiteral("Hello from the command line");
    return request;
}

jobs::PublicationDraft part(QList<qint64> accounts, const QString &kind, const QString &caption,
                            const QString &file, QJsonObject options = {}) {
    jobs::PublicationDraft draft;
    draft.accountIds = std::move(accounts);
    draft.kind = kind;
    draft.caption = caption;
    draft.filePath = file;
    draft.fileSize = file.isEmpty() ? 0 : 1000;
    draft.options = std::move(options);
    return draft;
}
} // namespace

// The command line's Reddit and X draft builders, the multi-platform draft, and the exit
// codes `huntaze publish` gives for what it refuses before pairing.
class CliDraftsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    void redditSelfPostCarriesItsOptions();
    void redditLinkAndMediaPosts();
    void redditRefusesWhatRedditWould_data();
    void redditRefusesWhatRedditWould();
    void xTextAndMediaPosts();
    void xRefusesWhatXWould_data();
    void xRefusesWhatXWould();
    void oneKindMeansEachPlatformsOwn_data();
    void oneKindMeansEachPlatformsOwn();
    void severalPlatformsMakeOneDraft();
    void severalPlatformsMustShareTextAndFile();
    void accountsAreFoundByNameAndPlatform();
    void targetsOfFourPlatformsMakeOneCheckedDraft();
    void aPlatformWithoutTheKindIsNamed();
    void commandLineRefusesWithUsageBeforePairing_data();
    void commandLineRefusesWithUsageBeforePairing();
    void commandLineNeedsPairingForRedditAndX();

private:
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    int runHuntaze(const QStringList &arguments, QByteArray *output = nullptr);

    QTemporaryDir m_dir;
    QString m_png;
    QString m_jpeg;
    QString m_gif;
    QString m_video;
    QString m_text;
};

void CliDraftsTest::initTestCase() {
    QVERIFY(m_dir.isValid());
    QImage image(64, 48, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    m_png = path("photo.png");
    m_jpeg = path("photo.jpg");
    QVERIFY(image.save(m_png, "PNG"));
    QVERIFY(image.save(m_jpeg, "JPEG"));
    m_gif = test::makeTestGif(path("loop.gif"));
    QVERIFY(!m_gif.isEmpty());
    m_video = test::makeTestVideo(path("clip.mp4"), 2, false);
    QVERIFY(!m_video.isEmpty());
    m_text = path("notes.txt");
    QFile notes(m_text);
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("not a picture");
}

void CliDraftsTest::redditSelfPostCarriesItsOptions() {
    RedditRequest request = selfPost();
    request.flairId = QStringLiteral("flair-1");
    request.flairText = QStringLiteral("OC");
    request.nsfw = true;
    request.spoiler = true;
    const auto draft = redditDraftFrom(request);
    QVERIFY2(draft, qPrintable(draft ? QString() : draft.error().message));
    QCOMPARE(draft->kind, QString("self"));
    QCOMPARE(draft->kindByProvider.value("reddit"), QString("self"));
    QCOMPARE(draft->caption, QString("The **body**."));
    QVERIFY(draft->filePath.isEmpty());
    const QJsonObject options = draft->options.value("reddit").toObject();
    QCOMPARE(options.value("subreddit").toString(), QString("test")); // r/ gone
    QCOMPARE(options.value("title").toString(), QString("Hello from the command line"));
    QCOMPARE(options.value("flair_id").toString(), QString("flair-1"));
    QCOMPARE(options.value("flair_text").toString(), QString("OC"));
    QCOMPARE(options.value("nsfw").toBool(), true);
    QCOMPARE(options.value("spoiler").toBool(), true);
    QVERIFY(draft->accountIds.isEmpty()); // the caller's to add
}

void CliDraftsTest::redditLinkAndMediaPosts() {
    RedditRequest link = selfPost();
    link.kind = QStringLiteral("link");
    link.text.clear();
    link.url = QStringLiteral("https://example.com/article");
    auto draft = redditDraftFrom(link);
    QVERIFY(draft);
    QCOMPARE(draft->sourceUrl, QString("https://example.com/article"));
    QVERIFY(draft->caption.isEmpty());

    RedditRequest image = selfPost();
    image.kind = QStringLiteral("image");
    image.text.clear();
    image.file = m_png;
    draft = redditDraftFrom(image);
    QVERIFY2(draft, qPrintable(draft ? QString() : draft.error().message));
    QCOMPARE(draft->filePath, QFileInfo(m_png).absoluteFilePath());
    QCOMPARE(draft->fileSize, QFileInfo(m_png).size());

    RedditRequest video = image;
    video.kind = QStringLiteral("video");
    video.file = m_video;
    draft = redditDraftFrom(video);
    QVERIFY2(draft, qPrintable(draft ? QString() : draft.error().message));
    QCOMPARE(draft->kind, QString("video"));
    QCOMPARE(draft->filePath, QFileInfo(m_video).absoluteFilePath());
}

void CliDraftsTest::redditRefusesWhatRedditWould_data() {
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("says");
    QTest::newRow("unknown kind") << "kind=poll"
                                  << "usage"
                                  << "self, link, image or video";
    QTest::newRow("no subreddit") << "subreddit="
                                  << "usage"
                                  << "subreddit";
    QTest::newRow("no title") << "title="
                              << "usage"
                              << "title";
    QTest::newRow("title over 300") << "title=long"
                                    << "usage"
                                    << "300";
    QTest::newRow("link without address") << "link=not a url"
                                          << "usage"
                                          << "https://";
    QTest::newRow("body on a link") << "link-with-text"
                                    << "usage"
                                    << "--text";
    QTest::newRow("image without file") << "image="
                                        << "usage"
                                        << "--file";
    QTest::newRow("text file as image") << "image=text"
                                        << "media_rejected"
                                        << "JPEG, PNG";
    QTest::newRow("image as video") << "video=png"
                                    << "media_rejected"
                                    << "MP4 and MOV";
    QTest::newRow("missing file") << "image=missing"
                                  << "media_rejected"
                                  << "cannot be read";
}

void CliDraftsTest::redditRefusesWhatRedditWould() {
    QFETCH(QString, change);
    QFETCH(QString, code);
    QFETCH(QString, says);
    RedditRequest request = selfPost();
    const QString value = change.section('=', 1);
    if (change.startsWith("kind="))
        request.kind = value;
    else if (change.startsWith("subreddit="))
        request.subreddit = value;
    else if (change == "title=")
        request.title.clear();
    else if (change == "title=long")
        request.title = QString(301, QChar('t'));
    else if (change.startsWith("link")) {
        request.kind = "link";
        request.url = change == "link-with-text" ? "https://example.com" : value;
        if (change != "link-with-text")
            request.text.clear();
    } else if (change.startsWith("image=") || change.startsWith("video=")) {
        request.kind = change.section('=', 0, 0);
        request.text.clear();
        request.file = value == "text"      ? m_text
                       : value == "png"     ? m_png
                       : value == "missing" ? path("gone.png")
                                            : QString();
    }
    const auto draft = redditDraftFrom(request);
    QVERIFY(!draft);
    QCOMPARE(draft.error().code, code);
    QVERIFY2(draft.error().message.contains(says), qPrintable(draft.error().message));
}

void CliDraftsTest::xTextAndMediaPosts() {
    auto draft = xDraftFrom(textPost());
    QVERIFY(draft);
    QCOMPARE(draft->kind, QString("text"));
    QCOMPARE(draft->kindByProvider.value("x"), QString("text"));
    QCOMPARE(draft->caption, QString("Hello from the command line"));

    XRequest photos = textPost();
    photos.kind = QStringLiteral("images");
    photos.images = {m_png, m_jpeg};
    draft = xDraftFrom(photos);
    QVERIFY2(draft, qPrintable(draft ? QString() : draft.error().message));
    QCOMPARE(
        draft->options.value("x").toObject().value("images").toArray(),
        (QJsonArray{QFileInfo(m_png).absoluteFilePath(), QFileInfo(m_jpeg).absoluteFilePath()}));
    QCOMPARE(draft->fileSize, QFileInfo(m_png).size() + QFileInfo(m_jpeg).size());
    QVERIFY(draft->filePath.isEmpty());

    XRequest gif = textPost();
    gif.kind = QStringLiteral("gif");
    gif.file = m_gif;
    draft = xDraftFrom(gif);
    QVERIFY2(draft, qPrintable(draft ? QString() : draft.error().message));
    QCOMPARE(draft->filePath, QFileInfo(m_gif).absoluteFilePath());

    XRequest video = textPost();
    video.kind = QStringLiteral("video");
    video.text.clear(); // media alone is a post
    video.file = m_video;
    draft = xDraftFrom(video);
    QVERIFY2(draft, qPrintable(draft ? QString() : draft.error().message));
    QCOMPARE(draft->fileSize, QFileInfo(m_video).size());
}

void CliDraftsTest::xRefusesWhatXWould_data() {
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("says");
    QTest::newRow("unknown kind") << "kind=poll"
                                  << "usage"
                                  << "text, images, gif or video";
    QTest::newRow("no text") << "text="
                             << "usage"
                             << "";
    QTest::newRow("text over 280") << "text=long"
                                   << "usage"
                                   << "280";
    QTest::newRow("five photos") << "images=5"
                                 << "usage"
                                 << "1 to 4";
    QTest::newRow("no photo") << "images=0"
                              << "usage"
                              << "1 to 4";
    QTest::newRow("gif as photo") << "images=gif"
                                  << "media_rejected"
                                  << "a photo";
    QTest::newRow("text file as photo") << "images=text"
                                        << ""
                                        << "notes.txt";
    QTest::newRow("photo as video") << "video=png"
                                    << "media_rejected"
                                    << "video";
    QTest::newRow("video without file") << "video="
                                        << "usage"
                                        << "--file";
    QTest::newRow("photo by --file") << "file-on-images"
                                     << "usage"
                                     << "--image";
}

void CliDraftsTest::xRefusesWhatXWould() {
    QFETCH(QString, change);
    QFETCH(QString, code);
    QFETCH(QString, says);
    XRequest request = textPost();
    const QString value = change.section('=', 1);
    if (change.startsWith("kind="))
        request.kind = value;
    else if (change == "text=")
        request.text.clear();
    else if (change == "text=long")
        request.text = QString(281, QChar('x'));
    else if (change.startsWith("images=")) {
        request.kind = "images";
        if (value == "5")
            request.images = QStringList(5, m_png);
        else if (value == "gif")
            request.images = {m_gif};
        else if (value == "text")
            request.images = {m_text};
    } else if (change.startsWith("video=")) {
        request.kind = "video";
        request.file = value == "png" ? m_png : QString();
    } else if (change == "file-on-images") {
        request.kind = "images";
        request.images = {m_png};
        request.file = m_png;
    }
    const auto draft = xDraftFrom(request);
    QVERIFY(!draft);
    if (!code.isEmpty())
        QCOMPARE(draft.error().code, code);
    else // X's own media code, from xmediarules.h
        QVERIFY2(draft.error().code.startsWith("media_"), qPrintable(draft.error().code));
    QVERIFY(!draft.error().message.isEmpty());
    QVERIFY2(draft.error().message.contains(says), qPrintable(draft.error().message));
}

void CliDraftsTest::oneKindMeansEachPlatformsOwn_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("expected"); // tiktok, instagram, reddit, x ("-": none)
    QTest::newRow("video") << "video" << QStringList{"video", "reel", "video", "video"};
    QTest::newRow("self") << "self" << QStringList{"-", "-", "self", "text"};
    QTest::newRow("text") << "text" << QStringList{"-", "-", "self", "text"};
    QTest::newRow("image") << "image" << QStringList{"photo", "photo", "image", "images"};
    QTest::newRow("images") << "images" << QStringList{"photo", "photo", "image", "images"};
    QTest::newRow("gif") << "gif" << QStringList{"-", "-", "image", "gif"};
    QTest::newRow("link") << "link" << QStringList{"-", "-", "link", "-"};
    QTest::newRow("story") << "story" << QStringList{"-", "story", "-", "-"};
    QTest::newRow("unknown") << "poll" << QStringList{"-", "-", "-", "-"};
}

void CliDraftsTest::oneKindMeansEachPlatformsOwn() {
    QFETCH(QString, kind);
    QFETCH(QStringList, expected);
    const QStringList providers{"tiktok", "instagram", "reddit", "x"};
    for (int i = 0; i < providers.size(); ++i)
        QCOMPARE(kindForProvider(providers[i], kind).value_or("-"), expected[i]);
}

void CliDraftsTest::severalPlatformsMakeOneDraft() {
    const QString video = QFileInfo(m_video).absoluteFilePath();
    const QList<ProviderDraft> parts{
        {"tiktok", part({1}, "video", "Words", video, {{"mode", "inbox"}, {"username", "tt"}})},
        {"instagram",
         part({2}, "reel", "Words", video, {{"ig_business_id", "178"}, {"username", "ig"}})},
        {"reddit", part({3, 4}, "video", "", video, {{"reddit", QJsonObject{{"title", "T"}}}})},
        {"x", part({5}, "video", "Words", video)}};
    const auto draft = combineDrafts(parts);
    QVERIFY2(draft, qPrintable(draft ? QString() : draft.error().message));
    QCOMPARE(draft->accountIds, (QList<qint64>{1, 2, 3, 4, 5}));
    QCOMPARE(draft->kindByProvider.value("tiktok"), QString("video"));
    QCOMPARE(draft->kindByProvider.value("instagram"), QString("reel"));
    QCOMPARE(draft->kindByProvider.value("reddit"), QString("video"));
    QCOMPARE(draft->kindByProvider.value("x"), QString("video"));
    QCOMPARE(draft->caption, QString("Words")); // Reddit's video has no body of its own
    QCOMPARE(draft->filePath, video);
    QCOMPARE(draft->options.value("username").toString(), QString("tt")); // the first part's
    QCOMPARE(draft->options.value("ig_business_id").toString(), QString("178"));
    QCOMPARE(draft->options.value("reddit").toObject().value("title").toString(), QString("T"));
    QCOMPARE(draft->options.value("mode").toString(), QString("inbox"));
}

void CliDraftsTest::severalPlatformsMustShareTextAndFile() {
    auto draft = combineDrafts({{"reddit", part({1}, "self", "One text", {})},
                                {"x", part({2}, "text", "Another text", {})}});
    QVERIFY(!draft);
    QCOMPARE(draft.error().code, QString("usage"));
    QVERIFY(draft.error().message.contains("one text"));
    draft = combineDrafts(
        {{"reddit", part({1}, "video", "", m_video)}, {"x", part({2}, "video", "", m_gif)}});
    QVERIFY(!draft);
    QVERIFY(draft.error().message.contains("one file"));
    QVERIFY(!combineDrafts({}));
}

void CliDraftsTest::accountsAreFoundByNameAndPlatform() {
    const auto row = [](const char *id, const char *provider, const char *name,
                        const char *username, const char *igId = "") {
        return QJsonObject{{"id", id},
                           {"provider", provider},
                           {"display_name", name},
                           {"username", username},
                           {"ig_business_id", igId}};
    };
    const QList<QJsonObject> rows{
        row("1", "tiktok", "Sam", "sam"), row("2", "reddit", "sam_r", "Sam_R"),
        row("3", "x", "Sam on X", "sam"), row("4", "instagram", "Sam's Page", "sam.studio", "178")};
    auto targets = matchTargets(rows, {"reddit:@sam_r", "x:sam", "178", "tiktok:1", "2"});
    QVERIFY2(targets, qPrintable(targets ? QString() : targets.error().message));
    QCOMPARE(targets->size(), 4); // the Reddit account named twice counts once
    QCOMPARE(targets->at(0).provider, QString("reddit"));
    QCOMPARE(targets->at(0).id, 2);
    QCOMPARE(targets->at(1).provider, QString("x"));
    QCOMPARE(targets->at(2).igBusinessId, QString("178"));
    QCOMPARE(targets->at(2).username, QString("sam.studio"));
    QCOMPARE(targets->at(3).id, 1);

    targets = matchTargets(rows, {"sam"}); // TikTok's and X's
    QVERIFY(!targets);
    QCOMPARE(targets.error().code, QString("usage"));
    QVERIFY(targets.error().message.contains("PLATFORM:NAME"));
    targets = matchTargets(rows, {"reddit:sam"});
    QVERIFY(!targets);
    QCOMPARE(targets.error().code, QString("no_such_account"));
    QVERIFY(!matchTargets(rows, {"x:"}));
}

void CliDraftsTest::targetsOfFourPlatformsMakeOneCheckedDraft() {
    const QList<Target> targets{{"x", 5, "sam", {}},
                                {"reddit", 3, "sam_r", {}},
                                {"instagram", 2, "sam.studio", "178"},
                                {"tiktok", 1, "sam", {}}};
    PublishFlags flags;
    flags.kind = "video";
    flags.words = "One video everywhere";
    flags.file = m_video;
    flags.subreddit = "huntaze";
    flags.title = "One video";
    const auto draft = draftForTargets(targets, flags);
    // The 2-second clip is too short for a reel: Instagram's own check says so, by name.
    QVERIFY(!draft);
    QVERIFY2(draft.error().message.startsWith("Instagram: "), qPrintable(draft.error().message));

    const QList<Target> three{targets[0], targets[1], targets[3]};
    const auto ok = draftForTargets(three, flags);
    QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message));
    QCOMPARE(ok->accountIds, (QList<qint64>{1, 3, 5})); // TikTok, Reddit, X
    QCOMPARE(ok->kindByProvider.value("reddit"), QString("video"));
    QCOMPARE(ok->kindByProvider.value("x"), QString("video"));
    QCOMPARE(ok->caption, QString("One video everywhere"));
    QCOMPARE(ok->filePath, QFileInfo(m_video).absoluteFilePath());
    QCOMPARE(ok->options.value("username").toString(), QString("sam"));
    QCOMPARE(ok->options.value("reddit").toObject().value("subreddit").toString(),
             QString("huntaze"));
    QVERIFY(ok->options.contains("content_type")); // TikTok's, from the probe
}

void CliDraftsTest::aPlatformWithoutTheKindIsNamed() {
    PublishFlags flags;
    flags.kind = "link";
    flags.url = "https://example.com";
    flags.subreddit = "huntaze";
    flags.title = "A link";
    const auto draft = draftForTargets({{"reddit", 3, "sam_r", {}}, {"x", 5, "sam", {}}}, flags);
    QVERIFY(!draft);
    QCOMPARE(draft.error().code, QString("usage"));
    QVERIFY2(draft.error().message.contains("X has no \"link\" posts"),
             qPrintable(draft.error().message));
    // Reddit alone takes it.
    QVERIFY(draftForTargets({{"reddit", 3, "sam_r", {}}}, flags));
}

int CliDraftsTest::runHuntaze(const QStringList &arguments, QByteArray *output) {
    // A relay named without a credential: not paired, and no keychain is asked.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_RELAY_URL", "http://127.0.0.1:9");
    environment.remove("HUNTAZE_DEVICE_CREDENTIAL");
    environment.remove("HUNTAZE_DESKTOP_DATABASE_URL");
    environment.insert("QT_QPA_PLATFORM", "offscreen");
    test::ChildProcess child(QStringLiteral(HUNTAZE_DESKTOP_BIN),
                             QStringList{"publish"} + arguments, environment);
    const int code = child.waitForExit(30000);
    if (output)
        *output = child.output();
    return code;
}

void CliDraftsTest::commandLineRefusesWithUsageBeforePairing_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("says");
    QTest::newRow("unknown kind") << QStringList{"--account", "sam", "--kind", "poll", "--json"}
                                  << "--kind is self, link, image or video for Reddit";
    QTest::newRow("two texts") << QStringList{"--account", "sam",       "--kind", "self",  "--text",
                                              "one",       "--caption", "two",    "--json"}
                               << "same words";
    QTest::newRow("five photos") << QStringList{"--account", "sam",   "--kind",  "images",
                                                "--image",   "a.png", "--image", "b.png",
                                                "--image",   "c.png", "--image", "d.png",
                                                "--image",   "e.png", "--json"}
                                 << "at most 4";
}

void CliDraftsTest::commandLineRefusesWithUsageBeforePairing() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, says);
    QByteArray output;
    QCOMPARE(runHuntaze(arguments, &output), int(Usage));
    QVERIFY2(output.contains("\"error\":\"usage\""), output.constData());
    QVERIFY2(QString::fromUtf8(output).contains(says), output.constData());
}

void CliDraftsTest::commandLineNeedsPairingForRedditAndX() {
    QByteArray output;
    QCOMPARE(runHuntaze({"--account", "sam", "--account", "x:sam", "--kind", "text", "--text",
                         "Hello", "--json"},
                        &output),
             int(NotPaired));
    QVERIFY2(output.contains("not_paired"), output.constData());
}

QTEST_MAIN(CliDraftsTest)
#include "tst_clidrafts.moc"
