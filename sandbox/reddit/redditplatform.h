#pragma once

#include "platform.h"
#include "redditadmin.h"
#include "redditapigate.h"
#include "redditenv.h"
#include "redditflairs.h"
#include "redditmedia.h"
#include "redditoauth.h"
#include "redditreading.h"
#include "redditstate.h"
#include "redditsubmit.h"

namespace sandbox {

// The Reddit side of shared/platforms/reddit.md. www.reddit.com and oauth.reddit.com
// both live under /reddit/ (see README.md in this folder).
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

private:
    RedditState m_state;
    RedditEnv m_env;
    RedditApiGate m_gate;
    RedditOAuth m_oauth;
    RedditMedia m_media;
    RedditSubmit m_submit;
    RedditReading m_reading;
    RedditFlairs m_flairs;
    RedditAdmin m_admin;
};

} // namespace sandbox
