#include "instagramdiscovery.h"

#include "graphapi.h"
#include "platforms/instagram/instagramerrors.h"

#include <QJsonArray>
#include <QObject>
#include <QSet>

namespace huntaze::relay {

namespace {

const QString kPagesFields = QStringLiteral(
    "id,name,access_token,instagram_business_account{id,username,name,profile_picture_url}");

// How long discovery (a creator waiting on a connect or "Check again") waits for the
// usage governor before giving up for now.
constexpr qint64 kPatienceMs = 5000;

bool isPermissionError(int code) {
    return code == 10 || (code >= 200 && code <= 299);
}

// A failed Graph call during discovery, as the one problem the creator sees.
InstagramNotice problemOf(const GraphAnswer &answer, const QString &permissionFallback) {
    if (answer.deferredMs > 0)
        return {QStringLiteral("instagram_unavailable"),
                QObject::tr("Instagram asks Huntaze to slow down for now. Try again in %n "
                            "minute(s).",
                            nullptr, int((answer.deferredMs + 59'999) / 60'000)),
                {}};
    const instagram::GraphError &error = *answer.error;
    if (isPermissionError(error.code))
        return InstagramAccountFinder::permissionDeclined(
            InstagramAccountFinder::permissionNamed(error, permissionFallback));
    const instagram::Problem problem = instagram::problemFor(error);
    if (error.code == 190)
        return {QStringLiteral("needs_reconnect"), problem.message, {}};
    return {QStringLiteral("instagram_unavailable"), problem.message, {}};
}

} // namespace

QJsonObject InstagramCandidate::toJson() const {
    return {{QStringLiteral("ig_business_id"), igBusinessId},
            {QStringLiteral("page_id"), pageId},
            {QStringLiteral("page_name"), pageName},
            {QStringLiteral("username"), username},
            {QStringLiteral("name"), name},
            {QStringLiteral("profile_picture_url"), profilePictureUrl},
            {QStringLiteral("access_level"), accessLevel}};
}

QJsonObject InstagramNotice::toJson() const {
    QJsonObject out{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    if (!permission.isEmpty())
        out.insert(QStringLiteral("permission"), permission);
    return out;
}

QJsonObject InstagramDiscovery::toJson(const QStringList &selected) const {
    QJsonArray list;
    for (const InstagramCandidate &candidate : candidates)
        list.append(candidate.toJson());
    QJsonArray notes;
    for (const InstagramNotice &warning : warnings)
        notes.append(warning.toJson());
    QJsonObject out{{QStringLiteral("candidates"), list},
                    {QStringLiteral("selected"), QJsonArray::fromStringList(selected)},
                    {QStringLiteral("warnings"), notes}};
    if (problem)
        out.insert(QStringLiteral("problem"), problem->toJson());
    return out;
}

// Meta's messages name the permission: "(#200) Requires pages_show_list permission ..." or
// "... Missing permission: instagram_basic".
QString InstagramAccountFinder::permissionNamed(const instagram::GraphError &error,
                                                const QString &fallback) {
    const instagram::Problem problem = instagram::problemFor(error);
    if (!problem.permission.isEmpty())
        return problem.permission;
    static const QStringList known{
        QStringLiteral("instagram_content_publish"), QStringLiteral("instagram_basic"),
        QStringLiteral("instagram_manage_insights"), QStringLiteral("instagram_manage_comments"),
        QStringLiteral("pages_show_list"),           QStringLiteral("pages_read_engagement"),
        QStringLiteral("pages_manage_metadata"),     QStringLiteral("business_management")};
    for (const QString &text : {error.message, error.userMessage})
        for (const QString &permission : known)
            if (text.contains(permission))
                return permission;
    return fallback;
}

InstagramNotice InstagramAccountFinder::permissionDeclined(const QString &permission) {
    return {QStringLiteral("permission_declined"),
            QObject::tr("Facebook did not give Huntaze the \"%1\" permission, which it needs to "
                        "find your Instagram account. Connect Instagram again and leave \"%1\" "
                        "ticked when Facebook asks.")
                .arg(permission),
            permission};
}

InstagramNotice InstagramAccountFinder::noFacebookPage() {
    return {QStringLiteral("no_facebook_page"),
            QObject::tr("Your Facebook account has no Facebook Page, and Instagram publishing "
                        "goes through one. Create a Facebook Page, link your Instagram "
                        "professional account to it (Page settings, Linked accounts), then try "
                        "again."),
            {}};
}

InstagramNotice InstagramAccountFinder::noInstagramAccount(const QStringList &pageNames) {
    // The Graph API shows a Page with a personal Instagram account exactly like a Page
    // with none, so one message covers both.
    const QString convert =
        QObject::tr("If your Instagram account is a personal one, switch it to Business or "
                    "Creator in the Instagram app (Settings, Account type and tools).");
    if (pageNames.size() == 1)
        return {QStringLiteral("no_instagram_account"),
                QObject::tr("No Instagram professional account is linked to your Facebook Page "
                            "%1. %2 Then link it to the Page %1 (Page settings, Linked accounts) "
                            "and press Check again.")
                    .arg(pageNames.first(), convert),
                {}};
    return {QStringLiteral("no_instagram_account"),
            QObject::tr("None of your Facebook Pages (%1) has an Instagram professional account "
                        "linked. %2 Then link it to one of these Pages (Page settings, Linked "
                        "accounts) and press Check again.")
                .arg(pageNames.join(QStringLiteral(", ")), convert),
            {}};
}

InstagramNotice InstagramAccountFinder::publishingNotGranted(const QString &username) {
    const QString permission = QStringLiteral("instagram_content_publish");
    return {QStringLiteral("permission_declined"),
            QObject::tr("Huntaze can read @%1 but not publish to it: Facebook did not give it "
                        "the \"%2\" permission. To publish, connect Instagram again and leave "
                        "\"%2\" ticked.")
                .arg(username, permission),
            permission};
}

InstagramNotice InstagramAccountFinder::webhooksNotSubscribed(const QString &username,
                                                              const QString &permission) {
    return {QStringLiteral("webhooks_not_subscribed"),
            QObject::tr("New comments on @%1 will only show up at the next sync, every few "
                        "minutes, not at once: Facebook did not give Huntaze the \"%2\" "
                        "permission it needs to subscribe to them. Connect Instagram again and "
                        "leave \"%2\" ticked.")
                .arg(username, permission),
            permission};
}

InstagramDiscovery InstagramAccountFinder::discover(const QByteArray &userToken) {
    InstagramDiscovery out;
    GraphApi::Call call;
    call.path = QStringLiteral("me/accounts");
    call.query = {{QStringLiteral("fields"), kPagesFields}};
    call.token = userToken;
    call.patienceMs = kPatienceMs;
    call.component = QStringLiteral("accounts");

    QStringList unlinkedPages;
    int pagesSeen = 0;
    QSet<QString> seen; // an account linked to two Pages is one candidate
    QUrl next;
    for (int round = 0; round < kMaxPages; ++round) {
        const GraphAnswer page = round == 0 ? m_graph.call(call) : m_graph.next(next, call);
        if (!page.ok()) {
            // Refused for a permission: 200 is pages_show_list, 10 is instagram_basic (the
            // linked account's fields), unless Meta named another.
            out.problem = problemOf(page, page.error && page.error->code == 10
                                              ? QStringLiteral("instagram_basic")
                                              : QStringLiteral("pages_show_list"));
            out.tokenInvalid = page.error && page.error->code == 190;
            return out;
        }
        for (const QJsonValue &value : page.body.value(QStringLiteral("data")).toArray()) {
            const QJsonObject facebookPage = value.toObject();
            ++pagesSeen;
            const QJsonObject account =
                facebookPage.value(QStringLiteral("instagram_business_account")).toObject();
            const QString igId = account.value(QStringLiteral("id")).toString();
            if (igId.isEmpty()) {
                unlinkedPages.append(facebookPage.value(QStringLiteral("name")).toString());
                continue;
            }
            if (seen.contains(igId) || igId.size() > 64)
                continue;
            seen.insert(igId);
            InstagramCandidate candidate;
            candidate.igBusinessId = igId;
            candidate.pageId = facebookPage.value(QStringLiteral("id")).toString();
            candidate.pageName = facebookPage.value(QStringLiteral("name")).toString();
            candidate.pageToken =
                facebookPage.value(QStringLiteral("access_token")).toString().toUtf8();
            candidate.username = account.value(QStringLiteral("username")).toString();
            candidate.name = account.value(QStringLiteral("name")).toString();
            candidate.profilePictureUrl =
                account.value(QStringLiteral("profile_picture_url")).toString();
            out.candidates.append(candidate);
        }
        next = GraphApi::nextLink(page.body); // empty on the last page (or a foreign link)
        if (next.isEmpty())
            break;
    }

    if (out.candidates.isEmpty()) {
        out.problem = pagesSeen == 0 ? noFacebookPage() : noInstagramAccount(unlinkedPages);
        return out;
    }
    // Publishing needs instagram_content_publish: ask the one endpoint that requires it.
    for (InstagramCandidate &candidate : out.candidates) {
        GraphApi::Call probe;
        probe.path = candidate.igBusinessId + QStringLiteral("/content_publishing_limit");
        probe.query = {{QStringLiteral("fields"), QStringLiteral("quota_usage,config")}};
        probe.token = userToken;
        probe.usageKey = candidate.igBusinessId;
        probe.patienceMs = kPatienceMs;
        probe.component = QStringLiteral("accounts");
        const GraphAnswer limit = m_graph.call(probe);
        if (limit.error && limit.error->code == 10) {
            candidate.accessLevel = QStringLiteral("read_only");
            out.warnings.append(publishingNotGranted(candidate.username));
        } else {
            candidate.accessLevel = QStringLiteral("publish");
        }
    }
    return out;
}

} // namespace huntaze::relay
