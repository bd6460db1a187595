#include "tiktokcreatorinfo.h"

#include "net/accesstokens.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QPointer>
#include <QSignalBlocker>

namespace huntaze::ui {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("huntaze::ui::TikTokCreatorInfo", text);
}

QString privacyName(const QString &option) {
    if (option == QLatin1String("PUBLIC_TO_EVERYONE"))
        return tr("Everyone");
    if (option == QLatin1String("MUTUAL_FOLLOW_FRIENDS"))
        return tr("Friends");
    if (option == QLatin1String("FOLLOWER_OF_CREATOR"))
        return tr("Followers");
    if (option == QLatin1String("SELF_ONLY"))
        return tr("Only me");
    return option;
}
} // namespace

void TikTokCreatorInfo::setServices(net::AccessTokens *tokens, tiktok::TikTokClient *tiktok) {
    m_tokens = tokens;
    m_tiktok = tiktok;
    m_account = 0;
}

bool TikTokCreatorInfo::want(qint64 accountId) {
    if (accountId == m_account)
        return false;
    m_account = accountId;
    ++m_serial; // answers for another account are dropped
    m_info.reset();
    m_error.clear();
    m_loading = false;
    if (!accountId)
        return true;
    if (!m_tokens || !m_tiktok) {
        m_error = tr("Direct posting is available once Huntaze is connected to its relay.");
        return true;
    }
    m_loading = true;
    fetch(accountId, false);
    return true;
}

void TikTokCreatorInfo::fetch(qint64 accountId, bool forceRefresh) {
    const quint64 serial = m_serial;
    QPointer self(this);
    m_tokens->get(accountId, forceRefresh, [=](Result<QByteArray> token) {
        if (!self || serial != self->m_serial)
            return;
        if (!token)
            return self->settle(token.error());
        self->m_tiktok->creatorInfo(
            QString::number(accountId), *token, [=](Result<tiktok::CreatorInfo> info) {
                if (!self || serial != self->m_serial)
                    return;
                // A token TikTok refused: ask for a fresh one, once.
                if (!info && !forceRefresh &&
                    info.error().code == QLatin1String("access_token_invalid"))
                    return self->fetch(accountId, true);
                self->settle(std::move(info));
            });
    });
}

void TikTokCreatorInfo::settle(Result<tiktok::CreatorInfo> info) {
    m_loading = false;
    if (info)
        m_info = *info;
    else
        m_error = info.error().message;
    Q_EMIT arrived();
}

void showPrivacyChoices(QComboBox *privacy, const std::optional<tiktok::CreatorInfo> &info) {
    const QSignalBlocker blocker(privacy);
    privacy->clear();
    privacy->addItem(tr("Choose who can see it"), QString());
    if (info)
        for (const QString &option : std::as_const(info->privacyLevelOptions))
            privacy->addItem(privacyName(option), option);
    privacy->setEnabled(info.has_value());
}

} // namespace huntaze::ui
