#!/usr/bin/env bash
# The README's first command: install what is missing, build, and open the desktop app
# in sandbox mode (embedded PostgreSQL, sandbox platforms and a local relay, all on
# this machine; no developer account needed). Extra arguments go to `huntaze`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ -z ${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-} ]]; then
  echo "No graphical session found (DISPLAY and WAYLAND_DISPLAY are empty)." >&2
  echo "Run this from a desktop session, or over ssh -X, or headless with" >&2
  echo "QT_QPA_PLATFORM=offscreen $0" >&2
  exit 1
fi
# Only the programs: the tests are built by the test command.
bash "$root/scripts/build.sh" release huntaze huntaze-relay huntaze-sandbox
exec "$root/build/release/bin/huntaze" --sandbox "$@"
