#include "backgroundprobe.h"

#include "media/mediaprobe.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace huntaze::ui {

namespace {
// What a probe on the thread pool hands back to the GUI thread.
struct Probe {
    std::optional<media::MediaInfo> info;
    QString error;
};
} // namespace

void probeInBackground(QObject *context, const QString &path, ProbeDone done) {
    auto *watcher = new QFutureWatcher<Probe>(context);
    QObject::connect(watcher, &QFutureWatcher<Probe>::finished, context,
                     [watcher, done = std::move(done)] {
                         watcher->deleteLater();
                         const Probe probe = watcher->result();
                         done(probe.info, probe.error);
                     });
    watcher->setFuture(QtConcurrent::run([path] {
        Probe probe;
        if (auto probed = media::probeMedia(path))
            probe.info = *probed;
        else
            probe.error = probed.error().message;
        return probe;
    }));
}

} // namespace huntaze::ui
