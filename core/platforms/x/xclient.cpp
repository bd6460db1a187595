#include "xclient.h"

#include "filesegment.h"
#include "log/redaction.h"
#include "net/oneshotbody.h"
#include "oauth/providerclient.h"
#include "xerrors.h"
#include "xpacer.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHttpMultiPart>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <memory>
#include <type_traits>

namespace huntaze::x {

namespace {

constexpr int kTransferTimeoutMs = 30'000;
// A segment that sends nothing for this long is stuck (Qt's timeout is for inactivity).
constexpr int kSegmentStallMs = 120'000;
// X's answers are small; a bigger body is not read further.
constexpr qint64 kMaxAnswerBytes = 1 << 20;
// A 429 that named no reset still to come holds the endpoint this long.
constexpr qint64 kUnknownResetHoldSecs = 60;
const char *const kStoppedByCaller = "huntaze_stopped_by_caller";

QString translate(const char *text) {
    return QCoreApplication::translate("XClient", text);
}

Error clientError(const char *code, const QString &message, bool retryable,
                  const QString &detail = {}) {
    Error error;
    error.domain = QStringLiteral("x");
    error.code = QString::fromLatin1(code);
    error.message = message;
    error.detail = detail;
    error.retryable = retryable;
    return error;
}

// No HTTP answer at all.
Error transportError(bool lostIsUnknown, const QString &detail) {
    const QString clean = log::Redaction::scrubText(detail).left(300);
    if (lostIsUnknown)
        return clientError("outcome_unknown",
                           translate("The connection to X dropped before it answered, so it is not "
                                     "known whether the post was published. Check the account on "
                                     "x.com before posting it again."),
                           false, clean);
    Error error = toError(problemFor(0, std::nullopt, {}, 0));
    error.detail = clean;
    return error;
}

Error invalidId(const QString &what) {
    return clientError(
        "invalid_id",
        translate("Huntaze has no valid X id for this. Upload the media or choose the "
                  "post again."),
        false, QStringLiteral("not an X id: ") + what);
}

// A refused argument (or nothing to do) still answers through the event loop, as every
// network answer does.
template <typename T>
void answerLater(QObject *context, const std::function<void(Result<T>)> &done,
                 std::type_identity_t<Result<T>> result) {
    QTimer::singleShot(0, context, [done, result = std::move(result)] { done(result); });
}

qint64 nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

XClient::XClient(QUrl apiBase, QNetworkAccessManager *network, XPacer *pacer, QObject *parent)
    : QObject(parent)
    , m_apiBase(std::move(apiBase))
    , m_network(network)
    , m_pacer(pacer) {}

// ---- plumbing ----

QNetworkRequest XClient::jsonRequest(const QString &path, const QByteArray &token) const {
    QNetworkRequest request(oauth::joinUrl(m_apiBase, path));
    request.setTransferTimeout(kTransferTimeoutMs);
    request.setRawHeader("Authorization", "Bearer " + token);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    return request;
}

void XClient::whenAllowed(const Call &call, std::function<void(const Error *refused)> go) {
    const qint64 now = nowMs();
    const XPacer::Hold hold = m_pacer ? m_pacer->holdFor(call.endpoint, call.account, now)
                                      : XPacer::Hold{now, LimitKind::Window, 0};
    if (hold.untilMs <= now) {
        if (m_pacer)
            m_pacer->sent(call.endpoint, call.account, now);
        go(nullptr);
        return;
    }
    if (hold.untilMs - now > m_longestWait.count()) {
        // Not sent: the queue schedules it for when the limit frees instead of a timer here.
        Error refused = toError(problemForLimit(hold.kind, hold.resetEpoch, now / 1000), 0);
        refused.detail = QStringLiteral("not sent: paced locally (%1 until %2)")
                             .arg(call.endpoint)
                             .arg(hold.resetEpoch);
        QTimer::singleShot(0, this, [go, refused] { go(&refused); });
        return;
    }
    // Checked again on waking: answers that came in meanwhile may ask for longer.
    QTimer::singleShot(
        std::chrono::milliseconds(hold.untilMs - now), this,
        [this, call, go = std::move(go)]() mutable { whenAllowed(call, std::move(go)); });
}

void XClient::whenFinished(QNetworkReply *reply, const Call &call, Answered answered) {
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, call, answered = std::move(answered)] {
                reply->deleteLater();
                HttpAnswer answer;
                answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                answer.limits = parseRateLimits(reply->rawHeaderPairs());
                answer.nowEpoch = nowMs() / 1000;
                if (m_pacer) {
                    m_pacer->answered(call.endpoint, call.account, answer.limits);
                    if (answer.status == 429)
                        holdAfter429(call, answer);
                }
                if (answer.status == 0) {
                    if (reply->property(kStoppedByCaller).toBool())
                        return answered(
                            clientError("aborted", translate("The upload was stopped."), false));
                    return answered(transportError(call.lostIsUnknown, reply->errorString()));
                }
                answer.body = reply->read(kMaxAnswerBytes);
                answered(std::move(answer));
            });
}

void XClient::holdAfter429(const Call &call, const HttpAnswer &answer) {
    // A 429 whose headers name no reset still to come (none at all, a reset already past,
    // a monthly cap) would otherwise let the very next call meet it again.
    qint64 reset = 0;
    for (const RateWindow &window :
         {answer.limits.window, answer.limits.userDay, answer.limits.appDay})
        if (window.exhausted())
            reset = std::max(reset, window.resetEpoch);
    if (reset <= answer.nowEpoch)
        m_pacer->holdUntil(call.endpoint, call.account, answer.nowEpoch + kUnknownResetHoldSecs);
}

void XClient::call(const Call &call, Issue issue, Answered answered) {
    whenAllowed(call, [this, call, issue = std::move(issue),
                       answered = std::move(answered)](const Error *refused) mutable {
        if (refused)
            return answered(*refused);
        whenFinished(issue(), call, std::move(answered));
    });
}

// ---- posting ----

void XClient::createPost(const QString &account, const QByteArray &token, const PostRequest &post,
                         Done<PostAnswer> done) {
    Result<QJsonObject> body = postJson(post);
    if (!body)
        return answerLater(this, done, body.error());
    const QByteArray payload = QJsonDocument(*body).toJson(QJsonDocument::Compact);
    call(
        Call{kCreatePost, account, true},
        [this, token, payload] {
            return net::sendOnce(*m_network, jsonRequest(QStringLiteral("/2/tweets"), token),
                                 "POST", payload);
        },
        [done](Result<HttpAnswer> answer) {
            if (!answer)
                return done(answer.error());
            done(XAnswers::parsePost(*answer));
        });
}

// ---- the chunked upload ----

void XClient::initializeUpload(const QString &account, const QByteArray &token,
                               const MediaFile &file, Done<UploadSession> done) {
    const QJsonObject body{{QStringLiteral("media_type"), file.mediaType},
                           {QStringLiteral("total_bytes"), double(file.size)},
                           {QStringLiteral("media_category"), categoryName(file.category)}};
    const QByteArray payload = QJsonDocument(body).toJson(QJsonDocument::Compact);
    // Sent once: a resent initialize makes a second upload. A lost answer is not an
    // unknown outcome that matters, though: an upload never appended to expires unused.
    call(
        Call{kInitialize, account, false},
        [this, token, payload] {
            return net::sendOnce(*m_network,
                                 jsonRequest(QStringLiteral("/2/media/upload/initialize"), token),
                                 "POST", payload);
        },
        [done](Result<HttpAnswer> answer) {
            if (!answer)
                return done(answer.error());
            done(XAnswers::parseInitialize(*answer));
        });
}

void XClient::appendSegment(const QString &account, const QByteArray &token, const Segment &segment,
                            SegmentProgress progress, Done<qint64> done) {
    if (!isXId(segment.mediaId))
        return answerLater(this, done, invalidId(segment.mediaId));
    const QString path = QStringLiteral("/2/media/upload/%1/append").arg(segment.mediaId);
    auto fileProblem = std::make_shared<QString>();
    // A segment repeated under the same index replaces itself, so Qt may rewind and resend
    // this body: no sendOnce here.
    call(
        Call{kAppend, account, false},
        [this, token, segment, path, progress, fileProblem]() -> QNetworkReply * {
            auto *multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
            QHttpPart index;
            index.setHeader(QNetworkRequest::ContentDispositionHeader,
                            QByteArrayLiteral("form-data; name=\"segment_index\""));
            index.setBody(QByteArray::number(segment.index));
            multipart->append(index);
            auto *bytes =
                new FileSegment(segment.filePath, segment.offset, segment.length, multipart);
            if (!bytes->open(QIODevice::ReadOnly))
                *fileProblem = bytes->errorString();
            QHttpPart media;
            media.setHeader(QNetworkRequest::ContentDispositionHeader,
                            QByteArrayLiteral("form-data; name=\"media\"; filename=\"blob\""));
            media.setHeader(QNetworkRequest::ContentTypeHeader,
                            QByteArrayLiteral("application/octet-stream"));
            media.setBodyDevice(bytes);
            multipart->append(media);

            QNetworkRequest request(oauth::joinUrl(m_apiBase, path));
            request.setTransferTimeout(kSegmentStallMs);
            request.setRawHeader("Authorization", "Bearer " + token);
            QNetworkReply *reply = m_network->post(request, multipart);
            multipart->setParent(reply);
            if (!fileProblem->isEmpty()) {
                reply->setProperty(kStoppedByCaller, true);
                QTimer::singleShot(0, reply, &QNetworkReply::abort);
            }
            connect(reply, &QNetworkReply::uploadProgress, reply,
                    [reply, progress](qint64 sent, qint64 total) {
                        // Qt ends every upload with (0, 0), which is no progress at all.
                        if (progress && total > 0 && !progress(sent, total)) {
                            reply->setProperty(kStoppedByCaller, true);
                            reply->abort();
                        }
                    });
            return reply;
        },
        [done, fileProblem](Result<HttpAnswer> answer) {
            if (!fileProblem->isEmpty())
                return done(
                    clientError("file_changed",
                                translate("The file can no longer be read as it was when the "
                                          "upload began (moved, changed or deleted). Add it "
                                          "again, then post."),
                                false, *fileProblem));
            if (!answer)
                return done(answer.error());
            done(XAnswers::parseAppend(*answer));
        });
}

void XClient::finalizeUpload(const QString &account, const QByteArray &token,
                             const QString &mediaId, Done<FinalizeAnswer> done) {
    if (!isXId(mediaId))
        return answerLater(this, done, invalidId(mediaId));
    // Finalize creates nothing new, and repeating it is how a lost answer is recovered.
    call(
        Call{kFinalize, account, false},
        [this, token, mediaId] {
            return m_network->post(
                jsonRequest(QStringLiteral("/2/media/upload/%1/finalize").arg(mediaId), token),
                QByteArray());
        },
        [done](Result<HttpAnswer> answer) {
            if (!answer)
                return done(answer.error());
            done(XAnswers::parseFinalize(*answer));
        });
}

void XClient::uploadStatus(const QString &account, const QByteArray &token, const QString &mediaId,
                           Done<StatusAnswer> done) {
    if (!isXId(mediaId))
        return answerLater(this, done, invalidId(mediaId));
    call(
        Call{kStatus, account, false},
        [this, token, mediaId] {
            QNetworkRequest request = jsonRequest(QStringLiteral("/2/media/upload"), token);
            QUrl url = request.url();
            QUrlQuery query;
            query.addQueryItem(QStringLiteral("media_id"), mediaId);
            query.addQueryItem(QStringLiteral("command"), QStringLiteral("STATUS"));
            url.setQuery(query);
            request.setUrl(url);
            return m_network->get(request);
        },
        [done](Result<HttpAnswer> answer) {
            if (!answer)
                return done(answer.error());
            done(XAnswers::parseStatus(*answer));
        });
}

// ---- metrics ----

void XClient::lookupPosts(const QString &account, const QByteArray &token, const QStringList &ids,
                          bool nonPublic, Done<LookupAnswer> done) {
    if (ids.isEmpty() || ids.size() > kMaxLookupIds)
        return answerLater(
            this, done, invalidId(QStringLiteral("%1 ids (1 to 100 per lookup)").arg(ids.size())));
    for (const QString &id : ids)
        if (!isXId(id))
            return answerLater(this, done, invalidId(id));
    const QString fields = nonPublic ? QStringLiteral("public_metrics,non_public_metrics")
                                     : QStringLiteral("public_metrics");
    call(
        Call{kLookup, account, false},
        [this, token, ids, fields] {
            QNetworkRequest request = jsonRequest(QStringLiteral("/2/tweets"), token);
            QUrl url = request.url();
            QUrlQuery query;
            query.addQueryItem(QStringLiteral("ids"), ids.join(QLatin1Char(',')));
            query.addQueryItem(QStringLiteral("tweet.fields"), fields);
            url.setQuery(query);
            request.setUrl(url);
            return m_network->get(request);
        },
        [done](Result<HttpAnswer> answer) {
            if (!answer)
                return done(answer.error());
            done(XAnswers::parseLookup(*answer));
        });
}

void XClient::readMetrics(const QString &account, const QByteArray &token, const QStringList &ids,
                          bool nonPublic, Done<LookupAnswer> done) {
    QStringList unique = ids;
    unique.removeDuplicates();
    if (unique.isEmpty())
        return answerLater<LookupAnswer>(this, done, LookupAnswer{});
    readBatches(account, token, unique, nonPublic, {}, std::move(done));
}

void XClient::readBatches(const QString &account, const QByteArray &token, QStringList ids,
                          bool nonPublic, LookupAnswer gathered, Done<LookupAnswer> done) {
    if (ids.isEmpty())
        return done(std::move(gathered));
    const QStringList batch = ids.mid(0, kMaxLookupIds);
    ids.remove(0, batch.size());
    auto next = [this, account, token, ids, nonPublic, done](LookupAnswer sofar) {
        readBatches(account, token, ids, nonPublic, std::move(sofar), done);
    };
    lookupPosts(account, token, batch, nonPublic,
                [this, account, token, gathered, next, done](Result<LookupAnswer> answer) mutable {
                    if (!answer)
                        return done(answer.error());
                    gathered.posts += answer->posts;
                    gathered.notFound += answer->notFound;
                    gathered.unavailable += answer->unavailable;
                    const QStringList refused = answer->nonPublicRefused;
                    if (refused.isEmpty())
                        return next(std::move(gathered));
                    // Not the author's or too old for non_public_metrics: the public figures.
                    lookupPosts(
                        account, token, refused, false,
                        [gathered, refused, next, done](Result<LookupAnswer> publicOnly) mutable {
                            if (!publicOnly)
                                return done(publicOnly.error());
                            gathered.posts += publicOnly->posts;
                            gathered.notFound += publicOnly->notFound;
                            gathered.unavailable += publicOnly->unavailable;
                            gathered.nonPublicRefused += refused;
                            next(std::move(gathered));
                        });
                });
}

} // namespace huntaze::x
