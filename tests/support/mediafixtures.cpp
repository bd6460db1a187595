#include "mediafixtures.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QtGlobal>

namespace huntaze::test {

QString makeTestVideo(const QString &path, int seconds, bool noise, const QString &size, int fps) {
    QString source = QStringLiteral("testsrc2=size=%1:rate=%2").arg(size).arg(fps);
    if (noise)
        source += QStringLiteral(",noise=alls=100:allf=t");
    QProcess ffmpeg;
    ffmpeg.start(QStringLiteral("ffmpeg"), {QStringLiteral("-hide_banner"),
                                            QStringLiteral("-loglevel"),
                                            QStringLiteral("error"),
                                            QStringLiteral("-y"),
                                            QStringLiteral("-f"),
                                            QStringLiteral("lavfi"),
                                            QStringLiteral("-i"),
                                            source,
                                            QStringLiteral("-t"),
                                            QString::number(seconds),
                                            QStringLiteral("-c:v"),
                                            QStringLiteral("libx264"),
                                            QStringLiteral("-preset"),
                                            QStringLiteral("ultrafast"),
                                            QStringLiteral("-qp"),
                                            noise ? QStringLiteral("0") : QStringLiteral("23"),
                                            QStringLiteral("-pix_fmt"),
                                            QStringLiteral("yuv420p"),
                                            QStringLiteral("-movflags"),
                                            QStringLiteral("+faststart"),
                                            path});
    if (!ffmpeg.waitForFinished(120000) || ffmpeg.exitStatus() != QProcess::NormalExit ||
        ffmpeg.exitCode() != 0) {
        qWarning("ffmpeg (Debian package ffmpeg) could not make %s: %s", qPrintable(path),
                 ffmpeg.readAllStandardError().constData());
        return {};
    }
    return path;
}

QString makeTestGif(const QString &path, int seconds) {
    QProcess ffmpeg;
    ffmpeg.start(QStringLiteral("ffmpeg"),
                 {QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
                  QStringLiteral("error"), QStringLiteral("-y"), QStringLiteral("-f"),
                  QStringLiteral("lavfi"), QStringLiteral("-i"),
                  QStringLiteral("testsrc2=size=160x120:rate=10"), QStringLiteral("-t"),
                  QString::number(seconds), path});
    if (!ffmpeg.waitForFinished(60000) || ffmpeg.exitStatus() != QProcess::NormalExit ||
        ffmpeg.exitCode() != 0) {
        qWarning("ffmpeg (Debian package ffmpeg) could not make %s: %s", qPrintable(path),
                 ffmpeg.readAllStandardError().constData());
        return {};
    }
    return path;
}

QByteArray fileSha256(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result().toHex();
}

} // namespace huntaze::test
