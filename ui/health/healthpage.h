#pragma once

#include "healthfigures.h"

#include <QJsonObject>
#include <QList>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

class LiveQuery;
class StatusLabel;

// Health: how the creator's own accounts are doing, from their rows in the database
// (row-level security shows only theirs). Accounts that need reconnecting (with a way to
// the Accounts section), the upload success rate per platform over 7 and 30 days, the
// last thing each platform reported through the relay, quotas and waits with when they
// end, and a diagnostics export for support. Follows the tables live and re-reads every
// minute while shown, since "ago" and "in" move on by themselves.
class HealthPage : public QWidget {
    Q_OBJECT
public:
    explicit HealthPage(QWidget *parent = nullptr);

    void setDatabase(store::DesktopDatabase *database);
    void refresh();

    // What the queries return, shown (public for tests):
    // accounts: id, provider, name, status, status_reason (not revoked ones).
    void showAccounts(const QList<QJsonObject> &rows);
    // uploads: provider, state, recent ("true" within 7 days), n over the last 30 days.
    void showUploads(const QList<QJsonObject> &rows);
    // heard: provider, source, at (epoch ms).
    void showHeard(const QList<QJsonObject> &rows);
    // quotas: kind, provider, account, used, resets_at (epoch ms), code, message.
    void showQuotas(const QList<QJsonObject> &rows);

    QList<HealthFigures::Uploads> uploads() const { return m_uploads; }
    QList<HealthFigures::Heard> heard() const { return m_heard; }
    QList<HealthFigures::Quota> quotas() const { return m_quotas; }
    // Account name -> why it needs reconnecting.
    QList<QPair<QString, QString>> accountsToReconnect() const { return m_reconnect; }
    // Every query answered at least once.
    bool isLoaded() const;

    // The export's outcome, shown under its button (DesktopApp writes the bundle).
    void showExportResult(bool ok, const QString &message);
    // Asks for the bundle at `path` (the button asks for the path first).
    void exportDiagnosticsTo(const QString &path);

Q_SIGNALS:
    void accountsRequested();
    void diagnosticsExportRequested(const QString &path);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    LiveQuery *addQuery(const char *sql, const QStringList &tables,
                        void (HealthPage::*showRows)(const QList<QJsonObject> &));
    void chooseExportPath();
    QStringList shownProviders() const;
    void redrawUploads();
    void redrawHeard();

    QList<LiveQuery *> m_queries;
    int m_answered = 0; // bit per query that answered
    StatusLabel *m_status;
    QLabel *m_allConnected;
    QTableWidget *m_reconnectTable;
    QPushButton *m_openAccounts;
    QTableWidget *m_uploadsTable;
    QTableWidget *m_heardTable;
    QTableWidget *m_quotasTable;
    QLabel *m_noQuotas;
    QPushButton *m_export;
    QLabel *m_exportResult;
    QTimer m_tick;

    QList<QJsonObject> m_uploadRows;
    QList<QJsonObject> m_heardRows;
    QStringList m_accountProviders;
    QList<HealthFigures::Uploads> m_uploads;
    QList<HealthFigures::Heard> m_heard;
    QList<HealthFigures::Quota> m_quotas;
    QList<QPair<QString, QString>> m_reconnect;
};

} // namespace huntaze::ui
