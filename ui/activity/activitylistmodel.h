#pragma once

#include "shell/queryrowsmodel.h"

namespace huntaze::ui {

// The Activity section's rows, newest first, as ActivityPage's query returns them
// (column -> text): audit_log events (kind "audit": sign-ins, token refreshes,
// disconnections, device pairing) and each publication's current state (kind
// "publication"), with what happened in the creator's words and the correlation id
// support asks for.
class ActivityListModel : public QueryRowsModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        KindColumn,
        AccountColumn,
        WhatColumn,
        OutcomeColumn,
        CorrelationIdColumn,
        ColumnCount
    };
    enum Role {
        CorrelationIdRole = Qt::UserRole + 1, // QString, empty when the row has none
        KeyRole,                              // "audit:42", "publication:7"
        EventRole,                            // the event (or publication state) as stored
        TimeRole,                             // QDateTime (UTC)
        SearchRole, // what the filter matches: the shown text, plus the raw event name
    };

    explicit ActivityListModel(QObject *parent = nullptr);
    // setRows() takes rows with the columns kind, id, at (milliseconds since the epoch),
    // event, provider, account, subject, outcome, correlation_id, message, source,
    // tiktok_status.

    QString correlationId(int row) const;
    QString key(int row) const;
    int rowOfKey(const QString &key) const; // -1 when absent

    // A known audit event as a sentence ("Renewed the account's access"); an unknown one
    // as its raw name.
    static QString eventText(const QString &event, const QString &outcome);
    // "Succeeded", "Failed", "Refused", "Needs reconnecting", or the raw outcome.
    static QString outcomeText(const QString &outcome);
    // "Account", "Access", "Device", "Publication", "Security".
    static QString kindText(const QString &kind, const QString &event);
    // A publication's current state as a sentence about its file, with its message.
    static QString publicationText(const QString &state, const QString &provider,
                                   const QString &tiktokStatus, const QString &source,
                                   const QString &message);
    // "TikTok", "Instagram", "Reddit", "X", or the raw provider.
    static QString platformName(const QString &provider);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    QString columnTitle(int column) const override;

private:
    QDateTime happenedAt(int row) const; // invalid when the row has no time
    QString displayText(int row, int column) const;
    QString accountText(int row) const;
    QString whatText(int row) const;
    QString outcomeColumnText(int row) const;
    bool isProblem(int row) const;
    bool isPublication(int row) const;
};

} // namespace huntaze::ui
