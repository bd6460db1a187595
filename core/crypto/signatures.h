#pragma once

#include <QByteArray>

namespace huntaze::crypto {

QByteArray hmacSha256(const QByteArray &key, const QByteArray &message);
// Compares in time independent of where the inputs differ (OpenSSL's CRYPTO_memcmp), so
// a signature cannot be guessed byte by byte from response times.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

} // namespace huntaze::crypto
