#pragma once

#include "platform.h"

namespace sandbox {

// The TikTok side of shared/platforms/tiktok.md.
class TikTokPlatform : public Platform {
    Q_OBJECT
public:
    explicit TikTokPlatform(SandboxContext &context, QObject *parent = nullptr);
    QString name() const override { return QStringLiteral("tiktok"); }
    void registerRoutes(Router &router) override;
    QJsonObject save() const override;
    void load(const QJsonObject &state) override;
    void tick() override;
    QJsonObject endpoints() const override;
};

} // namespace sandbox
