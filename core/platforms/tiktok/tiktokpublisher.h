#pragma once

#include "base/result.h"
#include "jobs/publication.h"
#include "jobs/publicationjob.h"

#include <QPointer>

namespace huntaze::tiktok {

class TikTokUploader;

// Takes one TikTok publication through its steps, recording each in its row before
// the next, so a crash anywhere resumes correctly:
//   queued -> (quota check, creator_info for direct posts) -> init_started_at set
//   -> init -> publish_id + upload_url recorded with the tiktok_posts row
//   -> chunks (bytes TikTok acknowledged recorded) -> processing -> status polled
//   -> published (inbox or posted) | failed (TikTok's fail_reason) | needs_action.
// Init is never blindly retried: a FILE_UPLOAD whose init answer was lost is initialised
// again only because a post TikTok never received bytes for cannot go live; a
// PULL_FROM_URL or photo init with a lost answer stops for the creator to check.
// An expired upload URL starts the upload over cleanly (the old publish_id is cancelled).
//
// options (jsonb): mode "inbox" | "direct"; privacy_level, disable_comment,
// disable_duet, disable_stitch (direct); content_type; duration_ms; username;
// photo: photo_urls [...], photo_cover_index, title (caption is the description);
// chunk_size once initialised.
class TikTokPublisher : public jobs::PublicationJob {
    Q_OBJECT
public:
    TikTokPublisher(qint64 publicationId, const jobs::PublishingServices &services,
                    QObject *parent = nullptr);
    ~TikTokPublisher() override;

    qint64 publicationId() const override { return m_id; }
    void run() override;
    void pause() override;
    void cancel() override;
    // Cancels on TikTok what a cancelled publication left there (nothing if never initialised).
    static void withdraw(const jobs::PublishingServices &services,
                         const jobs::Publication &publication);

private:
    enum class Stage { Prepare, Init, Upload, Poll };
    void resumeExisting();
    void prepare();
    void checkQuota(std::function<void()> next);
    void directPostChecks(std::function<void()> next);
    void init();
    void upload(qint64 resumeFrom);
    void startOver(const QString &code, const QString &message);
    void poll();
    void onStatus(const struct PublishStatus &status);
    // Gets the account's token, then runs `use`; failures go to fail().
    void withToken(std::function<void(const QByteArray &)> use);
    void fail(const Error &error, Stage stage);
    void waitThenRetry(const Error &error, Stage stage, qint64 seconds);
    void needsAction(const Error &error);
    void done();
    QString limitKey() const { return QString::number(m_publication.accountId); }
    bool directPost() const;

    qint64 m_id;
    jobs::PublishingServices m_services;
    jobs::Publication m_publication;
    QPointer<TikTokUploader> m_uploader;
    bool m_refreshed = false; // access_token_invalid refreshes and retries once
    bool m_stopped = false;
    bool m_finished = false;
    std::function<void()> m_retryAfterRefresh;
};

} // namespace huntaze::tiktok
