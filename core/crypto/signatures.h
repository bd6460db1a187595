#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <initializer_list>

namespace huntaze::crypto {

// OpenSSL's HMAC and SHA-256 (hardware-accelerated where the CPU allows): on the relay's
// webhook path they run for every request, where Qt's own SHA-256 cost a tenth of the
// CPU (bench/webhook-ingest.sh profile).
QByteArray hmacSha256(const QByteArray &key, const QByteArray &message);
// The HMAC of the parts one after the other, without joining them first.
QByteArray hmacSha256(const QByteArray &key, std::initializer_list<QByteArrayView> message);
QByteArray sha256(const QByteArray &data);
// Compares in time independent of where the inputs differ (OpenSSL's CRYPTO_memcmp), so
// a signature cannot be guessed byte by byte from response times.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

} // namespace huntaze::crypto
