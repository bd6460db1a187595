#include "logger.h"

#include "redaction.h"

#include <QDateTime>
#include <QJsonDocument>

#include <cstdio>

namespace huntaze::log {

Logger::Logger()
    : m_sink([](const QByteArray &line) {
        std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
        std::fflush(stderr);
    }) {}

Logger &Logger::instance() {
    static Logger logger;
    return logger;
}

void Logger::setSink(Sink sink) {
    QMutexLocker lock(&m_mutex);
    m_sink = std::move(sink);
}

void Logger::setMinimumLevel(Level level) {
    QMutexLocker lock(&m_mutex);
    m_minimum = level;
}

QString Logger::levelName(Level level) {
    switch (level) {
    case Level::Debug:
        return QStringLiteral("debug");
    case Level::Info:
        return QStringLiteral("info");
    case Level::Warning:
        return QStringLiteral("warning");
    case Level::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("info");
}

QByteArray Logger::format(Level level, const QString &component, const QString &event,
                          const QJsonObject &fields, const QString &timestamp) {
    QJsonObject line = Redaction::scrub(fields);
    // The fixed keys win over caller fields of the same name.
    line.insert(QStringLiteral("ts"), timestamp);
    line.insert(QStringLiteral("level"), levelName(level));
    line.insert(QStringLiteral("component"), component);
    line.insert(QStringLiteral("event"), Redaction::scrubText(event));
    return QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
}

void Logger::write(Level level, const QString &component, const QString &event,
                   const QJsonObject &fields) {
    {
        QMutexLocker lock(&m_mutex);
        if (level < m_minimum)
            return;
    }
    const QByteArray line = format(level, component, event, fields,
                                   QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    QMutexLocker lock(&m_mutex);
    m_sink(line);
}

void debug(const QString &component, const QString &event, const QJsonObject &fields) {
    Logger::instance().write(Level::Debug, component, event, fields);
}

void info(const QString &component, const QString &event, const QJsonObject &fields) {
    Logger::instance().write(Level::Info, component, event, fields);
}

void warning(const QString &component, const QString &event, const QJsonObject &fields) {
    Logger::instance().write(Level::Warning, component, event, fields);
}

void error(const QString &component, const QString &event, const QJsonObject &fields) {
    Logger::instance().write(Level::Error, component, event, fields);
}

} // namespace huntaze::log
