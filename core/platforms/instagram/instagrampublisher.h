#pragma once

#include "base/result.h"
#include "instagramclient.h"
#include "instagramerrors.h"
#include "jobs/publication.h"
#include "jobs/publicationjob.h"

#include <QNetworkReply>
#include <QPointer>

namespace huntaze::instagram {

// One container the publication needs: its key in options.ig_containers ("0".."9" for
// carousel items, "main" for the post), what to create, and the local file behind it.
struct ContainerPart {
    QString key;
    ContainerRequest request;
    QString localPath; // a video sent through the resumable upload; empty otherwise
    qint64 bytes = 0;
    // A local JPEG that the relay's media host serves to Instagram: request.imageUrl is
    // its address once hosted (empty before), valid until hostedUntil.
    QString localPhoto;
    QDateTime hostedUntil;
};

// The containers a publication needs, in creation order (carousel items before the
// carousel); an Error when the row does not describe a publishable post.
Result<QList<ContainerPart>> containerPlan(const jobs::Publication &publication);

// Takes one Instagram publication through its steps, recording each in its row first,
// so a crash anywhere resumes without a second post:
//   queued -> quota (content_publishing_limit) -> containers created (each id recorded
//   at once) -> local videos uploaded (resumable; recorded) -> container status polled
//   with backoff until FINISHED (carousel items, then the carousel) -> init_started_at
//   set -> media_publish -> media id, permalink and the ig_media row recorded with the
//   publication settled, in one statement.
// A lost media_publish answer is never published blindly again: the next run asks the
// container, and PUBLISHED there means it went out. EXPIRED (or 2207020) makes new
// containers; ERROR maps its subcode to the creator's message.
//
// kind photo (source_url: a public JPEG URL, or source_path: a local JPEG) | reel
// (source_path or source_url) | story (source_path: a video, or a local JPEG when
// options.source_type is "image" or the file is a .jpg/.jpeg; or source_url: an image) |
// carousel (options.items).
// options: ig_business_id, username, share_to_feed (reel), items [{"type": "image", "url"}
// | {"type": "image", "path", "bytes"} | {"type": "video", "path", "bytes"}] (carousel),
// ig_containers (kept by this job).
// A local photo is first uploaded to the relay's media host (Instagram fetches photos by
// URL only); its address is recorded in the row (options.hosted_url for the post's own
// photo, items[i].url for a carousel item, with when it expires) before its container
// is made, and hosted again if it would expire before then.
class InstagramPublisher : public jobs::PublicationJob {
    Q_OBJECT
public:
    InstagramPublisher(qint64 publicationId, const jobs::PublishingServices &services,
                       QObject *parent = nullptr);
    ~InstagramPublisher() override;

    qint64 publicationId() const override { return m_id; }
    void run() override;
    void pause() override;
    void cancel() override;

    // A container taking longer than this is handed to the creator.
    static constexpr qint64 kLongestProcessingSeconds = 3600;
    // Seconds until the next status call for a container created `ageSeconds` ago: often
    // at first, then about once a minute as Meta suggests.
    static qint64 pollIntervalSeconds(qint64 ageSeconds);

private:
    void step();
    void reconcilePublish();
    void checkQuota(std::function<void()> next);
    void create(const ContainerPart &part);
    bool needsHosting(const ContainerPart &part) const;
    void host(const ContainerPart &part);
    void hostingFailed(const Error &error, const ContainerPart &part);
    void upload(const ContainerPart &part);
    void pollPending(QList<ContainerPart> pending);
    void publish();
    void published(const QString &mediaId, const QString &permalink);
    void startOver(const QString &code, const QString &message);

    void withToken(std::function<void(const QByteArray &)> use);
    void fail(const Error &error);
    // What the queue does about a failure the Problem describes.
    void act(const Problem &problem, const Error &error);
    void waitThenRetry(const Error &error, qint64 seconds);
    void settle(const QString &state, const Error &error);
    void needsAction(const Error &error) { settle(QStringLiteral("needs_action"), error); }
    void done();

    QJsonObject container(const QString &key) const;
    void remember(const QString &key, const QJsonObject &container, std::function<void()> next);
    QString igUserId() const;
    QString stateNow() const; // queued | uploading | processing, from what exists
    qint64 uploadedBytes() const;

    qint64 m_id;
    jobs::PublishingServices m_services;
    jobs::Publication m_publication;
    QList<ContainerPart> m_plan;
    QPointer<QNetworkReply> m_upload;
    bool m_stopped = false;
    bool m_finished = false;
};

} // namespace huntaze::instagram
