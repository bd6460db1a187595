#pragma once

#include "jobs/publicationdraft.h"

#include <QList>
#include <QStringList>

#include <functional>

class QObject;

namespace huntaze::jobs {
class PublicationQueue;
}

namespace huntaze::ui {

class StatusLabel;

// What every publish page's Publish button does once nothing blocks it: hands its drafts
// to the queue, one after the other, while `*busy` is true (a blocker, so a second click
// queues nothing twice) and the status line says so. On a failure the queue's message is
// shown and `recheck` re-evaluates Publish; once all are queued, `queued` gets the new
// publication ids (the page clears what it queued and says where to follow it). Nothing
// is called once `page` is gone.
void queueDrafts(QObject *page, jobs::PublicationQueue *queue, QList<jobs::PublicationDraft> drafts,
                 bool *busy, StatusLabel *status, std::function<void()> recheck,
                 std::function<void(const QList<qint64> &)> queued);

// What blocks every page's Publish whatever it holds: no queue yet (no database), or a
// click still being queued (`busy`); the last of a page's publishBlockers().
QStringList queueBlockers(const jobs::PublicationQueue *queue, bool busy);

} // namespace huntaze::ui
