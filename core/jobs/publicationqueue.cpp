#include "publicationqueue.h"

#include "platforms/instagram/instagrampublisher.h"
#include "platforms/reddit/redditpublisher.h"
#include "platforms/tiktok/tiktokpublisher.h"
#include "platforms/x/xpublisher.h"
#include "store/desktopdatabase.h"

namespace huntaze::jobs {

namespace {
constexpr int kTickMs = 3000;
}

PublicationQueue::PublicationQueue(const PublishingServices &services, QObject *parent)
    : QObject(parent)
    , m_services(services) {
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &PublicationQueue::pump);
    connect(m_services.store->database(), &store::DesktopDatabase::changed, this,
            [this](const QString &table) {
                if (table == QLatin1String("publications") ||
                    table == QLatin1String("tiktok_posts"))
                    pump();
            });
}

PublicationQueue::~PublicationQueue() {
    stop();
}

void PublicationQueue::start() {
    m_started = true;
    m_tick.start();
    pump();
}

void PublicationQueue::stop() {
    m_started = false;
    m_tick.stop();
    const auto running = m_running;
    for (const QPointer<PublicationJob> &job : running)
        if (job)
            job->pause();
}

void PublicationQueue::enqueue(const PublicationDraft &draft,
                               PublicationStore::Done<QList<qint64>> done) {
    QPointer self(this);
    m_services.store->enqueue(draft, [self, done](Result<QList<qint64>> ids) {
        done(ids);
        if (self && ids)
            self->pump();
    });
}

void PublicationQueue::pump() {
    if (!m_started)
        return;
    if (m_pumping) {
        m_pumpAgain = true;
        return;
    }
    const int free = m_maxConcurrent - int(m_running.size());
    if (free <= 0)
        return;
    m_pumping = true;
    QPointer self(this);
    m_services.store->dueIds(m_running.keys(), free * 4, [self](Result<QList<qint64>> ids) {
        if (!self)
            return;
        if (!ids) {
            self->m_pumping = false;
            Q_EMIT self->problem(ids.error());
            return;
        }
        self->claimFrom(*ids);
    });
}

void PublicationQueue::claimFrom(QList<qint64> candidates) {
    if (candidates.isEmpty() || m_running.size() >= m_maxConcurrent || !m_started) {
        m_pumping = false;
        if (std::exchange(m_pumpAgain, false))
            pump();
        return;
    }
    const qint64 id = candidates.takeFirst();
    QPointer self(this);
    m_services.store->tryLock(id, [self, id, candidates](Result<bool> locked) {
        if (!self)
            return;
        // Claimed from here on: session advisory locks are re-entrant, so without this a
        // second pump on the same connection would "lock" the same publication again.
        if (locked && *locked && !self->m_running.contains(id)) {
            self->m_running.insert(id, nullptr);
            self->launch(id);
        } else if (locked && *locked) {
            self->m_services.store->unlock(id); // undo the re-entrant second lock
        }
        self->claimFrom(candidates);
    });
}

PublicationJob *PublicationQueue::createJob(qint64 id, const QString &provider) {
    if (provider == QLatin1String("tiktok"))
        return new tiktok::TikTokPublisher(id, m_services, this);
    if (provider == QLatin1String("instagram"))
        return new instagram::InstagramPublisher(id, m_services, this);
    if (provider == QLatin1String("reddit"))
        return new reddit::RedditPublisher(id, m_services, this);
    if (provider == QLatin1String("x"))
        return new x::XPublisher(id, m_services, this);
    return nullptr;
}

void PublicationQueue::launch(qint64 id) {
    // The provider decides the job; read it with the row the job loads anyway.
    QPointer self(this);
    m_services.store->load(id, [self, id](Result<std::optional<Publication>> row) {
        if (!self)
            return;
        PublicationJob *job =
            row && row->has_value() ? self->createJob(id, (*row)->provider) : nullptr;
        if (!job) {
            self->m_running.remove(id);
            self->m_services.store->unlock(id);
            return;
        }
        self->m_running.insert(id, job);
        connect(job, &PublicationJob::progress, self, &PublicationQueue::progress);
        connect(job, &PublicationJob::finished, self, [self, job](qint64 finishedId) {
            if (!self)
                return;
            self->m_running.remove(finishedId);
            self->m_services.store->unlock(finishedId);
            job->deleteLater();
            Q_EMIT self->jobFinished(finishedId);
            self->pump();
        });
        job->run();
    });
}

void PublicationQueue::afterChange(Result<bool> changed) {
    if (!changed)
        Q_EMIT problem(changed.error());
    pump();
}

void PublicationQueue::pause(qint64 id) {
    QPointer self(this);
    m_services.store->pause(id, [self, id](Result<bool> paused) {
        if (!self)
            return;
        if (paused && *paused)
            if (auto job = self->m_running.value(id))
                job->pause();
        self->afterChange(paused);
    });
}

void PublicationQueue::resume(qint64 id) {
    QPointer self(this);
    m_services.store->resume(id, [self, id](Result<bool> resumed) {
        if (self)
            self->afterChange(resumed);
    });
}

void PublicationQueue::cancel(qint64 id) {
    QPointer self(this);
    m_services.store->cancel(id, [self, id](Result<bool> cancelled) {
        if (!self)
            return;
        if (cancelled && *cancelled) {
            if (auto job = self->m_running.value(id)) {
                job->cancel();
            } else {
                // Not running here (waiting for its next look): withdraw it from the platform.
                self->m_services.store->load(id, [self](Result<std::optional<Publication>> row) {
                    if (self && row && row->has_value() && (*row)->provider == u"tiktok")
                        tiktok::TikTokPublisher::withdraw(self->m_services, **row);
                });
            }
        }
        self->afterChange(cancelled);
    });
}

void PublicationQueue::retry(qint64 id) {
    QPointer self(this);
    m_services.store->retry(id, [self, id](Result<bool> retried) {
        if (self)
            self->afterChange(retried);
    });
}

} // namespace huntaze::jobs
