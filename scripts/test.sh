#!/usr/bin/env bash
# The README's second command: install what is missing, build, run every test.
#   scripts/test.sh [ctest arguments...]    e.g. scripts/test.sh -L unit
# HUNTAZE_PRESET=asan runs the suite under AddressSanitizer and UBSan.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${HUNTAZE_PRESET:-debug}
bash "$root/scripts/build.sh" "$preset"
cd "$root"
ctest --preset "$preset" --parallel "$(nproc)" "$@"
