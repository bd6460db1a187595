#pragma once

#include "platform.h"

#include <memory>

namespace sandbox {

namespace tiktok {
class TikTokCore;
class TikTokOAuth;
class TikTokUserInfo;
class TikTokPublishing;
class TikTokUpload;
class TikTokAdmin;
} // namespace tiktok

// The TikTok side of shared/platforms/tiktok.md (see tiktok/README.md).
class TikTokPlatform : public Platform {
    Q_OBJECT
public:
    explicit TikTokPlatform(SandboxContext &context, QObject *parent = nullptr);
    ~TikTokPlatform() override;
    QString name() const override { return QStringLiteral("tiktok"); }
    void registerRoutes(Router &router) override;
    QJsonObject save() const override;
    void load(const QJsonObject &state) override;
    void tick() override;
    QJsonObject endpoints() const override;

private:
    std::unique_ptr<tiktok::TikTokCore> m_core;
    std::unique_ptr<tiktok::TikTokOAuth> m_oauth;
    std::unique_ptr<tiktok::TikTokUserInfo> m_userInfo;
    std::unique_ptr<tiktok::TikTokPublishing> m_publishing;
    std::unique_ptr<tiktok::TikTokUpload> m_upload;
    std::unique_ptr<tiktok::TikTokAdmin> m_admin;
    quint64 m_ticks = 0;
};

} // namespace sandbox
