#pragma once

#include "base/result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>

class QObject;

namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::app {

// What a diagnostics bundle is made from. The caller fills in what it knows; the rows are
// read from the database by export() when it is given one.
struct DiagnosticsInput {
    QString appVersion;
    QString platform;         // the window system (QGuiApplication::platformName())
    QString connectionStatus; // the status bar's text
    bool sandboxMode = false;
    QString settingsFile; // DesktopSettings' INI file
    QStringList logFiles; // oldest first (DesktopLog::files)
    QProcessEnvironment environment;
    QList<QJsonObject> accounts;     // accountsSql()'s rows
    QList<QJsonObject> publications; // publicationsSql()'s rows
    QString databaseProblem;         // why there are no rows, when they could not be read
};

// The bundle support asks for when something goes wrong: one UTF-8 text file with the app
// and system versions, the settings, recent log lines, the environment variables that
// concern Huntaze and Qt, the creator's accounts and recent queue. It carries no secret:
// token, password, credential, secret and code fields are masked, as are bearer
// credentials, passwords inside URLs and connection strings, device credentials (hzd_...)
// and long token-like values in settings and the environment. The keychain is never read,
// and the queue goes without captions, file paths and upload addresses (the creator's
// content and where their files are). Plain text, not an archive: Qt has no public zip
// writer, and support can read it as it is.
class DiagnosticsExport {
    Q_DECLARE_TR_FUNCTIONS(DiagnosticsExport)
public:
    static constexpr int kLogLines = 400;
    static constexpr int kPublications = 100;

    // Masks every secret this export knows how to recognise in free text.
    static QString redact(const QString &text);
    // True for a value that looks like a credential on its own: one long word of
    // token characters mixing letters and digits (not a path, not a UUID).
    static bool looksLikeSecret(const QString &value);

    static QString accountsSql();
    static QString publicationsSql();

    // The bundle's text.
    static QString compose(const DiagnosticsInput &input, const QDateTime &now);
    static Result<void> writeFile(const QString &path, const QString &text);

    // Reads the rows (when there is a database), then composes and writes the bundle off
    // the GUI thread; `done` gets the path written, on `context`'s thread.
    using Done = std::function<void(const Result<QString> &)>;
    static void exportTo(const QString &path, DiagnosticsInput input,
                         store::DesktopDatabase *database, QObject *context, Done done);
};

} // namespace huntaze::app
