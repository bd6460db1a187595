#!/usr/bin/env bash
# Installs what is missing, then configures and builds one CMake preset
# (debug, release or asan; default debug), optionally only some targets.
#   scripts/build.sh [PRESET [TARGET...]]
# Used by the README's two commands.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${1:-debug}
shift || true
targets=()
(($#)) && targets=(--target "$@")
bash "$root/scripts/install-deps.sh"
cd "$root"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" "${targets[@]}"
