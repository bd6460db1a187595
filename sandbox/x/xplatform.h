#pragma once

#include "platform.h"

namespace sandbox {

// The X side of shared/platforms/x.md.
class XPlatform : public Platform {
    Q_OBJECT
public:
    explicit XPlatform(SandboxContext &context, QObject *parent = nullptr);
    QString name() const override { return QStringLiteral("x"); }
    void registerRoutes(Router &router) override;
    QJsonObject save() const override;
    void load(const QJsonObject &state) override;
    void tick() override;
    QJsonObject endpoints() const override;
};

} // namespace sandbox
