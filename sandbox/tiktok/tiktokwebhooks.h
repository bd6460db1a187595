#pragma once

#include "support/webhooksender.h"

namespace sandbox::tiktok {

// TikTok-Signature: t=<unix seconds>,s=hex(HMAC-SHA256(client_secret, t + "." + body)).
WebhookSender::Signer webhookSigner();
// Exponential backoff for up to 72 hours: 1 min, 2 min, 4 min, ... then dropped.
WebhookSender::Schedule webhookSchedule();

} // namespace sandbox::tiktok
