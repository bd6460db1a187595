#include "diagnosticsexport.h"

#include "log/redaction.h"
#include "store/desktopdatabase.h"

#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QPointer>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QSysInfo>
#include <QTimeZone>
#include <QtConcurrent>

namespace huntaze::app {

namespace {
using log::Redaction;

// Environment variables that concern the app; any other is left out whole.
bool isRelevantVariable(const QString &name) {
    static const char *const prefixes[] = {"HUNTAZE_", "QT_", "XDG_", "LC_", "PG"};
    for (const char *prefix : prefixes)
        if (name.startsWith(QLatin1String(prefix)))
            return true;
    static const char *const names[] = {"LANG", "LANGUAGE", "DISPLAY", "WAYLAND_DISPLAY",
                                        "DESKTOP_SESSION"};
    for (const char *known : names)
        if (name == QLatin1String(known))
            return true;
    return false;
}

// Environment names run words together (PGPASSWORD, APIKEY): look inside them too.
bool nameSuggestsSecret(const QString &name) {
    static const char *const parts[] = {"password",   "passwd", "secret",     "token",
                                        "credential", "apikey", "privatekey", "auth"};
    const QString lower = name.toLower();
    for (const char *part : parts)
        if (lower.contains(QLatin1String(part)))
            return true;
    return Redaction::isSecretField(name);
}

// A setting or variable, named `name`, made safe to show.
QString safeValue(const QString &name, const QString &value) {
    if (value.isEmpty())
        return value;
    if (nameSuggestsSecret(name) || DiagnosticsExport::looksLikeSecret(value))
        return Redaction::kMask;
    return DiagnosticsExport::redact(value);
}

QString jsonLine(const QJsonObject &object) {
    return DiagnosticsExport::redact(
        QString::fromUtf8(QJsonDocument(Redaction::scrub(object)).toJson(QJsonDocument::Compact)));
}

void section(QString &out, const QString &title) {
    out += QStringLiteral("\n== ") + title + QStringLiteral(" ==\n");
}

QString settingsText(const QString &file) {
    if (file.isEmpty() || !QFileInfo::exists(file))
        return DiagnosticsExport::tr("(no settings file yet)") + QLatin1Char('\n');
    QSettings settings(file, QSettings::IniFormat);
    QString out =
        DiagnosticsExport::tr("File: %1").arg(DiagnosticsExport::redact(file)) + QLatin1Char('\n');
    for (const QString &key : settings.allKeys()) {
        const QVariant value = settings.value(key);
        QString shown;
        if (value.typeId() == QMetaType::QByteArray)
            shown =
                DiagnosticsExport::tr("(%1 bytes of binary data)").arg(value.toByteArray().size());
        else if (value.typeId() == QMetaType::QStringList)
            shown = safeValue(key, value.toStringList().join(QStringLiteral(", ")));
        else
            shown = safeValue(key, value.toString());
        out += key + QStringLiteral(" = ") + shown + QLatin1Char('\n');
    }
    return out;
}

QString environmentText(const QProcessEnvironment &environment) {
    QString out;
    int skipped = 0;
    QStringList names = environment.keys();
    names.sort();
    for (const QString &name : std::as_const(names)) {
        if (!isRelevantVariable(name)) {
            ++skipped;
            continue;
        }
        out +=
            name + QLatin1Char('=') + safeValue(name, environment.value(name)) + QLatin1Char('\n');
    }
    out += DiagnosticsExport::tr("(%1 other variables left out)").arg(skipped) + QLatin1Char('\n');
    return out;
}

// The last `count` lines over the files, oldest first; each JSON line scrubbed field by
// field, every line scrubbed as text.
QString logText(const QStringList &files, int count) {
    QStringList lines;
    for (const QString &path : files) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        // A rotated file holds at most a few megabytes: read it whole, keep the tail.
        const QList<QByteArray> read = file.readAll().split('\n');
        for (const QByteArray &raw : read)
            if (!raw.trimmed().isEmpty())
                lines.append(QString::fromUtf8(raw));
        if (lines.size() > count)
            lines = lines.mid(lines.size() - count);
    }
    if (lines.isEmpty())
        return DiagnosticsExport::tr("(no log lines recorded)") + QLatin1Char('\n');
    QString out;
    for (const QString &line : std::as_const(lines)) {
        const QJsonDocument json = QJsonDocument::fromJson(line.toUtf8());
        out += (json.isObject() ? jsonLine(json.object()) : DiagnosticsExport::redact(line)) +
               QLatin1Char('\n');
    }
    return out;
}

QString rowsText(const QList<QJsonObject> &rows, const QString &none) {
    if (rows.isEmpty())
        return none + QLatin1Char('\n');
    QString out;
    for (const QJsonObject &row : rows)
        out += jsonLine(row) + QLatin1Char('\n');
    return out;
}
} // namespace

QString DiagnosticsExport::redact(const QString &text) {
    // A password in a URL's user info: postgresql://user:password@host/db.
    static const QRegularExpression urlPassword(
        QStringLiteral("\\b([a-z][a-z0-9+.-]*://[^\\s/:@]*):([^\\s/@]*)@"),
        QRegularExpression::CaseInsensitiveOption);
    // Device credentials the relay issues.
    static const QRegularExpression deviceCredential(QStringLiteral("\\bhzd_[A-Za-z0-9_-]+"));
    // JSON web tokens and the like: three dot-separated base64url runs.
    static const QRegularExpression webToken(
        QStringLiteral("\\b[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{8,}"));
    QString out = Redaction::scrubText(text);
    out.replace(urlPassword, QStringLiteral("\\1:") + Redaction::kMask + QLatin1Char('@'));
    out.replace(deviceCredential, Redaction::kMask);
    out.replace(webToken, Redaction::kMask);
    return out;
}

bool DiagnosticsExport::looksLikeSecret(const QString &value) {
    static const QRegularExpression tokenLike(QStringLiteral("^[A-Za-z0-9_.~+/=-]{24,}$"));
    static const QRegularExpression uuid(QStringLiteral(
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    const QString v = value.trimmed();
    if (!tokenLike.match(v).hasMatch() || uuid.match(v).hasMatch() ||
        v.startsWith(QLatin1Char('/')))
        return false;
    bool letters = false;
    bool digits = false;
    for (const QChar c : v) {
        letters = letters || c.isLetter();
        digits = digits || c.isDigit();
    }
    return letters && digits;
}

QString DiagnosticsExport::accountsSql() {
    // Never a token column: the desktop's role is not granted them anyway.
    return QStringLiteral(
        "SELECT id::text AS id, provider, open_id, display_name, username, status, "
        "status_reason, scope, access_expires_at::text AS access_expires_at, "
        "refresh_expires_at::text AS refresh_expires_at, created_at::text AS created_at, "
        "updated_at::text AS updated_at FROM oauth_accounts ORDER BY provider, id");
}

QString DiagnosticsExport::publicationsSql() {
    // Without caption, file path, link source, options and upload URL: only how the job
    // went. The file's type and the caption's length are enough to reproduce a problem.
    return QStringLiteral(
               "SELECT p.id::text AS id, p.provider, p.account_id::text AS account_id, p.kind, "
               "p.state, p.attempts::text AS attempts, p.bytes_sent::text AS bytes_sent, "
               "p.bytes_total::text AS bytes_total, p.last_error_code, p.last_error_message, "
               "p.remote_id, p.permalink, p.correlation_id::text AS correlation_id, "
               "char_length(p.caption)::text AS caption_chars, "
               "lower(substring(p.source_path from '\\.([A-Za-z0-9]{1,8})$')) AS file_type, "
               "(p.init_started_at IS NOT NULL)::text AS init_started, "
               "p.created_at::text AS created_at, p.updated_at::text AS updated_at, "
               "p.next_attempt_at::text AS next_attempt_at, "
               "p.published_at::text AS published_at "
               "FROM publications p ORDER BY p.updated_at DESC, p.id DESC LIMIT %1")
        .arg(kPublications);
}

QString DiagnosticsExport::compose(const DiagnosticsInput &input, const QDateTime &now) {
    QString out = tr("Huntaze diagnostics") + QLatin1Char('\n');
    out += tr("Secrets are removed from this file: tokens, passwords, the device credential "
              "and passwords in database addresses. The system keychain was not read. "
              "Captions and file paths of your posts are not included.") +
           QLatin1Char('\n');

    section(out, tr("About"));
    out += tr("Exported at: %1").arg(now.toUTC().toString(Qt::ISODate)) + QLatin1Char('\n');
    out += tr("Huntaze version: %1").arg(input.appVersion) + QLatin1Char('\n');
    out += tr("Qt: %1 (built with %2)")
               .arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR)) +
           QLatin1Char('\n');
    out += tr("System: %1 (%2 %3, %4)")
               .arg(QSysInfo::prettyProductName(), QSysInfo::kernelType(),
                    QSysInfo::kernelVersion(), QSysInfo::currentCpuArchitecture()) +
           QLatin1Char('\n');
    if (!input.platform.isEmpty())
        out += tr("Window system: %1").arg(input.platform) + QLatin1Char('\n');
    out += tr("Locale: %1, time zone %2")
               .arg(QLocale().name(), QString::fromUtf8(QTimeZone::systemTimeZoneId())) +
           QLatin1Char('\n');
    out += tr("Sandbox mode: %1").arg(input.sandboxMode ? tr("on") : tr("off")) + QLatin1Char('\n');
    if (!input.connectionStatus.isEmpty())
        out += tr("Connection: %1").arg(redact(input.connectionStatus)) + QLatin1Char('\n');

    section(out, tr("Settings"));
    out += settingsText(input.settingsFile);

    section(out, tr("Environment"));
    out += environmentText(input.environment);

    section(out, tr("Accounts"));
    if (!input.databaseProblem.isEmpty())
        out += tr("(could not be read: %1)").arg(redact(input.databaseProblem)) + QLatin1Char('\n');
    else
        out += rowsText(input.accounts, tr("(no account connected)"));

    section(out, tr("Queue, most recent %1 (without captions or file paths)").arg(kPublications));
    if (!input.databaseProblem.isEmpty())
        out += tr("(could not be read: %1)").arg(redact(input.databaseProblem)) + QLatin1Char('\n');
    else
        out += rowsText(input.publications, tr("(nothing queued yet)"));

    section(out, tr("Recent log lines (last %1)").arg(kLogLines));
    out += logText(input.logFiles, kLogLines);
    return out;
}

Result<void> DiagnosticsExport::writeFile(const QString &path, const QString &text) {
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Text) && file.write(text.toUtf8()) >= 0 &&
        file.commit())
        return {};
    Error error;
    error.domain = QStringLiteral("diagnostics");
    error.code = QStringLiteral("write_failed");
    error.message =
        tr("Could not write %1: %2. Choose another folder.").arg(path, file.errorString());
    return error;
}

void DiagnosticsExport::exportTo(const QString &path, DiagnosticsInput input,
                                 store::DesktopDatabase *database, QObject *context, Done done) {
    QPointer<QObject> guard(context);
    // Composing reads files: on a pool thread, then back to `context`.
    auto finish = [path, guard, done](DiagnosticsInput ready) {
        if (!guard)
            return;
        auto *watcher = new QFutureWatcher<Result<void>>(guard);
        QObject::connect(watcher, &QFutureWatcher<Result<void>>::finished, guard,
                         [watcher, path, done] {
                             watcher->deleteLater();
                             const Result<void> written = watcher->result();
                             if (!written)
                                 return done(written.error());
                             done(path);
                         });
        watcher->setFuture(QtConcurrent::run([path, ready = std::move(ready)] {
            return writeFile(path, compose(ready, QDateTime::currentDateTimeUtc()));
        }));
    };
    if (!database) {
        if (input.databaseProblem.isEmpty())
            input.databaseProblem = tr("not connected to a database");
        return finish(std::move(input));
    }
    database->query(
        accountsSql(), {},
        [database, guard, input, finish](const Result<QList<QJsonObject>> &accounts) mutable {
            if (!guard)
                return;
            if (!accounts) {
                input.databaseProblem = accounts.error().message;
                return finish(std::move(input));
            }
            input.accounts = *accounts;
            database->query(publicationsSql(), {},
                            [guard, input, finish](const Result<QList<QJsonObject>> &rows) mutable {
                                if (!guard)
                                    return;
                                if (rows)
                                    input.publications = *rows;
                                else
                                    input.databaseProblem = rows.error().message;
                                finish(std::move(input));
                            });
        });
}

} // namespace huntaze::app
