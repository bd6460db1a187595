#include "relayprocess.h"

namespace huntaze::test {

RelayProcess::RelayProcess(const QString &databaseUrl, const QMap<QString, QString> &settings) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_DATABASE_URL", databaseUrl);
    environment.insert("HUNTAZE_LISTEN", "127.0.0.1:0");
    for (auto it = settings.cbegin(); it != settings.cend(); ++it)
        environment.insert(it.key(), it.value());
    m_process =
        std::make_unique<ChildProcess>(HUNTAZE_RELAY_BIN, QStringList{"serve"}, environment);
    const QJsonObject listening = m_process->waitForJsonLine(
        [](const QJsonObject &line) { return line["event"].toString() == "http.listening"; });
    m_port = listening["port"].toInt();
}

QUrl RelayProcess::url(const QString &path) const {
    return QUrl(QString("http://127.0.0.1:%1%2").arg(m_port).arg(path));
}

void RelayProcess::kill() {
    m_process->process().kill();
    m_process->process().waitForFinished(5000);
}

} // namespace huntaze::test
