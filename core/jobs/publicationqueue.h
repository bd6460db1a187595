#pragma once

#include "base/result.h"
#include "publicationdraft.h"
#include "publicationjob.h"
#include "publicationstore.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace huntaze::jobs {

// The desktop's publishing queue: the rows of `publications` are the queue, this object
// works on them. It claims due publications (a PostgreSQL advisory lock per publication,
// so the window and the command line, or two desktops, never work on the same one and a
// crashed process's work is free again at once), runs a job per publication, and looks
// for due work whenever the database announces a change and every few seconds.
class PublicationQueue : public QObject {
    Q_OBJECT
public:
    PublicationQueue(const PublishingServices &services, QObject *parent = nullptr);
    ~PublicationQueue() override;

    void start();
    void stop(); // stops the running jobs where they are; their rows say how to go on
    void setMaxConcurrent(int jobs) { m_maxConcurrent = std::max(1, jobs); }

    void enqueue(const PublicationDraft &draft, PublicationStore::Done<QList<qint64>> done);
    void pause(qint64 id);
    void resume(qint64 id);
    void cancel(qint64 id);
    void retry(qint64 id);
    bool isWorkingOn(qint64 id) const { return m_running.contains(id); }
    int runningCount() const { return int(m_running.size()); }

Q_SIGNALS:
    void progress(qint64 publicationId, qint64 bytesSent, qint64 bytesTotal, double bytesPerSecond);
    void jobFinished(qint64 publicationId);
    void problem(const huntaze::Error &error);

private:
    void pump();
    void claimFrom(QList<qint64> candidates);
    void launch(qint64 id);
    PublicationJob *createJob(qint64 id, const QString &provider);
    void afterChange(Result<bool> changed);

    PublishingServices m_services;
    QTimer m_tick;
    QHash<qint64, QPointer<PublicationJob>> m_running;
    int m_maxConcurrent = 2;
    bool m_pumping = false;
    bool m_pumpAgain = false;
    bool m_started = false;
};

} // namespace huntaze::jobs
