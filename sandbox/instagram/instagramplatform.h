#pragma once

#include "platform.h"

namespace sandbox {

// The Instagram side of shared/platforms/instagram.md.
class InstagramPlatform : public Platform {
    Q_OBJECT
public:
    explicit InstagramPlatform(SandboxContext &context, QObject *parent = nullptr);
    QString name() const override { return QStringLiteral("instagram"); }
    void registerRoutes(Router &router) override;
    QJsonObject save() const override;
    void load(const QJsonObject &state) override;
    void tick() override;
    QJsonObject endpoints() const override;
};

} // namespace sandbox
