// uploadbench: uploads one file to the TikTok sandbox through the product's own uploader
// (huntaze::tiktok::TikTokUploader, chunks from ChunkPlan::forSize), for bench/upload.sh.
// It signs in a sandbox test user (authorize with sandbox_decision=approve, then the
// PKCE code exchange), makes an inbox FILE_UPLOAD init with TikTokClient::initInbox,
// marks the share posted (so repeated runs never meet the 5-pending-shares cap), then
// times TikTokUploader from start() to finished() and prints one JSON object:
//   {"bytes", "seconds", "mb_per_s" (10^6 bytes/s), "chunks", "chunk_size",
//    "sending_seconds", "waiting_seconds"}.
// --init-only stops after the init and prints the upload_url and the chunk plan instead,
// so the curl reference can send the very same chunks to an upload of its own.
#include "oauth/pkce.h"
#include "platforms/tiktok/chunkplan.h"
#include "platforms/tiktok/tiktokclient.h"
#include "platforms/tiktok/tiktokuploader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>

#include <cstdio>
#include <cstdlib>
#include <optional>

using namespace huntaze;

namespace {

[[noreturn]] void fail(const QString &what) {
    std::fprintf(stderr, "huntaze-uploadbench: %s\n", qPrintable(what));
    std::exit(1);
}

void print(const QJsonObject &object) {
    std::fprintf(stdout, "%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

// Runs the event loop until the reply finishes; returns the status and the body.
std::pair<int, QByteArray> await(QNetworkReply *reply) {
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    reply->deleteLater();
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
}

QJsonObject jsonOf(const QByteArray &body) {
    return QJsonDocument::fromJson(body).object();
}

struct Tiktok {
    QUrl apiBase;
    QUrl authorizeUrl;
    QUrl tokenUrl;
};

Tiktok discover(QNetworkAccessManager &network, const QUrl &sandbox) {
    QUrl url = sandbox;
    url.setPath(QStringLiteral("/_admin/endpoints"));
    const auto [status, body] = await(network.get(QNetworkRequest(url)));
    const QJsonObject tiktok =
        jsonOf(body)[QStringLiteral("platforms")][QStringLiteral("tiktok")].toObject();
    if (status != 200 || tiktok.isEmpty())
        fail(QStringLiteral("no TikTok endpoints at %1 (HTTP %2)").arg(url.toString()).arg(status));
    return {QUrl(tiktok[QStringLiteral("api_base_url")].toString()),
            QUrl(tiktok[QStringLiteral("authorize_url")].toString()),
            QUrl(tiktok[QStringLiteral("token_url")].toString())};
}

// The desktop's TikTok sign-in, with the sandbox's test-user shortcut instead of a browser.
QByteArray accessToken(QNetworkAccessManager &network, const Tiktok &tiktok, const QString &user) {
    const QString redirectUri = QStringLiteral("http://127.0.0.1:1234/callback/");
    const oauth::Pkce pkce = oauth::Pkce::generate(oauth::Pkce::Encoding::Hex);
    const QByteArray state = oauth::randomState();
    QUrl authorize = tiktok.authorizeUrl;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("client_key"), QStringLiteral("sbx-tiktok-client"));
    query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    query.addQueryItem(QStringLiteral("scope"), QStringLiteral("user.info.basic,video.upload"));
    query.addQueryItem(QStringLiteral("redirect_uri"), redirectUri);
    query.addQueryItem(QStringLiteral("state"), QString::fromLatin1(state));
    query.addQueryItem(QStringLiteral("code_challenge"), QString::fromLatin1(pkce.challenge));
    query.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    query.addQueryItem(QStringLiteral("sandbox_decision"), QStringLiteral("approve"));
    query.addQueryItem(QStringLiteral("sandbox_user"), user);
    authorize.setQuery(query);
    QNetworkRequest request(authorize);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = network.get(request);
    const auto [status, body] = await(reply);
    const QUrl location(QString::fromUtf8(reply->rawHeader("Location")));
    const QString code = QUrlQuery(location).queryItemValue(QStringLiteral("code"));
    if (status != 302 || code.isEmpty())
        fail(QStringLiteral("authorize gave HTTP %1, Location %2")
                 .arg(status)
                 .arg(location.toString()));

    QUrlQuery form;
    form.addQueryItem(QStringLiteral("client_key"), QStringLiteral("sbx-tiktok-client"));
    form.addQueryItem(QStringLiteral("client_secret"), QStringLiteral("sbx-tiktok-secret"));
    form.addQueryItem(QStringLiteral("code"), code);
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
    form.addQueryItem(QStringLiteral("redirect_uri"), redirectUri);
    form.addQueryItem(QStringLiteral("code_verifier"), QString::fromLatin1(pkce.verifier));
    QNetworkRequest tokenRequest(tiktok.tokenUrl);
    tokenRequest.setHeader(QNetworkRequest::ContentTypeHeader,
                           QByteArrayLiteral("application/x-www-form-urlencoded"));
    const auto [tokenStatus, tokenBody] =
        await(network.post(tokenRequest, form.toString(QUrl::FullyEncoded).toLatin1()));
    const QString token = jsonOf(tokenBody)[QStringLiteral("access_token")].toString();
    if (tokenStatus != 200 || token.isEmpty())
        fail(QStringLiteral("token exchange gave HTTP %1: %2")
                 .arg(tokenStatus)
                 .arg(QString::fromUtf8(tokenBody)));
    return token.toLatin1();
}

tiktok::InitAnswer initInbox(QNetworkAccessManager &network, const Tiktok &tiktok,
                             const QString &user, const QByteArray &token,
                             const tiktok::ChunkPlan &plan) {
    tiktok::TikTokClient client(tiktok.apiBase, &network);
    tiktok::VideoSource source;
    source.videoSize = plan.videoSize;
    source.chunkSize = plan.chunkSize;
    source.totalChunkCount = plan.chunkCount;
    std::optional<Result<tiktok::InitAnswer>> answer;
    QEventLoop loop;
    client.initInbox(user, token, source, [&](Result<tiktok::InitAnswer> result) {
        answer.emplace(std::move(result));
        loop.quit();
    });
    if (!answer)
        loop.exec();
    if (!answer->ok())
        fail(QStringLiteral("inbox init failed: %1 %2 (%3)")
                 .arg(answer->error().code, answer->error().message, answer->error().detail));
    return answer->value();
}

// An inbox share counts against the user's 5 pending shares until the user posts it.
void markPosted(QNetworkAccessManager &network, const QUrl &sandbox, const QString &publishId) {
    QUrl url = sandbox;
    url.setPath(QStringLiteral("/_admin/tiktok/posts/%1/posted").arg(publishId));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const auto [status, body] = await(network.post(request, QByteArrayLiteral("{}")));
    if (status != 200)
        fail(QStringLiteral("marking %1 posted gave HTTP %2").arg(publishId).arg(status));
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("TikTok upload benchmark client"));
    parser.addHelpOption();
    const QCommandLineOption sandboxOption(
        QStringLiteral("sandbox"), QStringLiteral("sandbox base_url"), QStringLiteral("URL"));
    const QCommandLineOption fileOption(QStringLiteral("file"), QStringLiteral("file to upload"),
                                        QStringLiteral("PATH"));
    const QCommandLineOption userOption(QStringLiteral("user"), QStringLiteral("sandbox test user"),
                                        QStringLiteral("ID"), QStringLiteral("tt-frank"));
    const QCommandLineOption initOnly(
        QStringLiteral("init-only"),
        QStringLiteral("only init the upload; print upload_url and the chunk plan"));
    const QCommandLineOption uploadUrlOption(
        QStringLiteral("upload-url"),
        QStringLiteral("send the chunks to this URL, without sign-in or init (a null sink)"),
        QStringLiteral("URL"));
    const QCommandLineOption chunkOption(
        QStringLiteral("chunk-size"),
        QStringLiteral("preferred chunk size for ChunkPlan::forSize (default: the product's)"),
        QStringLiteral("BYTES"), QString::number(tiktok::ChunkPlan::kDefaultChunk));
    parser.addOptions(
        {sandboxOption, fileOption, userOption, initOnly, uploadUrlOption, chunkOption});
    parser.process(app);
    const QUrl sandbox(parser.value(sandboxOption));
    const QString path = parser.value(fileOption);
    const QString user = parser.value(userOption);
    const QUrl uploadUrl(parser.value(uploadUrlOption));
    if ((sandbox.isEmpty() && uploadUrl.isEmpty()) || path.isEmpty())
        fail(QStringLiteral("usage: huntaze-uploadbench (--sandbox URL [--user ID] [--init-only] | "
                            "--upload-url URL) --file PATH [--chunk-size BYTES]"));
    const qint64 size = QFileInfo(path).size();
    const Result<tiktok::ChunkPlan> plan =
        tiktok::ChunkPlan::forSize(size, parser.value(chunkOption).toLongLong());
    if (!plan)
        fail(plan.error().message);

    QNetworkAccessManager network;
    tiktok::InitAnswer init{QString(), uploadUrl};
    if (uploadUrl.isEmpty()) {
        const Tiktok tiktok = discover(network, sandbox);
        const QByteArray token = accessToken(network, tiktok, user);
        init = initInbox(network, tiktok, user, token, *plan);
        markPosted(network, sandbox, init.publishId);
    }
    if (parser.isSet(initOnly)) {
        print({{QStringLiteral("publish_id"), init.publishId},
               {QStringLiteral("upload_url"), init.uploadUrl.toString()},
               {QStringLiteral("video_size"), plan->videoSize},
               {QStringLiteral("chunk_size"), plan->chunkSize},
               {QStringLiteral("chunks"), plan->chunkCount}});
        return 0;
    }

    tiktok::TikTokUploader uploader;
    std::optional<Result<void>> outcome;
    QEventLoop loop;
    QObject::connect(&uploader, &tiktok::TikTokUploader::finished, &loop,
                     [&](const Result<void> &result) {
                         outcome.emplace(result);
                         loop.quit();
                     });
    // Where each chunk's time goes: "sending" runs until Qt reports the chunk's last byte
    // written to the socket, "waiting" from there to TikTok's answer (the server reading
    // what is still in the socket buffers, storing the chunk, answering). Against a null
    // sink, "waiting" is the per-chunk overhead alone.
    QElapsedTimer clock;
    qint64 chunkStartNs = 0;
    qint64 sentNs = -1;
    qint64 sendingNs = 0;
    qint64 waitingNs = 0;
    qint64 chunkEnd = plan->chunkLength(0);
    QObject::connect(&uploader, &tiktok::TikTokUploader::progress, &loop,
                     [&](qint64 position, qint64, double) {
                         if (sentNs < 0 && position >= chunkEnd) {
                             sentNs = clock.nsecsElapsed();
                             sendingNs += sentNs - chunkStartNs;
                         }
                     });
    QObject::connect(&uploader, &tiktok::TikTokUploader::acknowledged, &loop, [&](qint64 held) {
        const qint64 now = clock.nsecsElapsed();
        if (sentNs < 0)
            sendingNs += now - chunkStartNs;
        else
            waitingNs += now - sentNs;
        chunkStartNs = now;
        sentNs = -1;
        const int next = plan->chunkAt(held);
        chunkEnd = plan->chunkStart(next) + plan->chunkLength(next);
    });
    clock.start();
    uploader.start({init.uploadUrl, path, *plan, QByteArrayLiteral("video/mp4")}, 0);
    if (!outcome)
        loop.exec();
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    if (!outcome->ok())
        fail(QStringLiteral("upload failed: %1 %2 (%3)")
                 .arg(outcome->error().code, outcome->error().message, outcome->error().detail));
    print({{QStringLiteral("bytes"), plan->videoSize},
           {QStringLiteral("seconds"), seconds},
           {QStringLiteral("mb_per_s"), double(plan->videoSize) / seconds / 1e6},
           {QStringLiteral("chunks"), plan->chunkCount},
           {QStringLiteral("chunk_size"), plan->chunkSize},
           {QStringLiteral("sending_seconds"), double(sendingNs) / 1e9},
           {QStringLiteral("waiting_seconds"), double(waitingNs) / 1e9}});
    return 0;
}
