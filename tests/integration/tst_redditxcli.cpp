#include "childprocess.h"
#include "cli/exitcodes.h"
#include "publishingstack.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace huntaze;
using namespace huntaze::test;

// `huntaze publish` and `huntaze accounts` for Reddit and X, run as a child against the real
// relay, sandbox and database: one command to both platforms makes one row per account,
// each followed to its own end; what is refused locally or by a platform has its exit code.
class RedditXCliTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void accountsListRedditAndX();
    void oneCommandPublishesToRedditAndX();
    void aRefusalOnOnePlatformLeavesTheOtherPublished();
    void localProblemsHaveTheirExitCodes();

private:
    ChildProcess *huntaze(const QStringList &arguments);
    static QList<QJsonObject> resultLines(const QByteArray &output);

    PublishingStack m_stack;
    QTemporaryDir m_files;
    QString m_reddit; // "reddit:<id>", as --account takes it
    QString m_x;
    std::vector<std::unique_ptr<ChildProcess>> m_children;
};

void RedditXCliTest::initTestCase() {
    QVERIFY2(m_stack.start(), qPrintable(m_stack.errorString()));
    const auto reddit = m_stack.connectReddit("sbx1a");
    QVERIFY2(reddit, qPrintable(m_stack.errorString()));
    m_reddit = QStringLiteral("reddit:%1").arg(*reddit);
    const auto x = m_stack.connectX("1500000000000000001");
    QVERIFY2(x, qPrintable(m_stack.errorString()));
    m_x = QStringLiteral("x:%1").arg(*x);
}

ChildProcess *RedditXCliTest::huntaze(const QStringList &arguments) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const auto desktop = m_stack.desktopEnvironment();
    for (auto it = desktop.begin(); it != desktop.end(); ++it)
        environment.insert(it.key(), it.value());
    m_children.push_back(std::make_unique<ChildProcess>(QStringLiteral(HUNTAZE_DESKTOP_BIN),
                                                        arguments, environment));
    return m_children.back().get();
}

QList<QJsonObject> RedditXCliTest::resultLines(const QByteArray &output) {
    QList<QJsonObject> lines;
    for (const QByteArray &line : output.trimmed().split('\n')) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.contains("state"))
            lines.append(object);
    }
    return lines;
}

void RedditXCliTest::accountsListRedditAndX() {
    ChildProcess *accounts = huntaze({"accounts", "--json"});
    QCOMPARE(accounts->waitForExit(30000), int(cli::Ok));
    const QJsonArray list = QJsonDocument::fromJson(accounts->output().trimmed()).array();
    QStringList providers;
    for (const QJsonValue &account : list)
        providers << account["provider"].toString();
    QVERIFY2(providers.contains("reddit") && providers.contains("x"),
             accounts->output().constData());
}

void RedditXCliTest::oneCommandPublishesToRedditAndX() {
    ChildProcess *post =
        huntaze({"publish", "--account", m_reddit, "--account", m_x, "--kind", "text",
                 "--subreddit", "huntaze", "--title", "From the CLI", "--text",
                 "Hello from the Huntaze command line", "--flair-text", "OC", "--json"});
    QCOMPARE(post->waitForExit(120000), int(cli::Ok));
    const QList<QJsonObject> results = resultLines(post->output());
    QCOMPARE(results.size(), 2);
    QStringList providers;
    for (const QJsonObject &result : results) {
        providers << result["provider"].toString();
        QCOMPARE(result["state"].toString(), QString("published"));
        QVERIFY2(result["permalink"].toString().startsWith("https://"),
                 qPrintable(result["permalink"].toString()));
    }
    QCOMPARE(providers, (QStringList{"reddit", "x"}));

    // One draft, one row per account, each platform's kind and options as the contract says.
    QCOMPARE(m_stack.scalar("SELECT count(DISTINCT draft_id) FROM publications"), 1);
    QCOMPARE(m_stack.scalar("SELECT count(*) FROM publications WHERE provider = 'reddit' AND "
                            "kind = 'self' AND options->'reddit'->>'subreddit' = 'huntaze' AND "
                            "options->'reddit'->>'flair_text' = 'OC'"),
             1);
    QCOMPARE(m_stack.scalar("SELECT count(*) FROM publications WHERE provider = 'x' AND kind = "
                            "'text' AND caption = 'Hello from the Huntaze command line'"),
             1);
    QCOMPARE(m_stack.scalar("SELECT count(*) FROM reddit_posts WHERE title = 'From the CLI'"), 1);
    QCOMPARE(m_stack.scalar("SELECT count(*) FROM x_posts WHERE text = "
                            "'Hello from the Huntaze command line'"),
             1);
}

void RedditXCliTest::aRefusalOnOnePlatformLeavesTheOtherPublished() {
    // privateclub refuses the user (SUBREDDIT_NOTALLOWED); X takes its copy.
    ChildProcess *post = huntaze({"publish", "--account", m_reddit, "--account", m_x, "--kind",
                                  "self", "--subreddit", "privateclub", "--title", "Members only",
                                  "--text", "A second post from the command line", "--json"});
    const int code = post->waitForExit(120000);
    QVERIFY2(code == cli::NeedsAction || code == cli::Failed, post->output().constData());
    const QList<QJsonObject> results = resultLines(post->output());
    QCOMPARE(results.size(), 2);
    QCOMPARE(results[0]["provider"].toString(), QString("reddit"));
    QVERIFY(results[0]["state"].toString() != QLatin1String("published"));
    QVERIFY(!results[0]["message"].toString().isEmpty());
    QCOMPARE(results[1]["provider"].toString(), QString("x"));
    QCOMPARE(results[1]["state"].toString(), QString("published"));
}

void RedditXCliTest::localProblemsHaveTheirExitCodes() {
    const QString notes = m_files.filePath("notes.txt");
    QFile file(notes);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a picture");
    file.close();
    const qint64 before = m_stack.scalar("SELECT count(*) FROM publications");

    ChildProcess *image = huntaze({"publish", "--account", m_reddit, "--kind", "image", "--file",
                                   notes, "--subreddit", "huntaze", "--title", "T", "--json"});
    QCOMPARE(image->waitForExit(30000), int(cli::MediaRejected));
    QVERIFY2(image->output().contains("JPEG, PNG"), image->output().constData());

    ChildProcess *link = huntaze(
        {"publish", "--account", m_x, "--kind", "link", "--url", "https://example.com", "--json"});
    QCOMPARE(link->waitForExit(30000), int(cli::Usage));
    QVERIFY2(link->output().contains("X has no"), link->output().constData());

    ChildProcess *noTitle = huntaze(
        {"publish", "--account", m_reddit, "--kind", "self", "--subreddit", "huntaze", "--json"});
    QCOMPARE(noTitle->waitForExit(30000), int(cli::Usage));

    ChildProcess *stranger =
        huntaze({"publish", "--account", "reddit:nobody", "--kind", "self", "--json"});
    QCOMPARE(stranger->waitForExit(30000), int(cli::Usage));
    QVERIFY(stranger->output().contains("no_such_account"));

    // Nothing was queued by any of them.
    QCOMPARE(m_stack.scalar("SELECT count(*) FROM publications"), before);
}

QTEST_MAIN(RedditXCliTest)
#include "tst_redditxcli.moc"
