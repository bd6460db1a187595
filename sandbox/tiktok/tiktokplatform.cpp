#include "tiktokplatform.h"

#include "tiktokadmin.h"
#include "tiktokcore.h"
#include "tiktokoauth.h"
#include "tiktokpublishing.h"
#include "tiktokupload.h"
#include "tiktokuserinfo.h"
#include "tiktokwebhooks.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace sandbox {

using namespace tiktok;

TikTokPlatform::TikTokPlatform(SandboxContext &context, QObject *parent)
    : Platform(context, parent)
    , m_core(std::make_unique<TikTokCore>(context))
    , m_oauth(std::make_unique<TikTokOAuth>(*m_core))
    , m_userInfo(std::make_unique<TikTokUserInfo>(*m_core))
    , m_publishing(std::make_unique<TikTokPublishing>(*m_core))
    , m_upload(std::make_unique<TikTokUpload>(*m_core))
    , m_admin(std::make_unique<TikTokAdmin>(*m_core, *m_publishing)) {
    context.webhooks.registerPlatform(u"tiktok"_s, u"/webhooks/tiktok"_s, webhookSigner(),
                                      webhookSchedule());
}

TikTokPlatform::~TikTokPlatform() = default;

void TikTokPlatform::registerRoutes(Router &router) {
    m_oauth->registerRoutes(router);
    m_userInfo->registerRoutes(router);
    m_publishing->registerRoutes(router);
    m_upload->registerRoutes(router);
    m_admin->registerRoutes(router);
}

QJsonObject TikTokPlatform::save() const {
    return m_core->state.toJson();
}

void TikTokPlatform::load(const QJsonObject &state) {
    m_core->state.fromJson(state);
}

void TikTokPlatform::tick() {
    m_publishing->tick();
    // Pruning every tick is cheap at sandbox sizes; once a second is plenty.
    if (++m_ticks % 10 == 0)
        m_core->prune();
}

QJsonObject TikTokPlatform::endpoints() const {
    QJsonArray users;
    for (const User &user : m_core->state.users)
        users.append(QJsonObject{
            {u"id"_s, user.id},
            {u"open_id"_s, user.openId},
            {u"username"_s, user.username},
            {u"display_name"_s, user.displayName},
            {u"privacy_level_options"_s, QJsonArray::fromStringList(user.privacyOptions)},
            {u"banned_from_posting"_s, user.bannedFromPosting}});
    // The real hosts all map to <base>/tiktok: www.tiktok.com (authorize),
    // open.tiktokapis.com (API) and the upload host (upload_url from init).
    return {{u"base_url"_s, baseUrl()},
            {u"auth_base_url"_s, baseUrl()},
            {u"api_base_url"_s, baseUrl()},
            {u"upload_base_url"_s, QString(baseUrl() + u"/upload"_s)},
            {u"authorize_url"_s, QString(baseUrl() + u"/v2/auth/authorize/"_s)},
            {u"token_url"_s, QString(baseUrl() + u"/v2/oauth/token/"_s)},
            {u"revoke_url"_s, QString(baseUrl() + u"/v2/oauth/revoke/"_s)},
            {u"client_key"_s, clientKey()},
            {u"client_secret"_s, clientSecret()},
            {u"redirect_uris"_s, QJsonArray::fromStringList(registeredRedirectUris())},
            {u"scopes"_s, QJsonArray::fromStringList(TikTokOAuth::knownScopes())},
            {u"verified_url_prefixes"_s,
             QJsonArray::fromStringList(m_core->state.settings.verifiedPrefixes)},
            {u"webhook_path"_s, u"/webhooks/tiktok"_s},
            {u"test_users"_s, users}};
}

} // namespace sandbox
