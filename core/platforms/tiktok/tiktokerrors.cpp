#include "tiktokerrors.h"

#include "log/platformtext.h"
#include "log/redaction.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace huntaze::tiktok {

namespace {

Problem make(const QString &code, Action action, bool retryable, const QString &message) {
    return Problem{code, action, message, retryable};
}

// Codes are short lowercase identifiers; anything else is not stored as given.
QString safeCode(const QString &normalised) {
    static const QRegularExpression identifier(QStringLiteral("^[a-z0-9_.-]{1,64}$"));
    return identifier.match(normalised).hasMatch() ? normalised : QStringLiteral("unknown");
}

// Platform text quoted to the user: no credentials, no markup, no control characters,
// one line, at most `limit` characters.
QString excerpt(const QString &raw, qsizetype limit) {
    return log::quotePlatformText(raw.left(2000), limit);
}

constexpr qsizetype kCodeExcerpt = 40;
constexpr qsizetype kMessageExcerpt = 200;

Problem tooManyPosts(const QString &code) {
    return make(code, Action::WaitThenRetry, true,
                QCoreApplication::translate(
                    "TikTokErrors",
                    "This TikTok account has reached its daily posting limit (about 15 posts "
                    "a day across all apps). Huntaze will post it automatically once the "
                    "limit frees up within the next 24 hours."));
}

Problem bannedFromPosting(const QString &code) {
    return make(code, Action::CheckTikTok, false,
                QCoreApplication::translate(
                    "TikTokErrors",
                    "TikTok has blocked this account from posting. Open TikTok to read the "
                    "notice and resolve it; Huntaze cannot post to this account until then."));
}

Problem unknownApiError(const QString &code, const QString &rawCode, int httpStatus,
                        const QString &platformMessage) {
    if (httpStatus == 0 || httpStatus >= 500)
        return make(code, Action::RetryWithBackoff, true,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok is unavailable right now. Huntaze will try again automatically "
                        "in a few minutes."));
    if (httpStatus == 429)
        return make(code, Action::WaitThenRetry, true,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok is receiving too many requests for this account. Huntaze will "
                        "wait a moment and try again automatically."));
    if (httpStatus == 401)
        return make(code, Action::RefreshAndRetry, true,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "Your TikTok session is no longer valid. Huntaze will refresh it and "
                        "try again; if that fails, reconnect your TikTok account."));

    const QString said = excerpt(platformMessage, kMessageExcerpt);
    const QString reported = excerpt(rawCode, kCodeExcerpt);
    QString detail;
    if (!said.isEmpty() && !reported.isEmpty())
        detail = QCoreApplication::translate("TikTokErrors", "TikTok said: \"%1\" (%2).")
                     .arg(said, reported);
    else if (!said.isEmpty())
        detail = QCoreApplication::translate("TikTokErrors", "TikTok said: \"%1\".").arg(said);
    else if (!reported.isEmpty())
        detail =
            QCoreApplication::translate("TikTokErrors", "TikTok reported \"%1\".").arg(reported);
    else
        detail = QCoreApplication::translate("TikTokErrors", "TikTok gave no reason.");
    return make(code, Action::FixRequest, false,
                QCoreApplication::translate(
                    "TikTokErrors",
                    "TikTok refused the request. %1 Check the post's details and try again; "
                    "if it keeps happening, contact Huntaze support.")
                    .arg(detail));
}

} // namespace

Problem problemForApiError(const QString &rawCode, int httpStatus, const QString &platformMessage) {
    const QString code = rawCode.trimmed().toLower();
    const QString id = safeCode(code);
    const auto is = [&code](const char *name) { return code == QLatin1String(name); };

    // Content Posting API envelope codes.
    if (is("access_token_invalid"))
        return make(id, Action::RefreshAndRetry, true,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "Your TikTok session has expired. Huntaze will refresh it and try "
                        "again; if that fails, reconnect your TikTok account in Settings."));
    if (is("scope_not_authorized"))
        return make(id, Action::Reconnect, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "Huntaze is missing a TikTok permission it needs for this. Reconnect "
                        "your TikTok account and allow Huntaze to upload and publish videos "
                        "and read your profile."));
    if (is("scope_permission_missed"))
        return make(id, Action::ContactSupport, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "Huntaze's TikTok app has not been granted this feature by TikTok, so "
                        "reconnecting will not help. Please contact Huntaze support."));
    if (is("invalid_param") || is("invalid_params")) {
        const QString said = excerpt(platformMessage, kMessageExcerpt);
        if (said.isEmpty())
            return make(id, Action::FixRequest, false,
                        QCoreApplication::translate(
                            "TikTokErrors",
                            "TikTok rejected one of the post's details. Check the caption, "
                            "privacy and other settings, then post again."));
        return make(id, Action::FixRequest, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok rejected one of the post's details: \"%1\". Correct it and post "
                        "again.")
                        .arg(said));
    }
    if (is("invalid_file_upload"))
        return make(id, Action::FixMedia, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok rejected the uploaded file. Check that the video is an MP4, "
                        "WebM or MOV file of at most 4 GB, then post it again."));
    if (is("rate_limit_exceeded"))
        return make(id, Action::WaitThenRetry, true,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok is limiting how quickly Huntaze can send requests for this "
                        "account. Huntaze will wait a minute and try again automatically."));
    if (is("spam_risk_too_many_pending_share"))
        return make(id, Action::WaitThenRetry, true,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "You already have 5 videos waiting in your TikTok inbox from the last "
                        "24 hours, the most TikTok allows. Open TikTok and post or delete a "
                        "draft, or wait until the oldest is 24 hours old; Huntaze will try "
                        "again then."));
    if (is("spam_risk_too_many_posts"))
        return tooManyPosts(id);
    if (is("spam_risk_user_banned_from_posting"))
        return bannedFromPosting(id);
    if (is("reached_active_user_cap"))
        return make(id, Action::ContactSupport, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok currently limits how many people can post through Huntaze, and "
                        "that limit has been reached. Please try again later or contact "
                        "Huntaze support."));
    if (is("unaudited_client_can_only_post_to_private_accounts"))
        return make(id, Action::ChooseAnotherPrivacy, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "Until TikTok finishes reviewing Huntaze, posts can only be private. "
                        "Choose the \"Only me\" privacy setting and post again."));
    if (is("url_ownership_unverified"))
        return make(id, Action::FixRequest, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok can only fetch media from web addresses verified for Huntaze, "
                        "and this address is not one of them. Upload the file from your "
                        "computer instead."));
    if (is("privacy_level_option_mismatch"))
        return make(id, Action::ChooseAnotherPrivacy, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "The privacy setting chosen for this post is not available for this "
                        "TikTok account. Choose one of the privacy options offered and post "
                        "again."));
    if (is("internal_error"))
        return make(id, Action::RetryWithBackoff, true,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok ran into an internal problem. Huntaze will try again "
                        "automatically in a few minutes."));
    if (is("invalid_publish_id"))
        return make(id, Action::None, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok no longer recognises this post, so its progress cannot be "
                        "checked. Look for it in TikTok and post it again if it is missing."));
    if (is("token_not_authorized_for_specified_publish_id"))
        return make(id, Action::FixRequest, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "This post was started from a different TikTok account than the one "
                        "connected now. Connect that account to check or cancel the post."));
    if (is("publish_not_cancellable"))
        return make(id, Action::None, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok is already finishing this post, so it can no longer be "
                        "cancelled. Delete it in TikTok if you do not want it."));

    // OAuth token endpoint codes ({"error": ...}).
    if (is("invalid_grant"))
        return make(id, Action::Reconnect, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "Your TikTok connection has expired or was removed. Reconnect your "
                        "TikTok account to keep posting."));
    if (is("access_denied"))
        return make(id, Action::Reconnect, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "Access was not approved on TikTok. Connect your TikTok account again "
                        "and approve access so Huntaze can post for you."));
    if (is("invalid_request"))
        return make(id, Action::Reconnect, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok could not complete the sign-in. Connect your TikTok account "
                        "again; if it keeps failing, contact Huntaze support."));
    if (is("invalid_client") || is("unauthorized_client") || is("invalid_scope") ||
        is("unsupported_grant_type") || is("unsupported_response_type"))
        return make(id, Action::ContactSupport, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok did not accept Huntaze's app setup, so the connection cannot "
                        "be made. Please contact Huntaze support."));
    if (is("server_error") || is("temporarily_unavailable"))
        return make(id, Action::RetryWithBackoff, true,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok's sign-in service is unavailable right now. Huntaze will try "
                        "again automatically in a few minutes."));

    return unknownApiError(id, rawCode, httpStatus, platformMessage);
}

Problem problemForFailReason(const QString &failReason) {
    const QString reason = failReason.trimmed().toLower();
    const QString id = safeCode(reason);
    const auto is = [&reason](const char *name) { return reason == QLatin1String(name); };

    if (is("file_format_check_failed"))
        return make(id, Action::FixMedia, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok could not accept this video's format. Export it as MP4, WebM or "
                        "MOV using H.264, H.265, VP8 or VP9 and post it again."));
    if (is("duration_check_failed"))
        return make(id, Action::FixMedia, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "This video is too long for TikTok: it can be at most 10 minutes, or "
                        "the maximum TikTok allows for this account. Trim it and post again."));
    if (is("frame_rate_check_failed"))
        return make(id, Action::FixMedia, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok only accepts videos between 23 and 60 fps. Export the video "
                        "at a frame rate in that range and post it again."));
    if (is("picture_size_check_failed"))
        return make(id, Action::FixMedia, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok only accepts videos whose width and height are each between "
                        "360 and 4096 pixels. Resize the video and post it again."));
    if (is("internal"))
        return make(id, Action::RetryWithBackoff, true,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok ran into a problem while processing this post. Huntaze will "
                        "try again automatically in a few minutes."));
    if (is("video_pull_failed"))
        return make(id, Action::FixRequest, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok could not download the video from its web address. The address "
                        "must use https, must not redirect, and must stay reachable for an hour "
                        "after posting. Fix the link or upload the file instead."));
    if (is("photo_pull_failed"))
        return make(id, Action::FixRequest, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok could not download the photos from their web addresses. Each "
                        "address must use https, must not redirect, and must stay reachable "
                        "for an hour after posting. Fix the links and post again."));
    if (is("publish_cancelled"))
        return make(id, Action::None, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "This post was cancelled before TikTok published it. Nothing else "
                        "needs to be done."));
    if (is("auth_removed"))
        return make(id, Action::Reconnect, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "Huntaze's access to this TikTok account was removed before the post "
                        "finished. Reconnect your TikTok account and post again."));
    if (is("spam_risk_too_many_posts"))
        return tooManyPosts(id);
    if (is("spam_risk_user_banned_from_posting"))
        return bannedFromPosting(id);
    if (is("spam_risk_text"))
        return make(id, Action::FixRequest, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok flagged this post's caption as possible spam. Change the "
                        "caption and post again."));
    if (is("spam_risk"))
        return make(id, Action::CheckTikTok, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok flagged this post as possible spam and did not publish it. "
                        "Open TikTok to check your account for notices before posting again."));

    const QString shown = excerpt(failReason, kCodeExcerpt);
    if (shown.isEmpty())
        return make(id, Action::CheckTikTok, false,
                    QCoreApplication::translate(
                        "TikTokErrors",
                        "TikTok did not publish this post and gave no reason. Check the post "
                        "in TikTok and try again; if it keeps happening, contact Huntaze "
                        "support."));
    return make(id, Action::CheckTikTok, false,
                QCoreApplication::translate(
                    "TikTokErrors",
                    "TikTok did not publish this post (reason: \"%1\"). Check the post in "
                    "TikTok and try again; if it keeps happening, contact Huntaze support.")
                    .arg(shown));
}

Error toError(const Problem &p, int httpStatus) {
    Error error;
    error.domain = QStringLiteral("tiktok");
    error.code = p.code;
    error.message = p.message;
    error.httpStatus = httpStatus;
    error.retryable = p.retryable;
    return error;
}

} // namespace huntaze::tiktok
