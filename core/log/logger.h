#pragma once

#include <QJsonObject>
#include <QMutex>
#include <QString>

#include <functional>

namespace huntaze::log {

enum class Level { Debug, Info, Warning, Error };

// Structured JSON-lines logging. One line per event:
//   {"ts":"2026-11-24T19:23:09.123Z","level":"info","component":"relay.webhooks",
//    "event":"webhook.accepted","correlation_id":"...","external_id":"...",...}
// Every field goes through Redaction first, so a token cannot reach a log even when a
// caller passes one by mistake. Thread-safe; lines are written whole.
class Logger {
public:
    using Sink = std::function<void(const QByteArray &line)>;

    static Logger &instance();

    // Replaces where lines go (stderr by default). Tests capture lines this way.
    void setSink(Sink sink);
    void setMinimumLevel(Level level);

    void write(Level level, const QString &component, const QString &event,
               const QJsonObject &fields = {});

    static QByteArray format(Level level, const QString &component, const QString &event,
                             const QJsonObject &fields, const QString &timestamp);
    static QString levelName(Level level);

private:
    Logger();
    QMutex m_mutex;
    Sink m_sink;
    Level m_minimum = Level::Info;
};

// Short forms: log::info("relay.http", "listening", {{"address", address}}).
void debug(const QString &component, const QString &event, const QJsonObject &fields = {});
void info(const QString &component, const QString &event, const QJsonObject &fields = {});
void warning(const QString &component, const QString &event, const QJsonObject &fields = {});
void error(const QString &component, const QString &event, const QJsonObject &fields = {});

} // namespace huntaze::log
