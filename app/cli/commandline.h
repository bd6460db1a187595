#pragma once

#include <QStringList>

namespace huntaze::cli {

// `huntaze accounts | connect PROVIDER | publish ... | queue [run]`: the desktop's
// command-line face, on the same core and queue as the window (see README).
bool isCommand(const QString &firstArgument);
// Runs under an existing QCoreApplication; returns the process exit code (exitcodes.h).
int run(const QStringList &arguments);

} // namespace huntaze::cli
