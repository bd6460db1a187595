#pragma once

#include "platform.h"

namespace sandbox {

// The Reddit side of shared/platforms/reddit.md.
class RedditPlatform : public Platform {
    Q_OBJECT
public:
    explicit RedditPlatform(SandboxContext &context, QObject *parent = nullptr);
    QString name() const override { return QStringLiteral("reddit"); }
    void registerRoutes(Router &router) override;
    QJsonObject save() const override;
    void load(const QJsonObject &state) override;
    void tick() override;
    QJsonObject endpoints() const override;
};

} // namespace sandbox
