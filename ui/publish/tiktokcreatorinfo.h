#pragma once

#include "base/result.h"
#include "platforms/tiktok/tiktokclient.h"

#include <QObject>
#include <QString>

#include <optional>

class QComboBox;

namespace huntaze::net {
class AccessTokens;
}

namespace huntaze::ui {

// What TikTok lets the one targeted account post directly (creator_info: who may see it,
// the longest video, what the account turned off). The TikTok tab and "Several platforms"
// both must follow it, so both keep it here: asked for when the target changes, with a
// fresh token once when TikTok refuses the one Huntaze had, answers for an account no
// longer targeted dropped.
class TikTokCreatorInfo : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    // Also forgets the account, so the next want() asks again now that it can.
    void setServices(net::AccessTokens *tokens, tiktok::TikTokClient *tiktok);
    // The account whose creator_info is wanted (0: none). When it changes, what was known
    // is dropped and TikTok is asked (arrived() follows); returns whether it changed.
    bool want(qint64 accountId);

    bool loading() const { return m_loading; }
    const std::optional<tiktok::CreatorInfo> &info() const { return m_info; }
    const QString &error() const { return m_error; } // why info() is unknown

Q_SIGNALS:
    void arrived(); // info() or error() for the wanted account

private:
    void fetch(qint64 accountId, bool forceRefresh);
    void settle(Result<tiktok::CreatorInfo> info);

    net::AccessTokens *m_tokens = nullptr;
    tiktok::TikTokClient *m_tiktok = nullptr;
    qint64 m_account = 0;
    quint64 m_serial = 0;
    bool m_loading = false;
    std::optional<tiktok::CreatorInfo> m_info;
    QString m_error;
};

// Fills `privacy` with who may see the post, as `info` allows, with nothing preselected
// (TikTok asks that the creator chooses); disabled while `info` is unknown. Emits nothing.
void showPrivacyChoices(QComboBox *privacy, const std::optional<tiktok::CreatorInfo> &info);

} // namespace huntaze::ui
