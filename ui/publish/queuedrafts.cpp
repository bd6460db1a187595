#include "queuedrafts.h"

#include "jobs/publicationqueue.h"
#include "shell/statuslabel.h"

#include <QCoreApplication>
#include <QPointer>

#include <memory>

namespace huntaze::ui {

namespace {
struct Run {
    QPointer<QObject> page;
    jobs::PublicationQueue *queue = nullptr;
    QList<jobs::PublicationDraft> drafts;
    QList<qint64> ids;
    bool *busy = nullptr;
    StatusLabel *status = nullptr;
    std::function<void()> recheck;
    std::function<void(const QList<qint64> &)> queued;
};

void next(const std::shared_ptr<Run> &run) {
    if (run->drafts.isEmpty()) {
        *run->busy = false;
        return run->queued(run->ids);
    }
    run->queue->enqueue(run->drafts.takeFirst(), [run](Result<QList<qint64>> queued) {
        if (!run->page)
            return;
        if (!queued) {
            *run->busy = false;
            run->status->showProblem(queued.error().message);
            return run->recheck();
        }
        run->ids += *queued;
        next(run);
    });
}
} // namespace

void queueDrafts(QObject *page, jobs::PublicationQueue *queue, QList<jobs::PublicationDraft> drafts,
                 bool *busy, StatusLabel *status, std::function<void()> recheck,
                 std::function<void(const QList<qint64> &)> queued) {
    auto run = std::make_shared<Run>(Run{
        page, queue, std::move(drafts), {}, busy, status, std::move(recheck), std::move(queued)});
    *busy = true;
    status->showNote(
        QCoreApplication::translate("huntaze::ui::QueueDrafts", "Adding it to the queue…"));
    run->recheck();
    next(run);
}

QStringList queueBlockers(const jobs::PublicationQueue *queue, bool busy) {
    QStringList blockers;
    if (!queue)
        blockers << QCoreApplication::translate(
            "huntaze::ui::QueueDrafts",
            "Publishing is available once Huntaze is connected to its database.");
    if (busy)
        blockers << QCoreApplication::translate("huntaze::ui::QueueDrafts",
                                                "Adding it to the queue…");
    return blockers;
}

} // namespace huntaze::ui
