#pragma once

namespace huntaze::cli {

// What `huntaze` returns to scripts (README, "Command line").
enum ExitCode : int {
    Ok = 0,
    Internal = 1,
    Usage = 2,
    NotPaired = 3,     // no relay pairing found (environment, settings + keychain)
    MediaRejected = 4, // the file failed the local checks; nothing was sent
    NeedsAction = 5,   // the publication stopped for the creator (message says what to do)
    Failed = 6,        // the platform failed the post
    Unavailable = 7,   // relay or database unreachable
    ConnectFailed = 8, // connecting an account was denied, timed out or failed
    Cancelled = 9,
};

} // namespace huntaze::cli
